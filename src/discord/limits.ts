import type { APIEmbed } from 'discord.js';

/**
 * Discord's documented limits on what a bot sends (https://discord.com/developers/docs: message
 * resource, embed limits, message components, autocomplete). This module is the one place that knows
 * these numbers; everything else asks it to fit text. Lengths are counted in UTF-16 code units, which is
 * never less than what Discord (code points) or discord.js's builders (`.length`) count.
 */
export const LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author of all embeds together. */
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  customId: 100,
  selectOptions: 25,
  selectPlaceholder: 150,
  selectLabel: 100,
  selectValue: 100,
  selectDescription: 100,
  buttonLabel: 80,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

const ELLIPSIS = '…';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` code units at a grapheme boundary (an emoji, a letter with its combining
 * marks, a flag stay whole), with an ellipsis when anything was cut. Meant for text that is already
 * markdown-escaped: a cut never leaves an escaping backslash dangling before the ellipsis.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < ELLIPSIS.length) return '';
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length > max - ELLIPSIS.length) break;
    kept += segment;
  }
  const trailingSlashes = /\\*$/.exec(kept)![0].length;
  if (trailingSlashes % 2 === 1) kept = kept.slice(0, -1);
  return kept + ELLIPSIS;
}

/**
 * As many whole lines as fit in `max` (joined by newlines); when some are left out, the last line says
 * so with `more(n)`. A single line longer than `max` is cut.
 */
export function fitLines(lines: string[], max: number, more: (left: number) => string): string {
  const all = lines.join('\n');
  if (all.length <= max) return all;
  const kept: string[] = [];
  let length = 0;
  for (let i = 0; i < lines.length; i++) {
    const tail = more(lines.length - i - 1);
    const line = lines[i]!;
    const next = length + (kept.length > 0 ? 1 : 0) + line.length;
    if (next + 1 + tail.length > max) {
      const rest = more(lines.length - i);
      if (kept.length === 0) return cut(`${line}\n${rest}`, max);
      return `${kept.join('\n')}\n${rest}`;
    }
    kept.push(line);
    length = next;
  }
  return kept.join('\n');
}

/** Message content within Discord's limit. */
export function fitContent(text: string): string {
  return cut(text, LIMITS.content);
}

/** An autocomplete choice name or select label within its limit (`kind` picks which). */
export function fitLabel(text: string, kind: 'choice' | 'select' | 'button'): string {
  const max =
    kind === 'choice' ? LIMITS.choiceName : kind === 'select' ? LIMITS.selectLabel : LIMITS.buttonLabel;
  return cut(text, max) || ELLIPSIS;
}

/** At most as many items as a list of choices or select options may hold. */
export function firstChoices<T>(items: T[]): T[] {
  return items.slice(0, LIMITS.choices);
}

/** Select menu options, at most as many as one menu holds. */
export function firstOptions<T>(items: T[]): T[] {
  return items.slice(0, LIMITS.selectOptions);
}

function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/**
 * Embeds within Discord's limits: each part cut to its own limit, at most 25 fields and 10 embeds, and
 * when all of them pass 6,000 characters, the longest descriptions and field values are cut further.
 */
export function fitEmbeds(embeds: APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, LIMITS.embeds).map(
    (e): APIEmbed => ({
      ...e,
      ...(e.title !== undefined ? { title: cut(e.title, LIMITS.embedTitle) } : {}),
      ...(e.description !== undefined ? { description: cut(e.description, LIMITS.embedDescription) } : {}),
      ...(e.footer ? { footer: { ...e.footer, text: cut(e.footer.text, LIMITS.footer) } } : {}),
      ...(e.author ? { author: { ...e.author, name: cut(e.author.name, LIMITS.author) } } : {}),
      ...(e.fields
        ? {
            fields: e.fields.slice(0, LIMITS.embedFields).map((f) => ({
              ...f,
              name: cut(f.name, LIMITS.fieldName) || '\u200b',
              value: cut(f.value, LIMITS.fieldValue) || '\u200b',
            })),
          }
        : {}),
    }),
  );
  let over = fitted.reduce((n, e) => n + embedLength(e), 0) - LIMITS.embedTotal;
  while (over > 0) {
    // Shorten the longest text part; each round removes at least one character.
    let best: { get: () => string; set: (s: string) => void } | null = null;
    let bestLength = 0;
    for (const e of fitted) {
      if ((e.description?.length ?? 0) > bestLength) {
        bestLength = e.description!.length;
        best = { get: () => e.description!, set: (s) => (e.description = s) };
      }
      for (const f of e.fields ?? []) {
        if (f.value.length > bestLength) {
          bestLength = f.value.length;
          best = { get: () => f.value, set: (s) => (f.value = s) };
        }
      }
    }
    if (!best || bestLength <= 1) break;
    const before = best.get();
    const after = cut(before, Math.max(1, before.length - over)) || '\u200b';
    best.set(after);
    over -= before.length - after.length;
  }
  return fitted;
}
