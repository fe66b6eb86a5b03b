import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.ts';

const ADMIN = { user: 'admin', password: 'admin-secret' };
const SOURCE_PASSWORD = 'source-secret';

/** A free TCP port on loopback (asked of the kernel, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A process the test needs has exited: waiting longer is pointless. */
class ExitedError extends Error {}

/**
 * A real Icecast server (Debian's icecast2) on a free port with its own config, and ffmpeg sources
 * pushing test tones to its mounts. Titles change through Icecast's admin metadata route, as a
 * station's playout software does.
 */
export class IcecastServer {
  readonly port: number;
  private readonly dir: string;
  private server: ChildProcess | null = null;
  private readonly sources = new Map<string, ChildProcess>();

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  static async start(port?: number): Promise<IcecastServer> {
    const dir = mkdtempSync(join(tmpdir(), 'um-icecast-'));
    chmodSync(dir, 0o777); // icecast drops to nobody when started as root; it writes its logs here
    const server = new IcecastServer(port ?? (await freePort()), dir);
    await server.startServer();
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  mountUrl(mount: string): string {
    return `${this.url}/${mount}`;
  }

  /** Starts (or restarts) the Icecast process on the same port. */
  async startServer(): Promise<void> {
    const config = join(this.dir, 'icecast.xml');
    writeFileSync(
      config,
      `<icecast>
  <limits><sources>40</sources><clients>500</clients><source-timeout>10</source-timeout></limits>
  <authentication>
    <source-password>${SOURCE_PASSWORD}</source-password>
    <admin-user>${ADMIN.user}</admin-user><admin-password>${ADMIN.password}</admin-password>
  </authentication>
  <hostname>127.0.0.1</hostname>
  <listen-socket><port>${this.port}</port><bind-address>127.0.0.1</bind-address></listen-socket>
  <paths>
    <basedir>/usr/share/icecast2</basedir><logdir>${this.dir}</logdir>
    <webroot>/usr/share/icecast2/web</webroot><adminroot>/usr/share/icecast2/admin</adminroot>
  </paths>
  <logging><errorlog>-</errorlog><loglevel>1</loglevel></logging>
  <security><chroot>0</chroot>${
    process.getuid?.() === 0 ? '<changeowner><user>nobody</user><group>nogroup</group></changeowner>' : ''
  }</security>
</icecast>
`,
    );
    const child = spawn('icecast2', ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.server = child;
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    // Ready when its status page answers.
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new ExitedError(`icecast2 exited: ${stderr}`);
        return fetch(`${this.url}/status-json.xsl`).then(
          (r) => r.ok,
          () => false,
        );
      },
      { interval: 50, what: 'icecast2 to answer', stopOn: (err) => err instanceof ExitedError },
    );
  }

  /** ffmpeg sends a sine tone to `mount` (mp3, or Ogg/Opus with `opus`), live-paced, with a first title. */
  async source(mount: string, hz: number, title: string, codec: 'mp3' | 'opus' = 'mp3'): Promise<void> {
    const args = ['-hide_banner', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `sine=frequency=${hz}`];
    if (codec === 'mp3')
      args.push('-c:a', 'libmp3lame', '-b:a', '128k', '-content_type', 'audio/mpeg', '-f', 'mp3');
    else args.push('-c:a', 'libopus', '-b:a', '64k', '-content_type', 'application/ogg', '-f', 'ogg');
    args.push(`icecast://source:${SOURCE_PASSWORD}@127.0.0.1:${this.port}/${mount}`);
    const child = spawn('ffmpeg', args, { stdio: 'ignore' });
    this.sources.set(mount, child);
    await waitFor(
      async () => {
        const status = await this.status();
        if (status?.some((s) => s.listenurl?.endsWith(`/${mount}`))) return true;
        if (child.exitCode !== null) throw new ExitedError(`ffmpeg source for ${mount} exited`);
        return false;
      },
      { interval: 50, what: `mount ${mount} to come up`, stopOn: (err) => err instanceof ExitedError },
    );
    await this.setTitle(mount, title);
  }

  /**
   * The mounts as status-json.xsl lists them; null when the page is not valid JSON (Icecast 2.4.4's
   * stylesheet writes broken JSON for some values, e.g. while a source connects).
   */
  async status(): Promise<{ listenurl?: string; listeners?: number; title?: string }[] | null> {
    const text = await (await fetch(`${this.url}/status-json.xsl`)).text();
    try {
      const status = JSON.parse(text) as IcecastStatus;
      return [status.icestats.source ?? []].flat();
    } catch {
      return null;
    }
  }

  /** Sets the mount's song title, as playout software does through the admin metadata route. */
  async setTitle(mount: string, song: string): Promise<void> {
    const auth = Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString('base64');
    const res = await fetch(
      `${this.url}/admin/metadata?mount=/${mount}&mode=updinfo&song=${encodeURIComponent(song)}`,
      { headers: { authorization: `Basic ${auth}` } },
    );
    const text = await res.text();
    if (!text.includes('Metadata update successful')) throw new Error(`metadata update failed: ${text}`);
  }

  /** Kills the Icecast process (the sources lose their connection too). */
  async kill(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await once(server, 'exit');
    }
    for (const [mount, source] of this.sources) {
      if (source.exitCode === null) source.kill('SIGKILL');
      this.sources.delete(mount);
    }
  }

  stop(): Promise<void> {
    return this.kill();
  }
}

interface IcecastStatus {
  icestats: { source?: IcecastSource | IcecastSource[] };
}

interface IcecastSource {
  listenurl?: string;
  listeners?: number;
  title?: string;
}
