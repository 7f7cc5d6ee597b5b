#!/usr/bin/env node
/**
 * `npm run pack`: the tarballs a release publishes, in one directory (default .release/).
 *
 *   1. the platform packages (scripts/platform-packages.mjs) whose binaries were built: a
 *      generated package.json with os/cpu/libc, the binaries, THIRD_PARTY_NOTICES (the
 *      licences of what is linked in, from the build host's Debian copyright files), a README;
 *      each ELF file is checked to need nothing beyond the C library (readelf NEEDED);
 *   2. every workspace package, from a staged copy of the files `npm pack` would take, with
 *      `optionalDependencies` on the platform packages built in step 1 added for the packages
 *      that load their binaries, and the development-only fields (scripts, devDependencies)
 *      left out.
 *
 * Every package must carry the one shared version, and dependencies between them must name
 * exactly it, so a set of tarballs installs as a whole. Install them all at once:
 * `npm install ./.release/*.tgz` (docs/install.md).
 *
 * Options: --out DIR. Needs a build first (`npm run build`); on hosts other than Linux only
 * the workspace packages are packed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALLOWED_NEEDED, DEB_ARCH, PLATFORM_TARGETS, isHostTarget, neededLibraries, packageName, targetId } from './platform-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(outArg > 0 ? process.argv[outArg + 1] : path.join(root, '.release'));
const stage = path.join(out, 'stage');
const rootManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Debian packages whose code is linked into the addon, and what of each. */
const LINKED = [
  { deb: 'libbpf-dev', doc: 'libbpf1', what: 'libbpf (loads the BPF programs), statically linked into edrkit_linux.node' },
  { deb: 'libelf-dev', doc: 'libelf1', what: 'libelf from elfutils (reads the BPF object), statically linked into edrkit_linux.node' },
  { deb: 'zlib1g-dev', doc: 'zlib1g', what: 'zlib (libelf and libbpf use it), statically linked into edrkit_linux.node' },
];

function fail(message) {
  console.error(`pack: ${message}`);
  process.exit(1);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

// The workspace packages and the one version they share.
const workspaces = rootManifest.workspaces.map((dir) => ({ dir: path.join(root, dir), manifest: readJson(path.join(root, dir, 'package.json')) }));
// The version changesets gives every package (one fixed group): the first's, checked below.
const version = workspaces[0].manifest.version;
const names = new Set(workspaces.map((w) => w.manifest.name));
for (const { manifest } of workspaces) {
  if (manifest.version !== version) fail(`${manifest.name} is at ${manifest.version}, not the shared version ${version}`);
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (names.has(dep) && range !== version) fail(`${manifest.name} ${field}.${dep} is '${range}', not the shared version ${version}`);
    }
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });

/** npm pack of a staged directory into `out`; returns the tarball's file name. */
function npmPack(dir) {
  const [result] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: dir }));
  console.log(`pack: ${result.filename} (${result.entryCount} files, ${(result.size / 1024).toFixed(0)} KiB)`);
  return result.filename;
}

/** The licences of what is linked into `target`'s binaries: its architecture's Debian packages. */
function thirdPartyNotices(target) {
  const parts = [
    'THIRD-PARTY SOFTWARE NOTICES',
    '',
    'The native files of this package contain the following software, linked statically. Their',
    'licences follow, as the Debian packages they were built from state them. The source of',
    'edrkit\'s own native code and the script that builds and links it are in',
    'https://github.com/edrkit/edrkit (native/linux, scripts/build-native.mjs), so the files can',
    'be rebuilt and relinked with other versions of these libraries (npm run setup).',
    '',
  ];
  if (target.libc === 'musl') {
    // Built from Debian's source packages by build-native.mjs (buildMuslLibraries), which
    // recorded their versions and kept each one's debian/copyright.
    const sysroot = path.join(root, 'build/targets', targetId(target), '.build/musl/sysroot');
    const listFile = path.join(sysroot, 'versions.json');
    if (!existsSync(listFile)) fail(`${path.relative(root, listFile)} is missing: rebuild with node scripts/build-native.mjs --target ${targetId(target)}`);
    for (const { source, what, version, copyright } of readJson(listFile)) {
      parts.push('='.repeat(78), what, `Debian source package ${source} ${version}, built for musl; its debian/copyright:`, '='.repeat(78), '', readFileSync(path.join(sysroot, copyright), 'utf8').trimEnd(), '');
    }
    return `${parts.join('\n')}\n`;
  }
  for (const { deb, doc, what } of LINKED) {
    // deb:ARCH: with a cross build's multiarch packages installed, the bare name matches the
    // host's and the target's copy (Multi-Arch: same) and dpkg-query prints both versions.
    const v = spawnSync('dpkg-query', ['-W', '-f', '${Version}', `${deb}:${DEB_ARCH[target.cpu]}`], { encoding: 'utf8' }).stdout || 'unknown version';
    const file = `/usr/share/doc/${doc}/copyright`;
    if (!existsSync(file)) fail(`${file} is missing: cannot write the licence of ${deb}`);
    parts.push('='.repeat(78), `${what}`, `Debian package ${deb}:${DEB_ARCH[target.cpu]} ${v}; ${file}:`, '='.repeat(78), '', readFileSync(file, 'utf8').trimEnd(), '');
  }
  return `${parts.join('\n')}\n`;
}

