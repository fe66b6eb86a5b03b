import {
  type ApplicationCommandData,
  type Client,
  REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  Routes,
} from 'discord.js';
import type { Logger } from '../core/logger.ts';

/**
 * Registers the slash commands when they differ from what Discord has (REGISTER_COMMANDS=auto): one
 * GET at start, and a PUT only after a change, so a new user never runs a second command and restarts
 * do not spend Discord's registration rate limit. With `guildId` they go to that server only.
 */
export async function registerIfChanged(
  client: Client<true>,
  commands: RESTPostAPIChatInputApplicationCommandsJSONBody[],
  guildId: string | undefined,
  logger: Logger,
): Promise<'registered' | 'unchanged'> {
  const manager = client.application.commands;
  // The builders leave keys such as `nsfw: undefined`, which equals() reads as a difference.
  const wanted = JSON.parse(JSON.stringify(commands)) as RESTPostAPIChatInputApplicationCommandsJSONBody[];
  const existing = guildId ? await manager.fetch({ guildId }) : await manager.fetch();
  const same =
    existing.size === wanted.length &&
    wanted.every((data) => {
      const found = existing.find((c) => c.name === data.name);
      // equals() reads both the API (snake_case) and the discord.js (camelCase) forms of a command.
      return found?.equals(data as unknown as ApplicationCommandData, true) ?? false;
    });
  if (same) {
    logger.info({ count: commands.length, scope: guildId ?? 'global' }, 'slash commands are up to date');
    return 'unchanged';
  }
  await (guildId ? manager.set(commands, guildId) : manager.set(commands));
  logger.info({ count: commands.length, scope: guildId ?? 'global' }, 'slash commands registered');
  return 'registered';
}

/**
 * Registers the slash commands now over REST, without logging in (`npm run deploy-commands`): to one
 * server with `guildId`, else globally. Returns how many were sent.
 *
 * @throws DiscordAPIError when Discord refuses the token or the commands.
 */
export async function deployCommands(
  target: { token: string; apiUrl: string; guildId: string | undefined },
  commands: RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Promise<number> {
  const rest = new REST({ api: target.apiUrl }).setToken(target.token);
  const app = (await rest.get(Routes.currentApplication())) as { id: string };
  const route = target.guildId
    ? Routes.applicationGuildCommands(app.id, target.guildId)
    : Routes.applicationCommands(app.id);
  await rest.put(route, { body: commands });
  return commands.length;
}
