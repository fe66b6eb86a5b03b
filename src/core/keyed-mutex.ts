/**
 * One operation at a time per key (a guild, usually), in the order they were asked for; different
 * keys run independently. An operation that fails rejects only its own caller: the next one still
 * runs. A key is forgotten once its last operation has finished, so the map holds only busy keys.
 *
 * This is the in-process building block for every per-guild serialiser (the voice player, the
 * Spotify device player, the mode controller's lock); `RedisLock` adds a cross-instance lock on top.
 */
export class KeyedMutex<K = string> {
  /** Per busy key, a promise that settles when its last queued operation has finished. */
  private readonly tails = new Map<K, Promise<void>>();

  /**
   * Runs `fn` once every operation queued before it for `key` has settled.
   * @returns what `fn` returns; rejects with what `fn` throws (later operations are not affected)
   */
  run<T>(key: K, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(fn);
    const tail = result.then(forget, forget);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Whether an operation for `key` is running or waiting. */
  busy(key: K): boolean {
    return this.tails.has(key);
  }

  /** How many keys have an operation running or waiting. */
  get size(): number {
    return this.tails.size;
  }
}

function forget(): void {}
