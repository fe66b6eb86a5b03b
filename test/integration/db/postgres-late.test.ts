import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotProcess, type LogLine } from '../../support/bot-process.ts';
import { createTestDatabase, POSTGRES_ADMIN_URL, type TestDatabase } from '../../support/postgres.ts';
import { freePort } from '../../support/redis-server.ts';
import { snowflake } from '../../support/tracks.ts';

const TOKEN = 'late-postgres-test-token-0123456789';
const G = snowflake(4242);

/** A TCP relay to the real PostgreSQL, opened when the test says so: a database that comes up late. */
class LatePostgres {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  readonly port: number;
  constructor(port: number) {
    this.port = port;
  }

  async open(): Promise<void> {
    const target = new URL(POSTGRES_ADMIN_URL);
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('PostgreSQL unreachable at start', () => {
  let database: TestDatabase;
  let late: LatePostgres;
  let bot: BotProcess;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    late = new LatePostgres(await freePort());
    const url = new URL(database.url);
    url.port = String(late.port);
    url.hostname = '127.0.0.1';
    bot = await BotProcess.start(
      { DATABASE_URL: url.toString(), HTTP_HOST: '127.0.0.1', HTTP_PORT: '0', API_TOKEN: TOKEN },
      'side-server listening',
    );
    const listening = bot.logs.find((l) => l.msg === 'side-server listening') as LogLine & { url: string };
    base = listening.url;
  }, 120_000); // starting the whole process takes a while on a loaded machine
  afterAll(async () => {
    await bot?.stop();
    await late?.close();
    await database?.drop();
  }, 60_000);

  const settings = () =>
    fetch(`${base}/api/v1/settings/${G}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const attempts = () => bot.logs.filter((l) => l.msg.startsWith('PostgreSQL is not reachable'));

  it('keeps running, retries with one plain line per attempt, and answers /healthz 503 meanwhile', async () => {
    await bot.waitForLog((l) => l.msg.startsWith('PostgreSQL is not reachable (attempt 2'));
    expect(bot.alive).toBe(true);
    for (const line of attempts()) {
      expect(line.level).toBe(40);
      expect(line.msg).toMatch(
        /^PostgreSQL is not reachable \(attempt \d+: .*ECONNREFUSED.*\); trying again in \d+\.\d s$/,
      );
      expect(JSON.stringify(line)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack
    }
    expect(bot.stderrText).toBe('');

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    const body = (await health.json()) as { error: { details: { failing: string[] } } };
    expect(body.error.details.failing).toContain('database');
    expect((await fetch(`${base}/health`)).status).toBe(200);

    const refused = await settings();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ success: false, error: { code: 'UNAVAILABLE' } });
  }, 60_000);

  it('starts serving once the database is up: /healthz 200, settings answered', async () => {
    await late.open();
    await bot.waitForLog((l) => l.msg === 'database ready');
    await bot.waitForLog((l) => l.msg === 'Unified Music is running');
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const answered = await settings();
    expect(answered.status).toBe(200);
    expect(bot.stderrText).toBe('');
  }, 60_000);
});
