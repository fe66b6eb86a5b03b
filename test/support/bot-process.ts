import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The project's Node 22 (the `node` dev dependency), whatever runs the tests. */
const NODE = existsSync(`${ROOT}node_modules/.bin/node`) ? `${ROOT}node_modules/.bin/node` : process.execPath;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/**
 * The bot exactly as `npm start` runs it (`node src/main.ts` on the project's Node 22), in a child
 * process with the test's environment. Tests read its JSON log lines and wait for them.
 */
export class BotProcess {
  readonly logs: LogLine[] = [];
  private child: ChildProcess | null = null;
  private readonly env: Record<string, string>;
  /** The entry point: `src/main.ts` (npm start) or `src/app/cluster.ts` (npm run start:cluster). */
  private readonly script: string;
  private waiters: { test: (l: LogLine) => boolean; resolve: (l: LogLine) => void }[] = [];
  private stderr = '';
  /** Index in `logs` where the current run's lines begin (a restart keeps the earlier runs' lines). */
  private runFrom = 0;

  constructor(env: Record<string, string>, script = 'src/main.ts') {
    this.env = env;
    this.script = script;
  }

  static async start(
    env: Record<string, string>,
    readyMsg = 'Unified Music is running',
  ): Promise<BotProcess> {
    const bot = new BotProcess(env);
    await bot.start(readyMsg);
    return bot;
  }

  /** Index in `logs` of the current (latest) run's first line. */
  get runStart(): number {
    return this.runFrom;
  }

  /** The current (latest) run's log lines. */
  get runLogs(): LogLine[] {
    return this.logs.slice(this.runFrom);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts a run (again, after a stop or a crash) and resolves once this run logs `readyMsg`: an
   * earlier run's line does not count. @throws Error when the process exits before it is ready
   */
  async start(readyMsg = 'Unified Music is running'): Promise<void> {
    if (this.alive) throw new Error('the bot process is already running');
    this.runFrom = this.logs.length;
    this.stderr = '';
    const ready = this.waitForLog((l) => l.msg === readyMsg, this.runFrom);
    const child = spawn(NODE, ['--disable-warning=ExperimentalWarning', this.script], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        LOG_LEVEL: 'debug',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      // A killed run's last lines can come after its exit, once a new run has started: they are not
      // the new run's.
      if (this.child !== child) return;
      buffer += chunk.toString();
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const raw = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
        let line: LogLine;
        try {
          line = JSON.parse(raw);
        } catch {
          line = { level: 30, msg: raw };
        }
        this.logs.push(line);
        this.waiters = this.waiters.filter((w) => {
          if (!w.test(line)) return true;
          w.resolve(line);
          return false;
        });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (this.child === child) this.stderr += chunk.toString();
    });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`bot exited (${code}) before it was ready:\n${this.stderr}`);
    });
    await Promise.race([ready, exited]);
    exited.catch(() => {});
  }

  /**
   * Resolves with the first log line (already seen or coming) that passes the test, looking only at
   * lines from index `from` of `logs` on (all of them by default; `runStart` for the current run's).
   */
  waitForLog(test: (line: LogLine) => boolean, from = 0): Promise<LogLine> {
    const seen = this.logs.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  /** Child processes of the bot with the given command name (e.g. ffmpeg). */
  children(name: string): number[] {
    if (!this.child?.pid) return [];
    try {
      return execFileSync('pgrep', ['-P', String(this.child.pid), '-x', name], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, and the exit code; at once when the process has already exited (or was killed). */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || !this.alive) return child?.exitCode ?? null;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    return code as number | null;
  }

  /** SIGKILL: a crash. Returns at once when the process has already exited. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }

  get stderrText(): string {
    return this.stderr;
  }
}
