/**
 * The dominant frequency of 48 kHz stereo PCM (left channel), found by a Goertzel scan over 50-2000 Hz
 * in 1 Hz steps on a window from the middle of the signal (away from start and end transients).
 */
export function dominantFrequency(pcm: Int16Array, sampleRate = 48_000): number {
  const mono: number[] = [];
  for (let i = 0; i < pcm.length; i += 2) mono.push(pcm[i]!);
  const length = Math.min(mono.length, sampleRate); // up to one second
  const start = Math.max(0, Math.floor((mono.length - length) / 2));
  const window = mono.slice(start, start + length);
  let best = 0;
  let bestPower = -1;
  for (let f = 50; f <= 2000; f += 1) {
    const k = (2 * Math.PI * f) / sampleRate;
    const coeff = 2 * Math.cos(k);
    let s1 = 0;
    let s2 = 0;
    for (const x of window) {
      const s0 = x + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    if (power > bestPower) {
      bestPower = power;
      best = f;
    }
  }
  return best;
}

/** Root mean square of PCM samples (0 for silence). */
export function rms(pcm: Int16Array): number {
  if (pcm.length === 0) return 0;
  let sum = 0;
  for (const x of pcm) sum += x * x;
  return Math.sqrt(sum / pcm.length);
}

/** The largest gap between consecutive packet arrivals, and how many exceed `limitMs`. */
export function gaps(times: number[], limitMs = 40): { max: number; over: number } {
  let max = 0;
  let over = 0;
  for (let i = 1; i < times.length; i++) {
    const gap = times[i]! - times[i - 1]!;
    if (gap > max) max = gap;
    if (gap > limitMs) over += 1;
  }
  return { max, over };
}

/**
 * The most audio lost for good, in ms, judged from the arrival times of consecutive frames of
 * `frameMs` each. Each frame's lag is how late it arrives against a steady schedule from the first.
 * A sender held up for a while (a busy machine) that then catches up, sending the late frames in a
 * burst, loses nothing: the lag comes back down. A sender that stops for a while falls behind for good,
 * by that long: the least lag after a point exceeds the least lag before it. The last `settleFrames`
 * frames may still be catching up, so no loss is judged to start there; keep the window going at least
 * that long past what the test watches.
 */
export function audioLost(times: number[], frameMs = 20, settleFrames = 50): number {
  const lag = times.map((t, i) => t - times[0]! - i * frameMs);
  const after: number[] = new Array(lag.length);
  let least = Number.POSITIVE_INFINITY;
  for (let i = lag.length - 1; i >= 0; i--) {
    least = Math.min(least, lag[i]!);
    after[i] = least;
  }
  let before = Number.POSITIVE_INFINITY;
  let lost = 0;
  for (let i = 1; i < lag.length - settleFrames; i++) {
    before = Math.min(before, lag[i - 1]!);
    lost = Math.max(lost, after[i]! - before);
  }
  return lost;
}
