// One nats-server on a given port (for a test that starts its client first).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsNode } from './nats-server.js';

export async function NatsFixtureAt(port: number): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'edrkit-nats-'));
  const config = join(dir, 'n.conf');
  writeFileSync(config, `listen: 127.0.0.1:${port}\njetstream { store_dir: "${join(dir, 'store')}" }\n`);
  const node = new NatsNode('n', port, config);
  await node.start();
  return {
    url: node.url,
    async stop() {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
