import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/clock.ts';
import { UserError } from '../../../src/core/errors.ts';
import { trackSchema } from '../../../src/core/track.ts';
import {
  checkRequester,
  RequestCooldowns,
  type RequestRules,
  trackRefusal,
} from '../../../src/queue/request-rules.ts';
import { checkBlockEntry } from '../../../src/storage/db/blocklist.ts';
import { defaultGuildSettings } from '../../../src/storage/db/guild-settings.ts';
import { snowflake, track } from '../../support/tracks.ts';

const OPEN: RequestRules = defaultGuildSettings(snowflake(1));
const ROLE = snowflake(50);
const song = (overrides: Parameters<typeof track>[0] = {}) => trackSchema.parse(track(overrides));

function thrown(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a refusal');
}

describe('who may request', () => {
  it('lets everyone request by default', () => {
    expect(() => checkRequester(OPEN, { isDj: false })).not.toThrow();
  });

  it('limits requests to a role, letting DJs through and naming the role to others', () => {
    const rules = { ...OPEN, requestAccess: 'role' as const, requestRoleId: ROLE };
    expect(() => checkRequester(rules, { isDj: false, roleIds: [ROLE] })).not.toThrow();
    expect(() => checkRequester(rules, { isDj: true, roleIds: [] })).not.toThrow();
    const err = thrown(() => checkRequester(rules, { isDj: false, roleIds: [snowflake(51)] }));
    expect(err.code).toBe('REQUESTS_RESTRICTED');
    expect(err.message).toBe(`Song requests are limited to the <@&${ROLE}> role (and DJs) on this server.`);
  });

  it('limits requests to DJs in DJ-only mode', () => {
    const rules = { ...OPEN, requestAccess: 'dj' as const };
    expect(() => checkRequester(rules, { isDj: true })).not.toThrow();
    expect(thrown(() => checkRequester(rules, { isDj: false, roleIds: [ROLE] })).message).toMatch(
      /limited to DJs/,
    );
  });
});

describe('rules on the track', () => {
  it('refuses a source the guild does not allow, naming the allowed ones', () => {
    const err = trackRefusal(
      { ...OPEN, allowedSources: ['youtube', 'spotify'] },
      [],
      song({ provider: 'soundcloud' }),
    );
    expect(err?.code).toBe('SOURCE_NOT_ALLOWED');
    expect(err?.message).toBe(
      'Songs from SoundCloud are not allowed on this server (allowed: YouTube, Spotify).',
    );
    expect(trackRefusal({ ...OPEN, allowedSources: ['http'] }, [], song({ provider: 'http' }))).toBeNull();
  });

  it('refuses a live stream when live streams are off, and only then', () => {
    const live = song({ durationMs: null, metadata: { live: true }, title: 'Lofi Radio' });
    expect(trackRefusal({ ...OPEN, allowLive: false }, [], live)?.message).toBe(
      '"Lofi Radio" is a live stream; live streams are not allowed on this server.',
    );
    expect(trackRefusal({ ...OPEN, maxTrackSeconds: 60 }, [], live)).toBeNull();
  });

  it('refuses a track over the length cap, and one of unknown length while a cap is set', () => {
    const rules = { ...OPEN, maxTrackSeconds: 600 };
    expect(trackRefusal(rules, [], song({ durationMs: 600_000 }))).toBeNull();
    const long = trackRefusal(rules, [], song({ durationMs: 601_000, title: 'Long' }));
    expect(long?.code).toBe('TRACK_TOO_LONG');
    expect(long?.message).toBe('"Long" is 10:01 long; songs may be at most 10:00 long here.');
    expect(trackRefusal(rules, [], song({ durationMs: null }))?.code).toBe('TRACK_TOO_LONG');
    expect(trackRefusal(OPEN, [], song({ durationMs: 36_000_000 }))).toBeNull();
  });

  it('refuses a blocked track, naming the entry that blocks it', () => {
    const list = [checkBlockEntry({ kind: 'artist', value: 'Beyoncé' })];
    const err = trackRefusal(OPEN, list, song({ title: 'Halo', artist: 'BEYONCE' }));
    expect(err?.code).toBe('BLOCKED');
    expect(err?.message).toBe('"Halo" is blocked on this server (the block list has the artist "Beyoncé").');
  });
});

describe('request cooldowns', () => {
  const G = snowflake(1);
  const U = snowflake(2);

  it('refuses a second request inside the cooldown with the seconds left, and lets it through after', () => {
    const clock = new ManualClock();
    const cooldowns = new RequestCooldowns(clock);
    cooldowns.reserve(G, U, 30);
    clock.advance(12_500);
    const err = thrown(() => cooldowns.reserve(G, U, 30));
    expect(err.code).toBe('REQUEST_COOLDOWN');
    expect(err.details).toEqual({ rule: 'request_cooldown_seconds', retry_after_seconds: 18 });
    expect(err.message).toBe(
      'You can request again in 0:18 (this server has a 0:30 cooldown between requests).',
    );
    expect(() => cooldowns.reserve(G, snowflake(3), 30)).not.toThrow();
    clock.advance(17_500);
    expect(() => cooldowns.reserve(G, U, 30)).not.toThrow();
  });

  it('gives the slot back when the request queued nothing', () => {
    const cooldowns = new RequestCooldowns(new ManualClock());
    const giveBack = cooldowns.reserve(G, U, 60);
    giveBack();
    expect(() => cooldowns.reserve(G, U, 60)).not.toThrow();
    expect(() => cooldowns.reserve(G, U, 60)).toThrow(UserError);
  });

  it('does nothing with a cooldown of 0', () => {
    const cooldowns = new RequestCooldowns(new ManualClock());
    cooldowns.reserve(G, U, 0);
    expect(() => cooldowns.reserve(G, U, 0)).not.toThrow();
  });
});
