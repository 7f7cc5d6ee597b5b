// Starts Debian's nats-server for tests: JetStream on, a temp store, free 127.0.0.1 ports.
// A single server or a three-node cluster; each node can be stopped and started again on the
// same ports and store (a restart keeps the stream).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why the NATS tests skip, or undefined when nats-server is installed. */
export const natsSkipReason: string | undefined =
  spawnSync('nats-server', ['--version'], { encoding: 'utf8' }).status === 0 ? undefined : 'nats-server is not installed (npm run setup installs the Debian package)';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class NatsNode {
  private child: ChildProcess | undefined;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly config: string,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('nats-server', ['-c', this.config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let log = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nats-server ${this.name} did not start:\n${log}`)), 15_000);
      child.stderr!.on('data', (d: Buffer) => {
        log += d.toString();
        if (log.includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nats-server ${this.name} exited (${code}):\n${log}`));
      });
    });
    child.removeAllListeners('exit');
  }

  /** SIGKILL (a crash), or SIGTERM (a clean stop). */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }
}

export class NatsFixture {
  private constructor(
    readonly nodes: NatsNode[],
    private readonly dir: string,
  ) {}

  get url(): string {
    return this.nodes.map((n) => n.url).join(',');
  }

  /** One server (size 1) or a cluster (size 3) with JetStream. */
  static async start(size = 1): Promise<NatsFixture> {
    const dir = mkdtempSync(join(tmpdir(), 'edrkit-nats-'));
    const ports = await Promise.all(Array.from({ length: size }, freePort));
    const routes = await Promise.all(Array.from({ length: size }, freePort));
    const nodes = ports.map((port, i) => {
      const config = join(dir, `n${i}.conf`);
      const cluster =
        size > 1
          ? `cluster { name: edrkit-test, listen: 127.0.0.1:${routes[i]}, routes: [${routes.map((r) => `nats-route://127.0.0.1:${r}`).join(', ')}] }`
          : '';
      writeFileSync(config, `server_name: n${i}\nlisten: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, `store${i}`)}", max_memory_store: 64MB, max_file_store: 256MB }\n${cluster}\n`);
      return new NatsNode(`n${i}`, port, config);
    });
    const fixture = new NatsFixture(nodes, dir);
    await Promise.all(nodes.map((n) => n.start()));
    return fixture;
  }

  async close(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
