import { DAVESession } from '@discordjs/voice';

type Report = (what: 'setExternalSender' | 'processProposals', err: unknown, session: DAVESession) => void;

let installed: Report | null = null;

/**
 * @discordjs/voice 0.19.2 calls `DAVESession.setExternalSender` and `processProposals` from its binary
 * WebSocket handler without a try/catch: a malformed or unexpected DAVE message from the voice server
 * (garbage in op 25/27, a proposal for an unannounced member) throws out of an event handler and ends
 * the whole process, taking every guild's music with it. This wraps both so that such a message is
 * reported and dropped instead: the connection stays up, and the voice server re-proposes or the
 * session re-initialises on the next transition. Installed once, at start.
 */
export function guardDaveSession(report: Report): void {
  installed = report;
  const proto = DAVESession.prototype as unknown as Record<string, unknown> & { __umGuarded?: boolean };
  if (proto.__umGuarded) return;
  proto.__umGuarded = true;
  for (const name of ['setExternalSender', 'processProposals'] as const) {
    const original = proto[name] as (this: DAVESession, ...args: unknown[]) => unknown;
    proto[name] = function guarded(this: DAVESession, ...args: unknown[]) {
      try {
        return original.apply(this, args);
      } catch (err) {
        this.emit('debug', `Ignored a DAVE message that failed in ${name}: ${err}`);
        installed?.(name, err, this);
        return undefined;
      }
    };
  }
}
