/**
 * Live (root): perform on this machine real behaviour that corpus Linux rules describe,
 * through the linux-ebpf backend, and assert exactly those rules fire for our process
 * tree (and a list of unrelated rules does not). Everything is harmless and happens in a
 * private temp dir; the network connection goes to TEST-NET-1 (192.0.2.1, RFC 5737).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSensor, type EdrEvent, type Sensor } from '@edrkit/core';
import { RuleSet, loadRules } from '@edrkit/sigma';
import { corpusLabel } from '../corpus.js';
import { CORPUS, HAVE_CORPUS, NO_CORPUS } from './corpus.js';

type LinuxModule = { LinuxEbpfBackend: new () => import('@edrkit/core').Backend };

async function loadLinux(): Promise<LinuxModule | string> {
  try {
    return (await import('@edrkit/linux')) as unknown as LinuxModule;
  } catch (err) {
    return `@edrkit/linux (LinuxEbpfBackend) is not available: ${(err as Error).message}`;
  }
}

const linux = await loadLinux();
const skipReason =
  process.platform !== 'linux'
    ? `not Linux (${process.platform})`
    : process.geteuid?.() !== 0
      ? 'not root: live Sigma tests need the eBPF backend (root or CAP_BPF+CAP_PERFMON)'
      : !HAVE_CORPUS
        ? NO_CORPUS
        : typeof linux === 'string'
          ? linux
          : undefined;

/** Rule file (under rules/linux) → the behaviour that must make it fire. */
const EXPECTED: Record<string, string> = {
  'process_creation/proc_creation_lnx_base64_decode.yml': 'base64 -d',
  'process_creation/proc_creation_lnx_chattr_immutable_removal.yml': 'chattr -i FILE',
  'process_creation/proc_creation_lnx_nohup.yml': 'nohup true',
  'process_creation/proc_creation_lnx_local_groups.yml': 'cat /etc/group',
  'process_creation/proc_creation_lnx_file_and_directory_discovery.yml': 'ls -R DIR / find',
  'process_creation/proc_creation_lnx_susp_dockerenv_recon.yml': 'cat /.dockerenv',
  'process_creation/proc_creation_lnx_mkfifo_named_pipe_creation_susp_location.yml': 'mkfifo /tmp/…',
  'process_creation/proc_creation_lnx_system_network_discovery.yml': 'ss -tln',
  'process_creation/proc_creation_lnx_grep_os_arch_discovery.yml': 'uname -m | grep x86_64',
  'process_creation/proc_creation_lnx_security_software_discovery.yml': 'grep osqueryd',
  'process_creation/proc_creation_lnx_susp_container_residence_discovery.yml': 'cat /proc/self/cgroup',
  'process_creation/proc_creation_lnx_susp_find_execution.yml': 'find DIR -perm -4000',
  'process_creation/proc_creation_lnx_touch_susp.yml': 'touch -t … x.service',
  'file_event/file_event_lnx_susp_filename_with_embedded_base64_command.yml': 'create a file named {echo,…}|{base64,-d}',
  'file_event/file_event_lnx_wget_download_file_in_tmp_dir.yml': 'wget -O /tmp/… from a local server',
  'network_connection/net_connection_lnx_susp_malware_callback_port.yml': 'connect to 192.0.2.1:4444',
  // Also true of what we do, by the rules' own logic:
  'process_creation/proc_creation_lnx_webshell_detection.yml': 'node (this test) spawning /usr/bin/cat: ParentImage from lineage',
  'process_creation/proc_creation_lnx_wget_download_suspicious_directory.yml': 'wget -O /tmp/…',
};

/** Rules that must stay silent: nothing we do resembles them. */
const UNRELATED = [
  'process_creation/proc_creation_lnx_apt_shell_execution.yml',
  'process_creation/proc_creation_lnx_crypto_mining.yml',
  'process_creation/proc_creation_lnx_crontab_removal.yml',
  'process_creation/proc_creation_lnx_userdel.yml',
  'process_creation/proc_creation_lnx_python_reverse_shell.yml',
  'process_creation/proc_creation_lnx_susp_history_recon.yml',
  'file_event/file_event_lnx_doas_conf_creation.yml',
  'network_connection/net_connection_lnx_crypto_mining_indicators.yml',
];

