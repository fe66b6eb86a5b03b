import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * A throwaway redis-server on its own port, which a test can stop and start again to play an outage
 * and a recovery, or pause (SIGSTOP) to play a stall. Without persistence it comes back empty, as an
 * unpersisted Redis does; with `persistent` it keeps an append-only file synced on every write, so
 * what it acknowledged survives a kill.
 */
export class TestRedisServer {
  readonly port: number;
  private process: ChildProcess | null = null;
  private readonly dir = mkdtempSync(join(tmpdir(), 'um-redis-'));
  private readonly persistent: boolean;

  private constructor(port: number, persistent: boolean) {
    this.port = port;
    this.persistent = persistent;
  }

  static async start(options: { persistent?: boolean } = {}): Promise<TestRedisServer> {
    const server = new TestRedisServer(await freePort(), options.persistent ?? false);
    await server.start();
    return server;
  }

  /** Stops the server's process (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  /** Lets a paused server go on (SIGCONT). */
  resume(): void {
    this.process?.kill('SIGCONT');
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        this.persistent ? 'yes' : 'no',
        '--appendfsync',
        'always',
        '--dir',
        this.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    this.process = null;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
