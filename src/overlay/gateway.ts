import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { isSnowflake } from '../core/ids.ts';
import type { Logger } from '../core/logger.ts';
import type { OverlayHub } from './hub.ts';
import { hashKey, type OverlayKeys } from './keys.ts';

export interface OverlayGatewayDeps {
  hub: Pick<OverlayHub, 'attach'>;
  keys: Pick<OverlayKeys, 'verify'>;
  /** Whether the bot serves the guild (else 404); every snowflake when absent. */
  hasCommunity?: (guildId: string) => boolean;
  logger: Logger;
}

/** Largest message a page may send; it sends none, so anything big is a misbehaving client. */
const MAX_CLIENT_PAYLOAD = 4 * 1024;

/** The overlay's WebSocket address: `/ws/music/{community_id}?key=...`. */
export const SOCKET_PATH = /^\/ws\/music\/([^/]+)$/;

/**
 * The `onUpgrade` handler for `HttpServer`: `/ws/music/{community_id}?key=...` with the guild's current
 * overlay key becomes a WebSocket handed to the hub; a missing or wrong key is answered 401 and an
 * unknown path or guild 404, both before any 101, so no socket opens.
 */
export function overlayUpgradeHandler(
  deps: OverlayGatewayDeps,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_CLIENT_PAYLOAD,
    perMessageDeflate: false,
  });
  return (req, socket, head) => {
    // A client that goes away mid-handshake must not crash the process.
    socket.on('error', () => socket.destroy());
    void upgrade(deps, wss, req, socket, head).catch((err) => {
      deps.logger.error({ err }, 'overlay upgrade failed');
      reject(socket, 500, 'Internal Server Error');
    });
  };
}

async function upgrade(
  deps: OverlayGatewayDeps,
  wss: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://side-server');
  } catch {
    return reject(socket, 400, 'Bad Request');
  }
  const match = SOCKET_PATH.exec(url.pathname);
  const guildId = match ? safeDecode(match[1]!) : null;
  if (!guildId || !isSnowflake(guildId) || (deps.hasCommunity && !deps.hasCommunity(guildId))) {
    return reject(socket, 404, 'Not Found');
  }
  const key = url.searchParams.get('key');
  if (!(await deps.keys.verify(guildId, key))) return reject(socket, 401, 'Unauthorized');
  if (socket.destroyed) return;
  wss.handleUpgrade(req, socket, head, (ws) => deps.hub.attach(guildId, ws, hashKey(key!)));
}

function reject(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
