import { describe, expect, it } from 'vitest';
import { KeyedMutex } from '../../../src/core/keyed-mutex.ts';

/** A promise settled by hand, so that a test decides when an operation finishes. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('KeyedMutex', () => {
  it('runs the operations for one key one at a time, in the order they were asked for', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const first = deferred();
    const a = mutex.run('g1', async () => {
      log.push('a start');
      await first.promise;
      log.push('a end');
      return 'a';
    });
    const b = mutex.run('g1', async () => {
      log.push('b');
      return 'b';
    });
    const c = mutex.run('g1', async () => {
      log.push('c');
      return 'c';
    });
    // b and c wait for a, however long it takes.
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['a start']);
    first.resolve();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b', 'c']);
  });

  it('rejects only the failing caller: the next operation for the key still runs', async () => {
    const mutex = new KeyedMutex();
    const failing = mutex.run('g1', async () => {
      throw new Error('boom');
    });
    const syncThrow = mutex.run('g1', () => {
      throw new Error('thrown before any await');
    });
    const after = mutex.run('g1', async () => 'still runs');
    await expect(failing).rejects.toThrow('boom');
    await expect(syncThrow).rejects.toThrow('thrown before any await');
    await expect(after).resolves.toBe('still runs');
  });

  it('keeps keys independent: a busy key does not hold up another one', async () => {
    const mutex = new KeyedMutex();
    const blocker = deferred();
    const slow = mutex.run('g1', () => blocker.promise.then(() => 'g1'));
    // g2 finishes while g1 is still waiting for its blocker.
    await expect(mutex.run('g2', async () => 'g2')).resolves.toBe('g2');
    expect(mutex.busy('g1')).toBe(true);
    blocker.resolve();
    await expect(slow).resolves.toBe('g1');
  });

  it('forgets a key once its last operation has finished, whether it succeeded or failed', async () => {
    const mutex = new KeyedMutex();
    const gate = deferred();
    const first = mutex.run('g1', () => gate.promise);
    const second = mutex.run('g1', async () => {
      throw new Error('fails last');
    });
    const other = mutex.run('g2', async () => 2);
    expect(mutex.size).toBe(2);
    await other;
    await waitUntil(() => !mutex.busy('g2'));
    expect(mutex.busy('g1')).toBe(true);
    gate.resolve();
    await first;
    await expect(second).rejects.toThrow('fails last');
    await waitUntil(() => mutex.size === 0);
    expect(mutex.busy('g1')).toBe(false);
  });
});

/** Lets queued promise callbacks run until `done` holds (the clean-up runs a few ticks after the result). */
async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 20 && !done(); i++) await Promise.resolve();
  expect(done()).toBe(true);
}
