/**
 * Waiting for what a test means, not for a guessed delay. Deadlines are generous: on a busy 2-core
 * machine a step that takes milliseconds alone can take seconds, and a deadline only decides how long
 * a broken run takes to fail, never whether a working one passes.
 */

/** How long a wait lasts before it fails the test, unless told otherwise. */
export const WAIT_TIMEOUT_MS = 30_000;

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeout?: number;
  /** Check this often (ms), for polled waits. */
  interval?: number;
  /** What is awaited, for the error message. */
  what?: string;
  /** For polled waits: an error from the probe that ends the wait at once (others are retried). */
  stopOn?: (err: unknown) => boolean;
}

/**
 * Resolves with the first truthy value of `probe`, checked at once and then every `interval` ms.
 * @throws Error when `timeout` passes first (with `what`, and the last error `probe` threw, if any)
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  { timeout = WAIT_TIMEOUT_MS, interval = 20, what = 'the condition', stopOn }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      if (stopOn?.(err)) throw err;
      lastError = err;
    }
    if (performance.now() >= deadline) {
      const why = lastError instanceof Error ? ` (last: ${lastError.message})` : '';
      throw new Error(`waited ${timeout} ms for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Anything with `subscribe(handler) -> unsubscribe`, as the event buses are. */
export interface Subscribable<E> {
  subscribe(handler: (event: E) => void): () => void;
}

/**
 * The next event from `source` that passes `match`. Subscribe before doing what causes the event:
 * call this first, then act, then await the promise.
 * @throws Error when `timeout` passes first
 */
export function nextEvent<E, M extends E = E>(
  source: Subscribable<E>,
  match: ((event: E) => event is M) | ((event: E) => boolean),
  { timeout = WAIT_TIMEOUT_MS, what = 'the event' }: Pick<WaitOptions, 'timeout' | 'what'> = {},
): Promise<M> {
  return new Promise<M>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`waited ${timeout} ms for ${what}`));
    }, timeout);
    const off = source.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      off();
      resolve(event as M);
    });
  });
}
