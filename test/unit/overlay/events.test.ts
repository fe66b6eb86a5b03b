import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import type { QueueItem } from '../../../src/core/track.ts';
import type { ModeState } from '../../../src/mode/controller.ts';
import {
  modeChangeData,
  nowPlayingData,
  OVERLAY_PROTOCOL_VERSION,
  OVERLAY_QUEUE_LIMIT,
  type OverlayEvent,
  overlayEvent,
  queueUpdateData,
  radioUpdateData,
} from '../../../src/overlay/events.ts';
import { overlaySource } from '../../../src/overlay/source.ts';
import type { PlayerState } from '../../../src/playback/state.ts';
import { snowflake } from '../../support/tracks.ts';

const G = snowflake(1);
const NOW = Date.UTC(2026, 0, 1, 20, 0, 0);
const ISO = new Date(NOW).toISOString();

/** Compares an event with its pinned fixture (regenerate with UPDATE_FIXTURES=1 and review the diff). */
function pinned(name: string, event: OverlayEvent): void {
  const file = new URL(`../../fixtures/overlay/${name}.json`, import.meta.url);
  const wire = JSON.parse(JSON.stringify(event));
  if (process.env.UPDATE_FIXTURES === '1') writeFileSync(file, `${JSON.stringify(wire, null, 2)}\n`);
  expect(wire).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

function item(n: number, votes: number, overrides: Partial<QueueItem> = {}): QueueItem {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    guildId: G,
    track: {
      id: `track-${n}`,
      title: `Song ${n}`,
      artist: `Artist ${n}`,
      album: n === 1 ? 'Album One' : null,
      artworkUrl: n === 1 ? 'https://img.example/1.jpg' : null,
      durationMs: 180_000 + n * 1000,
      provider: 'youtube',
      uri: `https://youtu.be/track-${n}`,
      metadata: {},
    },
    requestedBy: snowflake(10 + n),
    requestedAt: '2026-01-01T19:50:00.000Z',
    votes,
    status: 'queued',
    position: n - 1,
    startedAt: null,
    endedAt: null,
    ...overrides,
  };
}

const playing = item(1, 2, { status: 'playing', position: null, startedAt: '2026-01-01T19:59:00.000Z' });
// The second came from Twitch chat: the viewer's name and the source are on the wire.
const queued = [
  item(2, 3, { position: 1 }),
  item(3, 0, { position: 2, requestedBy: 'twitch:1001', requester: { source: 'twitch', name: 'Alice' } }),
  item(4, -1, { position: 3 }),
];
const mode: ModeState = {
  guildId: G,
  mode: 'radio',
  previousMode: 'music',
  musicPausedOnSwitch: true,
  switchedAt: '2026-01-01T19:58:00.000Z',
  stationName: 'Lofi Beats',
  stationUrl: 'https://radio.example/lofi',
};
const radioInfo = {
  title: 'Rainy Window',
  artist: 'Lofi Artist',
  album: null,
  duration_seconds: 154,
  bitrate: 128,
  codec: 'mp3',
  genre: 'lofi',
  thumbnail_url: 'https://img.example/rain.jpg',
  updated_at: '2026-01-01T19:59:30.000Z',
};

describe('overlay wire events (pinned by test/fixtures/overlay)', () => {
  it('carry the protocol version, type, data and timestamp', () => {
    const event = overlayEvent(
      'queue_update',
      queueUpdateData(G, { items: [], total: 0, playing: null }),
      ISO,
    );
    expect(Object.keys(event)).toEqual(['v', 'type', 'data', 'timestamp']);
    expect(event.v).toBe(OVERLAY_PROTOCOL_VERSION);
  });

  it('now_playing follows the seed browser-source payload with position and pause', () => {
    const data = nowPlayingData(G, { item: playing, positionMs: 60_000, paused: false }, ISO);
    pinned('now_playing', overlayEvent('now_playing', data, ISO));
  });

  it('now_playing with nothing playing has a null track', () => {
    const data = nowPlayingData(G, null, ISO);
    expect(data).toMatchObject({ track: null, started_at: null, position_ms: null, paused: false });
  });

  it('mode_change follows the seed mode state, with the station', () => {
    pinned('mode_change', overlayEvent('mode_change', modeChangeData(mode, ISO), ISO));
  });

  it('radio_update follows the seed radio overlay update', () => {
    const data = radioUpdateData(G, { name: 'Lofi Beats', provider: 'icecast' }, radioInfo, ISO);
    pinned('radio_update', overlayEvent('radio_update', data, ISO));
  });

  it('queue_update lists queued items in order with 1-based positions and the playing item', () => {
    const data = queueUpdateData(G, { items: queued, total: 3, playing });
    pinned('queue_update', overlayEvent('queue_update', data, ISO));
    expect(data.items.map((i) => i.position)).toEqual([1, 2, 3]);
  });

  it(`queue_update carries at most ${OVERLAY_QUEUE_LIMIT} items and the full count`, () => {
    const many = Array.from({ length: 40 }, (_, i) => item(2, 0, { id: `id-${i}`, position: i + 1 }));
    const data = queueUpdateData(G, { items: many, total: 40, playing: null });
    expect(data.items).toHaveLength(OVERLAY_QUEUE_LIMIT);
    expect(data.total).toBe(40);
  });

  it('snapshot holds everything the page renders from scratch', async () => {
    const clock = new ManualClock(NOW);
    const state: PlayerState = {
      kind: 'playing',
      channelId: snowflake(5),
      item: playing,
      startedAt: NOW - 60_000,
      offsetMs: 0,
    };
    const source = overlaySource({
      queue: {
        list: async () => ({ items: queued, total: 3, playing }),
        nowPlaying: async () => playing,
      },
      mode: { get: async () => mode },
      player: { state: () => state },
      radio: async () => radioUpdateData(G, { name: 'Lofi Beats', provider: 'icecast' }, radioInfo, ISO),
      clock,
    });
    pinned('snapshot', overlayEvent('snapshot', await source.snapshot(G), ISO));
  });
});

describe('overlay source', () => {
  const clock = new ManualClock(NOW);
  const base = {
    queue: { list: async () => ({ items: [], total: 0, playing }), nowPlaying: async () => playing },
    mode: { get: async () => mode },
    clock,
  };

  it('takes the position and pause from the player of this instance', async () => {
    const state: PlayerState = { kind: 'paused', channelId: snowflake(5), item: playing, positionMs: 42_000 };
    const data = await overlaySource({ ...base, player: { state: () => state } }).nowPlaying(G);
    expect(data).toMatchObject({ position_ms: 42_000, paused: true, track: { name: 'Song 1' } });
  });

  it('without a player here, counts the position from when the queue item started', async () => {
    const data = await overlaySource({ ...base, player: null }).nowPlaying(G);
    expect(data).toMatchObject({ position_ms: 60_000, paused: false, started_at: playing.startedAt });
  });
});
