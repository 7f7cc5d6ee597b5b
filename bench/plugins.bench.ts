/**
 * Plugin host memory under an alert flood: one plugin raises 1 KiB alerts as fast as it
 * can for a while; the host's resident size is sampled throughout. The host drops what
 * exceeds the per-plugin alert rate (counted) and bounds each message, so its memory
 * stays flat however long the flood lasts. The figure is quoted in docs/plugins.md.
 */
import { generateKeyPair } from '../packages/plugins/src/signing/keys.js';
import { loadPluginPackage } from '../packages/plugins/src/package/plugin-package.js';
import { PluginHost } from '../packages/plugins/src/host/plugin-host.js';
import { sampleEvents, tmpDir, writeSignedPlugin } from '../packages/plugins/src/testing/fixtures.js';

const FLOOD_MS = 10_000;
const mib = (n: number) => Math.round((n / (1024 * 1024)) * 10) / 10;

export async function run(): Promise<Record<string, string | number>[]> {
  const { publicKey, secretKey } = generateKeyPair();
  const source = `export async function onEvent(event, ctx) {
    const end = Date.now() + ${FLOOD_MS};
    for (let i = 0; Date.now() < end; i++) {
      ctx.alert({ title: 'flood ' + i, severity: 'low', details: { pad: 'x'.repeat(1024) } });
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
  }`;
  const dir = writeSignedPlugin(tmpDir(), { name: 'flood', source, capabilities: ['alert'] }, secretKey);
  const host = new PluginHost({ batchTimeoutMs: FLOOD_MS + 10_000, heartbeatTimeoutMs: FLOOD_MS + 10_000, slowBatchMs: FLOOD_MS + 10_000 });
  let delivered = 0;
  host.on('alert', () => delivered++);
  await host.add(loadPluginPackage(dir, { keys: [publicKey] }));
  await host.ready();
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  await host.deliver(sampleEvents(1));
  clearInterval(sampler);
  const s = host.stats().plugins[0];
  await host.close();
  return [
    {
      scenario: `1 KiB alerts for ${FLOOD_MS / 1000} s`,
      'alerts raised': (s?.alerts ?? 0) + (s?.droppedAlerts ?? 0),
      delivered,
      dropped: s?.droppedAlerts ?? 0,
      'host RSS before (MiB)': mib(before),
      'host RSS peak (MiB)': mib(peak),
      'growth (MiB)': mib(peak - before),
      'plugin failures': s?.failures ? `${s.failures} (${s.lastFailure?.reason}: ${s.lastFailure?.message})` : 0,
    },
  ];
}
