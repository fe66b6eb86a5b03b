import { describe, expect, it } from 'vitest';
import { parseShardIds, ShardOwnership, shardOf } from '../../../src/fleet/shards.ts';

/** A guild id that Discord sends on `shard` of `count`. */
const guildOn = (shard: number, count: number, n = 1) => String(BigInt(shard + count * n) << 22n);

describe('shardOf', () => {
  it("is Discord's formula (guild_id >> 22) % shard_count", () => {
    expect(shardOf('41771983423143937', 1)).toBe(0);
    // 41771983423143937 >> 22 = 9959216934 (a real snowflake from Discord's docs).
    expect(shardOf('41771983423143937', 4)).toBe(9959216934 % 4);
    expect(shardOf(guildOn(3, 4), 4)).toBe(3);
    expect(shardOf(guildOn(0, 8, 7), 8)).toBe(0);
  });
});

describe('parseShardIds', () => {
  it('reads all, ranges, lists and mixes', () => {
    expect(parseShardIds(undefined, 3)).toEqual([0, 1, 2]);
    expect(parseShardIds('all', 2)).toEqual([0, 1]);
    expect(parseShardIds('0-3', 8)).toEqual([0, 1, 2, 3]);
    expect(parseShardIds('0,3', 4)).toEqual([0, 3]);
    expect(parseShardIds('4-5, 0 ,5', 8)).toEqual([0, 4, 5]);
  });

  it('refuses what is not a shard of this count, in plain words', () => {
    expect(() => parseShardIds('0-8', 8)).toThrow(/shard 8 does not exist with 8 shards/);
    expect(() => parseShardIds('3-1', 8)).toThrow(/runs backwards/);
    expect(() => parseShardIds('a', 8)).toThrow(/not a shard id/);
    expect(() => parseShardIds('1,,2', 8)).toThrow(/not a shard id/);
  });
});

describe('ShardOwnership', () => {
  it('owns exactly the guilds of its shards', () => {
    const mine = new ShardOwnership(4, [2, 3]);
    expect(mine.owns(guildOn(2, 4))).toBe(true);
    expect(mine.owns(guildOn(3, 4, 5))).toBe(true);
    expect(mine.owns(guildOn(0, 4))).toBe(false);
    expect(mine.owns(guildOn(1, 4, 9))).toBe(false);
    expect(mine.all).toBe(false);
    expect(new ShardOwnership(2, [0, 1]).all).toBe(true);
  });
});
