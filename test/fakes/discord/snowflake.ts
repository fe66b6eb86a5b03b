/** Snowflake-shaped ids for the fake: 18-19 digits, increasing, unique per process. */
let counter = 0n;
const EPOCH_OFFSET = 1_420_070_400_000n;

export function snowflake(): string {
  counter += 1n;
  const ms = BigInt(Date.now()) - EPOCH_OFFSET;
  return ((ms << 22n) | (counter & 0x3fffffn)).toString();
}

/**
 * A snowflake of a guild that Discord sends on `shard` of `count` (`(id >> 22) % count === shard`):
 * its timestamp is moved back by at most `count - 1` ms.
 */
export function snowflakeOnShard(shard: number, count: number): string {
  counter += 1n;
  let ms = BigInt(Date.now()) - EPOCH_OFFSET;
  ms -= (((ms - BigInt(shard)) % BigInt(count)) + BigInt(count)) % BigInt(count);
  return ((ms << 22n) | (counter & 0x3fffffn)).toString();
}
