import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiActor } from '../../../src/actions/actor.ts';
import { playbackActions } from '../../../src/actions/playback.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import type { PlayerEvent } from '../../../src/playback/player.ts';
import { QueueService } from '../../../src/queue/service.ts';
import type { VoicePlayback } from '../../../src/spotify/playback.ts';
import type { SpotifyMode } from '../../../src/storage/db/guild-settings.ts';
import { defaultGuildSettings } from '../../../src/storage/db/guild-settings.ts';
import { MemoryRatingStore } from '../../../src/storage/panel/ratings.ts';
import { MemoryQueueStore } from '../../../src/storage/queue/memory-store.ts';
import { type FakeDevice, type FakeTrack, spotifyId } from '../../fakes/spotify/index.ts';
import { ManualSchedule } from '../../support/manual-schedule.ts';
import { snowflake, track } from '../../support/tracks.ts';
import { devicePlayback } from './device-rig.ts';
import { link, type SpotifyRig, spotifyRig } from './harness.ts';

const G = snowflake(1);
const ALICE = snowflake(10);
const BOB = snowflake(11);
const DJ = snowflake(12);
const VOICE_CHANNEL = snowflake(50);

/** The voice player as the device player sees it: idle, and it records what it was asked. */
function voiceRecorder() {
  const asked: string[] = [];
  const idle = { state: 'idle', positionMs: null, channelId: null };
  const refuse = () => Promise.reject(new Error('the voice player was not expected here'));
  const voice: VoicePlayback = {
    ensurePlaying: async (guildId, channelId) => {
      asked.push(`ensurePlaying ${guildId} ${channelId}`);
    },
    requestSkip: refuse,
    skip: refuse,
    pause: refuse,
    resume: refuse,
    stop: refuse,
    seek: refuse,
    setVolume: refuse,
    volume: () => null,
    setFilter: refuse,
    setEq: refuse,
    filter: () => null,
    setLoop: refuse,
    loop: () => 'off',
    listeners: () => [],
    status: () => idle,
    state: () => ({ kind: 'idle' }),
    hasExternal: () => false,
  };
  return { voice, asked };
}

