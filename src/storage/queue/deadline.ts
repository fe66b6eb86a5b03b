/** A call to Redis that got no answer in time: the change it carried may or may not have been made. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * Settles as `promise` does, or rejects with `DeadlineError` when it has not settled `ms` after the
 * call. When the timer fires the verdict waits for one more turn of the event loop, after its I/O
 * phase: if this process's own loop was stalled past the deadline (a burst of synchronous work), the
 * replies that reached the socket meanwhile are read first, so a stall of ours is never taken for a
 * slow Redis.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      setImmediate(() => {
        if (settled) return;
        settled = true;
        reject(new DeadlineError(`no answer from Redis within ${ms} ms`));
      });
    }, ms);
    promise.then(
      (value) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
