/**
 * Events per second through the corpus's full Linux Sigma rule set (every rule that
 * compiles), on synthetic but realistic edrkit events: a mix of process.exec (shells,
 * package managers, curl/wget, python), file.create and net.connect, as a busy Linux
 * host produces them. Also times loading+compiling the rule set.
 *
 * Beside it: the figure of the previous, backtracking engine (RegExp for `re` and for
 * wildcards), recorded from a run of this bench on main at b477aa3 on this machine, and
 * hostile inputs on the linear-time engine (RE2 via re2js, the glob matcher) next to the
 * backtracking RegExp they replaced, which is kept only here, for the comparison.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EdrEvent } from '@edrkit/core';
import { RuleSet, loadRules, loadRulesFromText } from '@edrkit/sigma';

/**
 * `events/s` of the previous engine over the same rules and events: one run of this bench on
 * main b477aa3, 2026-12-02, on a quiet moment of this shared machine (interleaved runs of
 * both engines: docs/sigma.md).
 */
const PREVIOUS_EVENTS_PER_SECOND = 967_925;

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
export async function run(): Promise<{ rows: Array<Record<string, string | number>>; results?: { sigma: { eps: number } } }> {
  const rulesDir = path.join(CORPUS, 'sigma/rules/linux');
  if (!existsSync(rulesDir)) return { rows: [{ note: `skipped: no corpus at ${CORPUS} (set EDRKIT_CORPUS)` }] };
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
  const row = {
    ruleSet: 'corpus linux (all that compile)',
    rules: set.rules.length,
    'rules on process.exec': set.rulesFor('linux', 'process.exec'),
    'compile ms': Math.round(compileMs),
    events: processed,
    'matches/event': Number((matches / processed).toFixed(3)),
  };
  const eps = Math.round(processed / seconds);
  const rows = [
    { engine: 'linear (RE2 + glob)', ...row, 'events/s': eps },
    { engine: 'previous (RegExp), main b477aa3, recorded', ruleSet: row.ruleSet, 'events/s': PREVIOUS_EVENTS_PER_SECOND },
    ...(process.env['BENCH_CORPUS_ONLY'] ? [] : [...hostile(), hugeRule()]),
  ];
  return { rows, results: { sigma: { eps } } };
}

/** Microseconds per test of `test` on `value`, over about 200 ms. */
function usPerTest(test: (s: string) => boolean, value: string): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 200) {
    test(value);
    n++;
  }
  return Number((((performance.now() - start) * 1000) / n).toFixed(2));
}

/** One rule, compiled by the engine, as a test of CommandLine. */
function ruleTest(item: string): (s: string) => boolean {
  const [r] = loadRulesFromText(`title: b\nlogsource: { category: process_creation, product: linux }\ndetection:\n  sel:\n    ${item}\n  condition: sel\n`);
  if (!r?.compiled) throw new Error(`bench rule did not compile: ${r?.reason}`);
  const rule = r.compiled;
  return (s) => rule.matchRecord({ CommandLine: s });
}

function hostile(): Array<Record<string, string | number>> {
  const redos = ruleTest(`CommandLine|re: '^(a+)+$'`);
  const glob = ruleTest(`CommandLine: '*a*a*a*a*a*a*b'`);
  // The previous engine's translations of the same two values.
  const oldRedos = /^(a+)+$/;
  const oldGlob = /^[\s\S]*a[\s\S]*a[\s\S]*a[\s\S]*a[\s\S]*a[\s\S]*a[\s\S]*b$/iu;
  const a = (n: number) => `${'a'.repeat(n)}!`;
  return [
    { engine: 'linear (RE2)', case: "re '^(a+)+$' on a×30+!", 'µs/event': usPerTest(redos, a(30)) },
    { engine: 'linear (RE2)', case: "re '^(a+)+$' on a×10000+!", 'µs/event': usPerTest(redos, a(10_000)) },
    // n=20 already takes about a second per event; 30 would take a minute.
    { engine: 'previous (RegExp)', case: "re '^(a+)+$' on a×20+!", 'µs/event': usPerTest((s) => oldRedos.test(s), a(20)) },
    { engine: 'linear (glob)', case: "'*a*a*a*a*a*a*b' on a×2000", 'µs/event': usPerTest(glob, 'a'.repeat(2000)) },
    { engine: 'previous (RegExp)', case: "'*a*a*a*a*a*a*b' on a×40", 'µs/event': usPerTest((s) => oldGlob.test(s), 'a'.repeat(40)) },
  ];
}

/** Load time and retained heap of one rule with 100k values (about 6 MB of YAML). */
function hugeRule(): Record<string, string | number> {
  const values = Array.from({ length: 100_000 }, (_, i) => `      - '/opt/some/long/path/to/binary-${i}-xxxxxxxxxx'`);
  const text = `title: big\nlogsource: { category: process_creation, product: linux }\ndetection:\n  sel:\n    Image|endswith:\n${values.join('\n')}\n  condition: sel\n`;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const start = performance.now();
  const set = new RuleSet(loadRulesFromText(text));
  const ms = Math.round(performance.now() - start);
  gc?.();
  const after = process.memoryUsage();
  const mb = (b: number) => Number((b / 1e6).toFixed(1));
  const row = {
    engine: 'linear',
    case: `1 rule, 100k values, ${mb(text.length)} MB YAML`,
    'compile ms': ms,
    'heap MB': mb(after.heapUsed - before.heapUsed),
    'buffers MB': mb(after.arrayBuffers - before.arrayBuffers),
    rules: set.rules.length,
  };
  return row;
}
