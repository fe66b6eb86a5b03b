// A plain @discordjs/voice bot written as the library's guide teaches: one AudioPlayer per guild, one
// ffmpeg per stream producing Ogg/Opus that is demuxed and sent as it is (an .ogg link is demuxed
// without ffmpeg). No queue, no database, no side-server. Run by bench/burst.ts from a temporary
// folder where discord.js and @discordjs/voice were installed from the npm registry.
import { spawn } from 'node:child_process';
import http from 'node:http';
import {
  AudioPlayerStatus,
  createAudioPlayer,
  createAudioResource,
  entersState,
  joinVoiceChannel,
  NoSubscriberBehavior,
  StreamType,
  VoiceConnectionStatus,
} from '@discordjs/voice';
import { Client, GatewayIntentBits } from 'discord.js';

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
  rest: { api: process.env.DISCORD_API_URL },
});

function open(url) {
  if (url.endsWith('.ogg')) {
    return new Promise((resolve, reject) =>
      http.get(url, (res) => resolve({ stream: res, type: StreamType.OggOpus })).on('error', reject),
    );
  }
  const ff = spawn(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-i',
      url,
      '-vn',
      '-ac',
      '2',
      '-ar',
      '48000',
      '-c:a',
      'libopus',
      '-b:a',
      '128k',
      '-f',
      'ogg',
      'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return Promise.resolve({ stream: ff.stdout, type: StreamType.OggOpus });
}

client.on('interactionCreate', async (interaction) => {
  if (!interaction.isChatInputCommand() || interaction.commandName !== 'play') return;
  const channel = interaction.member?.voice?.channel;
  if (!channel) return interaction.reply('Join a voice channel first.');
  await interaction.deferReply();
  const connection = joinVoiceChannel({
    guildId: interaction.guildId,
    channelId: channel.id,
    adapterCreator: interaction.guild.voiceAdapterCreator,
    selfDeaf: true,
  });
  const player = createAudioPlayer({ behaviors: { noSubscriber: NoSubscriberBehavior.Play } });
  connection.subscribe(player);
  const { stream, type } = await open(interaction.options.getString('query', true));
  player.play(createAudioResource(stream, { inputType: type }));
  try {
    await entersState(connection, VoiceConnectionStatus.Ready, 30_000);
    await interaction.editReply('Playing.');
  } catch {
    connection.destroy();
    await interaction.editReply('Could not connect.');
  }
  player.on(AudioPlayerStatus.Idle, () => connection.destroy());
});

client.once('clientReady', async () => {
  await client.application.commands.set([
    {
      name: 'play',
      description: 'Play a link',
      options: [{ name: 'query', description: 'link', type: 3, required: true }],
    },
  ]);
  console.log('bench-peer-ready');
});
client.login(process.env.DISCORD_TOKEN);
