import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import type { ExternalAudio } from '../../../src/playback/player.ts';
import type { PlayableStream } from '../../../src/playback/ports.ts';
import type { RadioEvent } from '../../../src/radio/events.ts';
import { StationPollers } from '../../../src/radio/pollers.ts';
import { RadioService } from '../../../src/radio/service.ts';
import { MemoryStationRepository } from '../../../src/storage/db/station-memory.ts';
import { snowflake } from '../../support/tracks.ts';

const G = snowflake(1);
const H = snowflake(2);

/**
 * A stream that answers, sends a little, and then goes silent without closing (a hung encoder, a dead
 * NAT mapping): the radio must notice and reconnect, not wait forever as the seed's reader did.
 */
describe('a station stream that stalls', () => {
  let server: Server;
  let base: string;
  let connections = 0;
  const sockets = new Set<import('node:net').Socket>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      connections += 1;
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'icy-metaint': '8', 'icy-name': 'Stuck FM' });
      if (req.url === '/silent') return void res.flushHeaders(); // headers, then nothing at all
      // 8 bytes of audio, then a metadata block, then silence.
      const meta = Buffer.from("StreamTitle='Band - Last Song';");
      const block = Buffer.concat([meta, Buffer.alloc(16 * Math.ceil(meta.length / 16) - meta.length)]);
      res.write(Buffer.concat([Buffer.alloc(8, 1), Buffer.from([block.length / 16]), block]));
    });
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  function radio(voice: ConstructorParameters<typeof RadioService>[0]['voice'] = null) {
    const allowlist = MediaAllowlist.parse('127.0.0.1');
    const events: RadioEvent[] = [];
    const bus = new InMemoryEventBus<RadioEvent>();
    bus.subscribe((e) => events.push(e));
    const stations = new MemoryStationRepository();
    const service = new RadioService({
      stations,
      voice,
      allowlist,
      pollers: new StationPollers({ allowlist, clock: new ManualClock(), logger: silentLogger() }),
      bus,
      clock: new ManualClock(),
      logger: silentLogger(),
      backoff: { initialMs: 50, maxMs: 100, stallMs: 300 },
    });
    return { service, stations, events };
  }

  it('reconnects a metadata-only follow that stops receiving, keeping the last title', async () => {
    const { service, events } = radio();
    await service.save(G, { name: 'Stuck', provider: 'icecast', streamUrl: `${base}/stuck.mp3` });
    const before = connections;
    await service.start(G, 'Stuck');
    await expect.poll(() => events.at(-1)?.nowPlaying?.title).toBe('Last Song');
    await expect.poll(() => service.status(G)?.reason ?? '').toMatch(/sent nothing for 0.3 s/);
    await expect.poll(() => connections).toBeGreaterThan(before + 1);
    expect(service.status(G)?.nowPlaying).toMatchObject({ title: 'Last Song', artist: 'Band' });
    await service.close();
  });

  it('refuses to tune in to a stream that sends no audio at all into voice, instead of hanging', async () => {
    const opened: PlayableStream[] = [];
    const voice = {
      playExternal: async (_g: string, _c: string | null, source: PlayableStream, _a: ExternalAudio) => {
        opened.push(source);
      },
      stopExternal: async () => {},
      channelOf: () => snowflake(50),
    };
    const { service } = radio(voice);
    await service.save(H, { name: 'Silent', provider: 'icecast', streamUrl: `${base}/silent` });
    await expect(service.start(H, 'Silent')).rejects.toMatchObject({
      code: 'UPSTREAM_ERROR',
      message: 'Could not tune in to **Silent**: The stream sent no audio within 0.3 s.',
    });
    expect(opened).toEqual([]);
    expect(service.status(H)).toBeNull();
    await service.close();
  });
});
