#!/usr/bin/env node
/**
 * `npm run build:native`: builds the Linux eBPF backend's native parts.
 *
 *   1. native/linux/.output/vmlinux.h from /sys/kernel/btf/vmlinux (bpftool), once;
 *   2. packages/linux/bpf/edrkit.bpf.o (clang -target bpf -g -O2, CO-RE);
 *   3. native/linux/.output/edrkit_bpf_object.h, the object's bytes as a C array, and the
 *      Node-API addon (node-gyp rebuild inside packages/linux) that embeds them, with libbpf,
 *      libelf and zlib linked statically: the addon needs only the C library at run time;
 *   4. packages/plugins/build/edrkit-plugin-launcher, the plugin confinement launcher (plain C).
 *
 * Idempotent: steps whose outputs are newer than their inputs are skipped (--force rebuilds).
 * Each missing tool is reported with the Debian package that provides it. On other OSes it
 * does nothing (the macOS addon has its own build).
 *
 * `--target ID` (an id of scripts/platform-packages.mjs, e.g. linux-arm64-gnu; `npm run
 * build:cross`) cross-builds the same native files for another CPU with the row's Debian cross
 * toolchain (`cross`: the GNU triple) and the multiarch static libbpf/libelf/zlib of that
 * architecture, into build/targets/ID/ (edrkit_linux.node, bin/edrkit-plugin-launcher), where
 * scripts/pack.mjs takes them; intermediate files go to build/targets/ID/.build/. It installs
 * nothing: a missing piece is reported with the exact dpkg/apt-get lines. The host's own id
 * builds the host files as without --target. A musl target (linux-x64-musl) is built with
 * Debian's musl-gcc against libbpf, libelf and zlib compiled here from Debian's source
 * packages (Debian ships them for glibc only): see buildMuslLibraries().
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED_NEEDED, DEB_ARCH, PLATFORM_TARGETS, isHostTarget, neededLibraries, targetId } from './platform-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native/linux');
const outDir = path.join(nativeDir, '.output');
const pkgDir = path.join(root, 'packages/linux');
const bpfObj = path.join(pkgDir, 'bpf/edrkit.bpf.o');
const vmlinuxH = path.join(outDir, 'vmlinux.h');
const btf = process.env.EDRKIT_BTF ?? '/sys/kernel/btf/vmlinux';
const force = process.argv.includes('--force');
const targetFlag = process.argv.indexOf('--target');
const targetName = targetFlag > 0 ? process.argv[targetFlag + 1] : undefined;

/** Node's CPU names to libbpf's __TARGET_ARCH_* names (bpf_tracing.h). */
const BPF_ARCH = { x64: 'x86', arm64: 'arm64', arm: 'arm', ppc64: 'powerpc', s390x: 's390', riscv64: 'riscv' };
/** What `readelf -h` calls each CPU's e_machine: the check that a file was built for it. */
const ELF_MACHINE = { x64: 'Advanced Micro Devices X86-64', arm64: 'AArch64' };

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

/** node-gyp's --nodedir for the local Node headers when the distribution ships them (no download needed). */
function nodedirArgs() {
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  return existsSync(path.join(nodedir, 'include/node/node_api.h')) ? [`--nodedir=${nodedir}`] : [];
}

/**
 * The plugin launcher (plain C, libc only) with compiler `cc`, unless `out` is newer than its
 * source. Written to `out.tmp` and renamed into place: `npm run pack` may read it meanwhile.
 */
function buildLauncher(cc, out, extraFlags = []) {
  const source = path.join(nativeDir, 'plugin-launcher.c');
  if (newer(out, [source])) return console.log(`build-native: ${path.relative(root, out)} is up to date`);
  run(cc, ['-O2', '-Wall', '-Wextra', '-Werror', '-D_FORTIFY_SOURCE=2', '-fstack-protector-strong', ...extraFlags, '-o', `${out}.tmp`, source]);
  renameSync(`${out}.tmp`, out);
}

