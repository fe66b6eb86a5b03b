import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** How long the side-server waits for clients, and how many connections one address may hold. */
export interface ConnectionLimits {
  /** A connection with no request in progress and no traffic for this long is closed. */
  idleTimeoutMs: number;
  /** The request line and headers must arrive within this long of their first byte. */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this long. */
  requestTimeoutMs: number;
  /** A kept-alive connection waits this long for its next request. */
  keepAliveTimeoutMs: number;
  /** Open connections per client address; more are closed at once. 0: no cap. */
  maxPerAddress: number;
}

/**
 * Idle and incomplete connections close within 10 s (the slow ones within headers timeout plus the
 * 1 s check interval), so silent or dripping clients cannot hold the process's file descriptors.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  idleTimeoutMs: 8_000,
  headersTimeoutMs: 8_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxPerAddress: 64,
};

/** How often node:http looks for requests past their headers or request timeout. */
export const CONNECTIONS_CHECK_INTERVAL_MS = 1_000;

/**
 * Applies the limits to a node:http server (created with `connectionsCheckingInterval`). Node's own
 * timeouts cover a request that started and did not finish; a socket that never sends a byte is only
 * caught by the socket's idle timeout, which must not cut a request whose handler is still working:
 * `busy(socket)` marks one in progress until the function it returns is called.
 */
export function guardConnections(
  server: Server,
  limits: ConnectionLimits,
): { busy(socket: Socket): () => void } {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.timeout = limits.idleTimeoutMs;
  const inFlight = new WeakMap<Socket, number>();
  // With a listener here node:http no longer destroys a timed-out socket itself: this one decides.
  server.on('timeout', (socket: Socket) => {
    if (!inFlight.get(socket)) socket.destroy();
  });
  const perAddress = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const open = (perAddress.get(address) ?? 0) + 1;
    if (limits.maxPerAddress > 0 && open > limits.maxPerAddress) {
      socket.destroy();
      return;
    }
    perAddress.set(address, open);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
  return {
    busy(socket) {
      inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
      };
    },
  };
}
