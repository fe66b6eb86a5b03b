import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bucketKeyOf, EditPacer } from '../../../src/discord/edit-pacer.ts';

const logger = { warn() {}, info() {}, debug() {}, error() {} } as never;

/** discord.js's REST manager as the pacer sees it: a `response` event with the rate-limit headers. */
class FakeRestEvents extends EventEmitter {
  answer(path: string, remaining: number, resetAfter: number): void {
    const headers = new Headers({
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset-after': String(resetAfter),
    });
    this.emit('response', { method: 'PATCH', path }, { headers });
  }
}

describe('EditPacer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('names buckets by channel, interaction token and reaction channel', () => {
    expect(bucketKeyOf('PATCH', '/channels/123/messages/456')).toBe('channel:123');
    expect(bucketKeyOf('PATCH', '/webhooks/1/tok-en/messages/@original')).toBe('webhook:tok-en');
    expect(bucketKeyOf('PUT', '/channels/123/messages/456/reactions/%F0%9F%91%8D/@me')).toBe('reactions:123');
    expect(bucketKeyOf('GET', '/channels/123/messages/456')).toBeNull();
  });

  it('replaces an edit not yet sent (last write wins) and sends the /queue message first', async () => {
    const rest = new FakeRestEvents();
    const pacer = new EditPacer(rest, logger);
    const sent: string[] = [];
    const send = (what: string) => async () => {
      sent.push(what);
      rest.answer('/channels/1/messages/9', 0, 1); // the bucket is now empty for a second
    };
    pacer.submit('channel:1', 'first', 1, send('first v1'));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(['first v1']);
    pacer.submit('channel:1', 'track:a', 1, send('a v1'));
    pacer.submit('channel:1', 'track:a', 1, send('a v2'));
    pacer.submit('channel:1', 'queue', 0, send('queue v1'));
    pacer.submit('channel:1', 'track:a', 1, send('a v3'));
    expect(pacer.pendingCount()).toBe(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toEqual(['first v1']);
    await vi.advanceTimersByTimeAsync(100);
    expect(sent).toEqual(['first v1', 'queue v1']);
    await vi.advanceTimersByTimeAsync(1100);
    expect(sent).toEqual(['first v1', 'queue v1', 'a v3']);
  });

  it('spreads what is left of a bucket evenly until its reset', async () => {
    const rest = new FakeRestEvents();
    const pacer = new EditPacer(rest, logger);
    const at: number[] = [];
    let remaining = 5;
    const start = Date.now();
    for (let i = 0; i < 5; i++) {
      pacer.submit('webhook:t', `m${i}`, 1, async () => {
        at.push(Date.now() - start);
        remaining -= 1;
        rest.answer('/webhooks/1/t/messages/@original', remaining, 5 - (Date.now() - start) / 1000);
      });
    }
    await vi.advanceTimersByTimeAsync(6000);
    expect(at).toHaveLength(5);
    // Five edits over a 5 s bucket: about one a second, never all at once.
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(900);
  });

  it('logs a failed edit and goes on with the next', async () => {
    const rest = new FakeRestEvents();
    const warn = vi.fn();
    const pacer = new EditPacer(rest, { warn } as never);
    const sent: string[] = [];
    pacer.submit('channel:1', 'a', 1, async () => {
      throw new Error('Unknown Message');
    });
    pacer.submit('channel:1', 'b', 1, async () => {
      sent.push('b');
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(warn).toHaveBeenCalledOnce();
    expect(sent).toEqual(['b']);
  });
});
