import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReplayBackend } from '@edrkit/core';
import { describeBackendConformance } from '@edrkit/core/testing';

// A recording with one event of each Linux-observable kind family.
const dir = mkdtempSync(join(tmpdir(), 'edrkit-conf-'));
const path = join(dir, 'rec.jsonl');
const proc = { pid: 77, ppid: 1, uid: 0, exe: '/usr/bin/bash', args: ['bash'], cmdline: 'bash' };
const base = { platform: 'linux', source: 'linux-ebpf', process: proc };
const lines = [
  { kind: 'process.exec', ...base },
  { kind: 'process.fork', ...base, child: { pid: 78 } },
  { kind: 'file.create', ...base, file: { path: '/tmp/f' } },
  { kind: 'net.connect', ...base, net: { protocol: 'udp', family: 'ipv4', local: { ip: '127.0.0.1', port: 5000 }, remote: { ip: '127.0.0.53', port: 53 } } },
  { kind: 'dns.query', ...base, dns: { query: 'example.org', type: 'A' } },
  { kind: 'process.exit', ...base, exitCode: 0 },
].map((e, i) => JSON.stringify({ ...e, time: 1_750_000_000_000 + i, seq: i + 1 }));
writeFileSync(path, lines.join('\n') + '\n');

describeBackendConformance('replay', { create: () => new ReplayBackend({ path }), enough: 6 });

describeBackendConformance('replay (missing file)', { create: () => new ReplayBackend({ path: join(dir, 'missing.jsonl') }), unavailable: true });
