#!/usr/bin/env node
/**
 * `npm run build:native`: builds the Linux eBPF backend's native parts.
 *
 *   1. native/linux/.output/vmlinux.h from /sys/kernel/btf/vmlinux (bpftool), once;
 *   2. packages/linux/bpf/edrkit.bpf.o (clang -target bpf -g -O2, CO-RE);
 *   3. the Node-API addon (node-gyp rebuild inside packages/linux);
 *   4. packages/plugins/build/edrkit-plugin-launcher, the plugin confinement launcher (plain C).
 *
 * Idempotent: steps whose outputs are newer than their inputs are skipped (--force rebuilds).
 * Each missing tool is reported with the Debian package that provides it. On other OSes it
 * does nothing (the macOS addon has its own build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native/linux');
const outDir = path.join(nativeDir, '.output');
const pkgDir = path.join(root, 'packages/linux');
const bpfObj = path.join(pkgDir, 'bpf/edrkit.bpf.o');
const vmlinuxH = path.join(outDir, 'vmlinux.h');
const btf = process.env.EDRKIT_BTF ?? '/sys/kernel/btf/vmlinux';
const force = process.argv.includes('--force');

function fail(message) {
  console.error(`build-native: ${message}`);
  process.exit(1);
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function need(cmd, debianPackage) {
  if (!have(cmd)) fail(`'${cmd}' not found: install it with 'apt-get install ${debianPackage}'`);
}

function run(cmd, args, opts = {}) {
  console.log(`build-native: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: opts.stdout ? ['ignore', 'pipe', 'inherit'] : 'inherit', ...opts });
  if (r.status !== 0) fail(`${cmd} failed with exit code ${r.status ?? r.signal}`);
  return r;
}

function newer(output, inputs) {
  if (force || !existsSync(output)) return false;
  const t = statSync(output).mtimeMs;
  return inputs.every((i) => statSync(i).mtimeMs <= t);
}

if (process.platform !== 'linux') {
  console.log('build-native: not Linux, nothing to build for @edrkit/linux');
  process.exit(0);
}

need('clang', 'clang');
need('bpftool', 'bpftool (Debian 12: apt-get install bpftool; older: linux-tools-common)');
if (!existsSync('/usr/include/bpf/libbpf.h')) fail("libbpf headers missing: install them with 'apt-get install libbpf-dev'");
if (!existsSync('/usr/include/gelf.h')) fail("libelf headers missing: install them with 'apt-get install libelf-dev'");
if (!existsSync('/usr/include/zlib.h')) fail("zlib headers missing: install them with 'apt-get install zlib1g-dev'");

mkdirSync(outDir, { recursive: true });
mkdirSync(path.dirname(bpfObj), { recursive: true });

// 1. vmlinux.h: every kernel type, from this kernel's BTF (CO-RE relocates at load time).
if (!existsSync(vmlinuxH) || force) {
  if (!existsSync(btf)) {
    fail(`${btf} not found: the kernel needs CONFIG_DEBUG_INFO_BTF=y (or set EDRKIT_BTF to a BTF file)`);
  }
  const r = run('bpftool', ['btf', 'dump', 'file', btf, 'format', 'c'], { stdout: true, maxBuffer: 1 << 30 });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(vmlinuxH, r.stdout);
}

// 2. The BPF object.
const arch = { x64: 'x86', arm64: 'arm64', arm: 'arm', ppc64: 'powerpc', s390x: 's390', riscv64: 'riscv' }[process.arch] ?? process.arch;
const bpfSources = [path.join(nativeDir, 'edrkit.bpf.c'), path.join(nativeDir, 'edrkit.h'), path.join(nativeDir, 'coalesce.bpf.h'), vmlinuxH];
if (!newer(bpfObj, bpfSources)) {
  run('clang', [
    '-g', '-O2', '-target', 'bpf', `-D__TARGET_ARCH_${arch}`,
    '-I', outDir, '-I', nativeDir, '-Wall', '-Wno-unused-function',
    '-c', path.join(nativeDir, 'edrkit.bpf.c'), '-o', bpfObj,
  ]);
  // Strip DWARF but keep BTF (needed by CO-RE): a smaller object to ship.
  if (have('llvm-strip')) run('llvm-strip', ['-g', bpfObj]);
} else {
  console.log(`build-native: ${path.relative(root, bpfObj)} is up to date`);
}

// 3. The addon.
const addon = path.join(pkgDir, 'build/Release/edrkit_linux.node');
const addonSources = [path.join(nativeDir, 'addon.c'), path.join(nativeDir, 'edrkit.h'), path.join(pkgDir, 'binding.gyp')];
if (!newer(addon, addonSources)) {
  // Use the local Node headers when the distribution ships them (no download needed).
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  const localHeaders = existsSync(path.join(nodedir, 'include/node/node_api.h'));
  run('npx', ['--no-install', 'node-gyp', 'rebuild', ...(localHeaders ? [`--nodedir=${nodedir}`] : [])], { cwd: pkgDir });
} else {
  console.log(`build-native: ${path.relative(root, addon)} is up to date`);
}
// 4. The plugin launcher: libc only, so the same clang that builds the BPF object builds it.
const launcher = path.join(root, 'packages/plugins/build/edrkit-plugin-launcher');
const launcherSource = path.join(nativeDir, 'plugin-launcher.c');
if (!newer(launcher, [launcherSource])) {
  mkdirSync(path.dirname(launcher), { recursive: true });
  run('clang', ['-O2', '-Wall', '-Wextra', '-Werror', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', '-o', launcher, launcherSource]);
} else {
  console.log(`build-native: ${path.relative(root, launcher)} is up to date`);
}
console.log(`build-native: done (${readdirSync(path.dirname(bpfObj)).join(', ')}, ${path.relative(root, addon)}, ${path.relative(root, launcher)})`);
