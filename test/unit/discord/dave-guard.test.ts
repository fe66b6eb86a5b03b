import { DAVESession } from '@discordjs/voice';
import { describe, expect, it } from 'vitest';
import { guardDaveSession } from '../../../src/discord/dave-guard.ts';

describe('DAVE guard', () => {
  const session = () => {
    // A real session of the library, with a real davey MLS session behind it (protocol version 1).
    const s = new DAVESession(1, '100000000000000001', '100000000000000002', {});
    s.reinit();
    return s;
  };

  it('without the guard, garbage external-sender and proposals messages throw out of the library', () => {
    const s = session();
    expect(() => s.setExternalSender(Buffer.from([1, 2, 3]))).toThrow();
  });

  it('with it, they are reported and dropped, and the session keeps working', () => {
    const reports: string[] = [];
    guardDaveSession((what) => reports.push(what));
    const s = session();
    expect(() => s.setExternalSender(Buffer.from([1, 2, 3]))).not.toThrow();
    expect(s.processProposals(Buffer.from([0, 9, 9, 9]), new Set(['100000000000000003']))).toBeUndefined();
    expect(reports).toEqual(['setExternalSender', 'processProposals']);
    // Still usable: a plain frame passes through untouched before any group exists.
    expect(s.encrypt(Buffer.from([0xf8, 0xff, 0xfe]))).toEqual(Buffer.from([0xf8, 0xff, 0xfe]));
  });
});
