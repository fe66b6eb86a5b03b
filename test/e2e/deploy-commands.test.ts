import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.ts';
import { FakeDiscord } from '../fakes/discord/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = existsSync(`${ROOT}node_modules/.bin/node`) ? `${ROOT}node_modules/.bin/node` : process.execPath;

describe('npm run deploy-commands', () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = await FakeDiscord.start();
  });
  afterAll(() => discord.stop());

  const deploy = (env: Record<string, string>) =>
    promisify(execFile)(NODE, ['--disable-warning=ExperimentalWarning', 'src/app/deploy-commands.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
        ...env,
      },
    });

  it('registers every command in one server with DISCORD_GUILD_ID', async () => {
    const guild = discord.createGuild('Dev');
    const { stdout } = await deploy({ DISCORD_GUILD_ID: guild.id });
    expect(stdout).toContain(`Registered ${commands.length} commands in server ${guild.id}.`);
    expect(discord.registeredCommands(guild).map((c) => c.name)).toEqual(commands.map((c) => c.data.name));
    expect(discord.registeredCommands()).toEqual([]);
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const { stdout } = await deploy({});
    expect(stdout).toContain(`Registered ${commands.length} commands globally.`);
    expect(discord.registeredCommands()).toHaveLength(commands.length);
  });

  it('says plainly when there is no token', async () => {
    await expect(deploy({ DISCORD_TOKEN: '' })).rejects.toMatchObject({
      stderr: expect.stringContaining('DISCORD_TOKEN is not set'),
    });
  });
});
