/**
 * `edrkit plugin …`: keys, signing, verification, the trust store, installation and
 * running plugins over a recording or live events. See docs/plugins.md.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EVENT_KINDS, InvalidArgumentError, ReplayBackend, openSensor, type EdrEvent, type Sensor } from '@edrkit/core';
import type * as Plugins from '@edrkit/plugins';
import type { MinisignPublicKey, PluginAlert, TrustStore, VerifyOptions } from '@edrkit/plugins';
import type { Command } from 'commander';
import { openNamedSensor } from '../backends.js';
import { closeFast, onStopRequest, writeLine } from '../consume.js';
import { formatEvent } from '../output.js';
import { parseDuration } from '../sensor-flags.js';
import { EXIT, reportError } from '../user-error.js';
import { loadCommand } from '../lazy-command.js';

/**
 * @edrkit/plugins, loaded by {@link run} when a `plugin` subcommand runs (not when the CLI
 * starts: `watch` and the others never need it).
 */
let P: typeof Plugins;

function readKeyFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InvalidArgumentError(`cannot read key file '${file}' (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

function publicKeys(files: string[] | undefined): MinisignPublicKey[] | undefined {
  return files?.length ? files.map((f) => P.parsePublicKey(readKeyFile(f))) : undefined;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Verify options: explicit keys (if any) plus the trust store's revocations, quarantine and anti-rollback. */
function verifyOptions(keys: string[] | undefined): VerifyOptions {
  const keyList = publicKeys(keys);
  return { ...(keyList ? { keys: keyList } : {}), trustStore: P.TrustStore.open() };
}

function isContent(dir: string): boolean {
  return existsSync(path.join(dir, P.CONTENT_MANIFEST));
}

/** Verify and load a plugin or a content pack, whichever `dir` holds. */
function loadAnyPackage(dir: string, options: VerifyOptions) {
  return isContent(dir) ? P.loadContentPack(dir, options) : P.loadPluginPackage(dir, options);
}

async function run(action: () => void | Promise<void>): Promise<void> {
  const loaded = await loadCommand('plugin', () => import('@edrkit/plugins'));
  if (!loaded) return;
  P = loaded;
  try {
    await action();
    process.exitCode ??= EXIT.ok;
  } catch (err) {
    process.exitCode = reportError(err);
  }
}

function registerKeygen(plugin: Command): void {
  plugin
    .command('keygen')
    .description('generate a signing key pair: NAME.pub and NAME.key in minisign formats (the key is NOT encrypted)')
    .requiredOption('-o, --output <name>', 'path prefix of the key files')
    .option('-f, --force', 'overwrite existing key files')
    .action((flags: { output: string; force?: boolean }) =>
      run(() => {
        const pub = `${flags.output}.pub`;
        const key = `${flags.output}.key`;
        for (const f of [pub, key]) {
          if (existsSync(f) && !flags.force) throw new InvalidArgumentError(`${f} already exists; use --force to overwrite it`);
        }
        const pair = P.generateKeyPair();
        writeFileSync(key, P.formatSecretKey(pair.secretKey), { mode: 0o600 });
        writeFileSync(pub, P.formatPublicKey(pair.publicKey));
        process.stderr.write(
          `edrkit: warning: ${key} is not password-protected; keep it offline (or encrypt it with \`minisign -C -s ${key}\` and sign with minisign)\n`,
        );
        process.stdout.write(`key id ${pair.publicKey.keyIdHex}\npublic key ${pub}\nsecret key ${key}\n`);
      }),
    );
}

function registerSign(plugin: Command): void {
  plugin
    .command('sign')
    .description('fill in the file digests of the manifest, then sign it (edrkit-plugin.json or edrkit-content.json)')
    .argument('<dir>', 'plugin or content pack directory')
    .requiredOption('-k, --key <file>', 'secret key (minisign format, unencrypted)')
    .option('-t, --trusted-comment <text>', 'signed comment (default: timestamp)')
    .option('--legacy', 'legacy non-prehashed signature (Ed)')
    .action((dir: string, flags: { key: string; trustedComment?: string; legacy?: boolean }) =>
      run(() => {
        const key = P.parseSecretKey(readKeyFile(flags.key));
        const info = P.signPackage(dir, key, {
          ...(isContent(dir) ? { manifestName: P.CONTENT_MANIFEST } : {}),
          ...(flags.trustedComment !== undefined ? { trustedComment: flags.trustedComment } : {}),
          ...(flags.legacy ? { legacy: true } : {}),
        });
        process.stdout.write(`signed ${info.manifestPath} (${Object.keys(info.files).length} file(s), ${info.digest}) with key ${key.keyIdHex}\n`);
      }),
    );
}

