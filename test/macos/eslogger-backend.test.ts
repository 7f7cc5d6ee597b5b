// The macos-eslogger backend against the stand-in eslogger (test/fixtures/eslogger-standin):
// spawning with the subscribed event names, streaming, lineage, backpressure with bounded
// reading, eslogger exiting or refusing to start, stop(); and the probe on hosts that are not
// a Mac with root.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openSensor, type EdrEvent, type ObservableKind } from '@edrkit/core';
import { EsloggerBackend, esloggerDescriptor, type MacosHostApi } from '@edrkit/macos';
import { afterEach, describe, expect, it } from 'vitest';
import { captureText } from './capture.js';

const STANDIN = path.resolve(import.meta.dirname, '../fixtures/eslogger-standin/eslogger');
const dir = mkdtempSync(path.join(tmpdir(), 'edrkit-standin-'));
const capture = path.join(dir, 'capture.jsonl');
writeFileSync(capture, captureText());
const argvFile = path.join(dir, 'argv.json');

const mac = (over: Partial<MacosHostApi> = {}): MacosHostApi => ({ platform: 'darwin', isRoot: () => true, macosVersion: () => '15.4', isExecutable: () => true, ...over });
const KINDS: ObservableKind[] = ['process.exec', 'process.fork', 'process.exit', 'file.create', 'service.create'];

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('EDRKIT_STANDIN_')) delete process.env[k];
  Object.assign(process.env, saved);
});

