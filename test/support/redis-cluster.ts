import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import { freePort } from './redis-server.ts';

const run = promisify(execFile);

interface Node {
  port: number;
  dir: string;
  process: ChildProcess | null;
}

/**
 * A real Redis Cluster on loopback for tests: `masters` masters with `replicasPerMaster` replicas
 * each, started from `redis-server --cluster-enabled yes` and joined with `redis-cli --cluster create`,
 * as an operator would. A node can be killed to play a master failover.
 */
export class TestRedisCluster {
  private readonly nodes: Node[];

  private constructor(nodes: Node[]) {
    this.nodes = nodes;
  }

  static async start(masters = 3, replicasPerMaster = 1): Promise<TestRedisCluster> {
    const count = masters * (1 + replicasPerMaster);
    const nodes: Node[] = [];
    for (let i = 0; i < count; i++) {
      nodes.push({ port: await freePort(), dir: mkdtempSync(join(tmpdir(), 'um-cluster-')), process: null });
    }
    const cluster = new TestRedisCluster(nodes);
    try {
      await Promise.all(nodes.map((node) => cluster.startNode(node)));
      if (masters === 1 && replicasPerMaster === 0) {
        // redis-cli --cluster create wants three masters; one master takes every slot by itself.
        await run('redis-cli', ['-p', String(nodes[0]?.port), 'CLUSTER', 'ADDSLOTSRANGE', '0', '16383']);
      } else
        await run(
          'redis-cli',
          [
            '--cluster',
            'create',
            ...nodes.map((n) => `127.0.0.1:${n.port}`),
            '--cluster-replicas',
            String(replicasPerMaster),
            '--cluster-yes',
          ],
          { timeout: 60_000 },
        );
      await cluster.waitUntilOk();
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  /** `host:port,...` as REDIS_CLUSTER_NODES takes it. */
  get nodesSetting(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  get startupNodes(): { host: string; port: number }[] {
    return this.nodes.map((n) => ({ host: '127.0.0.1', port: n.port }));
  }

  /** A plain cluster client for tests to look at keys with. */
  client(): Cluster {
    return new Cluster(this.startupNodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  }

  /** The port of the master that serves `key`. */
  async masterOf(key: string): Promise<number> {
    const { stdout: slot } = await run('redis-cli', [
      '-p',
      String(this.liveNode()),
      'CLUSTER',
      'KEYSLOT',
      key,
    ]);
    const { stdout: slots } = await run('redis-cli', [
      '-p',
      String(this.liveNode()),
      '--json',
      'CLUSTER',
      'SLOTS',
    ]);
    const wanted = Number(slot.trim());
    for (const range of JSON.parse(slots) as [number, number, [string, number, string]][]) {
      if (wanted >= range[0] && wanted <= range[1]) return range[2][1];
    }
    throw new Error(`no master serves slot ${wanted}`);
  }

  private liveNode(): number {
    const node = this.nodes.find((n) => n.process && n.process.exitCode === null);
    if (!node) throw new Error('no cluster node is running');
    return node.port;
  }

  /** Kills one node (SIGKILL), as a crashed master. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port);
    const child = node?.process;
    if (!node || !child || child.exitCode !== null) return;
    node.process = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Waits until every live node says the cluster is ok and every live replica is in sync. */
  async waitUntilOk(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(
        this.nodes
          .filter((n) => n.process)
          .map((n) =>
            run('redis-cli', ['-p', String(n.port), 'CLUSTER', 'INFO']).then(
              (r) => r.stdout,
              () => '',
            ),
          ),
      );
      const replication = await Promise.all(
        this.nodes
          .filter((n) => n.process)
          .map((n) =>
            run('redis-cli', ['-p', String(n.port), 'INFO', 'replication']).then(
              (r) => r.stdout,
              () => '',
            ),
          ),
      );
      // Every replica has finished its first sync with its master (else WAIT counts it out).
      const replicasUp = replication.every(
        (info) => !info.includes('role:slave') || info.includes('master_link_status:up'),
      );
      if (states.every((s) => s.includes('cluster_state:ok')) && replicasUp) return;
      if (Date.now() > deadline) throw new Error(`cluster not ok after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const child = node.process;
        node.process = null;
        if (child && child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          await exited;
        }
        rmSync(node.dir, { recursive: true, force: true });
      }),
    );
  }

  private async startNode(node: Node): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(node.port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(node.dir, 'nodes.conf'),
        // A lone node never learns its own address from a peer: announce it, or CLUSTER SLOTS says "".
        '--cluster-announce-ip',
        '127.0.0.1',
        '--cluster-node-timeout',
        '2000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        node.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    node.process = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout?.off('data', onData);
          child.off('exit', onExit);
          resolve();
        }
      };
      const onExit = (code: number | null) => reject(new Error(`redis-server exited (${code}): ${output}`));
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
    });
    child.stdout?.resume();
  }
}
