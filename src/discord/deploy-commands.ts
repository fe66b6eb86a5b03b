import { REST, Routes } from 'discord.js';
import { commands } from '../../commands/index.ts';
import { ConfigError, loadConfig } from '../config/index.ts';

/**
 * `npm run deploy-commands`: registers the slash commands now (to DISCORD_GUILD_ID when set, else
 * globally). The bot also does this by itself at start when they changed (REGISTER_COMMANDS=auto).
 */
async function deploy(): Promise<void> {
  const config = loadConfig();
  if (!config.discord.token)
    throw new ConfigError('DISCORD_TOKEN is not set: there is no bot to register commands for.');
  const rest = new REST({ api: config.discord.apiUrl }).setToken(config.discord.token);
  const app = (await rest.get(Routes.currentApplication())) as { id: string };
  const body = commands.map((c) => c.data);
  const route = config.discord.guildId
    ? Routes.applicationGuildCommands(app.id, config.discord.guildId)
    : Routes.applicationCommands(app.id);
  await rest.put(route, { body });
  console.log(
    `Registered ${body.length} commands ${config.discord.guildId ? `in server ${config.discord.guildId}` : 'globally'}.`,
  );
}

deploy().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
