import { UserError } from '../core/errors.ts';
import type { Track } from '../core/track.ts';

/** The filter presets people pick with /filter; `off` clears the preset and the equaliser. */
export const FILTER_PRESETS = ['bassboost', 'nightcore', 'vaporwave', '8d', 'karaoke'] as const;
export type FilterPreset = (typeof FILTER_PRESETS)[number];

/** Equaliser gains in dB, each within {@link EQ_LIMIT_DB}. */
export interface EqGains {
  bass: number;
  mid: number;
  treble: number;
}

/** The most an equaliser band may be raised or lowered, in dB. */
export const EQ_LIMIT_DB = 12;

/** A guild's audio filter: a preset (or none) and equaliser gains (all 0: no equaliser). */
export interface AudioFilter {
  preset: FilterPreset | null;
  eq: EqGains;
}

export const NO_EQ: EqGains = { bass: 0, mid: 0, treble: 0 };
export const NO_FILTER: AudioFilter = { preset: null, eq: NO_EQ };

/**
 * How much faster (above 1) or slower the song plays under each preset. Nightcore and vaporwave play
 * the song as if its sample rate were this much higher (or lower): speed and pitch change together,
 * so 440 Hz becomes 550 Hz at ×1.25 and 352 Hz at ×0.8.
 */
const SPEED: Record<FilterPreset, number> = {
  bassboost: 1,
  nightcore: 1.25,
  vaporwave: 0.8,
  '8d': 1,
  karaoke: 1,
};

/** Where the equaliser's bands sit (Hz): shelves below 150 Hz and above 3 kHz, a peak at 1 kHz. */
const BASS_HZ = 150;
const MID_HZ = 1000;
const TREBLE_HZ = 3000;
/** The sample rate the chain works at (the voice layer's). */
const RATE = 48_000;

/** The ffmpeg filters each preset adds (besides the speed change, which {@link filterChain} adds). */
const PRESET_FILTERS: Record<FilterPreset, string[]> = {
  // A low shelf: what is under ~150 Hz comes up by up to 10 dB (about 8 dB at 100 Hz).
  bassboost: ['bass=g=10:f=150:w=0.5'],
  nightcore: [],
  vaporwave: [],
  // The sound circles the listener: each channel's level swings, the two in opposite phase, every 8 s.
  '8d': ['apulsator=hz=0.125:amount=0.8'],
  // What is mixed in the centre (usually the voice) cancels out: each side minus the other.
  karaoke: ['pan=stereo|c0=0.5*c0-0.5*c1|c1=0.5*c1-0.5*c0'],
};

/** Whether any filter is on. */
export function isFilterOn(filter: AudioFilter | null): boolean {
  return filter !== null && (filter.preset !== null || !isFlat(filter.eq));
}

function isFlat(eq: EqGains): boolean {
  return eq.bass === 0 && eq.mid === 0 && eq.treble === 0;
}

/** The playback speed under `filter` (1: as recorded). */
export function speedOf(filter: AudioFilter | null): number {
  return filter?.preset ? SPEED[filter.preset] : 1;
}

/**
 * The ffmpeg audio filter graph (`-af`) for `filter`, or null when nothing is on. The equaliser goes
 * first, then the preset's own filters, then a speed change at a fixed output rate.
 */
export function filterChain(filter: AudioFilter | null): string | null {
  if (!filter || !isFilterOn(filter)) return null;
  const parts: string[] = [];
  const { bass, mid, treble } = filter.eq;
  if (bass !== 0) parts.push(`bass=g=${bass}:f=${BASS_HZ}:w=0.5`);
  if (mid !== 0) parts.push(`equalizer=f=${MID_HZ}:t=q:w=0.8:g=${mid}`);
  if (treble !== 0) parts.push(`treble=g=${treble}:f=${TREBLE_HZ}:w=0.5`);
  if (filter.preset) {
    parts.push(...PRESET_FILTERS[filter.preset]);
    const speed = SPEED[filter.preset];
    // Resampled to 48 kHz first, so that the new rate is the same for every source.
    if (speed !== 1)
      parts.push(`aresample=${RATE}`, `asetrate=${Math.round(RATE * speed)}`, `aresample=${RATE}`);
  }
  return parts.join(',');
}

/** How people see the filter: `nightcore ×1.25`, `eq bass +6 dB`, `off`. */
export function filterLabel(filter: AudioFilter | null): string {
  if (!filter || !isFilterOn(filter)) return 'off';
  const parts: string[] = [];
  if (filter.preset) {
    const speed = SPEED[filter.preset];
    parts.push(speed === 1 ? filter.preset : `${filter.preset} ×${speed}`);
  }
  if (!isFlat(filter.eq)) {
    const gains = (['bass', 'mid', 'treble'] as const)
      .filter((band) => filter.eq[band] !== 0)
      .map((band) => `${band} ${filter.eq[band] > 0 ? '+' : ''}${filter.eq[band]} dB`);
    parts.push(`eq ${gains.join(', ')}`);
  }
  return parts.join(' + ');
}

/**
 * Checks equaliser gains: whole dB from -{@link EQ_LIMIT_DB} to +{@link EQ_LIMIT_DB}; a band left out
 * keeps its gain, and at least one is given.
 * @throws UserError INVALID_INPUT naming the band that is out of range
 */
export function checkEq(eq: Partial<EqGains>): Partial<EqGains> {
  const bands = (['bass', 'mid', 'treble'] as const).filter((band) => eq[band] !== undefined);
  if (bands.length === 0) {
    throw new UserError('INVALID_INPUT', 'Give a gain for bass, mid or treble (dB).');
  }
  const checked: Partial<EqGains> = {};
  for (const band of bands) {
    const gain = eq[band];
    if (typeof gain !== 'number' || !Number.isInteger(gain) || gain < -EQ_LIMIT_DB || gain > EQ_LIMIT_DB) {
      throw new UserError(
        'INVALID_INPUT',
        `The ${band} gain is a whole number of dB from -${EQ_LIMIT_DB} to +${EQ_LIMIT_DB}.`,
        { field: band },
      );
    }
    checked[band] = gain;
  }
  return checked;
}

/**
 * Whether a filter may change how `track` sounds: not a live stream (its speed cannot change, and a
 * re-open would start it at another moment than the one it was at). Same test as for a seek.
 */
export function filterable(track: Track): boolean {
  return track.metadata.live !== true && (track.durationMs !== null || track.provider === 'http');
}

/**
 * Where a song is after `elapsedMs` of wall time at `speed`, starting from `offsetMs` (song time).
 * A song at ×1.25 is 1.25 s further on for each second that passes.
 */
export function songPosition(offsetMs: number, elapsedMs: number, speed: number): number {
  return Math.round(offsetMs + Math.max(0, elapsedMs) * speed);
}
