import type {
  ApplicationCommandData,
  Client,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
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
