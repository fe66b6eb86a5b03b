import type { APIApplicationCommandOptionChoice, SlashCommandStringOption } from 'discord.js';
import type { Command } from '../src/discord/command.ts';
import { cut, LIMITS } from '../src/discord/limits.ts';

/** "#3 Title (+2)": the title is cut (by grapheme) to fit, never the position or the votes. */
export function itemChoiceName(position: number | null, title: string, n: number): string {
  const head = `#${position ?? '-'} `;
  const tail = ` (${n >= 0 ? '+' : ''}${n})`;
  return `${head}${cut(title, LIMITS.choiceName - head.length - tail.length)}${tail}`;
}

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
    .slice(0, LIMITS.choices)
    .map(
      (i): APIApplicationCommandOptionChoice<string> => ({
        name: itemChoiceName(i.position, i.track.title, i.votes),
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
