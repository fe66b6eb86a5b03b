import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { containerOf, peek } from './sniff.ts';
import { classifyYouTubeMessage, YouTubeFailure } from './youtube-errors.ts';
import type { OpenedAudio } from './youtube-innertube.ts';
import type { VideoFacts } from './youtube-map.ts';
import { watchUrl } from './youtube-url.ts';

export interface YtDlpOptions {
  /** The executable: a path, or a name looked up on PATH (default `yt-dlp`, Debian's package). */
  path?: string | undefined;
  /** The same `Cookie` header as `YOUTUBE_COOKIE`; written to a private cookies file for yt-dlp. */
  cookie?: string | undefined;
  /** How long to wait for the first audio bytes before giving up (default 30 s). */
  firstByteTimeoutMs?: number;
  /** Told when a yt-dlp process has exited (for the debug log; tests wait for it). */
  onExit?: (info: { pid: number | undefined; code: number | null; signal: string | null }) => void;
}

/**
 * The second resolver: Debian's `yt-dlp`, run as a child process that writes the best audio to
 * stdout (`-f bestaudio -o -`). Used when youtubei.js is refused; it follows YouTube's changes on
 * its own release cycle. Every child is SIGKILLed when its stream is closed.
 */
export class YtDlp {
  /** The executable found at start, or null when yt-dlp is not installed. */
  readonly path: string | null;
  private readonly cookie: string | undefined;
  private readonly firstByteTimeoutMs: number;
  private readonly onExit: YtDlpOptions['onExit'];
  private cookieFile: string | null = null;
  private readonly children = new Set<ChildProcess>();
  private waiters: (() => void)[] = [];

  constructor(options: YtDlpOptions = {}) {
    this.path = findExecutable(options.path ?? 'yt-dlp');
    this.cookie = options.cookie;
    this.firstByteTimeoutMs = options.firstByteTimeoutMs ?? 30_000;
    this.onExit = options.onExit;
  }

  get available(): boolean {
    return this.path !== null;
  }

  /** yt-dlp processes running now. */
  get running(): number {
    return this.children.size;
  }

  /** Resolves once no yt-dlp process is left running. */
  idle(): Promise<void> {
    if (this.children.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** @throws YouTubeFailure with yt-dlp's reason (its last `ERROR:` line) */
  async open(videoId: string): Promise<OpenedAudio> {
    const child = this.run(
      ['-f', 'bestaudio/best', '-o', '-', '--no-part', '--no-progress', '--quiet'],
      videoId,
    );
    const stderr = collect(child, 'stderr', 8_000);
    const timer = setTimeout(() => child.kill('SIGKILL'), this.firstByteTimeoutMs);
    let head: Buffer;
    let stream: OpenedAudio['stream'];
    try {
      ({ head, stream } = await peek(child.stdout!, 4096));
    } finally {
      clearTimeout(timer);
    }
    if (head.length === 0) {
      const code = await exitOf(child);
      throw failureFrom(
        await stderr,
        code === null ? 'yt-dlp gave no audio in time' : `yt-dlp exited ${code}`,
      );
    }
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    stream.once('close', kill);
    return {
      stream,
      type: containerOf(head) === 'webm/opus' ? 'webm/opus' : 'arbitrary',
      client: 'yt-dlp',
      release: () => {
        kill();
        stream.destroy();
      },
    };
  }

  /** The video's details from `yt-dlp -J`. @throws YouTubeFailure */
  async info(videoId: string): Promise<VideoFacts> {
    const child = this.run(['-J', '--skip-download'], videoId);
    const [out, err, code] = await Promise.all([
      collect(child, 'stdout', 4_000_000),
      collect(child, 'stderr', 8_000),
      exitOf(child),
    ]);
    if (code !== 0) throw failureFrom(err, `yt-dlp exited ${code}`);
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(out) as Record<string, unknown>;
    } catch {
      throw new YouTubeFailure('other', 'yt-dlp printed something that is not JSON');
    }
    const live = data.is_live === true || data.live_status === 'is_live';
    const duration = typeof data.duration === 'number' ? data.duration : null;
    return {
      id: videoId,
      title: typeof data.title === 'string' ? data.title : null,
      channel: String(data.channel ?? data.uploader ?? '') || null,
      channelId: typeof data.channel_id === 'string' ? data.channel_id : null,
      durationMs: duration && !live ? Math.round(duration * 1000) : null,
      live,
    };
  }

  private run(args: string[], videoId: string): ChildProcess {
    if (!this.path) throw new YouTubeFailure('other', 'yt-dlp is not installed');
    const cookies = this.cookiesArgs();
    const child = spawn(
      this.path,
      [...args, '--no-playlist', '--no-warnings', ...cookies, '--', watchUrl(videoId)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.children.add(child);
    child.once('error', () => {});
    child.once('close', (code, signal) => {
      this.children.delete(child);
      this.onExit?.({ pid: child.pid, code, signal });
      if (this.children.size === 0) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
      }
    });
    return child;
  }

  /** yt-dlp reads cookies from a Netscape cookies file, written once, readable by us alone. */
  private cookiesArgs(): string[] {
    if (!this.cookie) return [];
    if (!this.cookieFile) {
      const expires = Math.floor(Date.now() / 1000) + 365 * 86_400;
      const lines = this.cookie
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part.includes('='))
        .map((part) => {
          const at = part.indexOf('=');
          return ['.youtube.com', 'TRUE', '/', 'TRUE', expires, part.slice(0, at), part.slice(at + 1)].join(
            '\t',
          );
        });
      const file = join(mkdtempSync(join(tmpdir(), 'um-ytdlp-')), 'cookies.txt');
      writeFileSync(file, `# Netscape HTTP Cookie File\n${lines.join('\n')}\n`, { mode: 0o600 });
      this.cookieFile = file;
    }
    return ['--cookies', this.cookieFile];
  }
}

/** An executable path: as given when it contains a slash, else the first match on PATH. */
export function findExecutable(name: string): string | null {
  const candidates = name.includes('/')
    ? [name]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, name));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

function collect(child: ChildProcess, which: 'stdout' | 'stderr', max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  child[which]!.on('data', (chunk: Buffer) => {
    if (size < max) chunks.push(chunk);
    size += chunk.length;
  });
  return new Promise((resolve) => child.once('close', () => resolve(Buffer.concat(chunks).toString('utf8'))));
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
}

/** yt-dlp's last `ERROR:` line, classified; the fallback text when it printed none. */
function failureFrom(stderr: string, fallback: string): YouTubeFailure {
  const lines = stderr.split('\n').map((l) => l.trim());
  const error = lines.filter((l) => l.startsWith('ERROR:')).pop() ?? lines.filter(Boolean).pop() ?? fallback;
  const message = error.replace(/^ERROR:\s*(\[[^\]]+\]\s*)?([A-Za-z0-9_-]{11}:\s*)?/, '').slice(0, 300);
  return new YouTubeFailure(classifyYouTubeMessage(message), `yt-dlp: ${message}`);
}
