/**
 * Hostile plugins against the OS-level confinement (issue 9): one test per attack, each
 * asserting that the attack fails with a named code while a well-behaved plugin in the
 * same host receives every event. All attackers run together in one host over one replay
 * (cheap: one start per plugin). Root only: the unprivileged identity and the network
 * namespace need root, and CI runs as root.
 */
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, chmodSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { openSensor, ReplayBackend, type EdrEvent } from '@edrkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPluginPackage } from '../../packages/plugins/src/package/plugin-package.js';
import { generateKeyPair } from '../../packages/plugins/src/signing/keys.js';
import { GOOD_PLUGIN_CONFIG, GOOD_PLUGIN_SOURCE, sampleEvents, tmpDir, writeRecording, writeSignedPlugin, type PluginSpec } from '../../packages/plugins/src/testing/fixtures.js';
import { PluginHost } from '../../packages/plugins/src/host/plugin-host.js';
import type { PluginAlert, PluginFailure, PluginLog, PluginRefusal, PluginStats } from '../../packages/plugins/src/host/types.js';
import { waitForExit, startHostProcess } from './hostile-helpers.js';

const isRoot = process.getuid?.() === 0;
const { publicKey, secretKey } = generateKeyPair();
const EVENTS = sampleEvents(30);
const SHELLS = EVENTS.filter((e) => e.kind === 'process.exec' && e.process.exe === '/bin/sh').length;
const FLOOD = 20_000;
const POLICY = {
  batchTimeoutMs: 4_000,
  startTimeoutMs: 4_000,
  heartbeatMs: 100,
  heartbeatTimeoutMs: 3_000,
  backoffMs: 20,
  maxFailures: 3,
  slowBatchMs: 400,
  maxSlowBatches: 2,
  maxAlertsPerSecond: 100,
  alertBurst: 200,
  maxLogsPerSecond: 50,
  logBurst: 50,
};

/** A plugin that runs `body` (async, with `event`, `ctx`, `results`) on its first event and alerts the results. */
function probe(name: string, body: string, extra: Partial<PluginSpec> = {}): PluginSpec {
  return {
    name,
    source: `let done = false;
export async function onEvent(event, ctx) {
  if (done) return;
  done = true;
  const results = {};
  const code = (e) => (e && (e.code || (e.cause && e.cause.code) || e.name)) || String(e);
  ${body}
  ctx.alert({ title: '${name}', severity: 'info', details: results });
}`,
    capabilities: ['alert'],
    ...extra,
  };
}

interface Run {
  host: PluginHost;
  alerts: PluginAlert[];
  failures: PluginFailure[];
  refusals: PluginRefusal[];
  logs: PluginLog[];
  /** Stats of `slow` at the moment `good` raised its last alert. */
  slowWhenGoodDone: PluginStats | undefined;
  /** Alerts of `good` before `hangsetup` failed for the first time. */
  goodAlertsBeforeSetupFailure: number | undefined;
  accepted: { tcp: number; udp: number; unix: number; abstract: number };
}

