import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../../src/core/track.ts';
import {
  type AudioFilter,
  checkEq,
  filterable,
  filterChain,
  filterLabel,
  NO_EQ,
  songPosition,
  speedOf,
} from '../../../src/playback/filters.ts';
import { positionOf } from '../../../src/playback/state.ts';
import { audioGraph } from '../../../src/playback/transcode.ts';
import { snowflake, track } from '../../support/tracks.ts';

const preset = (p: AudioFilter['preset'], eq = NO_EQ): AudioFilter => ({ preset: p, eq });

describe('filter chain builder', () => {
  it('builds nothing when no filter is on', () => {
    expect(filterChain(null)).toBeNull();
    expect(filterChain(preset(null))).toBeNull();
    expect(filterLabel(preset(null))).toBe('off');
  });

  it('nightcore and vaporwave change the rate at 48 kHz by their factor, and say so', () => {
    expect(filterChain(preset('nightcore'))).toBe('aresample=48000,asetrate=60000,aresample=48000');
    expect(filterChain(preset('vaporwave'))).toBe('aresample=48000,asetrate=38400,aresample=48000');
    expect([speedOf(preset('nightcore')), speedOf(preset('vaporwave'))]).toEqual([1.25, 0.8]);
    expect(filterLabel(preset('nightcore'))).toBe('nightcore ×1.25');
    expect(filterLabel(preset('vaporwave'))).toBe('vaporwave ×0.8');
  });

  it('bassboost, 8d and karaoke keep the speed and use a shelf, a pulsator and centre removal', () => {
    expect(filterChain(preset('bassboost'))).toMatch(/^bass=g=10:/);
    expect(filterChain(preset('8d'))).toMatch(/^apulsator=/);
    expect(filterChain(preset('karaoke'))).toBe('pan=stereo|c0=0.5*c0-0.5*c1|c1=0.5*c1-0.5*c0');
    for (const p of ['bassboost', '8d', 'karaoke'] as const) expect(speedOf(preset(p))).toBe(1);
  });

  it('puts the equaliser first, only the bands that are not flat, then the preset', () => {
    const f = preset('nightcore', { bass: 6, mid: 0, treble: -3 });
    expect(filterChain(f)).toBe(
      'bass=g=6:f=150:w=0.5,treble=g=-3:f=3000:w=0.5,aresample=48000,asetrate=60000,aresample=48000',
    );
    expect(filterLabel(f)).toBe('nightcore ×1.25 + eq bass +6 dB, treble -3 dB');
    expect(filterChain(preset(null, { bass: 0, mid: 4, treble: 0 }))).toBe('equalizer=f=1000:t=q:w=0.8:g=4');
  });

  it('puts the volume after the filter in ffmpeg’s graph', () => {
    expect(audioGraph({ filter: 'apulsator=hz=0.125', volume: 50 })).toBe('apulsator=hz=0.125,volume=0.50');
    expect(audioGraph({ volume: 100 })).toBeNull();
    expect(audioGraph({ filter: 'x' })).toBe('x');
  });
});

describe('equaliser gains', () => {
  it('accepts whole dB from -12 to +12 and keeps only the bands given', () => {
    expect(checkEq({ bass: 12, treble: -12 })).toEqual({ bass: 12, treble: -12 });
    expect(checkEq({ mid: 0 })).toEqual({ mid: 0 });
  });

  it('refuses a gain out of range or not whole, naming the band, and an empty change', () => {
    expect(() => checkEq({ bass: 13 })).toThrow(/bass gain is a whole number of dB from -12 to \+12/);
    expect(() => checkEq({ treble: -12.5 })).toThrow(/treble/);
    expect(() => checkEq({ mid: Number.NaN })).toThrow(/mid/);
    expect(() => checkEq({})).toThrow(/Give a gain/);
  });
});

describe('speed-aware positions', () => {
  it('a sped-up song moves through its length faster than the clock, a slowed one slower', () => {
    expect(songPosition(10_000, 4_000, 1)).toBe(14_000);
    expect(songPosition(10_000, 4_000, 1.25)).toBe(15_000);
    expect(songPosition(10_000, 4_000, 0.8)).toBe(13_200);
  });

  it('positionOf reads the speed of the playing state (1 when it has none)', () => {
    const item = { id: 'i', track: track() } as unknown as QueueItem;
    const base = {
      kind: 'playing' as const,
      channelId: snowflake(50),
      item,
      startedAt: 1_000,
      offsetMs: 30_000,
    };
    expect(positionOf(base, 11_000)).toBe(40_000);
    expect(positionOf({ ...base, speed: 1.25 }, 11_000)).toBe(42_500);
    expect(positionOf({ ...base, speed: 0.8 }, 11_000)).toBe(38_000);
  });

  it('only songs with a length (or direct files) may be filtered, never a live stream', () => {
    expect(filterable({ ...track(), id: 'a' } as never)).toBe(true);
    expect(filterable({ ...track({ metadata: { live: true } }) } as never)).toBe(false);
    expect(filterable({ ...track({ durationMs: null, provider: 'youtube' }) } as never)).toBe(false);
    expect(filterable({ ...track({ durationMs: null, provider: 'http' }) } as never)).toBe(true);
  });
});
