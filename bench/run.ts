import { cpus, loadavg } from 'node:os';
import { benchApi } from './api.ts';
import { benchBurst } from './burst.ts';
import { benchConcurrency } from './concurrency.ts';
import { benchDave } from './dave.ts';
import { benchFleet } from './fleet.ts';
import { benchFootprint } from './footprint.ts';
import { benchQueue } from './queue.ts';
import { benchRadio } from './radio.ts';
import { benchVoice } from './voice.ts';

/** `npm run bench`: every benchmark in one run, printed as Markdown with the machine it ran on. */
const suites: Record<string, () => Promise<string>> = {
  queue: benchQueue,
  voice: benchVoice,
  burst: benchBurst,
  footprint: benchFootprint,
  concurrency: benchConcurrency,
  api: benchApi,
  dave: benchDave,
  radio: benchRadio,
  fleet: benchFleet,
};

const only = process.argv.slice(2);
const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`# Unified Music benchmarks\n`);
console.log(
  `Machine: ${cpus().length} x ${cpu}, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}\n`,
);
for (const [name, run] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`## ${name}\n`);
  console.log(await run());
  console.log('');
}
