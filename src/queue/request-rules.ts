import type { Clock } from '../core/clock.ts';
import { UserError } from '../core/errors.ts';
import type { Track } from '../core/track.ts';
import type { StoredBlockEntry } from '../storage/db/blocklist.ts';
import type { GuildSettings, RequestSource } from '../storage/db/guild-settings.ts';
import { blockedBy } from './blocklist-match.ts';

/** The request rules of a guild's settings. */
export type RequestRules = Pick<
  GuildSettings,
  | 'requestAccess'
  | 'requestRoleId'
  | 'maxTrackSeconds'
  | 'allowLive'
  | 'requestCooldownSeconds'
  | 'allowedSources'
>;

/** Who asks, as far as the rules care: DJs (and admins) may always request. */
export interface Requester {
  isDj: boolean;
  roleIds?: readonly string[] | undefined;
}

/**
 * Whether this member may request at all (the guild's "who may request").
 * @throws UserError REQUESTS_RESTRICTED saying who may
 */
export function checkRequester(rules: RequestRules, requester: Requester): void {
  if (requester.isDj || rules.requestAccess === 'everyone') return;
  if (rules.requestAccess === 'role') {
    if (rules.requestRoleId && requester.roleIds?.includes(rules.requestRoleId)) return;
    throw new UserError(
      'REQUESTS_RESTRICTED',
      `Song requests are limited to the <@&${rules.requestRoleId}> role (and DJs) on this server.`,
      { rule: 'request_access' },
    );
  }
  throw new UserError('REQUESTS_RESTRICTED', 'Song requests are limited to DJs on this server right now.', {
    rule: 'request_access',
  });
}

const SOURCE_NAMES: Record<RequestSource, string> = {
  youtube: 'YouTube',
  soundcloud: 'SoundCloud',
  spotify: 'Spotify',
  http: 'direct links',
};

/** The request source a provider counts as; a provider outside the four (none today) counts as `http`. */
export function sourceOf(provider: string): RequestSource {
  return provider === 'youtube' || provider === 'soundcloud' || provider === 'spotify' ? provider : 'http';
}

/**
 * The rule a track breaks, if any: its source, a live stream, its length, the block lists (in that
 * order). With a length cap, a track whose length is unknown (and that is not live) is refused too.
 */
export function trackRefusal(
  rules: RequestRules,
  blocklist: readonly StoredBlockEntry[],
  track: Track,
): UserError | null {
  const source = sourceOf(track.provider);
  if (!rules.allowedSources.includes(source)) {
    const allowed = rules.allowedSources.map((s) => SOURCE_NAMES[s]).join(', ');
    return new UserError(
      'SOURCE_NOT_ALLOWED',
      `Songs from ${SOURCE_NAMES[source]} are not allowed on this server (allowed: ${allowed}).`,
      { rule: 'allowed_sources', source },
    );
  }
  const live = track.metadata.live === true;
  if (live && !rules.allowLive) {
    return new UserError(
      'LIVE_NOT_ALLOWED',
      `"${track.title}" is a live stream; live streams are not allowed on this server.`,
      {
        rule: 'allow_live',
      },
    );
  }
  if (rules.maxTrackSeconds > 0 && !live) {
    const cap = formatSeconds(rules.maxTrackSeconds);
    if (track.durationMs === null) {
      return new UserError(
        'TRACK_TOO_LONG',
        `"${track.title}" has no known length; songs may be at most ${cap} long here.`,
        {
          rule: 'max_track_seconds',
          max_track_seconds: rules.maxTrackSeconds,
        },
      );
    }
    if (track.durationMs > rules.maxTrackSeconds * 1000) {
      return new UserError(
        'TRACK_TOO_LONG',
        `"${track.title}" is ${formatSeconds(Math.round(track.durationMs / 1000))} long; songs may be at most ${cap} long here.`,
        { rule: 'max_track_seconds', max_track_seconds: rules.maxTrackSeconds },
      );
    }
  }
  const hit = blockedBy(blocklist, track);
  if (hit) {
    const what =
      hit.kind === 'track'
        ? 'this song'
        : hit.kind === 'artist'
          ? `the artist "${hit.value}"`
          : `the word "${hit.value}"`;
    return new UserError(
      'BLOCKED',
      `"${track.title}" is blocked on this server (the block list has ${what}).`,
      {
        rule: 'blocklist',
        kind: hit.kind,
        value: hit.value,
      },
    );
  }
  return null;
}

/** 1:05:09, 4:05, 0:09. */
export function formatSeconds(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/**
 * Per-member cooldowns between requests, in this process (a guild's adds run in the process that
 * serves the request). `reserve` checks and takes the slot at once, so two requests at the same time
 * cannot both pass; a request that then queues nothing gives the slot back.
 */
export class RequestCooldowns {
  private readonly last = new Map<string, number>();
  private readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  /**
   * Takes the member's slot; returns a function that gives it back.
   * @throws UserError REQUEST_COOLDOWN with details.retry_after_seconds
   */
  reserve(guildId: string, userId: string, seconds: number): () => void {
    if (seconds <= 0) return () => {};
    const key = `${guildId}:${userId}`;
    const now = this.clock.now();
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < seconds * 1000) {
      const retry = Math.max(1, Math.ceil((previous + seconds * 1000 - now) / 1000));
      throw new UserError(
        'REQUEST_COOLDOWN',
        `You can request again in ${formatSeconds(retry)} (this server has a ${formatSeconds(seconds)} cooldown between requests).`,
        { rule: 'request_cooldown_seconds', retry_after_seconds: retry },
      );
    }
    this.last.set(key, now);
    this.prune(now);
    return () => {
      if (this.last.get(key) !== now) return;
      if (previous === undefined) this.last.delete(key);
      else this.last.set(key, previous);
    };
  }

  /** Forgets slots older than a day (the longest cooldown), so the map does not grow forever. */
  private prune(now: number): void {
    if (this.last.size < 10_000) return;
    for (const [key, at] of this.last) if (now - at >= 86_400_000) this.last.delete(key);
  }
}
