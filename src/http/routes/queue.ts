import { isUserError, UserError } from '../../core/errors.ts';
import type { TrackInput } from '../../core/track.ts';
import type { QueueService } from '../../queue/service.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { addBody, communityOf, historyQuery, unvoteBody, voteBody, wireItem } from '../wire.ts';

export interface QueueRouteDeps {
  queue: QueueService;
  /**
   * Resolves a URL to tracks (the provider registry), for `guildId` (Spotify reads with the guild's
   * account); at most `limit` tracks for an album or playlist.
   */
  resolve(
    url: string,
    provider: string | undefined,
    scope: { guildId: string; limit: number },
  ): Promise<TrackInput[]>;
  /** Whether the bot serves this guild (always true in API-only mode). @throws nothing */
  hasCommunity(guildId: string): boolean;
  /** Skips the playing song through the player when one is connected, else in the queue. */
  skip(guildId: string): Promise<unknown>;
}

/** Tracks at most that one add takes from an album or playlist (the queue's limits may stop it earlier). */
const ADD_LIMIT = 50;

/** The seed's queue routes under /api/v1/queue. */
export function queueRoutes(deps: QueueRouteDeps): Route[] {
  const community = (params: Record<string, string>) => communityOf(params, deps.hasCommunity);
  const base = '/api/v1/queue/{community_id}';
  return [
    {
      method: 'GET',
      path: base,
      summary: 'The queued items in play order, and the playing item',
      auth: true,
      handler: async ({ res, params }) => {
        const { items, playing } = await deps.queue.all(community(params));
        sendData(res, 200, { items: items.map(wireItem), now_playing: playing ? wireItem(playing) : null });
      },
    },
    {
      method: 'POST',
      path: `${base}/add`,
      summary:
        'Resolve a URL through the providers and queue it (an album or playlist: its tracks, up to the limits)',
      body: addBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const guildId = community(params);
        const input = addBody.parse(body);
        const [track, ...more] = await deps.resolve(input.track_url, input.provider, {
          guildId,
          limit: ADD_LIMIT,
        });
        if (!track) throw new UserError('NOT_FOUND', 'Nothing playable was found at that URL.');
        const { item, position } = await deps.queue.add(guildId, track, input.requested_by_user_id);
        // An album or playlist: the rest goes in behind the first until the queue or the member is full.
        let queued = 1;
        for (const next of more) {
          const added = await deps.queue.add(guildId, next, input.requested_by_user_id).then(
            () => true,
            (err: unknown) => {
              if (isUserError(err) && (err.code === 'QUEUE_FULL' || err.code === 'USER_QUEUE_LIMIT'))
                return false;
              throw err;
            },
          );
          if (!added) break;
          queued += 1;
        }
        const { items, playing } = await deps.queue.all(guildId);
        const ahead = items.slice(0, position - 1).reduce((ms, i) => ms + (i.track.durationMs ?? 0), 0);
        const playingLeft = playing?.track.durationMs ?? 0;
        sendData(res, 201, {
          queue_item: wireItem(item),
          queue_position: position,
          estimated_wait_ms: ahead + playingLeft,
          queued_count: queued,
          not_queued_count: more.length + 1 - queued,
        });
      },
    },
    {
      method: 'POST',
      path: `${base}/vote/{queue_item_id}`,
      summary: 'Vote a queued item up or down (one vote per user)',
      body: voteBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const guildId = community(params);
        const input = voteBody.parse(body);
        const result = await deps.queue.vote(
          guildId,
          params.queue_item_id!,
          input.user_id,
          input.direction === 'up' ? 1 : -1,
        );
        sendData(res, 200, {
          queue_item_id: result.item.id,
          new_votes: result.votes,
          new_position: result.position,
          moved_positions: result.previousPosition - result.position,
        });
      },
    },
    {
      method: 'DELETE',
      path: `${base}/vote/{queue_item_id}`,
      summary: "Withdraw a user's vote",
      body: unvoteBody,
      auth: true,
      write: true,
      handler: async ({ res, params, body }) => {
        const guildId = community(params);
        const input = unvoteBody.parse(body);
        const result = await deps.queue.unvote(guildId, params.queue_item_id!, input.user_id);
        sendData(res, 200, {
          queue_item_id: result.item.id,
          new_votes: result.votes,
          new_position: result.position,
          moved_positions: result.previousPosition - result.position,
        });
      },
    },
    {
      method: 'POST',
      path: `${base}/clear`,
      summary: 'Remove every queued item',
      auth: true,
      write: true,
      handler: async ({ res, params }) => {
        sendData(res, 200, { removed: await deps.queue.clear(community(params)) });
      },
    },
    {
      method: 'POST',
      path: `${base}/skip`,
      summary: 'Skip the playing item',
      auth: true,
      write: true,
      handler: async ({ res, params }) => {
        const guildId = community(params);
        await deps.skip(guildId);
        const playing = await deps.queue.nowPlaying(guildId);
        sendData(res, 200, { now_playing: playing ? wireItem(playing) : null });
      },
    },
    {
      method: 'GET',
      path: `${base}/history`,
      summary: 'Played and skipped items, newest first (?limit=)',
      auth: true,
      handler: async ({ res, params, query }) => {
        const guildId = community(params);
        const { limit } = historyQuery.parse(Object.fromEntries(query));
        const items = await deps.queue.history(guildId, limit);
        sendData(res, 200, {
          items: items.map((i) => ({ ...wireItem(i), started_at: i.startedAt, ended_at: i.endedAt })),
        });
      },
    },
    {
      method: 'GET',
      path: `${base}/stats`,
      summary: 'Queue statistics',
      auth: true,
      handler: async ({ res, params }) => {
        const s = await deps.queue.stats(community(params));
        sendData(res, 200, {
          counts: s.counts,
          added: s.added,
          votes: s.votes,
          total_played_ms: s.totalPlayedMs,
          average_played_ms: s.averagePlayedMs,
          unique_requesters: s.uniqueRequesters,
          top_requesters: s.topRequesters.map((r) => ({ user_id: r.userId, count: r.count })),
          top_tracks: s.topTracks.map((t) => ({
            key: t.key,
            name: t.title,
            artist: t.artist,
            provider: t.provider,
            plays: t.plays,
          })),
        });
      },
    },
    {
      method: 'DELETE',
      path: `${base}/{queue_item_id}`,
      summary: 'Remove one queued item',
      auth: true,
      write: true,
      handler: async ({ res, params }) => {
        const item = await deps.queue.remove(community(params), params.queue_item_id!);
        sendData(res, 200, { removed: wireItem(item) });
      },
    },
  ];
}
