import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { InMemoryEventBus } from '../../../src/core/events.ts';
import { silentLogger } from '../../../src/core/logger.ts';
import {
  ModeController,
  type ModeEvent,
  type MusicControl,
  type RadioControl,
} from '../../../src/mode/controller.ts';
import { RedisLock } from '../../../src/mode/lock.ts';
import { type DatabaseHandle, openDatabase } from '../../../src/storage/db/connection.ts';
import { PgRadioStateRepository } from '../../../src/storage/db/radio-state-repository.ts';
import { createTestDatabase, type TestDatabase } from '../../support/postgres.ts';
import { REDIS_URL } from '../../support/redis.ts';
import { snowflake } from '../../support/tracks.ts';

/**
 * One guild's audio, shared by both "instances": it records a violation whenever music and radio
 * would sound at once, or a switch starts while another is half done.
 */
class GuildAudio {
  music: 'playing' | 'paused' | 'idle' = 'idle';
  radio: string | null = null;
  violations: string[] = [];
  private busy = false;

  async step<T>(what: string, fn: () => T): Promise<T> {
    if (this.busy) this.violations.push(`${what} overlapped another step`);
    this.busy = true;
    await new Promise((r) => setImmediate(r)); // give a racing switch the chance to interleave
    const out = fn();
    this.busy = false;
    if (this.music === 'playing' && this.radio) this.violations.push(`${what}: music and radio at once`);
    return out;
  }

  musicControl(): MusicControl {
    return {
      isPlaying: () => this.music === 'playing',
      pause: () => this.step('pause', () => (this.music = 'paused')),
      resume: () => this.step('resume', () => (this.music = 'playing')),
    };
  }

  radioControl(): RadioControl {
    return {
      start: (_g, name) =>
        this.step('radio start', () => {
          this.radio = name;
          return { name, url: `http://radio.test/${name}`, channelId: null };
        }),
      stop: () =>
        this.step('radio stop', () => {
          this.radio = null;
        }),
    };
  }
}

describe('mode switching across two instances (Redis lock, PostgreSQL state)', () => {
  let database: TestDatabase;
  let handles: DatabaseHandle[];
  let redises: Redis[];
  const G = snowflake(1);

  beforeAll(async () => {
    database = await createTestDatabase();
    handles = await Promise.all(
      [0, 1].map(() => openDatabase({ url: database.url, logger: silentLogger() })),
    );
    redises = [new Redis(REDIS_URL), new Redis(REDIS_URL)];
  });
  afterAll(async () => {
    for (const r of redises) r.disconnect();
    for (const h of handles) await h.close();
    await database.drop();
  });

  function instances(audio: GuildAudio, events: ModeEvent[], namespace: string): ModeController[] {
    return [0, 1].map((i) => {
      const repo = new PgRadioStateRepository(handles[i]!.db);
      const bus = new InMemoryEventBus<ModeEvent>();
      bus.subscribe((e) => events.push(e));
      return new ModeController({
        store: { load: (g) => repo.get(g), save: (s) => repo.save(s) },
        // Generous hold and wait times: on a busy machine a switch can take seconds, and a lock that
        // expired under a slow switch would let the other instance in (a failure of the machine, not the lock).
        lock: new RedisLock(redises[i]!, `${namespace}:lock`, 60_000, 60_000),
        music: audio.musicControl(),
        radio: audio.radioControl(),
        bus,
        clock: new ManualClock(),
        logger: silentLogger(),
      });
    });
  }

  it('pauses playing music for radio and resumes it when switching back, in the same switch', async () => {
    const audio = new GuildAudio();
    audio.music = 'playing';
    const [a] = instances(audio, [], `um:test:mode:${Date.now()}:a`);
    const guild = snowflake(2);
    const radio = await a!.switchTo(guild, 'radio', { station: 'Lofi' });
    expect(radio).toMatchObject({ mode: 'radio', musicPausedOnSwitch: true, stationName: 'Lofi' });
    expect([audio.music, audio.radio]).toEqual(['paused', 'Lofi']);
    const music = await a!.switchTo(guild, 'music');
    expect(music).toMatchObject({ mode: 'music', previousMode: 'radio', musicPausedOnSwitch: false });
    expect([audio.music, audio.radio]).toEqual(['playing', null]);
  });

  it('does not resume music that was already paused before the switch to radio', async () => {
    const audio = new GuildAudio();
    audio.music = 'paused';
    const [a] = instances(audio, [], `um:test:mode:${Date.now()}:b`);
    const guild = snowflake(3);
    await a!.switchTo(guild, 'radio', { station: 'Lofi' });
    await a!.switchTo(guild, 'music');
    expect(audio.music).toBe('paused');
  });

  it('serialises 40 concurrent switches from two instances into one consistent history', async () => {
    const audio = new GuildAudio();
    audio.music = 'playing';
    const events: ModeEvent[] = [];
    const [a, b] = instances(audio, events, `um:test:mode:${Date.now()}:c`);
    const wanted = Array.from({ length: 40 }, (_, i) =>
      i % 3 === 0 ? { mode: 'music' as const } : { mode: 'radio' as const, station: `S${i % 4}` },
    );
    await Promise.all(
      wanted.map((w, i) =>
        (i % 2 ? a! : b!).switchTo(G, w.mode, w.mode === 'radio' ? { station: w.station } : {}),
      ),
    );
    expect(audio.violations).toEqual([]);
    // Every switch saw the one before it: the events chain without a gap or a fork.
    // (A station change within radio keeps the previous mode: it names the last other mode.)
    for (let i = 1; i < events.length; i += 1) {
      const [before, now] = [events[i - 1]!.state, events[i]!.state];
      const expected = before.mode === now.mode ? before.previousMode : before.mode;
      expect(now.previousMode, `event ${i}`).toBe(expected);
    }
    expect(events.length).toBeGreaterThan(10);
    const [fromA, fromB] = await Promise.all([a!.get(G), b!.get(G)]);
    expect(fromA).toEqual(fromB);
    expect(fromA).toEqual(events.at(-1)!.state);
    // The sound matches the stored mode.
    if (fromA.mode === 'radio') expect([audio.radio, audio.music]).toEqual([fromA.stationName, 'paused']);
    else expect([audio.radio, audio.music]).toEqual([null, 'playing']);
  });
});
