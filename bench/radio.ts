import { WebSocket } from 'ws';
import { BotProcess } from '../test/support/bot-process.ts';
import { IcecastServer } from '../test/support/icecast.ts';
import { cpuSeconds, rssMb } from './proc.ts';

const TOKEN = 'bench-radio-token-0123456789';
const GUILDS = Number(process.env.BENCH_RADIO_GUILDS ?? 20);
const TITLE_CHANGES = Number(process.env.BENCH_RADIO_TITLES ?? 10);
const guild = (i: number) => (200000000000000000n + BigInt(i)).toString();

/**
 * The radio in a real `npm start` (API-only mode: metadata-only follows, no voice), on a real Icecast
 * fed by ffmpeg at 128 kb/s: CPU and memory for GUILDS guilds on one station against GUILDS stations,
 * and the time from a title change at Icecast to the overlay's radio_update.
 */
export async function benchRadio(): Promise<string> {
  const icecast = await IcecastServer.start();
  for (let i = 0; i < GUILDS; i++) await icecast.source(`s${i}.mp3`, 300 + i * 10, `Artist ${i} - Song ${i}`);
  const bot = await BotProcess.start({
    API_TOKEN: TOKEN,
    HTTP_PORT: '0',
    API_RATE_LIMIT: '0',
    PGLITE_DATA_DIR: 'memory://',
    MEDIA_ALLOWLIST: '127.0.0.1',
    LOG_LEVEL: 'info',
  });
  const base = String(bot.logs.find((l) => l.msg === 'Unified Music is running')?.http);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<{ data: Record<string, unknown> }>;
  };
  const rows: string[] = [];
  try {
    for (const [label, mountOf] of [
      [`${GUILDS} guilds on one station`, () => 's0.mp3'],
      [`${GUILDS} guilds on ${GUILDS} stations`, (i: number) => `s${i}.mp3`],
    ] as const) {
      for (let i = 0; i < GUILDS; i++) {
        await call('POST', `/api/v1/radio/${guild(i)}/stations`, {
          name: 'Bench',
          stream_url: icecast.mountUrl(mountOf(i)),
        });
        await call('POST', `/api/v1/radio/${guild(i)}/play`, { station: 'Bench' });
      }
      const cpu0 = cpuSeconds(bot.pid!);
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, 10_000));
      const cpu = cpuSeconds(bot.pid!) - cpu0;
      const wall = (performance.now() - t0) / 1000;
      rows.push(`| ${label} | ${((cpu / wall) * 100).toFixed(1)} | ${rssMb(bot.pid!).toFixed(0)} |`);
      for (let i = 0; i < GUILDS; i++) await call('POST', `/api/v1/radio/${guild(i)}/stop`);
    }

    // Title change -> radio_update on an overlay socket.
    const g = guild(0);
    await call('POST', `/api/v1/radio/${g}/play`, { station: 'Bench' });
    const key = (await call('POST', `/api/v1/overlay/${g}/key`)).data.key as string;
    const socket = new WebSocket(
      `${base.replace('http', 'ws')}/ws/music/${g}?key=${encodeURIComponent(key)}`,
    );
    let want: string | null = null;
    let hit: (() => void) | null = null;
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as {
        type: string;
        data: { now_playing?: { title?: string } | null };
      };
      if (frame.type === 'radio_update' && want && frame.data.now_playing?.title === want) hit?.();
    });
    await new Promise((resolve) => socket.once('open', resolve));
    const latencies: number[] = [];
    for (let i = 0; i < TITLE_CHANGES; i++) {
      want = `Title ${i}`;
      const arrived = new Promise<void>((resolve) => {
        hit = resolve;
      });
      const start = performance.now();
      await icecast.setTitle('s0.mp3', `Bench - ${want}`);
      await arrived;
      latencies.push(performance.now() - start);
    }
    socket.close();
    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(0);
    return [
      `Metadata-only follows in API-only mode (no voice, so no ffmpeg): the bot process over 10 s.`,
      '',
      '| case | CPU (% of one core) | RSS MB |',
      '|---|---:|---:|',
      ...rows,
      '',
      `Title change at Icecast (admin metadata route) -> radio_update on an overlay socket, ${TITLE_CHANGES} changes at 128 kb/s ` +
        `(Icecast sends metadata every 16,000 bytes, about 1 s): min ${latencies[0]!.toFixed(0)} ms, p50 ${p(0.5)} ms, max ${latencies.at(-1)!.toFixed(0)} ms.`,
    ].join('\n');
  } finally {
    await bot.stop();
    await icecast.stop();
  }
}
