// Issue #3's acceptance, end to end through the real command: `edrkit watch --format json`
// while a shell script does file and network work; every kind the Linux backend reports is
// asserted with its exact payload. Root only (live eBPF); skips with a reason otherwise.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEvent, type EdrEvent, type EventOfKind } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli-helpers.js';

const isRoot = process.getuid?.() === 0;
const reason = isRoot ? undefined : 'needs root for the live eBPF backend';

function startWatch(seconds?: number) {
  const duration = seconds === undefined ? [] : ['--duration', String(seconds)];
  const child = spawn(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', resolve(repoRoot, 'packages/edrkit/bin/edrkit.js'), 'watch', '--format', 'json', ...duration], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  return { done, stderr: () => stderr, child };
}

const PY = `
import socket, struct, sys
port = int(sys.argv[1])
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", port)); s.listen()
c = socket.create_connection(("127.0.0.1", port)); a, _ = s.accept(); a.close(); c.close(); s.close()
s6 = socket.socket(socket.AF_INET6); s6.bind(("::1", port + 1)); s6.listen()
c6 = socket.create_connection(("::1", port + 1)); a6, _ = s6.accept(); a6.close(); c6.close(); s6.close()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.connect(("127.0.0.1", port + 2)); u.close()
q = struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"\\x07example\\x03org\\x00" + struct.pack(">HH", 28, 1)
d = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); d.sendto(q, ("127.0.0.1", 53)); d.close()
`;

describe.skipIf(!isRoot)(`edrkit watch (live)${reason ? ` — skipped: ${reason}` : ''}`, () => {
  it('reports exec with args and lineage, exit, fork, file and network activity with exact payloads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edrkit-watch-'));
    const port = 40000 + (process.pid % 20000);
    writeFileSync(join(dir, 'net.py'), PY);
    const watch = startWatch(12);
    // Wait until the sensor is attached (its first events arrive), then act.
    await new Promise((r) => setTimeout(r, 4000));
    const script = [
      `echo one > ${dir}/a.txt`,
      `echo two >> ${dir}/a.txt`,
      `mv ${dir}/a.txt ${dir}/b.txt`,
      `chmod 640 ${dir}/b.txt`,
      `chown 1:1 ${dir}/b.txt`,
      `rm ${dir}/b.txt`,
      `/bin/echo ${'x'.repeat(3000)} > /dev/null`,
      `/usr/bin/python3 ${dir}/net.py ${port}`,
      'exit 3',
    ].join('; ');
    const sh = spawn('sh', ['-c', script], { stdio: 'ignore' });
    const shExit = await new Promise<number | null>((r) => sh.on('close', r));
    expect(shExit).toBe(3);
    const { code, stdout, stderr } = await watch.done;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/edrkit: \d+ events delivered/);
    const events = stdout.trim().split('\n').map((l) => parseEvent(JSON.parse(l)));
    const of = <K extends EdrEvent['kind']>(kind: K, pred: (e: EventOfKind<K>) => boolean) =>
      events.filter((e): e is EventOfKind<K> => e.kind === kind && pred(e as EventOfKind<K>));
    const shPid = sh.pid;

    const exec = of('process.exec', (e) => e.process.pid === shPid);
    expect(exec).toHaveLength(1);
    expect(exec[0]?.process.args).toEqual(['sh', '-c', script]);
    expect(exec[0]?.process.parent).toMatchObject({ pid: process.pid, exe: process.execPath });
    expect(exec[0]?.process.exe).toMatch(/\/(dash|bash|sh)$/);
    expect(of('process.exit', (e) => e.process.pid === shPid)[0]?.exitCode).toBe(3);
    expect(of('process.fork', (e) => e.process.pid === shPid).length).toBeGreaterThanOrEqual(5);
    const mv = of('process.exec', (e) => e.process.args[0] === 'mv' && e.process.ppid === shPid)[0];
    expect(mv?.process.parent?.pid).toBe(shPid);

    // Long command lines are kept whole up to the documented 4096-byte argv cap.
    const echo = of('process.exec', (e) => e.process.args[0] === '/bin/echo' && e.process.ppid === shPid)[0];
    expect(echo?.process.args[1]).toBe('x'.repeat(3000));

    expect(of('file.create', (e) => e.file.path === `${dir}/a.txt`)).toHaveLength(1);
    expect(of('file.modify', (e) => e.file.path === `${dir}/a.txt`).length).toBeGreaterThanOrEqual(1);
    expect(of('file.rename', (e) => e.file.path === `${dir}/a.txt` && e.target.path === `${dir}/b.txt`)).toHaveLength(1);
    expect(of('file.attr', (e) => e.file.path === `${dir}/b.txt` && e.mode === 0o640)).toHaveLength(1);
    expect(of('file.attr', (e) => e.file.path === `${dir}/b.txt` && e.owner?.uid === 1 && e.owner?.gid === 1)).toHaveLength(1);
    expect(of('file.delete', (e) => e.file.path === `${dir}/b.txt`)).toHaveLength(1);

    const tcp4 = (e: EventOfKind<'net.listen' | 'net.connect' | 'net.accept'>) => e.net.protocol === 'tcp' && e.net.family === 'ipv4';
    expect(of('net.listen', (e) => tcp4(e) && e.net.local.port === port && e.net.local.ip === '127.0.0.1')).toHaveLength(1);
    const connect = of('net.connect', (e) => tcp4(e) && e.net.remote.port === port && e.net.remote.ip === '127.0.0.1');
    expect(connect).toHaveLength(1);
    const accept = of('net.accept', (e) => tcp4(e) && e.net.local.port === port);
    expect(accept).toHaveLength(1);
    expect(accept[0]?.net.remote).toEqual(connect[0]?.net.local);
    const v6 = of('net.connect', (e) => e.net.family === 'ipv6' && e.net.remote.ip === '::1' && e.net.remote.port === port + 1);
    expect(v6).toHaveLength(1);
    expect(of('net.accept', (e) => e.net.family === 'ipv6' && e.net.local.port === port + 1)).toHaveLength(1);
    expect(of('net.connect', (e) => e.net.protocol === 'udp' && e.net.remote.port === port + 2)).toHaveLength(1);
    const dns = of('dns.query', (e) => e.dns.query === 'example.org');
    expect(dns).toHaveLength(1);
    expect(dns[0]?.dns.type).toBe('AAAA');
  }, 60_000);

  it('Ctrl-C (SIGINT) closes cleanly: exit 0 and the stats line on stderr', async () => {
    const watch = startWatch();
    await new Promise((r) => setTimeout(r, 4000));
    watch.child.kill('SIGINT');
    const { code, stdout, stderr } = await watch.done;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/^edrkit: \d+ events delivered in [\d.]+s; \d+ received = \d+ filtered \+ \d+ delivered \+ \d+ dropped \(queue full\) \+ \d+ unsent/m);
    for (const line of stdout.split('\n').filter(Boolean)) parseEvent(JSON.parse(line));
  }, 30_000);
});
