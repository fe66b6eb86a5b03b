import { FakeDiscord } from '../test/fakes/discord/index.ts';
import { FakeVoiceServer } from '../test/fakes/discord/voice/server.ts';
import { BotProcess } from '../test/support/bot-process.ts';
import { MediaServer } from '../test/support/media-server.ts';

/** The bot as `npm start` runs it, with a fake Discord, a fake voice server and a media server. */
export interface VoiceWorld {
  discord: FakeDiscord;
  voice: FakeVoiceServer;
  media: MediaServer;
  bot: BotProcess;
  /** A new guild with a text channel, a voice channel and one member in it; resolves once the bot sees it. */
  guild(
    name: string,
  ): Promise<{ guildId: string; channelId: string; member: ReturnType<FakeDiscord['addMember']> }>;
  stop(): Promise<void>;
}

export async function startVoiceWorld(options: { daveVersion?: number } = {}): Promise<VoiceWorld> {
  const discord = await FakeDiscord.start();
  const voice = await FakeVoiceServer.start(
    options.daveVersion === undefined ? {} : { daveVersion: options.daveVersion },
  );
  const media = await MediaServer.start();
  discord.voiceEndpoint = voice.endpoint;
  const bot = await BotProcess.start({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    HTTP_PORT: '0',
    PGLITE_DATA_DIR: 'memory://',
    MEDIA_ALLOWLIST: '127.0.0.1',
    NODE_EXTRA_CA_CERTS: voice.caBundle,
    LOG_LEVEL: 'info',
  });
  await discord.waitFor(() => discord.registeredCommands().length > 0);
  return {
    discord,
    voice,
    media,
    bot,
    async guild(name) {
      const guild = discord.createGuild(name, false);
      discord.addTextChannel(guild, 'music');
      const lounge = discord.addVoiceChannel(guild, 'Lounge');
      const member = discord.addMember(guild, 'listener');
      guild.voiceStates.set(member.id, lounge.id);
      discord.announce(guild);
      await new Promise((r) => setTimeout(r, 50)); // let the client cache the new guild
      return { guildId: guild.id, channelId: lounge.id, member };
    },
    async stop() {
      await bot.stop();
      await voice.stop();
      await discord.stop();
      await media.close();
    },
  };
}