/** `xxd -i` in JavaScript: the BPF object as `static const unsigned char edrkit_bpf_object[]`. */
function writeObjectHeader(object, header) {
  const bytes = readFileSync(object);
  const lines = [];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(`\t${Array.from(bytes.subarray(i, i + 16), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')},`);
  }
  const text = [
    `/* Generated by scripts/build-native.mjs from ${path.relative(root, object)}: do not edit. */`,
    '#pragma once',
    '/* Aligned: libelf reads the ELF headers in place. */',
    `static const unsigned char edrkit_bpf_object[${bytes.length}] __attribute__((aligned(8))) = {`,
    ...lines,
    '};',
    '',
  ].join('\n');
  writeFileSync(header, text);
  console.log(`build-native: ${path.relative(root, header)} (${bytes.length} bytes embedded)`);
}

/**
 * libelf_error_table.h for native/linux/libelf-error.c: libelf's error messages, read from the
 * elf_error.o inside the libelf.a that the addon links (see that file for why).
 */
function writeLibelfErrorTable(header, { tools = '', dir = outDir, debianPackage = 'libelf-dev' } = {}) {
  // `tools` is the cross prefix (aarch64-linux-gnu-): the archive is the target's, and only
  // that architecture's binutils read its objects.
  const archive = spawnSync(`${tools}${tools ? 'gcc' : 'cc'}`, ['-print-file-name=libelf.a'], { encoding: 'utf8' }).stdout.trim();
  if (!archive || !path.isAbsolute(archive) || !existsSync(archive)) fail(`libelf.a not found: install it with 'apt-get install ${debianPackage}'`);
  const member = path.join(dir, 'elf_error.o');
  writeFileSync(member, spawnSync(`${tools}ar`, ['p', archive, 'elf_error.o'], { maxBuffer: 1 << 24 }).stdout);
  const symbols = new Map();
  for (const line of spawnSync(`${tools}nm`, ['-S', member], { encoding: 'utf8' }).stdout.split('\n')) {
    const [value, size, , name] = line.trim().split(/\s+/);
    if (name) symbols.set(name, { offset: parseInt(value, 16), size: parseInt(size, 16) });
  }
  const rodataFile = path.join(dir, 'elf_error.rodata');
  run(`${tools}objcopy`, ['-O', 'binary', '--only-section=.rodata', member, rodataFile]);
  const rodata = readFileSync(rodataFile);
  const str = symbols.get('msgstr');
  const idx = symbols.get('msgidx');
  if (!str || !idx) fail(`${archive}: elf_error.o has no msgstr/msgidx (an unknown libelf version)`);
  const strings = rodata.subarray(str.offset, str.offset + str.size);
  // msgidx is uint_fast16_t[]: 8 bytes on 64-bit glibc (x86-64 and arm64); accept the width
  // whose entries all start a string.
  const width = [8, 4, 2].find((w) => {
    if (idx.size % w) return false;
    for (let i = 0; i < idx.size / w; i++) {
      const o = Number(rodata.readUIntLE(idx.offset + i * w, Math.min(w, 6)));
      if (o >= strings.length || (o > 0 && strings[o - 1] !== 0) || (i === 0 && o !== 0)) return false;
    }
    return true;
  });
  if (!width) fail(`${archive}: cannot read libelf's message table in elf_error.o`);
  const offsets = Array.from({ length: idx.size / width }, (_, i) => rodata.readUIntLE(idx.offset + i * width, Math.min(width, 6)));
  const text = [
    `/* Generated by scripts/build-native.mjs from ${archive}(elf_error.o): do not edit. */`,
    '#pragma once',
    `#define LIBELF_NMSG ${offsets.length}`,
    `static const char msgstr[${strings.length}] = {${Array.from(strings, (b) => b).join(',')}};`,
    `static const unsigned short msgidx[LIBELF_NMSG] = {${offsets.join(',')}};`,
    '',
  ].join('\n');
  writeFileSync(header, text);
}

/** The --target row when it names another platform than this host (a cross build). */
const crossTarget = (() => {
  if (!targetName) return undefined;
  const row = PLATFORM_TARGETS.find((t) => targetId(t) === targetName);
  if (!row) fail(`unknown --target '${targetName}': scripts/platform-packages.mjs has ${PLATFORM_TARGETS.map(targetId).join(', ')}`);
  if (isHostTarget(row)) return undefined;
  if (process.platform !== 'linux' || row.os !== 'linux') fail(`--target ${targetName}: cross builds run on a Linux (Debian) host and make Linux targets`);
  if (!row.cross) fail(`--target ${targetName}: no cross toolchain is known for it (platform-packages.mjs has no 'cross'); build it on such a machine`);
  return row;
})();

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
  writeFileSync(vmlinuxH, r.stdout);
}

