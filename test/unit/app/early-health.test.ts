import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { holdPortWhileStarting } from '../../../src/app/early-health.ts';

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('the port held while the app starts', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await close?.();
    close = null;
  });

  it('answers /health 200 (not ready yet) and everything else 503 STARTING', async () => {
    const port = await freePort();
    const held = await holdPortWhileStarting({ HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) });
    close = held.close;
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { data: unknown }).data).toEqual({ status: 'ok', ready: false });
    const other = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(other.status).toBe(503);
    expect(other.headers.get('retry-after')).toBe('1');
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('STARTING');
  });

  it('frees the port on close, so that the app can listen on it', async () => {
    const port = await freePort();
    const held = await holdPortWhileStarting({ HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) });
    await held.close();
    const server = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
    await new Promise((r) => server.close(r));
  });

  it('holds nothing for port 0, a port already taken or a value the config will refuse', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const { port } = taken.address() as { port: number };
    for (const HTTP_PORT of ['0', String(port), 'abc', '70000']) {
      const held = await holdPortWhileStarting({ HTTP_HOST: '127.0.0.1', HTTP_PORT });
      await held.close(); // a no-op
    }
    await new Promise((r) => taken.close(r));
  });
});
