import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** A peer bot (plain @discordjs/voice or discord-player) in its own process, ready once it registered /play. */
export class PeerProcess {
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.child = child;
  }

  static async start(dir: string, script: string, env: Record<string, string>): Promise<PeerProcess> {
    const child = spawn(process.execPath, [script], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('bench-peer-ready')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`${script} exited (${code}):\n${stderr}`)));
    });
    child.stdout?.resume();
    return new PeerProcess(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }
}
