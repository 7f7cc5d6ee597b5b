// Live on macOS, as root (the macos.yml workflow): the eslogger backend sees a shell create,
// rename and delete a file, with the exec of the shell; the macos-es addon loads, and without
// Apple's entitlement es_new_client's refusal is the documented remedy. Elsewhere these tests
// cannot run at all (no Endpoint Security): they skip with that reason.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSensor, type EdrEvent } from '@edrkit/core';
import { EsBackend, EsloggerBackend } from '@edrkit/macos';
import { describe, expect, it } from 'vitest';

const onMac = process.platform === 'darwin';
const root = process.geteuid?.() === 0;
const why = !onMac ? `macOS only (this is ${process.platform})` : !root ? 'needs root (sudo)' : '';

describe.skipIf(!onMac || !root)(`macOS live${why ? ` — skipped: ${why}` : ''}`, () => {
  it('macos-eslogger: exec, create, rename, delete of a shell', async () => {
    const name = `/private/tmp/edrkit-live-${randomBytes(4).toString('hex')}`;
    const sensor = await openSensor({ backend: new EsloggerBackend(), kinds: ['process.exec', 'file.create', 'file.rename', 'file.delete', 'process.exit'] });
    const seen: EdrEvent[] = [];
    const done = (async () => {
      for await (const e of sensor) {
        seen.push(e);
        if (e.kind === 'file.delete' && e.file.path === `${name}.b`) return;
      }
    })();
    await new Promise((r) => setTimeout(r, 1500)); // eslogger's client is up
    const r = spawnSync('/bin/sh', ['-c', `echo x > ${name}.a && mv ${name}.a ${name}.b && rm ${name}.b`]);
    expect(r.status).toBe(0);
    await Promise.race([done, new Promise((_, no) => setTimeout(() => no(new Error(`timed out; saw ${seen.map((e) => e.kind).join(', ')}`)), 20_000))]);
    await sensor.close();
    expect(seen.some((e) => e.kind === 'process.exec' && e.process.exe === '/bin/sh' && e.process.args.join(' ').includes(name))).toBe(true);
    expect(seen.some((e) => e.kind === 'file.create' && e.file.path === `${name}.a`)).toBe(true);
    expect(seen.some((e) => e.kind === 'file.rename' && e.file.path === `${name}.a` && e.target.path === `${name}.b`)).toBe(true);
    const exec = seen.find((e) => e.kind === 'process.exec' && e.process.exe === '/bin/sh');
    expect(exec && exec.kind === 'process.exec' ? exec.process.signer : undefined).toMatchObject({ id: 'com.apple.sh', platformBinary: true });
  });

  it('macos-es: the addon loads; without the entitlement es_new_client refusing is the remedy', async () => {
    const opened = openSensor({ backend: new EsBackend(), kinds: ['process.exec'] });
    const result = await opened.then(
      async (s) => (await s.close(), 'opened'),
      (e: { code: string; message: string }) => `${e.code}: ${e.message}`,
    );
    // A runner's node is not signed with com.apple.developer.endpoint-security.client.
    expect(result === 'opened' || /^ERR_PERMISSION: .*(entitlement|Full Disk Access)/.test(result)).toBe(true);
  });
});
