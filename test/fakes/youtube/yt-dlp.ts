import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeYtDlp {
  /** The executable to give as YTDLP_PATH. */
  path: string;
  /** The argument lines of every run so far. */
  calls(): string[];
  /** The process id of the last run. */
  lastPid(): number;
}

/**
 * A stand-in for Debian's yt-dlp: a shell script that records its arguments and pid, then either
 * writes an audio file to stdout and stays alive (as yt-dlp does while it downloads), prints a
 * video's JSON for `-J`, or fails with the `ERROR:` line yt-dlp prints.
 */
export function fakeYtDlp(
  behaviour:
    | { kind: 'audio'; file: string; info?: Record<string, unknown> }
    | { kind: 'error'; message: string },
): FakeYtDlp {
  const dir = mkdtempSync(join(tmpdir(), 'um-fake-ytdlp-'));
  const path = join(dir, 'yt-dlp');
  const args = join(dir, 'args.log');
  const pid = join(dir, 'pid');
  writeFileSync(args, '');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const body =
    behaviour.kind === 'error'
      ? `echo ${quote(`ERROR: [youtube] dQw4w9WgXcQ: ${behaviour.message}`)} >&2\nexit 1\n`
      : [
          `case " $* " in *" -J "*) cat ${quote(join(dir, 'info.json'))}; exit 0;; esac`,
          `cat ${quote(behaviour.file)}`,
          // Stay alive with stdout open, like a download in progress: only a kill ends it.
          'exec sleep 300',
          '',
        ].join('\n');
  if (behaviour.kind === 'audio') writeFileSync(join(dir, 'info.json'), JSON.stringify(behaviour.info ?? {}));
  writeFileSync(path, `#!/bin/sh\necho "$@" >> ${quote(args)}\necho $$ > ${quote(pid)}\n${body}`);
  chmodSync(path, 0o755);
  return {
    path,
    calls: () => readFileSync(args, 'utf8').split('\n').filter(Boolean),
    lastPid: () => Number(readFileSync(pid, 'utf8').trim()),
  };
}