function standin(env: Record<string, string>): void {
  Object.assign(process.env, { EDRKIT_STANDIN_CAPTURE: capture, EDRKIT_STANDIN_ARGV: argvFile, ...env });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('macos-eslogger with the stand-in eslogger', () => {
  it('subscribes to the events of the kinds asked for and streams them, with lineage', async () => {
    standin({ EDRKIT_STANDIN_MODE: 'stream' });
    const sensor = await openSensor({ backend: new EsloggerBackend({ esloggerPath: STANDIN }, mac()), kinds: KINDS });
    const got: EdrEvent[] = [];
    for await (const e of sensor) {
      got.push(e);
      if (e.kind === 'process.exit') break;
    }
    const { pid, args } = JSON.parse(readFileSync(argvFile, 'utf8')) as { pid: number; args: string[] };
    expect(args).toEqual(['--format', 'json', 'exec', 'fork', 'create', 'exit', 'link', 'btm_launch_item_add']);
    expect(got.map((e) => e.kind)).toEqual(['process.exec', 'process.fork', 'process.exec', 'file.create', 'service.create', 'process.exit']);
    expect(got[2]).toMatchObject({ source: 'macos-eslogger', platform: 'macos', process: { exe: '/usr/bin/base64', parent: { pid: 500, exe: '/bin/zsh' } } });
    await sensor.close();
    expect(alive(pid)).toBe(false);
    expect(sensor.stats().backend).toMatchObject({ received: 6, malformed: 0, esDropped: 0 });
  });

  it('a slow consumer pauses the reading: memory stays bounded, nothing is dropped', async () => {
    const progress = path.join(dir, 'progress');
    standin({ EDRKIT_STANDIN_MODE: 'flood', EDRKIT_STANDIN_COUNT: '1000', EDRKIT_STANDIN_PROGRESS: progress });
    // batchSize 1: sink.ready() says the queue has room for one more, so larger batches could overflow it.
    const backend = new EsloggerBackend({ esloggerPath: STANDIN, batchSize: 1 }, mac());
    const sensor = await openSensor({ backend, kinds: KINDS, maxQueue: 64, lifecycleEvents: false });
    const events = sensor.events();
    await sleep(1500); // nobody reads
    const readWhilePaused = backend.stats().received;
    const writtenWhilePaused = Number(readFileSync(progress, 'utf8'));
    // Bounded: a queue, a batch, the pipe and the stand-in's own buffer, far from 6000 lines.
    expect(readWhilePaused).toBeLessThan(1000);
    expect(writtenWhilePaused).toBeLessThan(2000);
    let n = 0;
    for await (const e of events) {
      if (e.kind === 'sensor.lost') throw new Error(JSON.stringify(e.lost));
      if (++n === 6000) break;
    }
    await sensor.close();
    expect(sensor.stats().dropped).toMatchObject({ queue: 0 });
  });

  it.each([
    ['Full Disk Access not granted', { EDRKIT_STANDIN_STDERR: 'Failed to create client: ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED\n' }, 'ERR_PERMISSION', /Full Disk Access/],
    ['not root', { EDRKIT_STANDIN_STDERR: 'ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED\n' }, 'ERR_PERMISSION', /run edrkit with sudo/],
    ['too many clients', { EDRKIT_STANDIN_STDERR: 'ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS\n' }, 'ERR_BACKEND_UNAVAILABLE', /stop another ES client/],
    ['something else', { EDRKIT_STANDIN_STDERR: 'eslogger: something odd\n', EDRKIT_STANDIN_EXIT_CODE: '3' }, 'ERR_BACKEND_FAILED', /exited with code 3; eslogger said: eslogger: something odd/],
  ])('eslogger refusing to start (%s) is a clear error', async (_name, env, code, message) => {
    standin({ EDRKIT_STANDIN_MODE: 'refuse', ...env });
    const sensor = await openSensor({ backend: new EsloggerBackend({ esloggerPath: STANDIN }, mac()), kinds: KINDS });
    await expect((async () => {
      for await (const _ of sensor);
    })()).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
  });

  it('eslogger ending while running is an error, after the events it wrote', async () => {
    standin({ EDRKIT_STANDIN_MODE: 'exit', EDRKIT_STANDIN_EXIT_CODE: '0' });
    const sensor = await openSensor({ backend: new EsloggerBackend({ esloggerPath: STANDIN }, mac()), kinds: KINDS, lifecycleEvents: false });
    const kinds: string[] = [];
    await expect((async () => {
      for await (const e of sensor) kinds.push(e.kind);
    })()).rejects.toMatchObject({ code: 'ERR_BACKEND_FAILED', message: expect.stringContaining('eslogger exited with code 0') });
    expect(kinds).toHaveLength(6);
  });

  it('an event this eslogger does not know is ERR_NOT_SUPPORTED naming it', async () => {
    standin({ EDRKIT_STANDIN_MODE: 'stream', EDRKIT_STANDIN_LIST: 'fail', EDRKIT_STANDIN_MISSING: 'btm_launch_item_add' });
    const sensor = await openSensor({ backend: new EsloggerBackend({ esloggerPath: STANDIN }, mac()), kinds: KINDS });
    await expect((async () => {
      for await (const _ of sensor);
    })()).rejects.toMatchObject({ code: 'ERR_NOT_SUPPORTED', message: expect.stringContaining("does not know the event 'btm_launch_item_add'") });
  });

  it('kinds whose events --list-events lacks are unsupported, with the reason', async () => {
    standin({ EDRKIT_STANDIN_MISSING: 'btm_launch_item_add,btm_launch_item_remove' });
    const probe = await esloggerDescriptor.probe({ esloggerPath: STANDIN }, mac());
    expect(probe.available).toBe(true);
    expect(probe.kinds['service.create']).toEqual({ supported: false, reason: 'needs ES event btm_launch_item_add (macOS 13.0 or later; this is 15.4)' });
    expect(probe.kinds['process.exec']).toEqual({ supported: true, note: 'ES exec' });
    expect(probe.kinds['net.connect']).toMatchObject({ supported: false, reason: expect.stringContaining('no network events') });
    // image.load (ES mmap) only when asked for: a high-volume subscription.
    expect(probe.kinds['image.load']).toMatchObject({ supported: false, reason: expect.stringContaining('backendOptions.imageLoads') });
    expect((await esloggerDescriptor.probe({ esloggerPath: STANDIN, imageLoads: true }, mac())).kinds['image.load']).toEqual({ supported: true, note: 'ES mmap' });
  });
});

describe('macos-eslogger probe', () => {
  it.skipIf(process.platform === 'darwin')('off macOS: unavailable, runs on macOS only', async () => {
    const probe = await esloggerDescriptor.probe({});
    expect(probe).toMatchObject({ available: false, code: 'ERR_NOT_SUPPORTED', reason: `runs on macOS only (this is ${process.platform})` });
  });
  it('not root: ERR_PERMISSION naming sudo and Full Disk Access', async () => {
    const probe = await esloggerDescriptor.probe({ esloggerPath: STANDIN }, mac({ isRoot: () => false }));
    expect(probe).toMatchObject({ available: false, code: 'ERR_PERMISSION', reason: expect.stringMatching(/sudo.*Full Disk Access/) });
  });
  it('macOS 12 or no eslogger: unsupported with the reason', async () => {
    expect(await esloggerDescriptor.probe({}, mac({ macosVersion: () => '12.6' }))).toMatchObject({ available: false, reason: 'eslogger needs macOS 13 or later (this is 12.6)' });
    expect(await esloggerDescriptor.probe({ esloggerPath: '/nope/eslogger' }, mac({ isExecutable: () => false }))).toMatchObject({ available: false, reason: expect.stringContaining('eslogger not found at /nope/eslogger') });
  });
});
