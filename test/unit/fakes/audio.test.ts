import { describe, expect, it } from 'vitest';
import { audioLost } from '../../fakes/audio.ts';

/** Arrival times of `n` frames, 20 ms apart from `start`. */
const steady = (n: number, start = 0) => Array.from({ length: n }, (_, i) => start + i * 20);

describe('audioLost: audio lost for good, not a late arrival that catches up', () => {
  it('is 0 for frames on schedule, with jitter', () => {
    expect(audioLost(steady(300).map((t, i) => t + (i % 3) * 5))).toBeLessThanOrEqual(10);
  });

  it('is 0 when the sender stalls 1.5 s and then catches up in a burst', () => {
    const times = steady(300);
    // Frames 100..174 were due over 1.5 s of stall; they all arrive at its end, then the schedule resumes.
    for (let i = 100; i < 175; i++) times[i] = 100 * 20 + 1_500 + (i - 100) * 0.5;
    expect(audioLost(times)).toBeLessThanOrEqual(40);
  });

  it('is the length of a pause in the sending (1.5 s)', () => {
    const times = steady(300).map((t, i) => (i >= 100 ? t + 1_500 : t));
    expect(audioLost(times)).toBe(1_500);
  });

  it('adds up pauses that follow each other', () => {
    const times = steady(300).map((t, i) => t + (i >= 100 ? 600 : 0) + (i >= 150 ? 600 : 0));
    expect(audioLost(times)).toBe(1_200);
  });

  it('judges no loss in the last frames, which may still be catching up', () => {
    const times = steady(300).map((t, i) => (i >= 280 ? t + 1_500 : t));
    expect(audioLost(times)).toBe(0);
    expect(audioLost(times, 20, 10)).toBe(1_500);
  });
});
