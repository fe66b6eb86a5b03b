import type { Actions } from '../../actions/index.ts';
import { sendData } from '../envelope.ts';
import type { Route } from '../router.ts';
import { addBody, apiCallOf, historyQuery, itemIdOf, unvoteBody, voteBody, wireItem } from '../wire.ts';

export interface QueueRouteDeps {
  actions: Pick<Actions, 'queue' | 'playback'>;
  /** Whether the bot serves this guild (always true in API-only mode). @throws nothing */
  hasCommunity(guildId: string): boolean;
}

/** The queue routes under /api/v1/queue: parse, call one action, answer in the envelope. */
export function queueRoutes(deps: QueueRouteDeps): Route[] {
  const { queue, playback } = deps.actions;
  /** The REST API's bearer token is an admin; `userId`: the user a body names. */
  const call = apiCallOf(deps.hasCommunity);
  const base = '/api/v1/queue/{community_id}';
  return [
    {
      method: 'GET',
      path: base,
      summary: 'The queued items in play order, and the playing item',
      auth: true,
      handler: async ({ res, params }) => {
        const { items, playing } = await queue.all(call(params));
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
        const input = addBody.parse(body);
        const result = await queue.add(call(params, input.requested_by_user_id), {
          query: input.track_url,
          ...(input.provider ? { provider: input.provider } : {}),
          ...(input.voice_channel_id ? { voiceChannelId: input.voice_channel_id } : {}),
        });
        const first = result.added[0]!;
        sendData(res, 201, {
          queue_item: wireItem(first.item),
          queue_position: first.position,
          estimated_wait_ms: result.estimatedWaitMs,
          queued_count: result.added.length,
          not_queued_count: result.notQueued,
          not_queued_reason: result.notQueuedReason,
          playback: result.playback,
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
        const input = voteBody.parse(body);
        const result = await queue.vote(call(params, input.user_id), {
          item: itemIdOf(params),
          direction: input.direction === 'up' ? 1 : -1,
        });
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
        const input = unvoteBody.parse(body);
        const result = await queue.unvote(call(params, input.user_id), { item: itemIdOf(params) });
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
        sendData(res, 200, { removed: await queue.clear(call(params)) });
      },
    },
    {
      method: 'POST',
      path: `${base}/skip`,
      summary: 'Skip the playing item',
      auth: true,
      write: true,
      handler: async ({ res, params }) => {
        const c = call(params);
        await playback.skip(c);
        const playing = await queue.nowPlaying(c);
        sendData(res, 200, { now_playing: playing ? wireItem(playing) : null });
      },
    },
    {
      method: 'GET',
      path: `${base}/history`,
      summary: 'Played and skipped items, newest first (?limit=)',
      auth: true,
      handler: async ({ res, params, query }) => {
        const { limit } = historyQuery.parse(Object.fromEntries(query));
        const items = await queue.history(call(params), { limit });
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
        const s = await queue.stats(call(params));
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
        const item = await queue.remove(call(params), { item: itemIdOf(params) });
        sendData(res, 200, { removed: wireItem(item) });
      },
    },
  ];
}