function registerVerify(plugin: Command): void {
  plugin
    .command('verify')
    .description('verify a plugin or content pack; exit 0 only when it is valid')
    .argument('<dir>', 'plugin or content pack directory')
    .option('-k, --key <file>', 'public key to verify with (repeatable; default: the trust store)', collect)
    .action((dir: string, flags: { key?: string[] }) =>
      run(() => {
        const options = verifyOptions(flags.key);
        const pkg = loadAnyPackage(dir, options);
        process.stdout.write(
          `ok: ${pkg.manifest.name} ${pkg.manifest.version} (${pkg.type}, ${pkg.files.size} file(s)) signed by ${pkg.signer.keyIdHex}; trusted comment: ${pkg.signer.trustedComment}; digest ${pkg.digest}\n`,
        );
      }),
    );
}

function registerTrust(plugin: Command): void {
  plugin
    .command('trust')
    .description('trust a publisher key for some plugin names (EDRKIT_HOME/plugins/trust.json)')
    .argument('<pubkey>', 'public key file (minisign format)')
    .requiredOption('-n, --name <pattern>', 'plugin name it may sign: exact, prefix-*, or * (repeatable)', collect)
    .option('--expires <date>', 'stop trusting the key after this date (ISO 8601)')
    .action((file: string, flags: { name: string[]; expires?: string }) =>
      run(() => {
        const record = P.TrustStore.open().trust(P.parsePublicKey(readKeyFile(file)), { names: flags.name, ...(flags.expires ? { expires: flags.expires } : {}) });
        process.stdout.write(`trusted key ${record.keyId} for ${record.names.join(', ')}${record.expires ? ` until ${record.expires}` : ''}\n`);
      }),
    );
  plugin
    .command('revoke')
    .description('revoke a key id or one package build (manifest digest)')
    .option('--key-id <id>', 'key id (16 hex digits, as minisign prints it)')
    .option('--digest <sha256>', 'manifest digest (sha256:…, as `plugin verify` prints it)')
    .option('--reason <text>', 'why')
    .action((flags: { keyId?: string; digest?: string; reason?: string }) =>
      run(() => {
        if (!flags.keyId && !flags.digest) throw new InvalidArgumentError('plugin revoke: give --key-id or --digest');
        // Check both before storing either: a bad --digest must not leave the key half-revoked.
        const keyId = flags.keyId === undefined ? undefined : P.parseKeyId(flags.keyId);
        const digest = flags.digest === undefined ? undefined : P.parseDigest(flags.digest);
        const store = P.TrustStore.open();
        if (keyId) store.revokeKey(keyId, flags.reason);
        if (digest) store.revokeDigest(digest, flags.reason);
        process.stdout.write(`revoked ${[keyId, digest].filter(Boolean).join(' and ')}\n`);
      }),
    );
  plugin
    .command('release')
    .description('release every quarantined build of a plugin')
    .argument('<name>', 'plugin name')
    .action((name: string) =>
      run(() => {
        process.stdout.write(`released ${P.TrustStore.open().release(name)} quarantined build(s) of ${name}\n`);
      }),
    );
}

function registerInstall(plugin: Command): void {
  plugin
    .command('install')
    .description('verify a plugin or content pack against the trust store and install its verified bytes under EDRKIT_HOME')
    .argument('<dir>', 'plugin or content pack directory')
    .option('-k, --key <file>', 'verify with this public key instead of the trusted keys (revocation and anti-rollback still apply)', collect)
    .action((dir: string, flags: { key?: string[] }) =>
      run(() => {
        const options = verifyOptions(flags.key);
        const store = options.trustStore as TrustStore;
        const pkg = loadAnyPackage(dir, options);
        const target = store.install(pkg);
        process.stdout.write(`installed ${pkg.manifest.name} ${pkg.manifest.version} (${pkg.type}) in ${target}\n`);
      }),
    );
}

