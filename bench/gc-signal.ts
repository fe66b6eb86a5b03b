/**
 * Bench-only preload for bot processes (`NODE_OPTIONS=--import=<this file>`): on SIGUSR2 it forces a
 * full garbage collection and prints one JSON line with the process's memory, so the fleet bench reads
 * the memory that idle guilds really hold, not garbage V8 has not collected yet. With
 * `BENCH_HEAP_SNAPSHOT=<dir>` set it also writes a heap snapshot there after the collection.
 */
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

process.on('SIGUSR2', () => {
  gc();
  gc();
  const m = process.memoryUsage();
  const dir = process.env.BENCH_HEAP_SNAPSHOT;
  const snapshot = dir ? writeHeapSnapshot(`${dir}/bot-${process.pid}.heapsnapshot`) : null;
  process.stdout.write(
    `${JSON.stringify({
      level: 30,
      msg: 'bench: memory after gc',
      pid: process.pid,
      rss: m.rss,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      snapshot,
    })}\n`,
  );
});
