import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import type { PlayerEvent } from '../../../src/playback/player.ts';
import { QueueService } from '../../../src/queue/service.ts';
import { NoVoicePlayback } from '../../../src/spotify/no-voice.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { type FakeDevice, spotifyId } from '../../fakes/spotify/index.ts';
import { ManualSchedule } from '../../support/manual-schedule.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { devicePlayback } from './device-rig.ts';
import { link, type SpotifyRig, spotifyRig } from './harness.ts';

const G = snowflake(1);
const ALICE = snowflake(10);

/**
 * Device mode with no voice player at all (a process without Discord), and a process that starts
 * again while a guild's song plays on its device: it follows the device again with no new command.
 */
describe('device mode without voice, and after a restart', () => {
  let rig: SpotifyRig;
  let desk: FakeDevice;
  let queue: QueueService;
  /** One "process": its own device player, controls and timers, on the shared queue store. */
  let processes: { parts: ReturnType<typeof devicePlayback>; timers: ManualSchedule }[];
  let events: PlayerEvent[];

  const start = () => {
    const timers = new ManualSchedule();
    const bus = new InMemoryEventBus<PlayerEvent>();
    bus.subscribe((e) => events.push(e));
    const parts = devicePlayback(rig, { queue, voice: new NoVoicePlayback(), bus, timers });
    processes.push({ parts, timers });
    return { ...parts, timers };
  };
  const queueSong = async (name: string) => {
    const id = spotifyId(name);
    rig.fake.catalog.addTrack({ id, name, durationMs: 120_000 });
    const uri = `spotify:track:${id}`;
    return (
      await queue.add(G, track({ id, title: name, provider: 'spotify', uri, durationMs: 120_000 }), ALICE)
    ).item;
  };
  const play = (name: string) => `play spotify:track:${spotifyId(name)}`;
  const titleNow = async () => (await queue.nowPlaying(G))?.track.title ?? null;

  beforeEach(async () => {
    rig = await spotifyRig();
    desk = rig.fake.addDevice('Desk PC');
    await link(rig, G);
    await rig.service.setDevice(G, 'Desk PC');
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock: rig.clock }),
      bus: new InMemoryEventBus(),
      clock: rig.clock,
      limits: () => ({ maxLength: 100, maxPerUser: 100 }),
    });
    processes = [];
    events = [];
  });
  afterEach(async () => {
    for (const p of processes) p.parts.device.shutdown();
    await rig.close();
  });

  it('plays, pauses and skips on the device with no voice; voice-only controls answer NOT_CONNECTED', async () => {
    const { playback, timers } = start();
    await queueSong('one');
    await queueSong('two');
    expect(await playback.startWithoutVoice(G)).toBe(true);
    await playback.pause(G);
    expect(playback.status(G)).toMatchObject({ state: 'paused', channelId: null });
    await playback.resume(G);
    await expect(playback.setVolume(G, 50)).rejects.toMatchObject({
      code: 'NOT_CONNECTED',
      message: expect.stringContaining('volume set in Spotify itself'),
    });
    expect(await playback.skip(G)).toMatchObject({ track: { title: 'one' } });
    expect(await titleNow()).toBe('two');
    await timers.runDue();
    desk.endTrack();
    await timers.runDue();
    expect(await titleNow()).toBeNull();
    expect(desk.commands).toEqual([play('one'), 'pause', 'resume', 'next', play('two')]);
    expect((await queue.history(G)).map((i) => `${i.track.title} ${i.status}`)).toEqual([
      'two played',
      'one skipped',
    ]);

    // Nothing on the device now, and a song that is not Spotify's cannot play anywhere.
    await queue.add(G, track({ title: 'Direct mp3' }), ALICE);
    expect(await playback.startWithoutVoice(G)).toBe(false);
    for (const refused of [
      playback.ensurePlaying(G, null),
      playback.pause(G),
      playback.skip(G),
      playback.seek(G, 1_000),
      playback.setVolume(G, 50),
    ]) {
      await expect(refused).rejects.toMatchObject({
        code: 'NOT_CONNECTED',
        message: expect.stringContaining('runs without Discord (API-only mode)'),
      });
    }
    expect(playback.status(G)).toEqual({ state: 'idle', positionMs: null, channelId: null });
    expect(playback.volume(G)).toBeNull();
    expect(await queue.devicePlaybacks()).toEqual([]);
  });

  it('a new process follows the song on the device and moves the queue on when it ends', async () => {
    const first = start();
    const one = await queueSong('one');
    await queueSong('two');
    await first.playback.startWithoutVoice(G);
    expect(await queue.devicePlaybacks()).toMatchObject([{ guildId: G, itemId: one.id }]);
    first.device.shutdown(); // the process goes away; the song plays on

    const second = start();
    expect(await second.playback.resumeDevices()).toEqual([G]);
    expect(second.playback.status(G).state).toBe('playing');
    await second.timers.runDue();
    expect(await titleNow()).toBe('one');
    desk.endTrack();
    await second.timers.runDue();
    expect(await titleNow()).toBe('two');
    expect(desk.commands).toEqual([play('one'), play('two')]);
    expect((await queue.history(G)).map((i) => `${i.track.title} ${i.status}`)).toEqual(['one played']);
    expect((await queue.devicePlaybacks()).map((r) => r.itemId)).toEqual([(await queue.nowPlaying(G))?.id]);
  });

  it('a song paused on the device stays paused after the restart, where it was', async () => {
    const first = start();
    await queueSong('one');
    await queueSong('two');
    await first.playback.startWithoutVoice(G);
    rig.clock.advance(30_000);
    await first.playback.pause(G);
    first.device.shutdown();

    const second = start();
    await second.playback.resumeDevices();
    expect(second.playback.status(G)).toMatchObject({ state: 'paused', positionMs: 30_000 });
    await second.timers.runDue();
    await second.timers.runDue();
    expect(await titleNow()).toBe('one');
    await second.playback.resume(G);
    desk.endTrack();
    await second.timers.runDue();
    expect(desk.commands).toEqual([play('one'), 'pause', 'resume', play('two')]);
  });

  it('a song that ended while the process was down moves the queue on at the first poll', async () => {
    const first = start();
    await queueSong('one');
    await queueSong('two');
    await first.playback.startWithoutVoice(G);
    first.device.shutdown();
    desk.endTrack();

    const second = start();
    await second.playback.resumeDevices();
    await second.timers.runDue();
    expect(await titleNow()).toBe('two');
    expect(desk.commands).toEqual([play('one'), play('two')]);
  });

  it('forgets a guild whose queue no longer plays the recorded song, and starts nothing', async () => {
    const first = start();
    await queueSong('one');
    await queueSong('two');
    await first.playback.startWithoutVoice(G);
    first.device.shutdown();
    await queue.skipCurrent(G); // e.g. skipped through another instance's REST API meanwhile

    const second = start();
    expect(await second.playback.resumeDevices()).toEqual([]);
    expect(await queue.devicePlaybacks()).toEqual([]);
    expect(second.playback.status(G).state).toBe('idle');
    expect(second.timers.waiting).toEqual([]);
    expect(desk.commands).toEqual([play('one')]);
  });

  it('leaves guilds this process does not serve to the others', async () => {
    const first = start();
    await queueSong('one');
    await first.playback.startWithoutVoice(G);
    first.device.shutdown();

    const second = start();
    expect(await second.playback.resumeDevices((guildId) => guildId !== G)).toEqual([]);
    expect(second.playback.status(G).state).toBe('idle');
    expect(await queue.devicePlaybacks()).toHaveLength(1);
  });

  it('stop ends the record: a restart after /stop follows nothing', async () => {
    const first = start();
    await queueSong('one');
    await first.playback.startWithoutVoice(G);
    await first.playback.stop(G);
    expect(await queue.devicePlaybacks()).toEqual([]);
    expect(await start().playback.resumeDevices()).toEqual([]);
    expect(events.filter((e) => e.type === 'player.idle')).toHaveLength(1);
  });
});
