/** Small benchmark helpers: latency percentiles and throughput for N concurrent callers. */

export interface Result {
  name: string;
  concurrency: number;
  ops: number;
  p50Ms: number;
  p99Ms: number;
  opsPerSec: number;
}

/**
 * Runs `op(i)` `total` times with `concurrency` callers in flight, after `warmup` untimed calls.
 */
export async function measure(
  name: string,
  concurrency: number,
  total: number,
  op: (i: number) => Promise<unknown>,
  warmup = Math.min(500, total),
): Promise<Result> {
  for (let i = 0; i < warmup; i++) await op(-1 - i);
  const latencies = new Float64Array(total);
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (true) {
      const i = next++;
      if (i >= total) return;
      const t0 = process.hrtime.bigint();
      await op(i);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  return { name, concurrency, ops: total, p50Ms: pct(50), p99Ms: pct(99), opsPerSec: total / elapsedS };
}

export function table(results: Result[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.concurrency} | ${r.ops} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${Math.round(r.opsPerSec).toLocaleString('en-US')} |`,
  );
  return [
    '| operation | callers | ops | p50 ms | p99 ms | ops/s |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
