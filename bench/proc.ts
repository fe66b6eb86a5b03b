import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statFields(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc; 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND : 0;
}

/** CPU seconds of the children a process has already reaped (ffmpeg processes that ended). */
export function reapedChildrenCpuSeconds(pid: number): number {
  const f = statFields(pid);
  return f ? (Number(f[13]) + Number(f[14])) / TICKS_PER_SECOND : 0;
}

/** CPU seconds of a process tree: the live processes and the children they reaped. */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + cpuSeconds(p) + reapedChildrenCpuSeconds(p), 0);
}

/** Resident memory of a process in MB; 0 once it is gone. */
export function rssMb(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Proportional set size in MB (smaps_rollup): shared pages count once across the processes that share
 * them, so 50 ffmpeg processes are not charged 50 times for the same libraries. 0 once it is gone.
 */
export function pssMb(pid: number): number {
  try {
    const m = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+) kB/m);
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process and all its descendants (the bot and its ffmpeg processes). */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      const children = execFileSync('pgrep', ['-P', String(out[i])], { encoding: 'utf8' })
        .trim()
        .split('\n');
      out.push(...children.filter(Boolean).map(Number));
    } catch {
      // no children
    }
  }
  return out;
}

/** PSS of a process tree in MB. */
export function treePssMb(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + pssMb(p), 0);
}
