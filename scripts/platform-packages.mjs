/**
 * The per-platform packages: one table, read by scripts/pack.mjs (which writes and packs them)
 * and by test/release (which checks it against the runtime's naming in
 * @edrkit/core/internal platformPackageName). Adding a target or a native file is a row here.
 *
 * A platform package holds only prebuilt binaries. npm installs it only where its
 * `os`/`cpu`/`libc` fields match, as an optional dependency of each package in `usedBy`
 * (added to those packages' package.json at pack time, so the repository's own install never
 * asks the registry for them).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Native files of the Linux targets: where the build writes them, where they go in the package. */
const LINUX_FILES = [
  { built: 'packages/linux/build/Release/edrkit_linux.node', file: 'edrkit_linux.node', usedBy: '@edrkit/linux' },
  { built: 'packages/plugins/build/edrkit-plugin-launcher', file: 'bin/edrkit-plugin-launcher', usedBy: '@edrkit/plugins' },
];

/**
 * Every target edrkit knows how to name. `libc` is npm's value (glibc | musl) and gives the
 * `-gnu` / `-musl` suffix; `cross` is the triple of the Debian toolchain that builds it on an
 * x86-64 Debian host (build-native.mjs --target: a cross compiler, or musl-gcc's
 * x86_64-linux-musl), absent when only a native build makes it.
 * A target is packed only when its files were built (pack.mjs says which were not).
 */
export const PLATFORM_TARGETS = [
  { os: 'linux', cpu: 'x64', libc: 'glibc', cross: 'x86_64-linux-gnu', files: LINUX_FILES },
  { os: 'linux', cpu: 'arm64', libc: 'glibc', cross: 'aarch64-linux-gnu', files: LINUX_FILES },
  // musl-gcc (Debian's musl-tools) with libbpf/libelf/zlib built from Debian's sources.
  { os: 'linux', cpu: 'x64', libc: 'musl', cross: 'x86_64-linux-musl', files: LINUX_FILES },
];

/** `linux-x64-gnu`: the same naming as @edrkit/core/internal targetId(). */
export function targetId(target) {
  const libc = target.libc === 'glibc' ? '-gnu' : target.libc === 'musl' ? '-musl' : '';
  return `${target.os}-${target.cpu}${libc}`;
}

/** `@edrkit/linux-x64-gnu`. */
export function packageName(target) {
  return `@edrkit/${targetId(target)}`;
}

/**
 * Shared libraries every Linux of that C library has: what a shipped binary may need, and
 * nothing else. glibc: libc.so.6 and its loader; musl: its single libc.so, which musl's loader
 * maps to itself under any of its names (Alpine calls it libc.musl-ARCH.so.1).
 */
export const ALLOWED_NEEDED = {
  glibc: /^(libc\.so\.6|ld-linux[-\w.]*\.so\.\d)$/,
  musl: /^(libc\.so|libc\.musl-\w+\.so\.1)$/,
};

/** The shared libraries an ELF file names as NEEDED (`readelf -d`). */
export function neededLibraries(file) {
  return execFileSync('readelf', ['-d', file], { encoding: 'utf8' })
    .split('\n')
    .flatMap((l) => /\(NEEDED\).*\[(.+)\]/.exec(l)?.[1] ?? []);
}

/** Node's CPU names to Debian's architectures (dpkg --add-architecture, `libbpf-dev:arm64`). */
export const DEB_ARCH = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ppc64: 'ppc64el', s390x: 's390x', riscv64: 'riscv64' };

/** npm's `libc` value for this process: glibc, or musl where Node runs without glibc. */
export function hostLibc() {
  return process.report?.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** Whether `target` is the platform this process runs on. */
export function isHostTarget(target) {
  return target.os === process.platform && target.cpu === process.arch && (target.libc === undefined || target.libc === hostLibc());
}

/**
 * The tarballs of a release set (file names, as `npm pack` names them:
 * `edrkit-linux-arm64-gnu-0.1.0.tgz`) that install on this machine: all but the platform
 * packages of other targets. npm refuses a package for another CPU or C library when it is
 * asked for it by name (EBADPLATFORM); as the optional dependency it is, npm skips it itself.
 */
export function installableHere(files) {
  const foreign = PLATFORM_TARGETS.filter((t) => !isHostTarget(t)).map((t) => `${packageName(t).slice(1).replace('/', '-')}-`);
  return files.filter((f) => !foreign.some((prefix) => path.basename(f).startsWith(prefix)));
}
