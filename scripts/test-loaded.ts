/**
 * `npm run test:loaded [-- --runs N] [-- vitest arguments]`: the test suite on a busy machine.
 *
 * Keeps one core busy with another process (a busy loop, as another build or a noisy neighbour
 * would) and runs the suite `--runs` times in a row (3 unless told), stopping at the first failure.
 * Tests must wait for the event or state they mean, never a guessed delay; a suite that passes
 * three times in a row with a core taken away shows that they do. Prints a summary at the end and
 * exits with the failing run's status (0 when all passed).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used, from /proc; null where /proc is missing. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function parseArgs(argv: string[]): { runs: number; vitestArgs: string[] } {
  const args = [...argv];
  let runs = 3;
  const at = args.indexOf('--runs');
  if (at >= 0) {
    runs = Number(args[at + 1]);
    if (!Number.isInteger(runs) || runs < 1) {
      console.error(`--runs wants a whole number of at least 1, not "${args[at + 1] ?? ''}"`);
      process.exit(2);
    }
    args.splice(at, 2);
  }
  return { runs, vitestArgs: args.filter((a) => a !== '--') };
}

const { runs, vitestArgs } = parseArgs(process.argv.slice(2));
const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

// The busy loop runs on this same Node, at the same priority as the tests.
const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
const busyPid = busy.pid ?? 0;
const busyStart = { at: performance.now(), cpu: cpuSeconds(busyPid) ?? 0 };
let current: ChildProcess | null = null;

function stopBusy(): void {
  if (busy.exitCode === null && busy.signalCode === null) busy.kill('SIGKILL');
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    current?.kill(signal);
    stopBusy();
    process.exit(130);
  });
}
process.on('exit', stopBusy);

function runOnce(): Promise<number> {
  return new Promise((resolve) => {
    current = spawn(process.execPath, [vitest, 'run', ...vitestArgs], { cwd: root, stdio: 'inherit' });
    current.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const results: { run: number; status: number; seconds: number }[] = [];
console.log(
  `test:loaded: one core kept busy (pid ${busyPid}); up to ${runs} run(s) of: vitest run ${vitestArgs.join(' ')}`,
);
for (let run = 1; run <= runs; run += 1) {
  console.log(`\n=== test:loaded: run ${run} of ${runs}`);
  const started = performance.now();
  const status = await runOnce();
  results.push({ run, status, seconds: (performance.now() - started) / 1000 });
  if (status !== 0) break;
}

const wall = (performance.now() - busyStart.at) / 1000;
const busyCpu = (cpuSeconds(busyPid) ?? 0) - busyStart.cpu;
stopBusy();

const passed = results.filter((r) => r.status === 0).length;
console.log('\n=== test:loaded: summary');
for (const r of results) {
  console.log(
    `run ${r.run}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`} in ${r.seconds.toFixed(0)} s`,
  );
}
if (results.length < runs)
  console.log(`runs ${results.length + 1}..${runs}: not run (stopped at the first failure)`);
console.log(
  `busy loop: ${busyCpu.toFixed(0)} CPU s over ${wall.toFixed(0)} s (${((100 * busyCpu) / Math.max(wall, 1)).toFixed(0)}% of a core); ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
console.log(passed === runs ? `all ${runs} runs passed` : `${passed} of ${runs} runs passed`);
process.exit(results.at(-1)?.status ?? 1);