describe('device mode: Spotify items play on the linked device in queue order', () => {
  let rig: SpotifyRig;
  let desk: FakeDevice;
  let queue: QueueService;
  let timers: ManualSchedule;
  let events: PlayerEvent[];
  let voice: ReturnType<typeof voiceRecorder>;
  let mode: SpotifyMode | undefined;
  let parts: ReturnType<typeof devicePlayback>;
  const songs: Record<string, FakeTrack> = {};

  const queueSong = async (name: string, by = ALICE) => {
    const t = songs[name]!;
    return (
      await queue.add(
        G,
        track({
          id: t.id,
          title: t.name,
          provider: 'spotify',
          uri: `spotify:track:${t.id}`,
          durationMs: t.durationMs,
        }),
        by,
      )
    ).item;
  };
  const uri = (name: string) => `spotify:track:${songs[name]!.id}`;
  /** One poll sees the song playing; the song runs out; the next poll moves the queue on. */
  const playToEnd = async () => {
    await timers.runDue();
    desk.endTrack();
    await timers.runDue();
  };

  beforeEach(async () => {
    rig = await spotifyRig();
    desk = rig.fake.addDevice('Desk PC');
    for (const name of ['one', 'two', 'three'])
      songs[name] = rig.fake.catalog.addTrack({ id: spotifyId(name), name });
    await link(rig, G);
    await rig.service.setDevice(G, 'Desk PC');
    queue = new QueueService({
      store: new MemoryQueueStore({ ttlSeconds: 3600, historyLimit: 50, clock: rig.clock }),
      bus: new InMemoryEventBus(),
      clock: rig.clock,
      limits: () => ({ maxLength: 100, maxPerUser: 100 }),
    });
    timers = new ManualSchedule();
    events = [];
    const bus = new InMemoryEventBus<PlayerEvent>();
    bus.subscribe((e) => events.push(e));
    voice = voiceRecorder();
    mode = undefined;
    parts = devicePlayback(rig, { queue, voice: voice.voice, bus, timers, mode: () => mode });
  });
  afterEach(async () => {
    parts.device.shutdown();
    await rig.close();
  });

  it('sends play, pause, resume and next in the order the queue dictates, and advances when a track ends', async () => {
    const playback = parts.playback;
    await queueSong('one');
    await queueSong('two');
    const three = await queueSong('three', BOB);
    await queue.vote(G, three.id, ALICE, 1); // three moves to the front

    expect(await playback.startWithoutVoice(G)).toBe(true);
    expect((await queue.nowPlaying(G))?.track.title).toBe('three');
    await playback.pause(G);
    expect(playback.status(G).state).toBe('paused');
    await playback.resume(G);
    const skipped = await playback.requestSkip(G, { userId: DJ, privileged: true, ratio: 0.5 });
    expect(skipped).toMatchObject({ skipped: true, item: { track: { title: 'three' } } });
    expect((await queue.nowPlaying(G))?.track.title).toBe('one');

    await playToEnd();
    expect((await queue.nowPlaying(G))?.track.title).toBe('two');
    await playToEnd();
    expect(await queue.nowPlaying(G)).toBeNull();

    expect(desk.commands).toEqual([
      `play ${uri('three')}`,
      'pause',
      'resume',
      'next',
      `play ${uri('one')}`,
      `play ${uri('two')}`,
    ]);
    expect(
      rig.fake.calls
        .filter((c) => c.method !== 'GET' && c.path.startsWith('/v1/me/player/'))
        .every((c) => c.query.device_id === desk.id),
    ).toBe(true);
    const history = await queue.history(G);
    expect(history.map((i) => `${i.track.title} ${i.status}`)).toEqual([
      'two played',
      'one played',
      'three skipped',
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'player.now_playing',
      'player.paused',
      'player.resumed',
      'player.now_playing',
      'player.now_playing',
      'player.idle',
    ]);
    expect(playback.status(G).state).toBe('idle');
    expect(timers.waiting).toEqual([]); // nothing polls once the queue is done
    expect(voice.asked).toEqual([]);
  });

  it('keeps polling while the song plays, and a song paused on Spotify itself does not end it', async () => {
    await queueSong('one');
    await queueSong('two');
    await parts.playback.ensurePlaying(G, VOICE_CHANNEL);
    await timers.runDue();
    rig.clock.advance(60_000);
    desk.pause(); // the streamer paused in the Spotify app, mid-song
    await timers.runDue();
    await timers.runDue();
    expect((await queue.nowPlaying(G))?.track.title).toBe('one');
    expect(timers.waiting).toEqual([3_000]);
    desk.resume();
    await playToEnd();
    expect((await queue.nowPlaying(G))?.track.title).toBe('two');
  });

  it('moves on when the first poll already finds the song over (a short song, a slow poll)', async () => {
    await queueSong('one');
    await queueSong('two');
    await parts.playback.startWithoutVoice(G);
    desk.endTrack();
    await timers.runDue();
    expect((await queue.nowPlaying(G))?.track.title).toBe('two');
    expect(desk.commands).toEqual([`play ${uri('one')}`, `play ${uri('two')}`]);
  });

  it('hands the queue to the voice player, in the channel last asked for, when the next item is not Spotify', async () => {
    await queueSong('one');
    await queue.add(G, track({ title: 'Direct mp3' }), ALICE);
    await parts.playback.ensurePlaying(G, VOICE_CHANNEL);
    expect(voice.asked).toEqual([]);
    await playToEnd();
    expect(voice.asked).toEqual([`ensurePlaying ${G} ${VOICE_CHANNEL}`]);
    expect(parts.playback.status(G).state).toBe('idle');
  });

  it('leaves Spotify items to the voice player in voice mode', async () => {
    mode = 'voice';
    await queueSong('one');
    await parts.playback.ensurePlaying(G, VOICE_CHANNEL);
    expect(await parts.playback.startWithoutVoice(G)).toBe(false);
    expect(voice.asked).toEqual([`ensurePlaying ${G} ${VOICE_CHANNEL}`]);
    expect(desk.commands).toEqual([]);
  });

  it('says why when Spotify refuses to play, and the song stays queued', async () => {
    await rig.service.setDevice(G, null);
    await queueSong('one');
    await expect(parts.playback.startWithoutVoice(G)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('No Spotify device is active'),
    });
    expect(await queue.nowPlaying(G)).toBeNull();
    expect((await queue.next(G))?.track.title).toBe('one');
  });

  it('refuses a vote-skip of a song on the device to members who did not queue it', async () => {
    await queueSong('one');
    await parts.playback.startWithoutVoice(G);
    await expect(
      parts.playback.requestSkip(G, { userId: BOB, privileged: false, ratio: 0.5 }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await parts.playback.requestSkip(G, { userId: ALICE, privileged: false, ratio: 0.5 }),
    ).toMatchObject({
      skipped: true,
    });
    expect(desk.commands).toEqual([`play ${uri('one')}`, 'next']);
  });

  it('a skip or a pause that arrives while the device changes songs waits for the change and goes to Spotify', async () => {
    const settings = {
      get: async (g: string) => defaultGuildSettings(g),
      update: async (g: string) => defaultGuildSettings(g),
    };
    const actions = playbackActions({
      queue,
      playback: parts.playback,
      voice: true, // a bot process: the voice player is idle and in no channel
      settings,
      ratings: new MemoryRatingStore(),
      djRoleOf: async () => null,
    });
    const dj = { guildId: G, actor: apiActor(DJ) };
    /** The song on the device runs out; resolves as Spotify receives the poll's play of the next. */
    const endAndChange = async () => {
      await timers.runDue();
      desk.endTrack();
      const change = once(desk, 'command');
      const poll = timers.runDue();
      return { command: (await change)[0], poll };
    };
    for (const name of ['one', 'two', 'three']) await queueSong(name);
    await parts.playback.startWithoutVoice(G);

    const first = await endAndChange();
    expect(first.command).toBe(`play ${uri('two')}`);
    // Before Spotify's answer to that play is back, a DJ skips: 'two' is what they hear.
    expect(await actions.skip(dj, undefined)).toMatchObject({
      skipped: true,
      item: { track: { title: 'two' } },
    });
    await first.poll;
    expect(desk.commands).toEqual([
      `play ${uri('one')}`,
      `play ${uri('two')}`,
      'next',
      `play ${uri('three')}`,
    ]);

    await queueSong('one');
    const second = await endAndChange();
    expect(second.command).toBe(`play ${uri('one')}`);
    expect(await actions.pause(dj, undefined)).toMatchObject({ track: { title: 'one' } });
    await second.poll;
    expect(desk.commands.slice(-2)).toEqual([`play ${uri('one')}`, 'pause']);
    expect(parts.playback.status(G).state).toBe('paused');
  });
});