// 1. Platform packages.
const built = [];
for (const target of PLATFORM_TARGETS) {
  const id = targetId(target);
  const host = isHostTarget(target);
  // A cross build (build-native.mjs --target ID) writes to build/targets/ID/<file>.
  const source = (f) => (host ? path.join(root, f.built) : path.join(root, 'build/targets', id, f.file));
  const missing = target.files.filter((f) => !existsSync(source(f)));
  if (missing.length > 0) {
    console.log(`pack: ${packageName(target)} not packed: ${missing.map(source).map((p) => path.relative(root, p)).join(', ')} not built`);
    continue;
  }
  const dir = path.join(stage, id);
  mkdirSync(dir, { recursive: true });
  for (const f of target.files) {
    const extra = neededLibraries(source(f)).filter((n) => !ALLOWED_NEEDED[target.libc ?? 'glibc'].test(n));
    if (extra.length > 0) fail(`${path.relative(root, source(f))} needs ${extra.join(', ')}: a shipped binary may need only the C library (link it statically)`);
    mkdirSync(path.dirname(path.join(dir, f.file)), { recursive: true });
    copyFileSync(source(f), path.join(dir, f.file));
    if (f.file.startsWith('bin/')) chmodSync(path.join(dir, f.file), 0o755);
  }
  copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  writeFileSync(path.join(dir, 'THIRD_PARTY_NOTICES'), thirdPartyNotices(target));
  const usedBy = [...new Set(target.files.map((f) => f.usedBy))];
  writeFileSync(
    path.join(dir, 'README.md'),
    [
      `# ${packageName(target)}`,
      '',
      `Prebuilt native files of edrkit for ${target.os} on ${target.cpu}${target.libc ? ` with ${target.libc}` : ''}: ${target.files.map((f) => `\`${f.file}\``).join(', ')}.`,
      '',
      `Do not install it directly: ${usedBy.map((u) => `\`${u}\``).join(' and ')} list it as an optional dependency, and npm installs it`,
      'only on the platform it is built for. The binaries need only the C library; the licences of the',
      'libraries linked into them are in THIRD_PARTY_NOTICES. See https://github.com/edrkit/edrkit (docs/install.md).',
      '',
    ].join('\n'),
  );
  writeJson(path.join(dir, 'package.json'), {
    name: packageName(target),
    version,
    description: `edrkit's prebuilt native files for ${id} (${target.files.map((f) => path.basename(f.file)).join(', ')}).`,
    license: 'Apache-2.0 AND (LGPL-2.1 OR BSD-2-Clause) AND (LGPL-3.0-or-later OR GPL-2.0-or-later) AND Zlib',
    repository: { type: 'git', url: 'git+https://github.com/edrkit/edrkit.git' },
    homepage: 'https://github.com/edrkit/edrkit#readme',
    os: [target.os],
    cpu: [target.cpu],
    ...(target.libc ? { libc: [target.libc] } : {}),
    files: [...target.files.map((f) => f.file), 'THIRD_PARTY_NOTICES', 'LICENSE', 'README.md'],
    publishConfig: { access: 'public', provenance: true },
  });
  built.push({ target, name: packageName(target), usedBy, file: npmPack(dir) });
}

// 2. Workspace packages.
for (const { dir, manifest } of workspaces) {
  const [listing] = JSON.parse(run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: dir }));
  const staged = path.join(stage, manifest.name.replace('/', '+'));
  for (const { path: file } of listing.files) {
    mkdirSync(path.dirname(path.join(staged, file)), { recursive: true });
    cpSync(path.join(dir, file), path.join(staged, file));
  }
  const published = { ...manifest };
  delete published.scripts;
  delete published.devDependencies;
  const platform = built.filter((b) => b.usedBy.includes(manifest.name));
  if (platform.length > 0) published.optionalDependencies = { ...published.optionalDependencies, ...Object.fromEntries(platform.map((b) => [b.name, version])) };
  writeJson(path.join(staged, 'package.json'), published);
  if (!existsSync(path.join(staged, 'LICENSE'))) copyFileSync(path.join(root, 'LICENSE'), path.join(staged, 'LICENSE'));
  npmPack(staged);
}
rmSync(stage, { recursive: true, force: true });
const others = built.filter((b) => !isHostTarget(b.target)).map((b) => b.file);
console.log(
  `pack: done: ${out} (install them together: npm install ${path.relative(process.cwd(), out) || '.'}/*.tgz` +
    `${others.length > 0 ? `, leaving out the other platforms' ${others.join(', ')}: npm refuses a package for another CPU or C library asked for by name` : ''})`,
);
