import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BurstResult, WorldInfo, WorldReply, WorldRequest } from './protocol.ts';

/** The world process (fake Discord, fake voice server, media server), driven over IPC. */
export class World {
  readonly info: WorldInfo;
  private readonly child: ChildProcess;
  private next = 1;
  private readonly pending = new Map<number, (r: WorldReply) => void>();

  private constructor(child: ChildProcess, info: WorldInfo) {
    this.child = child;
    this.info = info;
    child.on('message', (m) => {
      const reply = m as WorldReply;
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static async start(): Promise<World> {
    const child = fork(fileURLToPath(new URL('./child.ts', import.meta.url)), [], {
      execArgv: ['--disable-warning=ExperimentalWarning'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // The world takes every time stamp: on a shared machine it gets the CPU first (when allowed), so
    // that its own waiting does not show up as the bot's gaps.
    try {
      setPriority(child.pid!, -10);
    } catch {
      // not permitted: measured at normal priority
    }
    const [first] = (await once(child, 'message')) as [WorldReply];
    if (!first.ok) throw new Error(first.error);
    return new World(child, first.value as WorldInfo);
  }

  get pid(): number {
    return this.child.pid!;
  }

  private call(req: WorldRequest): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (r) => (r.ok ? resolve(r.value) : reject(new Error(r.error))));
      this.child.send({ ...req, id });
    });
  }

  commandsRegistered(): Promise<unknown> {
    return this.call({ cmd: 'commands' });
  }

  addGuilds(count: number): Promise<unknown> {
    return this.call({ cmd: 'guilds', count });
  }

  burst(source: 'mp3' | 'ogg', windowMs: number, timeoutMs: number): Promise<BurstResult> {
    return this.call({ cmd: 'burst', source, windowMs, timeoutMs }) as Promise<BurstResult>;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