describe.skipIf(!isRoot)(`hostile plugins are contained by the OS${isRoot ? '' : ' — skipped: needs root (unprivileged identity, network namespace)'}`, () => {
  let run: Run;
  const servers: Server[] = [];
  const udp = createSocket('udp4');
  let work: string;

  const stats = (name: string) => run.host.stats().plugins.find((p) => p.plugin === name) as PluginStats;
  const details = (name: string) => run.alerts.find((a) => a.plugin === name)?.alert.details as Record<string, string> | undefined;

  beforeAll(async () => {
    work = tmpDir('edrkit-hostile-');
    const accepted = { tcp: 0, udp: 0, unix: 0, abstract: 0 };
    const listen = (key: keyof typeof accepted, target: number | string) =>
      new Promise<Server>((resolve) => {
        const server = createServer((s) => {
          accepted[key]++;
          s.destroy();
        });
        servers.push(server);
        if (typeof target === 'number') server.listen(target, '127.0.0.1', () => resolve(server));
        else server.listen(target, () => resolve(server));
      });
    const tcp = await listen('tcp', 0);
    const tcpPort = (tcp.address() as { port: number }).port;
    // World-writable socket in a world-writable directory: file permissions are no defence here.
    const sockDir = path.join(work, 'sockets');
    mkdirSync(sockDir);
    chmodSync(sockDir, 0o777);
    chmodSync(work, 0o755);
    const sockPath = path.join(sockDir, 'host.sock');
    await listen('unix', sockPath);
    chmodSync(sockPath, 0o777);
    const abstractName = `\0edrkit-hostile-${process.pid}`;
    await listen('abstract', abstractName);
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
    udp.on('message', () => accepted.udp++);
    const udpPort = udp.address().port;

    const good: PluginSpec = { name: 'good', source: GOOD_PLUGIN_SOURCE, ...GOOD_PLUGIN_CONFIG };
    const attackers: PluginSpec[] = [
      probe(
        'signals',
        `for (const sig of ['SIGKILL', 'SIGSTOP', 'SIGINT', 'SIGTERM']) { try { process.kill(process.ppid, sig); results['ppid:' + sig] = 'delivered'; } catch (e) { results['ppid:' + sig] = code(e); } }
         try { process.kill(ctx.config.victim, 'SIGKILL'); results.sibling = 'delivered'; } catch (e) { results.sibling = code(e); }
         // kill(-1) returns 0 even when every signal was refused (EPERM), so its effect is checked host-side.
         try { process.kill(-1, 'SIGKILL'); } catch {}`,
      ),
      probe(
        'network',
        `const net = await import('node:net');
         const dgram = await import('node:dgram');
         const attempt = (key, make) => new Promise((resolve) => { const s = make(); const end = (v) => { results[key] = v; try { s.destroy(); } catch {} resolve(); };
           s.on('connect', () => end('connected')); s.on('listening', () => end('listening')); s.on('error', (e) => end(code(e))); setTimeout(() => end('timeout'), 2000); });
         await attempt('tcp', () => net.connect(${tcpPort}, '127.0.0.1'));
         await attempt('tcp6', () => net.connect(${tcpPort}, '::1'));
         await attempt('unix', () => net.connect(${JSON.stringify(sockPath)}));
         await attempt('abstract', () => net.connect(${JSON.stringify(abstractName)}));
         await attempt('listen81', () => net.createServer().listen(81));
         await attempt('listenUnix', () => net.createServer().listen(${JSON.stringify(path.join(sockDir, 'plugin.sock'))}));
         results.udp = await new Promise((resolve) => { try { const u = dgram.createSocket('udp4'); u.on('error', (e) => resolve(code(e))); u.send('x', ${udpPort}, '127.0.0.1', (e) => resolve(e ? code(e) : 'sent')); } catch (e) { resolve(code(e)); } });
         try { await fetch('http://127.0.0.1:${tcpPort}/'); results.fetch = 'fetched'; } catch (e) { results.fetch = code(e); }`,
      ),
      {
        name: 'forger',
        capabilities: [],
        // No alert/log capability: it writes protocol lines to the channel itself.
        source: `import { writeSync } from 'node:fs';
let done = false;
export function onEvent(event) {
  if (done) return;
  done = true;
  writeSync(3, JSON.stringify({ t: 'alert', id: 1, index: 0, alert: { title: 'forged', severity: 'critical' } }) + '\\n');
  writeSync(3, JSON.stringify({ t: 'log', level: 'error', message: 'forged log' }) + '\\n');
}`,
      },
      {
        name: 'ansi',
        capabilities: ['log'],
        source: `export function onEvent(event, ctx) { if (event.seq === 1) ctx.log.error('ok\\r\\n\\u001b[2K\\u001b[1Aedrkit: plugin good 1.0.0 failed (crash): fake\\u001b[0m'); }`,
      },
      {
        name: 'flood',
        capabilities: ['alert'],
        source: `export function onEvent(event, ctx) { if (event.seq !== 1) return; for (let i = 0; i < ${FLOOD}; i++) ctx.alert({ title: 'flood ' + i, severity: 'low', details: { pad: 'x'.repeat(1000) } }); }`,
      },
      {
        name: 'bigframe',
        capabilities: ['alert'],
        source: `import { writeSync } from 'node:fs';
export function onEvent() { writeSync(3, '{"t":"log","level":"info","message":"' + 'x'.repeat(3 * 1024 * 1024)); }`,
      },
      { name: 'slow', capabilities: ['alert'], source: `export async function onEvent() { await new Promise((r) => setTimeout(r, 200)); }` },
      { name: 'hangsetup', capabilities: ['alert'], source: `export async function setup() { await new Promise(() => {}); } export function onEvent() {}` },
    ];

    const host = new PluginHost(POLICY);
    run = { host, alerts: [], failures: [], refusals: [], logs: [], slowWhenGoodDone: undefined, goodAlertsBeforeSetupFailure: undefined, accepted };
    host.on('alert', (a) => {
      if (a.plugin === 'flood') return;
      run.alerts.push(a);
      if (a.plugin === 'good' && run.alerts.filter((x) => x.plugin === 'good').length === SHELLS) run.slowWhenGoodDone = stats('slow');
    });
    host.on('failure', (f) => {
      run.failures.push(f);
      if (f.plugin === 'hangsetup') run.goodAlertsBeforeSetupFailure ??= run.alerts.filter((x) => x.plugin === 'good').length;
    });
    host.on('refusal', (r) => run.refusals.push(r));
    host.on('log', (l) => run.logs.push(l));
    const load = (spec: PluginSpec) => loadPluginPackage(writeSignedPlugin(work, spec, secretKey), { keys: [publicKey] });
    // The hanging setup is added first: it must not hold back anyone added after it.
    await host.add(load(attackers.find((a) => a.name === 'hangsetup') as PluginSpec));
    await host.add(load(good));
    while (stats('good').state !== 'running') await new Promise((r) => setTimeout(r, 20));
    for (const spec of attackers.filter((a) => a.name !== 'hangsetup')) {
      await host.add(load(spec), spec.name === 'signals' ? { config: { victim: stats('good').pid } } : {});
    }
    const sensor = await openSensor({ backend: new ReplayBackend({ path: writeRecording(path.join(work, 'rec.jsonl'), EVENTS) }) });
    await host.attach(sensor, { batchSize: 5 });
  }, 60_000);

  afterAll(async () => {
    await run?.host.close();
    for (const s of servers) s.close();
    udp.close();
  });

  it('the well-behaved plugin receives every event and alerts on every shell, under full confinement', () => {
    expect(stats('good')).toMatchObject({ state: 'running', events: EVENTS.length, failures: 0, lostEvents: 0, alerts: SHELLS });
    const sandbox = stats('good').sandbox;
    for (const layer of ['launcher', 'session', 'identity', 'pdeathsig', 'nonewprivs', 'network', 'seccomp', 'nofile', 'nocore', 'permission']) expect(sandbox[layer], layer).toBe('held');
  });

  it('signals to the host (SIGKILL, SIGSTOP, SIGINT, SIGTERM), a sibling plugin and every process are refused (EPERM)', () => {
    expect(details('signals')).toEqual({ 'ppid:SIGKILL': 'EPERM', 'ppid:SIGSTOP': 'EPERM', 'ppid:SIGINT': 'EPERM', 'ppid:SIGTERM': 'EPERM', sibling: 'EPERM' });
    expect(stats('good')).toMatchObject({ failures: 0, restarts: 0 });
    // kill(-1, SIGKILL) reached no one: no plugin died of a signal the host did not send.
    expect(run.failures.filter((f) => / died with SIG/.test(f.message))).toEqual([]);
  });

  it('TCP, UDP, fetch, listen(81), Unix and abstract sockets all fail with an error code, and nothing reached the host', () => {
    const r = details('network') as Record<string, string>;
    for (const key of ['tcp', 'tcp6', 'unix', 'abstract', 'listen81', 'listenUnix', 'udp', 'fetch']) expect(r[key], key).toMatch(/^E[A-Z]+$/);
    expect(run.accepted).toEqual({ tcp: 0, udp: 0, unix: 0, abstract: 0 });
    expect(existsSync(path.join(work, 'sockets', 'plugin.sock'))).toBe(false);
  });

  it('a forged alert and a forged log without the capabilities are refused (ERR_PLUGIN_CAPABILITY), counted and reported once', () => {
    expect(stats('forger')).toMatchObject({ alerts: 0, refusedAlerts: 1, refusedLogs: 1, state: 'running', events: EVENTS.length });
    expect(run.refusals.filter((r) => r.plugin === 'forger').map((r) => r.code)).toEqual(['ERR_PLUGIN_CAPABILITY']);
    expect(run.logs.filter((l) => l.plugin === 'forger')).toEqual([]);
  });

  it('log text with ANSI escapes and CR/LF reaches the host as one escaped line', () => {
    const lines = run.logs.filter((l) => l.plugin === 'ansi');
    expect(lines).toHaveLength(1);
    expect(lines[0]?.message).toBe('ok\\r\\n\\x1b[2K\\x1b[1Aedrkit: plugin good 1.0.0 failed (crash): fake\\x1b[0m');
  });

  it('an alert flood is rate-limited: every alert is either delivered or counted as dropped (ERR_PLUGIN_ALERT_RATE)', () => {
    const s = stats('flood');
    expect(s.alerts + s.droppedAlerts).toBe(FLOOD);
    expect(s.droppedAlerts).toBeGreaterThan(FLOOD / 2);
    expect(s).toMatchObject({ state: 'running', failures: 0 });
    expect(run.refusals.filter((r) => r.plugin === 'flood').map((r) => r.code)).toContain('ERR_PLUGIN_ALERT_RATE');
  });

  it('a message over the frame bound is a protocol failure (ERR_PLUGIN_PROTOCOL), not host memory', () => {
    expect(run.failures.filter((f) => f.plugin === 'bigframe').map((f) => f.code)).toContain('ERR_PLUGIN_PROTOCOL');
  });

  it('a slow plugin is flagged, restarted after repeated overruns (ERR_PLUGIN_SLOW), and does not hold back the good plugin', () => {
    expect(stats('slow').slowBatches).toBeGreaterThanOrEqual(POLICY.maxSlowBatches);
    expect(run.failures.filter((f) => f.plugin === 'slow').map((f) => f.code)).toContain('ERR_PLUGIN_SLOW');
    expect(run.refusals.filter((r) => r.plugin === 'slow').map((r) => r.code)).toEqual(['ERR_PLUGIN_SLOW_BATCH']);
    // When the good plugin had handled its last shell, the slow one was still behind.
    expect(run.slowWhenGoodDone?.events ?? 0).toBeLessThan(EVENTS.length);
  });

  it('a hanging setup() fails only its own plugin (ERR_PLUGIN_SETUP); the good plugin, added after it, alerted first', () => {
    expect(run.failures.filter((f) => f.plugin === 'hangsetup').map((f) => f.code)).toContain('ERR_PLUGIN_SETUP');
    // Before the fix, no event reached any plugin until the hanging setup timed out.
    expect(run.goodAlertsBeforeSetupFailure).toBeGreaterThan(0);
  });

  it('an event that cannot be serialised is dropped and counted (ERR_PLUGIN_UNSENDABLE_EVENT), not charged to the plugin', async () => {
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 100_000; i++) deep = deep.next = {};
    const bad = { ...EVENTS[0], seq: 1000, raw: { linux: top } } as unknown as EdrEvent;
    const before = stats('good');
    await run.host.deliver([bad, ...EVENTS.slice(0, 3)]);
    const after = stats('good');
    expect(after.unsendableEvents - before.unsendableEvents).toBe(1);
    expect(after.events - before.events).toBe(3);
    expect(after.failures).toBe(0);
    expect(run.refusals.filter((r) => r.plugin === 'good').map((r) => r.code)).toEqual(['ERR_PLUGIN_UNSENDABLE_EVENT']);
  });

  it('memory outside the V8 heap is capped by the kernel (cgroup) and the failure names the limit (ERR_PLUGIN_MEMORY)', async () => {
    const host = new PluginHost({ ...POLICY, rssLimitMb: 96, maxFailures: 1 });
    const failures: PluginFailure[] = [];
    host.on('failure', (f) => failures.push(f));
    const hog = { name: 'hog', capabilities: [], source: `export function onEvent() { const keep = []; for (;;) keep.push(Buffer.alloc(4 << 20, 1)); }` };
    await host.add(loadPluginPackage(writeSignedPlugin(work, hog, secretKey), { keys: [publicKey] }));
    await host.ready();
    expect(host.stats().plugins[0]?.sandbox.cgroupMemory).toBe('held');
    await host.deliver(EVENTS.slice(0, 1));
    await host.close();
    expect(failures.map((f) => [f.code, f.message])).toEqual([['ERR_PLUGIN_MEMORY', expect.stringMatching(/^plugin hog exceeded its 96 MiB memory limit \(cgroup memory\.(max|limit_in_bytes)\)$/)]]);
  });

  it('a configured user that does not exist fails closed: the plugin never runs as root (ERR_PLUGIN_SETUP)', async () => {
    const host = new PluginHost({ ...POLICY, user: 'edrkit-no-such-user', maxFailures: 1 });
    const failures: PluginFailure[] = [];
    host.on('failure', (f) => failures.push(f));
    await host.add(loadPluginPackage(writeSignedPlugin(work, { name: 'nouser', source: GOOD_PLUGIN_SOURCE, ...GOOD_PLUGIN_CONFIG }, secretKey), { keys: [publicKey] }));
    await host.ready();
    await host.close();
    expect(failures.map((f) => [f.code, f.message])).toEqual([['ERR_PLUGIN_SETUP', expect.stringContaining("confinement could not be applied: no user 'edrkit-no-such-user' on this host")]]);
  });

  it('no plugin process outlives a host killed with SIGKILL, even one that ignores its channel closing', async () => {
    const dir = writeSignedPlugin(
      work,
      { name: 'orphan', source: `export function onEvent() { process.exit = () => {}; process.removeAllListeners(); setInterval(() => {}, 1000); }`, capabilities: [] },
      secretKey,
    );
    const child = await startHostProcess(dir, publicKey);
    expect(readFileSync(`/proc/${child.pluginPid}/status`, 'utf8')).toMatch(/Uid:\s+65534/);
    child.host.kill('SIGKILL');
    expect(await waitForExit(child.pluginPid, 5_000)).toBe(true);
  });
  it('a declared network capability is granted only when the operator allows it; a plugin without it stays cut off', async () => {
    let accepted = 0;
    const server = createServer((sock) => {
      accepted++;
      sock.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const body = `const net = await import('node:net');
       results.tcp = await new Promise((resolve) => { const s = net.connect(${port}, '127.0.0.1'); s.on('connect', () => { s.destroy(); resolve('connected'); }); s.on('error', (e) => resolve(code(e))); setTimeout(() => resolve('timeout'), 2000); });`;
    const host = new PluginHost({ ...POLICY, allowNetwork: ['netallowed'] });
    const alerts: PluginAlert[] = [];
    host.on('alert', (a) => alerts.push(a));
    for (const name of ['netallowed', 'netdeclared']) {
      await host.add(loadPluginPackage(writeSignedPlugin(work, probe(name, body, { capabilities: ['alert', 'network'] }), secretKey), { keys: [publicKey] }));
    }
    await host.ready();
    await host.deliver(EVENTS.slice(0, 1));
    const deadline = Date.now() + 10_000;
    while (alerts.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await host.close();
    server.close();
    const result = (name: string) => (alerts.find((a) => a.plugin === name)?.alert.details as Record<string, string> | undefined)?.tcp;
    expect(result('netallowed')).toBe('connected');
    expect(result('netdeclared')).toMatch(/^E[A-Z]+$/);
    expect(accepted).toBe(1);
    expect(host.stats().plugins.find((p) => p.plugin === 'netallowed')?.sandbox.network).not.toBe('held');
  });
});