function registerList(plugin: Command): void {
  plugin
    .command('list')
    .description('installed plugins and content packs, trusted keys, revocations and quarantine')
    .option('--json', 'one JSON document')
    .action((flags: { json?: boolean }) =>
      run(() => {
        const store = P.TrustStore.open();
        const installed = store.installedAll();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ home: store.home, installed, keys: store.keys(), quarantine: store.quarantined() }, null, 2)}\n`);
          return;
        }
        const lines = [`edrkit home: ${store.home}`];
        const names = Object.keys(installed).sort();
        lines.push(names.length ? 'installed:' : 'installed: none');
        for (const name of names) {
          const s = installed[name];
          if (!s) continue;
          const type = s.versions[s.active]?.type ?? 'plugin';
          lines.push(`  ${name} ${s.active} (${type}; versions ${Object.keys(s.versions).join(', ')}; last-known-good ${s.lastKnownGood ?? 'none'})`);
        }
        lines.push(store.keys().length ? 'trusted keys:' : 'trusted keys: none');
        for (const k of store.keys()) lines.push(`  ${k.keyId} for ${k.names.join(', ')}${k.expires ? ` until ${k.expires}` : ''}`);
        for (const q of store.quarantined()) lines.push(`quarantined: ${q.name} ${q.version} (${q.at}): ${q.reason}`);
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

interface RunFlags {
  key?: string[];
  replay?: string;
  format?: string;
  config?: string;
  batchSize?: string;
  duration?: string;
  allowNetwork?: string[];
}

async function openEventSource(flags: RunFlags, kinds: readonly EdrEvent['kind'][]): Promise<Sensor> {
  if (flags.replay !== undefined) {
    const backend = new ReplayBackend(flags.replay === '-' ? { input: process.stdin, inputName: 'stdin' } : { path: flags.replay });
    return openSensor({ backend, kinds: [...kinds], filter: { includeSelf: true } });
  }
  // Live events from this platform's backend (`auto` in the table the CLI was given).
  return openNamedSensor({ kinds: [...kinds] });
}

/**
 * `plugin run ARG`: a directory if ARG is one; otherwise the active version of the installed
 * plugin named ARG. Throws naming both readings when neither exists.
 */
export function resolvePluginDir(arg: string, store: TrustStore): string {
  if (existsSync(arg)) return arg;
  const state = store.installed(arg);
  if (state) {
    if (state.versions[state.active]?.type === 'content') {
      throw new InvalidArgumentError(`'${arg}' is an installed content pack, not a plugin; content packs are used by the commands that read them (e.g. detect)`);
    }
    return store.installDir(arg, state.active);
  }
  throw new InvalidArgumentError(`'${arg}' is neither a plugin directory nor an installed plugin (installed: ${Object.keys(store.installedAll()).sort().join(', ') || 'none'}; see \`edrkit plugin list\`)`);
}

