import type { Actions } from '../actions/index.ts';
import type { Config } from '../config/index.ts';
import type { Logger } from '../core/logger.ts';
import { Fleet } from '../fleet/fleet.ts';
import { FleetRpc } from '../fleet/rpc.ts';
import type { ShardOwnership } from '../fleet/shards.ts';
import type { RedisConnection } from '../storage/queue/redis-client.ts';
import type { Closers } from './types.ts';

/**
 * Part of the composition root: which shards this process runs (a bot), and the fleet that sends a
 * guild's voice actions to the process running its shard (with Redis; without it, one process does
 * everything, as before).
 */
export async function createFleet(deps: {
  config: Config;
  logger: Logger;
  redis: RedisConnection | null;
  closers: Closers;
}): Promise<{ ownership: ShardOwnership | null; fleet: Fleet | null }> {
  const { config, logger } = deps;
  // discord.js is loaded only for a bot (API-only mode stays small).
  const ownership = config.discord.token
    ? await (await import('../discord/shards.ts')).resolveShards({
        token: config.discord.token,
        apiUrl: config.discord.apiUrl,
        shardCount: config.discord.shardCount,
        shardIds: config.discord.shardIds,
      })
    : null;
  if (ownership) {
    logger.info(
      { shard_count: ownership.shardCount, shards: ownership.shardIds, pid: process.pid },
      'discord shards of this process',
    );
  }
  if (!deps.redis) {
    if (ownership && !ownership.all) {
      logger.warn(
        "this process runs only some shards but has no Redis: the other shards' guilds are not reachable from here",
      );
    }
    return { ownership, fleet: null };
  }
  const rpc = new FleetRpc({
    redis: deps.redis,
    namespace: config.redis.namespace,
    logger: logger.child({ component: 'fleet' }),
  });
  deps.closers.push(() => rpc.close());
  return { ownership, fleet: new Fleet(rpc, ownership) };
}

/** The actions that need the guild's voice, player or radio connection: they run where its shard runs. */
const VOICE_ACTIONS = {
  playback: [
    'play',
    'skip',
    'pause',
    'resume',
    'stop',
    'seek',
    'volume',
    'setVolume',
    'filter',
    'setFilter',
    'setEq',
    'setLoop',
    'state',
  ],
  radio: ['switchMode', 'play', 'stop', 'status'],
  // Loading a playlist queues it and starts playback, as an add does.
  playlists: ['load'],
} as const;

/**
 * The actions every front end of this process calls: voice actions go to the guild's owner, and an
 * add goes there too (so that it can start playback), falling back to queueing here when the owner
 * does not answer. Everything else reads and writes the shared stores directly.
 */
export function routeActions(actions: Actions, fleet: Fleet): Actions {
  const add = actions.queue.add;
  const routedAdd = Object.assign(
    (call: Parameters<typeof add>[0], input: Parameters<typeof add>[1]) =>
      fleet.run('queue.add', call, input, add, add),
    { permission: add.permission },
  );
  return {
    ...actions,
    queue: { ...actions.queue, add: routedAdd },
    playback: fleet.route('playback', actions.playback, VOICE_ACTIONS.playback),
    radio: fleet.route('radio', actions.radio, VOICE_ACTIONS.radio),
    playlists: fleet.route('playlists', actions.playlists, VOICE_ACTIONS.playlists),
  };
}

/** A bot process answers the fleet's requests for its guilds with its local actions. */
export function serveFleet(fleet: Fleet, actions: Actions): Promise<void> {
  return fleet.serve({
    playback: actions.playback,
    radio: actions.radio,
    queue: { add: actions.queue.add },
    playlists: { load: actions.playlists.load },
  });
}
