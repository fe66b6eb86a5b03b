import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../test/support/postgres.ts';
import { pssMb, rssMb } from './proc.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NODE = existsSync(`${ROOT}node_modules/.bin/node`) ? `${ROOT}node_modules/.bin/node` : process.execPath;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
  } catch {
    return false;
  }
}

interface Sample {
  healthMs: number;
  readyMs: number;
  rssMb: number;
  pssMb: number;
}

/** `npm start` (API-only: no DISCORD_TOKEN) with `env`: time to /health, to ready, and idle memory 5 s later. */
async function sample(env: Record<string, string>): Promise<Sample> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', HTTP_PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let readyMs = Number.NaN;
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (Number.isNaN(readyMs) && out.includes('Unified Music is running')) readyMs = performance.now() - t0;
  });
  try {
    while (!(await healthy(port))) {
      if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode})`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const healthMs = performance.now() - t0;
    while (Number.isNaN(readyMs)) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 5_000));
    return { healthMs, readyMs, rssMb: rssMb(child.pid!), pssMb: pssMb(child.pid!) };
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * The footprint of `npm start` in API-only mode: with no settings at all (in-memory queue, PGlite in a
 * data folder: its first start creates the database, a restart opens it) and with Redis and PostgreSQL.
 */
export async function benchFootprint(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'um-bench-pglite-'));
  const database = await createTestDatabase();
  const rows: [string, Sample][] = [];
  try {
    rows.push([
      'no settings, first start (PGlite creates ./data/pglite)',
      await sample({ PGLITE_DATA_DIR: dir }),
    ]);
    rows.push(['no settings, restart (PGlite opens it)', await sample({ PGLITE_DATA_DIR: dir })]);
    rows.push([
      'Redis and PostgreSQL',
      await sample({
        REDIS_URL,
        REDIS_NAMESPACE: `bench-idle-${randomUUID().slice(0, 8)}`,
        DATABASE_URL: database.url,
      }),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  }
  return [
    '`npm start` in API-only mode: time from spawn to the first 200 from /health and to "running"; memory 5 s after:',
    '',
    '| settings | /health ms | ready ms | idle RSS MB | idle PSS MB |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      ([name, s]) =>
        `| ${name} | ${s.healthMs.toFixed(0)} | ${s.readyMs.toFixed(0)} | ${s.rssMb.toFixed(0)} | ${s.pssMb.toFixed(0)} |`,
    ),
  ].join('\n');
}
