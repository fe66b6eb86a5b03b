/**
 * A small publish/subscribe bus. Services publish what changed; the overlay, the Discord queue
 * messages and (through Redis pub/sub) other instances follow it. Handlers must not throw: a
 * throwing handler is isolated and reported through `onError`.
 */
export interface EventBus<E> {
  publish(event: E): void;
  /** Returns a function that unsubscribes. */
  subscribe(handler: (event: E) => void): () => void;
}

export class InMemoryEventBus<E> implements EventBus<E> {
  private readonly handlers = new Set<(event: E) => void>();
  private readonly onError: (err: unknown) => void;

  constructor(onError: (err: unknown) => void = () => {}) {
    this.onError = onError;
  }

  publish(event: E): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (err) {
        this.onError(err);
      }
    }
  }

  subscribe(handler: (event: E) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
