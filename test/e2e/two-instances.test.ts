import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { NO_KEEP_ALIVE } from '../support/api.ts';
import { BotProcess } from '../support/bot-process.ts';
import { MediaServer } from '../support/media-server.ts';
import { createTestDatabase, type TestDatabase } from '../support/postgres.ts';
import { dropNamespace, REDIS_URL, rawRedis, uniqueNamespace } from '../support/redis.ts';
import { toneFile } from '../support/tones.ts';
import { snowflake } from '../support/tracks.ts';

const TOKEN = 'two-instances-token-0123456789';
const G = snowflake(4242);
const USERS = [snowflake(1), snowflake(2), snowflake(3)];

interface Frame {
  type: string;
  data: Record<string, unknown>;
}

/**
 * Two `npm start` processes in API-only mode, side by side on one Redis and one PostgreSQL, differing
 * only in HTTP_PORT: they start together (the migration takes its lock), and an overlay socket on B
 * follows a vote made through A's REST API.
 */
describe('two instances on one Redis and one database', () => {
  const namespace = uniqueNamespace('two');
  let database: TestDatabase;
  let media: MediaServer;
  let a: BotProcess;
  let b: BotProcess;
  let urlA: string;
  let urlB: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    media = await MediaServer.start();
    const env = {
      API_TOKEN: TOKEN,
      HTTP_PORT: '0',
      REDIS_URL,
      REDIS_NAMESPACE: namespace,
      DATABASE_URL: database.url,
      MEDIA_ALLOWLIST: '127.0.0.1',
    };
    [a, b] = await Promise.all([BotProcess.start(env), BotProcess.start(env)]);
    const urlOf = (p: BotProcess) => String(p.logs.find((l) => l.msg === 'Unified Music is running')?.http);
    urlA = urlOf(a);
    urlB = urlOf(b);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    await media?.close();
    const redis = rawRedis();
    await dropNamespace(redis, namespace);
    redis.disconnect();
    await database?.drop();
  });

  const api = async (base: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...NO_KEEP_ALIVE, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // biome-ignore lint/suspicious/noExplicitAny: JSON read by path in assertions
    return { status: res.status, json: (await res.json()) as any };
  };

  it('both started, each says it runs API-only, and both answer /health', async () => {
    for (const p of [a, b]) {
      expect(p.logs[0]?.msg).toMatch(/^API-only mode: no DISCORD_TOKEN is set/);
    }
    expect(urlA).not.toBe(urlB);
    for (const url of [urlA, urlB]) expect((await fetch(`${url}/health`)).status).toBe(200);
  });

  it('an overlay connected to B follows a vote made through A', async () => {
    const key = (await api(urlA, 'POST', `/api/v1/overlay/${G}/key`)).json.data.key as string;
    const frames: Frame[] = [];
    const waiters: (() => void)[] = [];
    const socket = new WebSocket(
      `${urlB.replace('http', 'ws')}/ws/music/${G}?key=${encodeURIComponent(key)}`,
    );
    socket.on('message', (raw) => {
      frames.push(JSON.parse(String(raw)));
      for (const w of waiters.splice(0)) w();
    });
    const until = async (test: () => boolean) => {
      while (!test()) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    await until(() => frames.some((f) => f.type === 'snapshot'));

    const song = (name: string, hz: number) => media.serve(`/${name}.mp3`, toneFile(hz, 2, 'mp3'));
    const first = await api(urlA, 'POST', `/api/v1/queue/${G}/add`, {
      track_url: song('Dawn', 440),
      requested_by_user_id: USERS[0],
    });
    const second = await api(urlA, 'POST', `/api/v1/queue/${G}/add`, {
      track_url: song('Dusk', 660),
      requested_by_user_id: USERS[0],
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    const duskId = second.json.data.queue_item.id as string;

    const vote = await api(urlA, 'POST', `/api/v1/queue/${G}/vote/${duskId}`, {
      user_id: USERS[1],
      direction: 'up',
    });
    expect(vote.json.data).toMatchObject({ new_votes: 1, new_position: 1, moved_positions: 1 });
    const queueOf = (f: Frame) => f.data.items as { id: string; votes: number }[] | undefined;
    await until(() =>
      frames.some(
        (f) => f.type === 'queue_update' && queueOf(f)?.[0]?.id === duskId && queueOf(f)?.[0]?.votes === 1,
      ),
    );
    // And B's REST API reads the same queue.
    const list = await api(urlB, 'GET', `/api/v1/queue/${G}`);
    expect(list.json.data.items.map((i: { track: { name: string } }) => i.track.name)).toEqual([
      'Dusk',
      'Dawn',
    ]);
    socket.close();
  });
});
