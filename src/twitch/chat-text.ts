import type { ChatCommandWords } from '../storage/db/twitch-links.ts';

/** Twitch refuses a chat message longer than this (characters), in and out. */
export const CHAT_MAX_CHARS = 500;

/**
 * Characters dropped from what a viewer typed and from what the bot says: C0/C1 controls (CR and LF
 * would end the IRC line), bidi overrides and isolates (they flip the text around them), and the tag
 * characters chat clients append to repeat a message.
 */
const UNSAFE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069\u{e0000}-\u{e007f}]/gu;

/** `text` without control and bidi characters, spaces collapsed and trimmed. */
export function cleanChatText(text: string): string {
  return text.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
}

/** The intents a viewer can type; `too-long` is a message over {@link CHAT_MAX_CHARS}. */
export type ChatCommand =
  | { kind: 'request'; query: string }
  | { kind: 'vote'; direction: 1 | -1; item: string }
  | { kind: 'song' }
  | { kind: 'queue' }
  | { kind: 'too-long'; command: string };

/**
 * What a chat line asks for, or null for ordinary chat (and for a line that only looks like a command).
 * The command word is matched case-insensitively after `!`; the rest is cleaned of control characters.
 */
export function parseChatCommand(raw: string, words: ChatCommandWords): ChatCommand | null {
  if (!raw.trimStart().startsWith('!')) return null;
  const text = cleanChatText(raw);
  const match = /^!(\S+)(?:\s+(.*))?$/s.exec(text);
  if (!match) return null;
  const word = match[1]!.toLowerCase();
  const rest = (match[2] ?? '').trim();
  const intent = (Object.keys(words) as (keyof ChatCommandWords)[]).find((k) => words[k] === word);
  if (!intent) return null;
  // Twitch itself never delivers more; a message over it (a client or relay that does not check) is
  // answered rather than cut, since a cut search or link would queue something else.
  if ([...raw].length > CHAT_MAX_CHARS) return { kind: 'too-long', command: word };
  switch (intent) {
    case 'request':
      return { kind: 'request', query: rest };
    case 'voteUp':
    case 'voteDown':
      return { kind: 'vote', direction: intent === 'voteUp' ? 1 : -1, item: rest.split(' ')[0] ?? '' };
    case 'song':
      return { kind: 'song' };
    case 'queue':
      return { kind: 'queue' };
  }
}

/**
 * A reply that Twitch accepts: addressed to the viewer (`@name`), cleaned of control characters,
 * Discord markup turned into words, and cut to {@link CHAT_MAX_CHARS} with an ellipsis.
 */
export function chatReply(displayName: string, text: string): string {
  const plain = text
    .replace(/(the )?<@&\d+>( role)?/g, 'a Discord role')
    .replace(/<[@#]!?\d+>/g, 'someone')
    .replace(/\*\*|__|`/g, '');
  const line = cleanChatText(`@${displayName} ${plain}`);
  const chars = [...line];
  return chars.length <= CHAT_MAX_CHARS ? line : `${chars.slice(0, CHAT_MAX_CHARS - 1).join('')}…`;
}