// Counted as a corpus test (see test/corpus.ts) unless something else keeps it from running.
const suiteName = skipReason === undefined || skipReason === NO_CORPUS ? corpusLabel('live: corpus Linux rules fire on real behaviour', 'sigma') : 'live: corpus Linux rules fire on real behaviour';

describe.skipIf(skipReason !== undefined)(suiteName, () => {
  let sensor: Sensor;
  let set: RuleSet;
  let dir: string;
  let server: Server;
  const ours = new Set<number>([process.pid]);
  const fired = new Map<string, EdrEvent[]>();
  let pump: Promise<void>;

  beforeAll(async () => {
    const rulesDir = path.join(CORPUS, 'sigma/rules/linux');
    set = new RuleSet(await loadRules([rulesDir]));
    dir = mkdtempSync(path.join(tmpdir(), 'edrkit-sigma-live-'));
    server = createServer((_req, res) => res.end('payload\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { LinuxEbpfBackend } = linux as LinuxModule;
    sensor = await openSensor({ backend: new LinuxEbpfBackend(), kinds: set.kinds, filter: { includeSelf: true } });
    pump = (async () => {
      for await (const event of sensor) {
        if (event.kind === 'sensor.lost') continue;
        // Our process tree only: other activity on the host must not count.
        if (event.kind === 'process.exec' && ours.has(event.process.ppid)) ours.add(event.process.pid);
        if (!ours.has(event.process.pid)) continue;
        for (const rule of set.match(event)) {
          const key = path.relative(rulesDir, (set.loaded.find((l) => l.compiled === rule)?.path ?? ''));
          fired.set(key, [...(fired.get(key) ?? []), event]);
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
  }, 60_000);

  afterAll(async () => {
    await sensor?.close();
    await pump?.catch(() => {});
    server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fires the rules the behaviour describes, and not unrelated ones', async () => {
    expect(set.rules.length).toBeGreaterThan(80);
    const run = (cmd: string, args: string[], input?: string) => spawnSync(cmd, args, { cwd: dir, input, stdio: ['pipe', 'ignore', 'ignore'], timeout: 10_000 });
    const file = path.join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    run('base64', ['-d'], 'aGkK');
    run('chattr', ['-i', file]);
    run('nohup', ['true']);
    run('cat', ['/etc/group']);
    run('ls', ['-R', dir]);
    run('cat', ['/.dockerenv']);
    run('mkfifo', [path.join(dir, 'fifo')]);
    run('ss', ['-tln']);
    run('sh', ['-c', 'echo x86_64 | grep x86_64']);
    run('grep', ['osqueryd', '/etc/hostname']);
    run('cat', ['/proc/self/cgroup']);
    run('find', [dir, '-perm', '-4000']);
    run('touch', ['-t', '202001010000', path.join(dir, 'x.service')]);
    run('touch', [path.join(dir, '{echo,aGkK}|{base64,-d}')]);
    const port = (server.address() as { port: number }).port;
    // wget runs synchronously in a child while our server answers from this event loop.
    // Asynchronous, so this event loop can answer wget from the local server.
    await new Promise<void>((resolve) => {
      execFile('wget', ['-q', '-O', path.join(dir, 'download.bin'), `http://127.0.0.1:${port}/`], { cwd: dir, timeout: 10_000 }, () => resolve());
    });
    await new Promise<void>((resolve) => {
      const s = new Socket();
      s.setTimeout(1500, () => s.destroy());
      s.once('close', () => resolve());
      s.once('error', () => s.destroy());
      s.connect(4444, '192.0.2.1');
    });

    const expected = Object.keys(EXPECTED);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !expected.every((k) => fired.has(k))) await new Promise((r) => setTimeout(r, 100));

    const missing = expected.filter((k) => !fired.has(k)).map((k) => `${k} (${EXPECTED[k]})`);
    console.log(`live: ${expected.length - missing.length}/${expected.length} expected rules fired; fired: ${[...fired.keys()].join(', ')}`);
    expect(missing, 'expected rules that did not fire').toEqual([]);
    for (const k of UNRELATED) expect(fired.has(k), `unrelated rule fired: ${k}`).toBe(false);
    expect(expected.filter((k) => fired.has(k)).length).toBeGreaterThanOrEqual(10);
  }, 60_000);
});

// Only when it cannot run: a one-line reason instead of the live suite.
if (skipReason !== undefined) {
  describe(suiteName, () => {
    it.skip(`skipped: ${skipReason}`, () => {});
  });
}
