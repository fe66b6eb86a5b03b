// A discord-player 7.2 bot as its guide writes one: the default extractors (an HTTP audio link is an
// attachment), `player.play(channel, query)`. Run by bench/burst.ts from a temporary folder where
// discord-player and its extractors were installed from the npm registry.
import { DefaultExtractors } from '@discord-player/extractor';
import { Client, GatewayIntentBits } from 'discord.js';
import { Player } from 'discord-player';

const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates],
  rest: { api: process.env.DISCORD_API_URL },
});
const player = new Player(client);
await player.extractors.loadMulti(DefaultExtractors);

client.on('interactionCreate', async (interaction) => {
  if (!interaction.isChatInputCommand() || interaction.commandName !== 'play') return;
  const channel = interaction.member?.voice?.channel;
  if (!channel) return interaction.reply('Join a voice channel first.');
  await interaction.deferReply();
  try {
    const { track } = await player.play(channel, interaction.options.getString('query', true), {
      nodeOptions: { metadata: interaction.channel },
    });
    await interaction.editReply(`Playing ${track.title}.`);
  } catch (err) {
    await interaction.editReply(`Could not play: ${err?.message ?? err}`);
  }
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
