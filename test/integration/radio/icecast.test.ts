import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import { MediaAllowlist } from '../../../src/net/address-policy.ts';
import type { RadioEvent } from '../../../src/radio/events.ts';
import { StationPollers } from '../../../src/radio/pollers.ts';
import { RadioService } from '../../../src/radio/service.ts';
import { MemoryStationRepository } from '../../../src/storage/db/station-memory.ts';
import { IcecastServer } from '../../support/icecast.ts';
import { snowflake } from '../../support/tracks.ts';

const G = snowflake(1);
const H = snowflake(2);

/**
 * The radio against a real Icecast (Debian's icecast2) fed by ffmpeg, without a voice connection:
 * the metadata-only follow reads StreamTitle from the stream itself and reconnects when it drops.
 */
describe('radio on a real Icecast server (metadata-only follow)', () => {
  let icecast: IcecastServer;
  let radio: RadioService;
  const events: RadioEvent[] = [];
  const waiters: (() => void)[] = [];
  const until = async (test: () => boolean) => {
    while (!test()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  const listeners = async (mount: string): Promise<number | undefined> =>
    (await icecast.status())?.find((s) => s.listenurl?.endsWith(`/${mount}`))?.listeners;

  beforeAll(async () => {
    icecast = await IcecastServer.start();
    await icecast.source('lofi.mp3', 440, 'Nujabes - Aruarian Dance');
    const bus = new InMemoryEventBus<RadioEvent>();
    bus.subscribe((e) => {
      events.push(e);
      for (const w of waiters.splice(0)) w();
    });
    const stations = new MemoryStationRepository();
    const allowlist = MediaAllowlist.parse('127.0.0.1');
    radio = new RadioService({
      stations,
      voice: null,
      allowlist,
      pollers: new StationPollers({ allowlist, clock: new ManualClock(), logger: silentLogger() }),
      bus,
      clock: new ManualClock(),
      logger: silentLogger(),
      backoff: { initialMs: 100, maxMs: 400 },
    });
    for (const guild of [G, H]) {
      await radio.save(guild, { name: 'Lofi', provider: 'icecast', streamUrl: icecast.mountUrl('lofi.mp3') });
    }
  });
  afterAll(async () => {
    await radio?.close();
    await icecast?.stop();
  });

  const latest = (guild: string) => events.filter((e) => e.guildId === guild).at(-1);

  it("follows the station's StreamTitle from the stream itself, split into artist and title", async () => {
    await radio.start(G, 'Lofi');
    await until(() => latest(G)?.nowPlaying?.title === 'Aruarian Dance');
    expect(latest(G)).toMatchObject({
      station: { name: 'Lofi', provider: 'icecast' },
      nowPlaying: { artist: 'Nujabes', title: 'Aruarian Dance', codec: 'mp3' },
    });
    expect(radio.status(G)).toMatchObject({ state: 'playing', inVoice: false, reason: null });
    expect(await listeners('lofi.mp3')).toBe(1);
  });

  it('publishes a title change the moment it passes in the stream', async () => {
    await icecast.setTitle('lofi.mp3', 'Massive Attack - Teardrop');
    await until(() => latest(G)?.nowPlaying?.title === 'Teardrop');
    expect(latest(G)?.nowPlaying?.artist).toBe('Massive Attack');
    await icecast.setTitle('lofi.mp3', 'Station ID');
    await until(() => latest(G)?.nowPlaying?.title === 'Station ID');
    expect(latest(G)?.nowPlaying?.artist).toBeNull();
  });

  it('reconnects with backoff when the server dies, and follows the titles again once it is back', async () => {
    await icecast.kill();
    await until(() => radio.status(G)?.state === 'reconnecting');
    expect(radio.status(G)?.reason).toBeTruthy();
    await icecast.startServer();
    await icecast.source('lofi.mp3', 440, 'Bonobo - Kerala');
    await until(() => radio.status(G)?.state === 'playing' && latest(G)?.nowPlaying?.title === 'Kerala');
  });

  it('stop closes the connection and clears now-playing', async () => {
    await radio.start(H, 'Lofi');
    await until(() => latest(H)?.nowPlaying?.title === 'Kerala');
    await radio.stop(G);
    expect(latest(G)).toMatchObject({ station: null, nowPlaying: null });
    expect(radio.status(G)).toBeNull();
  });

  it('deleting the playing station stops it', async () => {
    await radio.remove(H, 'Lofi');
    expect(latest(H)).toMatchObject({ station: null, nowPlaying: null });
    expect(await radio.list(H)).toEqual([]);
    await expect(radio.start(H, 'Lofi')).rejects.toMatchObject({ code: 'STATION_NOT_FOUND' });
    expect(radio.playing()).toEqual([]);
  });

  it('says plainly when the stream is not there, and keeps nothing running', async () => {
    await radio.save(G, { name: 'Gone', provider: 'icecast', streamUrl: icecast.mountUrl('nothing.mp3') });
    await expect(radio.start(G, 'Gone')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Could not tune in to **Gone**: Nothing is at that link (the server answered 404).',
    });
    expect(radio.status(G)).toBeNull();
  });
});
