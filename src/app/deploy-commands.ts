import { commands } from '../../commands/index.ts';
import { ConfigError, loadConfig } from '../config/index.ts';
import { deployCommands } from '../discord/registration.ts';

/**
 * `npm run deploy-commands`: registers the slash commands now (to DISCORD_GUILD_ID when set, else
 * globally). The bot also does this by itself at start when they changed (REGISTER_COMMANDS=auto).
 * It lives with the composition root because it joins the command list to the Discord adapter.
 */
async function deploy(): Promise<void> {
  const config = loadConfig();
  if (!config.discord.token)
    throw new ConfigError('DISCORD_TOKEN is not set: there is no bot to register commands for.');
  const { guildId } = config.discord;
  const count = await deployCommands(
    { token: config.discord.token, apiUrl: config.discord.apiUrl, guildId },
    commands.map((c) => c.data),
  );
  console.log(`Registered ${count} commands ${guildId ? `in server ${guildId}` : 'globally'}.`);
}

deploy().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
