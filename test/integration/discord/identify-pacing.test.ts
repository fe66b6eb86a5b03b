import type { Client } from 'discord.js';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../src/discord/bot.ts';
import { RedisIdentifyWindows } from '../../../src/fleet/identify-windows.ts';
import { FakeDiscord } from '../../fakes/discord/index.ts';
import { captureLogger } from '../../support/logs.ts';
import { dropNamespace, rawRedis, uniqueNamespace } from '../../support/redis.ts';

const redis = rawRedis();
const namespaces: string[] = [];
afterAll(async () => {
  for (const ns of namespaces) await dropNamespace(redis, ns);
  redis.disconnect();
});

/**
 * Two bot processes of one fleet (here: two real discord.js clients, each with its own throttler, as
 * two processes have), shards 0-1 and 2-3 of 4, max_concurrency 2: shards 0 and 2 share one identify
 * window, 1 and 3 the other. Discord allows one IDENTIFY per window per 5 s for the whole bot.
 */
describe('IDENTIFY pacing across the processes of a fleet', () => {
  let discord: FakeDiscord;
  const clients: Client[] = [];
  beforeEach(async () => {
    discord = await FakeDiscord.start();
    discord.recommendedShards = 4;
    discord.gateway.maxConcurrency = 2;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.destroy();
    await discord.stop();
  });

  const start = (shardIds: number[], windows: RedisIdentifyWindows | null) => {
    const client = createClient(
      discord.apiUrl,
      { shardCount: 4, shardIds },
      windows ? { windows, log: captureLogger().logger } : undefined,
    );
    clients.push(client);
    const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
    return { client, ready: client.login(discord.token).then(() => ready) };
  };

  it('with shared windows in Redis, no IDENTIFY comes too soon and every shard connects', async () => {
    const ns = uniqueNamespace('identify');
    namespaces.push(ns);
    const a = start([0, 1], new RedisIdentifyWindows(redis, ns));
    const b = start([2, 3], new RedisIdentifyWindows(redis, ns));
    await Promise.all([a.ready, b.ready]);
    expect(discord.gateway.identifyTooSoon).toEqual([]);
    expect([...discord.gateway.connectedShards].sort()).toEqual(['0/4', '1/4', '2/4', '3/4']);
  }, 60_000);

  it('without them (discord.js pacing each process alone) the two processes identify too soon', async () => {
    const a = start([0, 1], null);
    const b = start([2, 3], null);
    await Promise.all([a.ready, b.ready]);
    // Discord refused the second IDENTIFY of a window (op 9); discord.js identified again later.
    expect(discord.gateway.identifyTooSoon.length).toBeGreaterThan(0);
    expect([...discord.gateway.connectedShards].sort()).toEqual(['0/4', '1/4', '2/4', '3/4']);
  }, 60_000);
});
