import { createServer, type Server } from 'node:http';

/**
 * The side-server's port while the rest starts (parsing the settings, loading the libraries, opening
 * the database, migrating: seconds on a busy machine): `/health` answers 200 at once, as liveness
 * should; `/healthz` and every other route answer 503 STARTING with Retry-After. Started before
 * anything else is loaded, so it reads HTTP_HOST and HTTP_PORT itself (with the config schema's
 * defaults; a value the schema will refuse holds nothing, and the config error is reported as usual).
 * The app closes it right before its own server listens on the port. Port 0 (tests): nothing to hold.
 */
export async function holdPortWhileStarting(
  env: Record<string, string | undefined>,
): Promise<{ close(): Promise<void> }> {
  const host = env.HTTP_HOST || '127.0.0.1';
  const port = env.HTTP_PORT === undefined || env.HTTP_PORT === '' ? 8051 : Number(env.HTTP_PORT);
  const none = { close: async () => {} };
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) return none;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const ok = req.method === 'GET' && path === '/health';
    const body = JSON.stringify(
      ok
        ? { success: true, data: { status: 'ok', ready: false }, timestamp: new Date().toISOString() }
        : {
            success: false,
            error: {
              code: 'STARTING',
              message: 'Unified Music is starting; try again in a moment.',
              details: null,
            },
            timestamp: new Date().toISOString(),
          },
    );
    res.writeHead(ok ? 200 : 503, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(ok ? {} : { 'retry-after': '1', connection: 'close' }),
    });
    res.end(body);
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false)); // the port is taken: the app reports it when it listens
    server.listen(port, host, () => resolve(true));
  });
  if (!listening) return none;
  let closing: Promise<void> | undefined;
  return {
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
