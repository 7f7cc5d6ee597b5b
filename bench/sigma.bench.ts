/**
 * Events per second through the corpus's full Linux Sigma rule set (every rule that
 * compiles), on synthetic but realistic edrkit events: a mix of process.exec (shells,
 * package managers, curl/wget, python), file.create and net.connect, as a busy Linux
 * host produces them. Also times loading+compiling the rule set.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EdrEvent } from '@edrkit/core';
import { RuleSet, loadRules } from '@edrkit/sigma';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = process.env['EDRKIT_CORPUS'] ?? path.resolve(repoRoot, '../shared/corpus');

const COMMANDS: Array<[string, string[]]> = [
  ['/usr/bin/bash', ['bash', '-c', 'ls -la /var/log | grep syslog']],
  ['/usr/bin/ls', ['ls', '--color=auto', '-la', '/home/user']],
  ['/usr/bin/git', ['git', 'status', '--porcelain']],
  ['/usr/bin/curl', ['curl', '-fsSL', 'https://example.com/install.sh', '-o', '/tmp/install.sh']],
  ['/usr/bin/python3', ['python3', '-m', 'pip', 'install', '--user', 'requests']],
  ['/usr/bin/apt-get', ['apt-get', 'install', '-y', 'nginx']],
  ['/usr/bin/grep', ['grep', '-r', 'TODO', 'src/']],
  ['/usr/bin/systemctl', ['systemctl', 'status', 'sshd']],
  ['/usr/bin/node', ['node', '/srv/app/server.js', '--port', '8080']],
  ['/usr/bin/find', ['find', '/var/tmp', '-name', '*.log', '-mtime', '+7']],
];

function makeEvents(n: number): EdrEvent[] {
  const out: EdrEvent[] = [];
  for (let i = 0; i < n; i++) {
    const [exe, args] = COMMANDS[i % COMMANDS.length]!;
    const process = {
      pid: 1000 + i,
      ppid: 900,
      uid: 1000,
      user: 'user',
      exe,
      args,
      cmdline: args.join(' '),
      cwd: '/home/user',
      parent: { pid: 900, exe: '/usr/bin/bash', cmdline: '-bash' },
    };
    const base = { time: 1_700_000_000_000 + i, seq: i, platform: 'linux' as const, source: 'linux-ebpf' as const, process };
    const pick = i % 10;
    if (pick < 6) out.push({ kind: 'process.exec', ...base });
    else if (pick < 9) out.push({ kind: 'file.create', ...base, file: { path: `/home/user/.cache/app/${i}.tmp` } });
    else {
      out.push({
        kind: 'net.connect',
        ...base,
        net: { protocol: 'tcp', family: 'ipv4', local: { ip: '10.0.0.5', port: 40000 + (i % 20000) }, remote: { ip: '93.184.216.34', port: 443 } },
      });
    }
  }
  return out;
}

/** Rows: compile time, and events/second for the full Linux rule set. */
export async function run(): Promise<Array<Record<string, string | number>>> {
  const rulesDir = path.join(CORPUS, 'sigma/rules/linux');
  if (!existsSync(rulesDir)) return [{ note: `skipped: no corpus at ${CORPUS} (set EDRKIT_CORPUS)` }];
  const t0 = performance.now();
  const set = new RuleSet(await loadRules([rulesDir]));
  const compileMs = performance.now() - t0;
  const events = makeEvents(50_000);
  // Warm up the JIT, then measure for about 3 seconds.
  for (const e of events.slice(0, 5_000)) set.match(e);
  let processed = 0;
  let matches = 0;
  const start = performance.now();
  while (performance.now() - start < 3_000) {
    for (const e of events) matches += set.match(e).length;
    processed += events.length;
  }
  const seconds = (performance.now() - start) / 1000;
  return [
    {
      ruleSet: 'corpus linux (all that compile)',
      rules: set.rules.length,
      'rules on process.exec': set.rulesFor('linux', 'process.exec'),
      'compile ms': Math.round(compileMs),
      events: processed,
      'matches/event': Number((matches / processed).toFixed(3)),
      'events/s': Math.round(processed / seconds),
    },
  ];
}
