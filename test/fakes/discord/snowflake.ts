/** Snowflake-shaped ids for the fake: 18-19 digits, increasing, unique per process. */
let counter = 0n;
const EPOCH_OFFSET = 1_420_070_400_000n;

export function snowflake(): string {
  counter += 1n;
  const ms = BigInt(Date.now()) - EPOCH_OFFSET;
  return ((ms << 22n) | (counter & 0x3fffffn)).toString();
}