function registerRun(plugin: Command): void {
  plugin
    .command('run')
    .description('run a plugin over a recording (--replay) or live events; alerts are printed as JSON Lines { plugin, alert, event }')
    .argument('<dir|name>', 'plugin directory, or the name of an installed plugin (`edrkit plugin list`)')
    .option('-k, --key <file>', 'public key to verify with (repeatable; default: the trust store)', collect)
    .option('--replay <file>', 'edrkit recording to run over (- for stdin); default: live events')
    .option('--format <format>', 'alert output: json (default) or pretty')
    .option('--config <json>', 'plugin config as JSON (default: the manifest defaultConfig)')
    .option('--batch-size <n>', 'events per batch sent to the plugin', '256')
    .option('--duration <seconds>', 'live: stop after this many seconds (default: until Ctrl-C)')
    .option('--allow-network <name>', "grant the host's network to this plugin if its manifest declares the `network` capability (repeatable)", collect)
    .action((dir: string, flags: RunFlags) =>
      run(async () => {
        const format = flags.format ?? 'json';
        if (format !== 'json' && format !== 'pretty') throw new InvalidArgumentError(`--format must be json or pretty, got '${format}'`);
        const durationMs = parseDuration(flags.duration);
        const batchSize = Number(flags.batchSize);
        if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`--batch-size must be a positive integer, got '${flags.batchSize}'`);
        let config: unknown;
        if (flags.config !== undefined) {
          try {
            config = JSON.parse(flags.config);
          } catch {
            throw new InvalidArgumentError('--config must be JSON, e.g. --config \'{"shells":["sh"]}\'');
          }
        }
        const options = verifyOptions(flags.key);
        // The installed bytes are verified again on load: an install is not a free pass.
        const pkg = P.loadPluginPackage(resolvePluginDir(dir, options.trustStore as TrustStore), options);
        const allowNetwork = flags.allowNetwork ?? [];
        for (const name of allowNetwork) {
          if (name !== pkg.manifest.name) throw new InvalidArgumentError(`--allow-network ${name}: the plugin being run is '${pkg.manifest.name}'`);
          if (!pkg.manifest.capabilities.includes('network')) throw new InvalidArgumentError(`--allow-network ${name}: its manifest does not declare the 'network' capability`);
        }
        const host = new P.PluginHost({ ...(options.trustStore ? { trustStore: options.trustStore } : {}), allowNetwork });
        const pending: Promise<void>[] = [];
        host.on('alert', (a: PluginAlert) => {
          const line =
            format === 'json'
              ? JSON.stringify({ plugin: a.plugin, alert: a.alert, event: a.event })
              : `[${a.alert.severity}] ${a.plugin}: ${a.alert.title}${a.event ? `  <- ${formatEvent(a.event, 'pretty')}` : ''}`;
          pending.push(writeLine(process.stdout, line));
        });
        host.on('eventError', (e) => process.stderr.write(`edrkit: plugin ${e.plugin} threw on event seq ${e.event?.seq ?? '?'}: ${e.message}\n`));
        host.on('failure', (f) =>
          process.stderr.write(`edrkit: plugin ${f.plugin} ${f.version} failed (${f.reason}): ${f.message} [${f.code}]${f.willRestart ? `; restarting in ${f.restartInMs} ms` : ''}\n`),
        );
        host.on('quarantine', (q) =>
          process.stderr.write(`edrkit: plugin ${q.plugin} ${q.version} quarantined: ${q.reason}${q.restoredVersion ? `; restored ${q.restoredVersion}` : ''}\n`),
        );
        // Plugin text arrives escaped to one line (no ANSI, no CR/LF): it cannot forge host lines.
        host.on('log', (l) => process.stderr.write(`edrkit: [${l.plugin}] ${l.level}: ${l.message}\n`));
        host.on('refusal', (r) => process.stderr.write(`edrkit: plugin ${r.plugin} ${r.version}: ${r.message} [${r.code}] (reported once; counted in the summary)\n`));
        const kinds = pkg.manifest.kinds.filter((k) => (EVENT_KINDS as readonly string[]).includes(k));
        let sensor: Sensor | undefined;
        let stopping: Promise<void> | undefined;
        // Same stops as watch: a signal, a hang-up or the parent's exit; the kernel detach runs off our exit.
        let stopRequested = false;
        const stop = () => {
          stopRequested = true;
          if (sensor) stopping ??= closeFast(sensor);
        };
        const triggers = onStopRequest(stop);
        try {
          await host.add(pkg, config === undefined ? {} : { config });
          sensor = await openEventSource(flags, kinds);
          if (stopRequested) stop(); // asked to stop while the sensor was opening
          const timer = durationMs !== undefined ? setTimeout(stop, durationMs) : undefined;
          await host.attach(sensor, { batchSize });
          clearTimeout(timer);
        } finally {
          triggers.dispose();
          await host.close();
          await Promise.all(pending);
          await stopping;
        }
        const stats = host.stats().plugins[0];
        if (stats) {
          process.stderr.write(
            `edrkit: ${stats.plugin} ${stats.version}: ${stats.events} event(s), ${stats.alerts} alert(s), ${stats.eventErrors} error(s), ${stats.failures} failure(s), ${stats.lostEvents + stats.skippedEvents} event(s) not handled, state ${stats.state}, ${stats.refusedAlerts + stats.droppedAlerts + stats.invalidAlerts} alert(s) refused or dropped\n`,
          );
        }
      }),
    );
}

/** Register `edrkit plugin keygen|sign|verify|trust|revoke|release|install|list|run`. */
export function register(program: Command): void {
  const plugin = program.command('plugin').description('signed, isolated plugins and content packs (docs/plugins.md)');
  registerKeygen(plugin);
  registerSign(plugin);
  registerVerify(plugin);
  registerTrust(plugin);
  registerInstall(plugin);
  registerList(plugin);
  registerRun(plugin);
}
