import { PermissionFlagsBits } from 'discord-api-types/v10';
import { type FakeChannel, FakeDiscord, type FakeGuild, type FakeMember } from '../../fakes/discord/index.ts';
import { BotProcess } from '../../support/bot-process.ts';
import { MediaServer } from '../../support/media-server.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { dropNamespace, REDIS_URL, rawRedis, uniqueNamespace } from '../../support/redis.ts';
import { type ToneFormat, toneFile } from '../../support/tones.ts';

/**
 * A Discord server with people in it, a media host, and the bot exactly as `npm start` runs it,
 * pointed at the fake Discord and a fresh Redis namespace.
 */
export class World {
  readonly discord: FakeDiscord;
  readonly media: MediaServer;
  readonly guild: FakeGuild;
  readonly text: FakeChannel;
  readonly voice: FakeChannel;
  readonly djRole: string;
  readonly admin: FakeMember;
  readonly dj: FakeMember;
  readonly alice: FakeMember;
  readonly bob: FakeMember;
  readonly carol: FakeMember;
  readonly namespace = uniqueNamespace('e2e');
  bot!: BotProcess;
  private readonly extraEnv: Record<string, string>;

  private constructor(discord: FakeDiscord, media: MediaServer, env: Record<string, string>) {
    this.discord = discord;
    this.media = media;
    this.extraEnv = env;
    this.guild = discord.createGuild('Community');
    this.text = discord.addTextChannel(this.guild, 'music');
    this.voice = discord.addVoiceChannel(this.guild, 'Lounge');
    this.djRole = discord.addRole(this.guild, 'DJ', PermissionFlagsBits.SendMessages);
    this.admin = discord.addMember(this.guild, 'admin', { admin: true });
    this.dj = discord.addMember(this.guild, 'dj', { roles: [this.djRole] });
    this.alice = discord.addMember(this.guild, 'alice');
    this.bob = discord.addMember(this.guild, 'bob');
    this.carol = discord.addMember(this.guild, 'carol');
  }

  /**
   * `prepare` builds more of the fake Discord (another guild, members) before the bot connects, so the
   * bot learns it at READY as it would a guild it was already in.
   */
  static async start(env: Record<string, string> = {}, prepare?: (world: World) => void): Promise<World> {
    const database = await createTestDatabase();
    const world = new World(await FakeDiscord.start(), await MediaServer.start(), {
      DATABASE_URL: database.url,
      ...env,
    });
    world.database = database;
    prepare?.(world);
    await world.startBot();
    return world;
  }

  private database: TestDatabase | null = null;

  get env(): Record<string, string> {
    return {
      DISCORD_TOKEN: this.discord.token,
      DISCORD_API_URL: this.discord.apiUrl,
      HTTP_PORT: '0',
      REDIS_URL,
      REDIS_NAMESPACE: this.namespace,
      MEDIA_ALLOWLIST: '127.0.0.1',
      ...this.extraEnv,
    };
  }

  async startBot(): Promise<void> {
    this.bot = await BotProcess.start(this.env);
    await this.bot.waitForLog((l) => /slash commands (registered|are up to date)/.test(l.msg));
  }

  /** A tone file on the media host, e.g. `world.song('Sunrise', 440)`. */
  song(name: string, hz = 440, format: ToneFormat = 'mp3', seconds = 3): string {
    const ext = format === 'mp3' ? 'mp3' : format === 'wav' ? 'wav' : format === 'webm-opus' ? 'webm' : 'ogg';
    return this.media.serve(`/${encodeURIComponent(name)}.${ext}`, toneFile(hz, seconds, format));
  }

  /** The bot's public message for a queued song, found by its title. */
  trackMessage(title: string) {
    return this.discord
      .messagesIn(this.text)
      .find((m) => m.content.includes(`**${title}**`) && m.content.startsWith('Queued'));
  }

  async stop(): Promise<void> {
    await this.bot?.stop();
    await this.discord.stop();
    await this.media.close();
    const redis = rawRedis();
    await dropNamespace(redis, this.namespace);
    redis.disconnect();
    await this.database?.drop();
  }
}
