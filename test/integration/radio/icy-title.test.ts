import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import type { RadioEvent } from '../../../src/radio/events.ts';
import { StationPollers } from '../../../src/radio/pollers.ts';
import { RadioService } from '../../../src/radio/service.ts';
import { MAX_TEXT_GRAPHEMES } from '../../../src/radio/tidy.ts';
import { MemoryStationRepository } from '../../../src/storage/db/station-memory.ts';
import { snowflake } from '../../../test/support/tracks.ts';

const G = snowflake(7);
const METAINT = 1024;

/** One ICY metadata block: a length byte (x16), then the padded text. */
function metaBlock(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const blocks = Math.ceil(body.length / 16);
  if (blocks > 255) throw new Error('an ICY block holds at most 4080 bytes');
  const padded = Buffer.alloc(blocks * 16);
  body.copy(padded);
  return Buffer.concat([Buffer.from([blocks]), padded]);
}

/**
 * A station whose stream sends one StreamTitle as long as ICY allows (3,857 characters, near 4,080 bytes, with control
 * characters and combined emoji in it), then silence-free audio bytes forever.
 */
describe('ICY titles from a stream', () => {
  let server: Server;
  let radio: RadioService;
  const events: RadioEvent[] = [];
  const waiters: (() => void)[] = [];
  const title = `${'Ünïcödé 👩‍👩‍👧 '.repeat(12)}\u0007\r\n${'x'.repeat(3_650)}`;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'audio/mpeg',
        'icy-metaint': String(METAINT),
        'icy-name': 'Long',
      });
      const audio = Buffer.alloc(METAINT, 0xff);
      const block = metaBlock(`StreamTitle='Artist - ${title}';`);
      const send = () => {
        if (res.destroyed) return;
        res.write(Buffer.concat([audio, block]));
        setTimeout(send, 50);
      };
      send();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const bus = new InMemoryEventBus<RadioEvent>();
    bus.subscribe((e) => {
      events.push(e);
      for (const w of waiters.splice(0)) w();
    });
    const allowlist = MediaAllowlist.parse('127.0.0.1');
    radio = new RadioService({
      stations: new MemoryStationRepository(),
      voice: null,
      allowlist,
      pollers: new StationPollers({ allowlist, clock: new ManualClock(), logger: silentLogger() }),
      bus,
      clock: new ManualClock(),
      logger: silentLogger(),
    });
    const { port } = server.address() as AddressInfo;
    await radio.save(G, { name: 'Long', provider: 'icecast', streamUrl: `http://127.0.0.1:${port}/live` });
  });
  afterAll(async () => {
    await radio?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it(`keeps at most ${MAX_TEXT_GRAPHEMES} graphemes of a 3,857-character title, without control characters`, async () => {
    await radio.start(G, 'Long');
    while (!events.some((e) => e.nowPlaying?.title)) await new Promise<void>((r) => waiters.push(r));
    const kept = radio.status(G)?.nowPlaying?.title ?? '';
    expect(title.length).toBeGreaterThan(3_800);
    expect(radio.status(G)?.nowPlaying?.artist).toBe('Artist');
    const graphemes = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(kept)];
    expect(graphemes.length).toBe(MAX_TEXT_GRAPHEMES);
    expect(kept.endsWith('…')).toBe(true);
    expect(kept.startsWith('Ünïcödé 👩‍👩‍👧 Ünïcödé')).toBe(true);
    expect(kept).not.toMatch(/\p{Cc}/u);
  });
});
