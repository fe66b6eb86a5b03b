import { DAVESession, Networking } from '@discordjs/voice';

/** Where a dropped DAVE message was meant to go. */
export interface DaveFailureContext {
  channelId?: string;
  guildId?: string;
}

/**
 * What failed: `setExternalSender` / `processProposals` (the DAVE session refused the message),
 * `op N` (the binary handler for voice-gateway opcode N threw), or `frame` (a voice-gateway frame that
 * could not even be read, e.g. a binary frame shorter than its header).
 */
type Report = (what: string, err: unknown, where: DaveFailureContext) => void;

type Method = (this: unknown, ...args: unknown[]) => unknown;
type Patchable = Record<string, unknown> & { __umGuarded?: boolean };
interface NetworkingInternals {
  state: { connectionOptions?: { serverId: string; channelId: string } };
}
interface SocketInternals {
  onMessage: (event: unknown) => void;
}

let installed: Report | null = null;
const contexts = new WeakMap<object, DaveFailureContext>();

/**
 * @discordjs/voice 0.19.2 handles the voice server's DAVE messages without a try/catch: a malformed or
 * unexpected one (garbage in op 25/27, a proposal for an unannounced member, an op 29/30 too short for
 * its transition id, a binary frame shorter than its header) throws out of a WebSocket event handler
 * and ends the whole process, taking every guild's music with it. This guard wraps, once, at start:
 * - `DAVESession.setExternalSender` and `processProposals`: the message is reported and dropped, the
 *   session stays as it was (the group goes on; a client that misses a commit reports it with op 31
 *   and is re-added, which the library already does);
 * - `Networking.onWsBinary`: anything else a binary DAVE message makes throw is reported and dropped;
 * - each voice WebSocket's frame reader: a frame that cannot be parsed is reported and dropped.
 * Reports carry the guild and channel ids. Nothing else changes: valid messages take the same path.
 */
export function guardDaveSession(report: Report): void {
  installed = report;
  const session = DAVESession.prototype as unknown as Patchable;
  if (session.__umGuarded) return;
  session.__umGuarded = true;
  for (const name of ['setExternalSender', 'processProposals'] as const) {
    const original = session[name] as Method;
    session[name] = function guarded(this: DAVESession, ...args: unknown[]) {
      try {
        return original.apply(this, args);
      } catch (err) {
        this.emit('debug', `Ignored a DAVE message that failed in ${name}: ${err}`);
        installed?.(name, err, contexts.get(this) ?? { channelId: this.channelId });
        return undefined;
      }
    };
  }

  const networking = Networking.prototype as unknown as Patchable;
  const where = (net: NetworkingInternals): DaveFailureContext => {
    const options = net.state.connectionOptions;
    return options ? { guildId: options.serverId, channelId: options.channelId } : {};
  };
  // Runs before the constructor binds its handlers, so the bound copies are the guarded ones.
  const onWsBinary = networking.onWsBinary as Method;
  networking.onWsBinary = function guardedBinary(this: NetworkingInternals, message: { op?: number }) {
    try {
      return onWsBinary.call(this, message);
    } catch (err) {
      installed?.(`op ${message?.op}`, err, where(this));
      return undefined;
    }
  };
  const createDaveSession = networking.createDaveSession as Method;
  networking.createDaveSession = function recordContext(this: NetworkingInternals, ...args: unknown[]) {
    const created = createDaveSession.apply(this, args);
    if (created) contexts.set(created, where(this));
    return created;
  };
  const createWebSocket = networking.createWebSocket as Method;
  networking.createWebSocket = function guardFrames(this: NetworkingInternals, ...args: unknown[]) {
    const ws = createWebSocket.apply(this, args) as SocketInternals;
    const onMessage = ws.onMessage;
    ws.onMessage = (event) => {
      try {
        onMessage.call(ws, event);
      } catch (err) {
        installed?.('frame', err, where(this));
      }
    };
    return ws;
  };
}
