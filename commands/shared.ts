import type { APIApplicationCommandOptionChoice, SlashCommandStringOption } from 'discord.js';
import type { Command } from '../src/discord/command.ts';

/** Autocomplete for an "item" option: queued songs matching what was typed, by position and title. */
export const autocompleteItem: NonNullable<Command['autocomplete']> = async ({
  call,
  actions,
  interaction,
}) => {
  const typed = String(interaction.options.getFocused()).toLowerCase();
  const { items } = await actions.queue.all(call);
  return items
    .filter(
      (i) => typed === '' || i.track.title.toLowerCase().includes(typed) || String(i.position) === typed,
    )
    .slice(0, 25)
    .map(
      (i): APIApplicationCommandOptionChoice<string> => ({
        name: `#${i.position} ${i.track.title} (${i.votes >= 0 ? '+' : ''}${i.votes})`.slice(0, 100),
        value: i.id,
      }),
    );
};

/** The "item" option of /vote, /unvote, /remove and /move: a queued song, autocompleted. */
export const itemOption = (o: SlashCommandStringOption) =>
  o
    .setName('item')
    .setDescription('The song: pick one, or type its position')
    .setRequired(true)
    .setAutocomplete(true);