// 2. The BPF object.
const bpfSources = [path.join(nativeDir, 'edrkit.bpf.c'), path.join(nativeDir, 'edrkit.h'), ...readdirSync(nativeDir).filter((f) => f.endsWith('.bpf.h')).map((f) => path.join(nativeDir, f)), vmlinuxH];

/** clang -target bpf for one CPU's kernels (`defines`: __TARGET_ARCH_* and the like). */
function compileBpf(object, defines) {
  if (newer(object, bpfSources)) return console.log(`build-native: ${path.relative(root, object)} is up to date`);
  run('clang', [
    '-g', '-O2', '-target', 'bpf', ...defines,
    '-I', outDir, '-I', nativeDir, '-Wall', '-Wno-unused-function',
    // BTF line info names the source file: relative, so the shipped object names no build path.
    `-fdebug-prefix-map=${root}=.`,
    '-c', path.join(nativeDir, 'edrkit.bpf.c'), '-o', object,
  ]);
  // Strip DWARF but keep BTF (needed by CO-RE): a smaller object to ship.
  if (have('llvm-strip')) run('llvm-strip', ['-g', object]);
}

if (crossTarget) {
  crossBuild(crossTarget);
  process.exit(0);
}
compileBpf(bpfObj, [`-D__TARGET_ARCH_${BPF_ARCH[process.arch] ?? process.arch}`]);

// 3. The addon, with the BPF object embedded (bpf_object__open_mem): nothing is looked up on
// disk at run time, so the addon alone is the whole native part of an installed package.
const objectHeader = path.join(outDir, 'edrkit_bpf_object.h');
if (!newer(objectHeader, [bpfObj])) writeObjectHeader(bpfObj, objectHeader);
const libelfTable = path.join(outDir, 'libelf_error_table.h');
if (!existsSync(libelfTable) || force) writeLibelfErrorTable(libelfTable);
const addon = path.join(pkgDir, 'build/Release/edrkit_linux.node');
const addonSources = [path.join(nativeDir, 'addon.c'), path.join(nativeDir, 'libelf-error.c'), path.join(nativeDir, 'libbpf-stderr.c'), path.join(nativeDir, 'edrkit.h'), path.join(pkgDir, 'binding.gyp'), objectHeader];
if (!newer(addon, addonSources)) {
  run('npx', ['--no-install', 'node-gyp', 'rebuild', ...nodedirArgs()], { cwd: pkgDir });
} else {
  console.log(`build-native: ${path.relative(root, addon)} is up to date`);
}
// 4. The plugin launcher: libc only, so the same clang that builds the BPF object builds it.
const launcher = path.join(root, 'packages/plugins/build/edrkit-plugin-launcher');
mkdirSync(path.dirname(launcher), { recursive: true });
buildLauncher('clang', launcher);
// 5. The Windows API stand-in, for tests only (never shipped): see buildWindowsStandin().
const standin = buildWindowsStandin();
console.log(`build-native: done (${readdirSync(path.dirname(bpfObj)).join(', ')}, ${path.relative(root, addon)}, ${path.relative(root, launcher)}, ${path.relative(root, standin)})`);

/**
 * The stand-in for advapi32's ETW functions and wevtapi's subscriptions (native/windows-standin): a Linux shared library
 * with the Win32 names and x64 layouts, so the tests drive @edrkit/windows's real koffi path
 * (session start, record callback on a worker thread, decode, stop, loss). Tests only.
 */
