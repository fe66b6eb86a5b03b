import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import { StationPollers } from '../../../src/radio/pollers.ts';

type Answer = (res: ServerResponse) => void;

/** A station API on a local port whose next answers the test chooses. */
class FakeStationApi {
  readonly requests: string[] = [];
  answers: Answer[] = [];
  fallback: Answer = (res) => json(res, { now: { title: 'Default', artist: 'Nobody' } });
  private waiters: (() => void)[] = [];
  private readonly server: Server = createServer((req: IncomingMessage, res) => {
    this.requests.push(req.url ?? '');
    (this.answers.shift() ?? this.fallback)(res);
    for (const w of this.waiters.splice(0)) w();
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/np.json`;
  }

  async requestCount(n: number): Promise<void> {
    while (this.requests.length < n) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

describe('station API pollers', () => {
  const api = new FakeStationApi();
  let url: string;
  const logs: { msg: string; level: number }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  let pollers: StationPollers;
  const station = () => ({
    apiEndpoint: url,
    apiKey: 'k',
    metadataPath: 'title=now.title;artist=now.artist',
    customHeaders: {},
  });

  /**
   * Pollers asking every 100 ms. A request counts as timed out only after 3 s: a local answer can take
   * that long on a busy machine, and taking it for a timeout would lose the answer the test queued.
   */
  const newPollers = (intervalMs = 100) =>
    new StationPollers({
      allowlist: MediaAllowlist.parse('127.0.0.1'),
      intervalMs,
      timeoutMs: 3_000,
      clock: new ManualClock(),
      logger,
    });

  beforeAll(async () => {
    url = await api.start();
    pollers = newPollers();
  });
  afterAll(async () => {
    pollers.close();
    await api.close();
  });

  it('shares one poller between guilds on the same station, and hands the cached answer to a newcomer', async () => {
    // No second poll on the timer during this test (however slow the machine), so that a request is
    // one the newcomer caused. (The clock stands still: the cached answer stays fresh.)
    const pollers = newPollers(600_000);
    const before = api.requests.length;
    const seen: string[] = [];
    let second: string | null = null;
    const offA = pollers.subscribe('json', station(), (i) => seen.push(`a:${i.title}`));
    await api.requestCount(before + 1);
    await expect.poll(() => seen).toEqual(['a:Default']);
    const offB = pollers.subscribe('json', station(), (i) => {
      second = i.title;
    });
    expect(second).toBe('Default'); // from the cache, at once
    expect(pollers.size).toBe(1);
    offA();
    offB();
    expect(pollers.size).toBe(0);
    // Had the newcomer polled, its request would reach the API before one sent after it.
    const after = pollers.subscribe('json', { ...station(), apiEndpoint: `${url}?after` }, () => {});
    await expect.poll(() => api.requests.includes('/np.json?after')).toBe(true);
    expect(api.requests.slice(before)).toEqual(['/np.json', '/np.json?after']);
    after();
    pollers.close();
  });

  it('keeps the last good now-playing through malformed JSON, a timeout and a 5xx, logging once', async () => {
    const seen: (string | null)[] = [];
    const start = api.requests.length;
    api.answers = [
      (res) => json(res, { now: { title: 'Good Song', artist: 'Band' } }),
      (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"now": {"title": '),
      () => {}, // never answers: the poller gives up after its timeout
      (res) => res.writeHead(503).end('busy'),
      (res) => json(res, { now: { title: 'Next Song', artist: 'Band' } }),
    ];
    // Polls after the last queued answer (the timer keeps going) hear the same song: nothing new.
    const fallback = api.fallback;
    api.fallback = (res) => json(res, { now: { title: 'Next Song', artist: 'Band' } });
    const warnsBefore = logs.filter((l) => l.level === 40).length;
    const off = pollers.subscribe('json', station(), (i) => seen.push(i.title));
    try {
      await api.requestCount(start + 5);
      await expect.poll(() => seen).toEqual(['Good Song', 'Next Song']);
      await expect.poll(() => logs.at(-1)?.msg).toBe('station API answers again');
      const warns = logs.slice().filter((l) => l.level === 40);
      expect(warns.length - warnsBefore).toBe(1);
      expect(warns.at(-1)?.msg).toBe('station API failed; keeping the last now-playing');
      expect(seen).toEqual(['Good Song', 'Next Song']);
    } finally {
      off();
      api.fallback = fallback;
    }
  });

  /** Each provider's real request path and a fixture shaped like its answer, served over HTTP. */
  const PROVIDERS = [
    ['pretzel', 'pretzel', null, '/v1/current', 'Night Drive', 'Neon Coast'],
    ['epidemic', 'epidemic', 'stream-7', '/v1/v4/streams/stream-7', 'Slow Motion', 'Lofi Lane'],
    ['monstercat', 'monstercat', null, '/v1/api/now-playing', 'Fractured', 'Halcyon'],
    ['streambeats', 'streambeats', null, '/v1/now-playing', 'Victory Lap', 'Harris Heller'],
    ['icecast', 'icecast-status', '/live', '/v1', 'One More Time', 'Daft Punk'],
    ['shoutcast', 'shoutcast', null, '/v1/stats?sid=1&json=1', 'So What', 'Miles Davis'],
    ['json', 'generic', 'title=data.now.song.name;artist=data.now.song.by', '/v1', 'Midnight City', 'M83'],
  ] as const;

  it.each(PROVIDERS)(
    '%s: asks its API at the right path over HTTP and reads the answer',
    async (provider, fixture, metadataPath, path, title, artist) => {
      const body = readFileSync(new URL(`../../fixtures/radio/${fixture}.json`, import.meta.url), 'utf8');
      // Its own API and pollers: a request still on its way from an earlier test's poller cannot take
      // this test's answer, and no second poll comes on the timer.
      const own = new FakeStationApi();
      const base = new URL(await own.start());
      own.answers = [(res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body)];
      const pollers = newPollers(600_000);
      const seen: { title: string | null; artist: string | null }[] = [];
      const off = pollers.subscribe(
        provider,
        { apiEndpoint: `${base.origin}/v1`, apiKey: 'k', metadataPath, customHeaders: {} },
        (i) => seen.push({ title: i.title, artist: i.artist }),
      );
      try {
        await expect.poll(() => seen).toEqual([{ title, artist }]);
        expect(own.requests).toEqual([path]);
      } finally {
        off();
        pollers.close();
        await own.close();
      }
    },
  );
});
