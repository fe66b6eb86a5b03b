import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { WebSocket } from 'ws';
import { BotProcess } from '../test/support/bot-process.ts';
import { MediaServer } from '../test/support/media-server.ts';
import { toneFile } from '../test/support/tones.ts';
import { measure, type Result, table } from './harness.ts';

const TOKEN = 'bench-token-0123456789abcdef';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OPS = Number(process.env.BENCH_API_OPS ?? 5_000);
const SOCKETS = Number(process.env.BENCH_SOCKETS ?? 1_000);
const ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 20);
const user = (i: number) => (100000000000000000n + BigInt(i)).toString();

/**
 * The REST API of a real `npm start` (API-only mode, Redis queue, PGlite), driven over loopback by 50
 * keep-alive clients: add (which resolves the URL through the direct-audio provider and its SSRF
 * guard, against a local media server), vote and list. Then the overlay fan-out: SOCKETS WebSocket
 * clients on one guild, and the time from a now-playing post to each socket's frame.
 */
export async function benchApi(): Promise<string> {
  const media = await MediaServer.start();
  const url = media.serve('/tone.mp3', toneFile(440, 2, 'mp3'));
  const app = await BotProcess.start({
    API_TOKEN: TOKEN,
    HTTP_PORT: '0',
    API_RATE_LIMIT: '0',
    REDIS_URL,
    REDIS_NAMESPACE: `bench-api-${randomUUID().slice(0, 8)}`,
    PGLITE_DATA_DIR: 'memory://',
    MEDIA_ALLOWLIST: '127.0.0.1',
    QUEUE_MAX_LENGTH: '10000',
    QUEUE_MAX_PER_USER: '10000',
    LOG_LEVEL: 'info',
  });
  const base = new URL(String(app.logs.find((l) => l.msg === 'Unified Music is running')?.http ?? ''));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const call = (method: string, path: string, body?: unknown) =>
    new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          method,
          path,
          agent,
          headers: {
            authorization: `Bearer ${TOKEN}`,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            if ((res.statusCode ?? 500) >= 300)
              reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
            else resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  const results: Result[] = [];
  let out = '';
  try {
    // Adds spread over 100 guilds, so that queues stay the size people have (at most OPS/100 items).
    for (const callers of [1, 50]) {
      results.push(
        await measure('POST add (resolves the URL)', callers, OPS, (i) =>
          call('POST', `/api/v1/queue/${user(700_000 + callers * 1000 + (Math.abs(i) % 100))}/add`, {
            track_url: url,
            requested_by_user_id: user(i + 1000),
          }),
        ),
      );
    }
    const small = user(777_001);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = (await call('POST', `/api/v1/queue/${small}/add`, {
        track_url: url,
        requested_by_user_id: user(1),
      })) as { json: { data: { queue_item: { id: string } } } };
      ids.push(r.json.data.queue_item.id);
    }
    let voter = 10_000;
    for (const callers of [1, 50]) {
      results.push(
        await measure('POST vote', callers, OPS, (i) =>
          call('POST', `/api/v1/queue/${small}/vote/${ids[Math.abs(i) % ids.length]}`, {
            user_id: user(voter++),
            direction: i % 3 ? 'up' : 'down',
          }),
        ),
      );
    }
    for (const callers of [1, 50]) {
      results.push(
        await measure('GET queue (20 items)', callers, OPS, () => call('GET', `/api/v1/queue/${small}`)),
      );
      results.push(
        await measure('GET now-playing (204)', callers, OPS, () =>
          call('GET', `/api/v1/playback/${small}/now-playing`),
        ),
      );
    }
    out += `${table(results)}\n\n`;
    out += await fanOut(base, call, small);
  } finally {
    agent.destroy();
    await app.stop();
    await media.close();
  }
  return out;
}

async function fanOut(
  base: URL,
  call: (method: string, path: string, body?: unknown) => Promise<{ json: unknown }>,
  guild: string,
): Promise<string> {
  const key = ((await call('POST', `/api/v1/overlay/${guild}/key`)) as { json: { data: { key: string } } })
    .json.data.key;
  const sockets: WebSocket[] = [];
  let pending = 0;
  let arrived: number[] = [];
  let done: (() => void) | null = null;
  for (let i = 0; i < SOCKETS; i++) {
    const ws = new WebSocket(`ws://${base.host}/ws/music/${guild}?key=${encodeURIComponent(key)}`, {
      perMessageDeflate: false,
    });
    ws.on('message', (raw) => {
      if (!String(raw).startsWith('{"v":1,"type":"now_playing"')) return;
      arrived.push(performance.now());
      pending -= 1;
      if (pending === 0) done?.();
    });
    sockets.push(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  }
  const latencies: number[] = [];
  for (let round = -2; round < ROUNDS; round++) {
    arrived = [];
    pending = SOCKETS;
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    const t0 = performance.now();
    await call('POST', '/api/v1/internal/now-playing', {
      community_id: guild,
      track: {
        name: `Song ${round}`,
        artist: 'Bench',
        album: null,
        album_art_url: null,
        duration_ms: 1000,
        provider: 'http',
      },
    });
    await all;
    if (round >= 0) latencies.push(...arrived.map((t) => t - t0)); // two warm-up rounds
  }
  for (const ws of sockets) ws.terminate();
  latencies.sort((a, b) => a - b);
  const p = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  return [
    `Overlay fan-out: ${SOCKETS} sockets on one guild, ${ROUNDS} now-playing posts; time from the post to each socket's frame (the clients run in the same process as the timer):`,
    '',
    '| sockets | frames | p50 ms | p99 ms | max ms |',
    '|---:|---:|---:|---:|---:|',
    `| ${SOCKETS} | ${latencies.length} | ${p(0.5)} | ${p(0.99)} | ${latencies.at(-1)!.toFixed(1)} |`,
  ].join('\n');
}
