/**
 * IRC lines as Twitch's chat speaks them (RFC 1459 with IRCv3 message tags): `@tags :prefix COMMAND
 * params :trailing`. Tag values are escaped as IRCv3 says (`\:` for `;`, `\s` for a space, ...).
 */

export interface IrcMessage {
  tags: Record<string, string>;
  prefix: string | null;
  command: string;
  params: string[];
}

const ESCAPES: [string, string][] = [
  ['\\', '\\\\'],
  [';', '\\:'],
  [' ', '\\s'],
  ['\r', '\\r'],
  ['\n', '\\n'],
];

export function escapeTag(value: string): string {
  let out = value;
  for (const [raw, escaped] of ESCAPES) out = out.split(raw).join(escaped);
  return out;
}

/** One line (no CR LF) into its parts; null for an empty or malformed line. */
export function parseLine(line: string): IrcMessage | null {
  let rest = line;
  const tags: Record<string, string> = {};
  if (rest.startsWith('@')) {
    const end = rest.indexOf(' ');
    if (end < 0) return null;
    for (const pair of rest.slice(1, end).split(';')) {
      const [k, v = ''] = pair.split('=', 2);
      if (k) tags[k] = v;
    }
    rest = rest.slice(end + 1);
  }
  let prefix: string | null = null;
  if (rest.startsWith(':')) {
    const end = rest.indexOf(' ');
    if (end < 0) return null;
    prefix = rest.slice(1, end);
    rest = rest.slice(end + 1);
  }
  const trailingAt = rest.indexOf(' :');
  const head = trailingAt >= 0 ? rest.slice(0, trailingAt) : rest;
  const params = head.split(' ').filter(Boolean);
  const command = params.shift();
  if (!command) return null;
  if (trailingAt >= 0) params.push(rest.slice(trailingAt + 2));
  return { tags, prefix, command: command.toUpperCase(), params };
}

/** A line to send: tags escaped, the last parameter as trailing. */
export function formatLine(message: Partial<IrcMessage> & { command: string }): string {
  const tags = Object.entries(message.tags ?? {});
  const tagPart = tags.length > 0 ? `@${tags.map(([k, v]) => `${k}=${escapeTag(v)}`).join(';')} ` : '';
  const prefix = message.prefix ? `:${message.prefix} ` : '';
  const params = [...(message.params ?? [])];
  const last = params.pop();
  const middle = params.length > 0 ? ` ${params.join(' ')}` : '';
  return `${tagPart}${prefix}${message.command}${middle}${last !== undefined ? ` :${last}` : ''}`;
}