function buildWindowsStandin() {
  const out = path.join(root, 'packages/windows/build/libedrkit-windows-standin.so');
  const sources = ['etw-standin.c', 'wevtapi-standin.c', 'fltlib-standin.c'].map((f) => path.join(root, 'native/windows-standin', f));
  if (!newer(out, sources)) {
    mkdirSync(path.dirname(out), { recursive: true });
    run('clang', ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-o', out, ...sources, '-lpthread']);
  } else {
    console.log(`build-native: ${path.relative(root, out)} is up to date`);
  }
  return out;
}

/**
 * `--target ID` for another CPU or C library: the BPF object for that CPU's kernels, the addon
 * and the launcher built with the row's toolchain (`cross`: the GNU triple of a Debian cross
 * compiler, or x86_64-linux-musl for musl-gcc), linked with that target's static libbpf,
 * libelf and zlib (glibc: Debian's multiarch packages; musl: built by buildMuslLibraries()),
 * into build/targets/ID/. Then the files are checked: built for that CPU, needing only the C
 * library.
 */
function crossBuild(target) {
  const id = targetId(target);
  const triple = target.cross;
  const tools = `${triple}-`;
  const debArch = DEB_ARCH[target.cpu];
  const bpfArch = BPF_ARCH[target.cpu];
  if (!debArch || !bpfArch || !ELF_MACHINE[target.cpu]) fail(`--target ${id}: no Debian architecture / BPF arch / ELF machine known for '${target.cpu}'`);
  const dest = path.join(root, 'build/targets', id);
  const work = path.join(dest, '.build');
  mkdirSync(path.join(dest, 'bin'), { recursive: true });
  mkdirSync(work, { recursive: true });

  const musl = target.libc === 'musl';
  /** Extra include and library directories: the musl build's own libraries and kernel headers. */
  let libs = { includeDirs: [], libDirs: [] };
  const cc = `${tools}gcc`;
  // musl-gcc has no C++ driver; the addon is C, so the C driver links it too.
  const cxx = musl ? cc : `${tools}g++`;
  if (musl) libs = buildMuslLibraries(target, work);

  // What is missing, reported with the exact lines that install it (this script installs
  // nothing: adding a dpkg architecture is the machine owner's decision).
  const missing = [];
  const haveCompiler = musl || (have(`${tools}gcc`) && have(`${tools}g++`));
  if (!haveCompiler) missing.push(`crossbuild-essential-${debArch}`);
  for (const [lib, deb] of musl ? [] : [['libbpf.a', 'libbpf-dev'], ['libelf.a', 'libelf-dev'], ['libz.a', 'zlib1g-dev']]) {
    const found = haveCompiler ? spawnSync(`${tools}gcc`, [`-print-file-name=${lib}`], { encoding: 'utf8' }).stdout.trim() : '';
    if (!path.isAbsolute(found) || !existsSync(found)) missing.push(`${deb}:${debArch}`);
  }
  if (missing.length > 0) {
    const foreign = spawnSync('dpkg', ['--print-foreign-architectures'], { encoding: 'utf8' }).stdout ?? '';
    const lines = [
      ...(foreign.split('\n').includes(debArch) ? [] : [`dpkg --add-architecture ${debArch}`]),
      'apt-get update',
      `apt-get install crossbuild-essential-${debArch} libbpf-dev:${debArch} libelf-dev:${debArch} zlib1g-dev:${debArch}`,
    ];
    fail(
      `the ${id} cross build needs ${missing.join(', ')}. Install them as root (the :${debArch} -dev packages are ` +
        `Multi-Arch: same, so apt may bring the host's copies to the same version):\n  ${lines.join('\n  ')}`,
    );
  }

  // 2'. The BPF object for this CPU's kernels. vmlinux.h is the host kernel's (CO-RE relocates
  // every kernel type at load time); only the uprobes' register layout is per architecture:
  // native/linux/arch-regs.bpf.h says why it is defined there when vmlinux.h lacks it.
  const defines = [`-D__TARGET_ARCH_${bpfArch}`];
  const hostBpfArch = BPF_ARCH[process.arch];
  if (bpfArch === 'arm64') {
    if (!/^struct user_pt_regs \{/m.test(readFileSync(vmlinuxH, 'utf8'))) defines.push('-DEDRKIT_DEFINE_USER_PT_REGS');
  } else if (bpfArch !== hostBpfArch) {
    fail(`--target ${id}: a ${bpfArch} BPF object needs ${bpfArch}'s struct pt_regs, which the ${hostBpfArch} vmlinux.h here does not have (native/linux/arch-regs.bpf.h defines only arm64's)`);
  }
  const object = path.join(work, 'edrkit.bpf.o');
  compileBpf(object, defines);

  // 3'. The addon: the same binding.gyp, with the generated headers of this target (its BPF
  // object, its libelf's message table) instead of native/linux/.output's, built in a staging
  // directory so the host's packages/linux/build is left alone.
  const objectHeader = path.join(work, 'edrkit_bpf_object.h');
  if (!newer(objectHeader, [object])) writeObjectHeader(object, objectHeader);
  const libelfTable = path.join(work, 'libelf_error_table.h');
  if (!musl && (!existsSync(libelfTable) || force)) writeLibelfErrorTable(libelfTable, { tools, dir: work, debianPackage: `libelf-dev:${debArch}` });
  const gypDir = path.join(work, 'gyp');
  mkdirSync(gypDir, { recursive: true });
  const binding = JSON.parse(readFileSync(path.join(pkgDir, 'binding.gyp'), 'utf8'));
  let generatedDir = false;
  for (const t of binding.targets) {
    t.sources = t.sources.map((p) => path.relative(gypDir, path.resolve(pkgDir, p)));
    t.include_dirs = t.include_dirs.map((p) => {
      if (path.resolve(pkgDir, p) !== outDir) return path.relative(gypDir, path.resolve(pkgDir, p));
      generatedDir = true;
      return path.relative(gypDir, work);
    });
  }
  if (!generatedDir) fail('packages/linux/binding.gyp no longer includes native/linux/.output: update crossBuild() in scripts/build-native.mjs');
  if (musl) {
    for (const t of binding.targets) {
      // libelf-error.c and libbpf-stderr.c work around Debian's libelf.a/libbpf.a, which are
      // not built as PIC (see each file); the musl libraries are built here with -fPIC and
      // link as they are.
      t.sources = t.sources.filter((f) => !/(libelf-error|libbpf-stderr)\.c$/.test(f));
      t.include_dirs.push(...libs.includeDirs.map((d) => path.relative(gypDir, d)));
      t.libraries = [...libs.libDirs.map((d) => `-L${d}`), ...t.libraries];
    }
  }
  const gypFile = path.join(gypDir, 'binding.gyp');
  const gypText = `${JSON.stringify(binding, null, 2)}\n`;
  if (!existsSync(gypFile) || readFileSync(gypFile, 'utf8') !== gypText) writeFileSync(gypFile, gypText);
  const addon = path.join(dest, 'edrkit_linux.node');
  const addonInputs = [path.join(nativeDir, 'addon.c'), path.join(nativeDir, 'edrkit.h'), gypFile, objectHeader, ...(musl ? [libs.stamp] : [path.join(nativeDir, 'libelf-error.c'), path.join(nativeDir, 'libbpf-stderr.c'), libelfTable])];
  if (!newer(addon, addonInputs)) {
    // Node-API is ABI-stable: the running Node's headers serve any CPU (--arch only picks the
    // toolchain flags node-gyp's common.gypi adds, e.g. no -m64 for arm64).
    const nodeGyp = path.join(root, 'node_modules/node-gyp/bin/node-gyp.js');
    if (!existsSync(nodeGyp)) fail('node-gyp is not installed: run npm install first');
    const env = { ...process.env, CC: cc, CXX: cxx, LINK: cxx, AR: musl ? 'ar' : `${tools}ar` };
    run(process.execPath, [nodeGyp, 'rebuild', `--arch=${target.cpu}`, ...nodedirArgs()], { cwd: gypDir, env });
    // Copied, then renamed into place: `npm run pack` (or a test packing) may read it meanwhile.
    copyFileSync(path.join(gypDir, 'build/Release/edrkit_linux.node'), `${addon}.tmp`);
    renameSync(`${addon}.tmp`, addon);
  } else {
    console.log(`build-native: ${path.relative(root, addon)} is up to date`);
  }

  // 4'. The plugin launcher: the host build's flags, with the cross C compiler. musl-gcc sees
  // only musl's headers: the kernel's (landlock, seccomp) come from libs.includeDirs.
  const launcher = path.join(dest, 'bin/edrkit-plugin-launcher');
  buildLauncher(cc, launcher, libs.includeDirs.map((d) => `-isystem${d}`));

  // The same checks as test/release/cross.test.ts, so a wrong toolchain fails here first.
  for (const file of [addon, launcher]) {
    const header = spawnSync('readelf', ['-h', file], { encoding: 'utf8' }).stdout;
    const machine = /Machine:\s+(.+)/.exec(header)?.[1].trim();
    if (machine !== ELF_MACHINE[target.cpu]) fail(`${path.relative(root, file)} is built for '${machine}', not ${ELF_MACHINE[target.cpu]}`);
    // glibc: libc.so.6 (and ld-linux on arm64, for __stack_chk_guard); musl: its one libc.so.
    const extra = neededLibraries(file).filter((n) => !ALLOWED_NEEDED[target.libc].test(n));
    if (extra.length > 0) fail(`${path.relative(root, file)} needs ${extra.join(', ')}: only the C library may be (static libbpf/libelf/zlib)`);
  }
  console.log(`build-native: done (${id}: ${path.relative(root, addon)}, ${path.relative(root, launcher)}; BPF object ${path.relative(root, object)})`);
}

/**
 * libbpf, libelf and zlib for a musl target, built with musl-gcc from Debian's own source
 * packages (the same upstream versions the glibc prebuilds link; Debian ships musl-gcc but
 * builds those libraries for glibc only, and archives compiled against glibc's headers do not
 * link against musl). Into build/targets/ID/.build/musl/: `src/` (the unpacked sources),
 * `sysroot/` (headers, static PIC archives, each package's debian/copyright and versions.json,
 * which scripts/pack.mjs writes THIRD_PARTY_NOTICES from), `kernel-headers/` (links to the
 * host's linux/, asm/ and asm-generic/ headers: musl-gcc does not search /usr/include).
 *
 * The sources come through apt with a private configuration (deb-src of the host's Debian
 * release), so the machine's apt sources stay as they are; apt checks the .dsc files against
 * the release's signed index, so dpkg-source unpacks them without a second signature check.
 * Built once (versions.json is the stamp); --force rebuilds.
 */
function buildMuslLibraries(target, work) {
  const cc = `${target.cross}-gcc`;
  const dir = path.join(work, 'musl');
  const sysroot = path.join(dir, 'sysroot');
  const kernelHeaders = path.join(dir, 'kernel-headers');
  const stamp = path.join(sysroot, 'versions.json');
  const result = { includeDirs: [path.join(sysroot, 'include'), kernelHeaders], libDirs: [path.join(sysroot, 'lib')], stamp };
  const missing = [];
  if (!have(cc)) missing.push('musl-tools');
  if (!have('dpkg-source')) missing.push('dpkg-dev');
  if (!have('make')) missing.push('make');
  const asm = `/usr/include/${process.arch === 'x64' ? 'x86_64' : 'aarch64'}-linux-gnu/asm`;
  if (!existsSync('/usr/include/linux/landlock.h') || !existsSync(asm)) missing.push('linux-libc-dev');
  if (missing.length > 0) fail(`the ${targetId(target)} build needs ${missing.join(', ')}: apt-get install ${missing.join(' ')}`);
  if (target.cpu !== process.arch) fail(`--target ${targetId(target)}: musl builds are native only (musl-gcc of a ${process.arch} host)`);

  mkdirSync(kernelHeaders, { recursive: true });
  for (const [name, to] of [['linux', '/usr/include/linux'], ['asm-generic', '/usr/include/asm-generic'], ['asm', asm]]) {
    if (!existsSync(path.join(kernelHeaders, name))) symlinkSync(to, path.join(kernelHeaders, name));
  }
  if (existsSync(stamp) && !force) {
    console.log(`build-native: ${path.relative(root, sysroot)} (musl libbpf, libelf, zlib) is up to date`);
    return result;
  }
  rmSync(path.join(dir, 'src'), { recursive: true, force: true });
  rmSync(sysroot, { recursive: true, force: true });
  const src = path.join(dir, 'src');
  for (const d of [src, path.join(sysroot, 'include'), path.join(sysroot, 'lib'), path.join(sysroot, 'copyright'), path.join(dir, 'apt/lists/partial')]) mkdirSync(d, { recursive: true });

  // 1. Debian's source packages of the host's release.
  const codename = /^VERSION_CODENAME=(\w+)/m.exec(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '')?.[1];
  if (!codename) fail('cannot tell the Debian release (/etc/os-release VERSION_CODENAME) to fetch its sources from');
  const mirror = process.env.EDRKIT_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
  writeFileSync(path.join(dir, 'apt/sources.list'), `deb-src ${mirror} ${codename} main\n`);
  const apt = ['-o', `Dir::Etc::SourceList=${path.join(dir, 'apt/sources.list')}`, '-o', 'Dir::Etc::SourceParts=/nonexistent', '-o', `Dir::State::Lists=${path.join(dir, 'apt/lists')}`, '-o', 'APT::Sandbox::User=root'];
  run('apt-get', [...apt, 'update', '-qq']);
  const sources = [
    { source: 'libbpf', deb: 'libbpf-dev', what: 'libbpf (loads the BPF programs), statically linked into edrkit_linux.node' },
    { source: 'elfutils', deb: 'libelf-dev', what: 'libelf from elfutils (reads the BPF object), statically linked into edrkit_linux.node' },
    { source: 'zlib', deb: 'zlib1g-dev', what: 'zlib (libelf and libbpf use it), statically linked into edrkit_linux.node' },
  ];
  run('apt-get', [...apt, 'source', '--download-only', ...sources.map((p) => p.source)], { cwd: src });
  for (const p of sources) {
    const dsc = readdirSync(src).find((f) => f.startsWith(`${p.source}_`) && f.endsWith('.dsc'));
    if (!dsc) fail(`apt-get source ${p.source} fetched no .dsc`);
    p.version = dsc.slice(p.source.length + 1, -'.dsc'.length);
    p.dir = path.join(src, `${p.source}-${p.version.replace(/^\d+:/, '').replace(/-[^-]+$/, '')}`);
    run('dpkg-source', ['--no-check', '-x', dsc, p.dir], { cwd: src, stdout: true });
    copyFileSync(path.join(p.dir, 'debian/copyright'), path.join(sysroot, 'copyright', p.source));
  }
  const [libbpf, elfutils, zlib] = sources;
  const cflags = `-O2 -fPIC -isystem ${kernelHeaders} -I${path.join(sysroot, 'include')}`;
  const env = { ...process.env, CC: cc, CFLAGS: cflags };
  const jobs = `-j${Math.max(1, availableParallelism())}`;

  // 2. zlib: static, position independent (it ends up in a shared object).
  run('./configure', ['--static', `--prefix=${sysroot}`], { cwd: zlib.dir, env, stdout: true });
  run('make', [jobs, 'libz.a'], { cwd: zlib.dir, env, stdout: true });
  run('make', ['install'], { cwd: zlib.dir, env, stdout: true });

  // 3. libelf only. elfutils' configure insists on argp, fts and obstack, which glibc has and
  // musl does not; only its tools and libdw use them, not libelf, so configure is told they
  // need no library and only libelf.a is built.
  run('./configure', ['--disable-debuginfod', '--disable-libdebuginfod', '--without-bzlib', '--without-lzma', '--without-zstd', '--disable-nls', 'ac_cv_search_argp_parse=none required', 'ac_cv_search_fts_close=none required', 'ac_cv_search__obstack_free=none required', `LDFLAGS=-L${path.join(sysroot, 'lib')}`], { cwd: elfutils.dir, env, stdout: true });
  run('make', [jobs, '-C', 'libelf', 'libelf.a'], { cwd: elfutils.dir, env, stdout: true });
  copyFileSync(path.join(elfutils.dir, 'libelf/libelf.a'), path.join(sysroot, 'lib/libelf.a'));
  for (const h of ['libelf.h', 'gelf.h', 'nlist.h']) copyFileSync(path.join(elfutils.dir, 'libelf', h), path.join(sysroot, 'include', h));

  // 4. libbpf, static only.
  const objdir = path.join(dir, 'libbpf-obj');
  rmSync(objdir, { recursive: true, force: true });
  mkdirSync(objdir, { recursive: true });
  // libbpf's default CFLAGS without -g: no debug information (naming this machine's paths) in
  // the shipped addon, as with Debian's stripped libbpf.a.
  run('make', [jobs, '-C', 'src', 'BUILD_STATIC_ONLY=y', `OBJDIR=${objdir}`, `CC=${cc}`, 'CFLAGS=-O2 -Werror -Wall -std=gnu89', `EXTRA_CFLAGS=${cflags}`, `PREFIX=${sysroot}`, `LIBDIR=${path.join(sysroot, 'lib')}`, 'install'], { cwd: libbpf.dir, stdout: true });

  writeFileSync(stamp, `${JSON.stringify(sources.map(({ source, deb, what, version }) => ({ source, deb, what, version, copyright: `copyright/${source}` })), null, 2)}\n`);
  console.log(`build-native: musl ${sources.map((p) => `${p.source} ${p.version}`).join(', ')} built into ${path.relative(root, sysroot)}`);
  return result;
}
