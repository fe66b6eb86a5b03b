/**
 * The owning process of the fleet bench: a bot process's fleet endpoint for shards 0-1 of 2, answering
 * `playback.state` with a plain result (the transport is what is measured, not the player).
 * Started by bench/fleet.ts with the Redis URL and namespace as arguments.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Fleet } from '../src/fleet/fleet.ts';
import { FleetRpc } from '../src/fleet/rpc.ts';
import { ShardOwnership } from '../src/fleet/shards.ts';

const [url, namespace] = process.argv.slice(2) as [string, string];
const redis = new Redis(url);
const fleet = new Fleet(
  new FleetRpc({ redis, namespace, logger: pino({ level: 'warn' }) }),
  new ShardOwnership(2, [0, 1]),
);
const state = Object.assign(
  async (call: { guildId: string }) => ({
    guildId: call.guildId,
    state: 'playing',
    positionMs: 1234,
    volume: 100,
  }),
  { permission: 'everyone' as const },
);
await fleet.serve({ playback: { state } });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  redis.disconnect();
  process.exit(0);
});
