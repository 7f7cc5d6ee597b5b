/**
 * The trust store under `EDRKIT_HOME/plugins/`: which publisher keys are trusted for which
 * plugin names (with optional expiry), what is revoked (key ids and manifest digests), what
 * is installed (the anti-rollback floor and the last-known-good version) and what is
 * quarantined.
 *
 * Layout:
 * ```
 * EDRKIT_HOME/plugins/trust.json               keys + revocations
 * EDRKIT_HOME/plugins/state.json               installs, last-known-good, quarantine
 * EDRKIT_HOME/plugins/installed/<name>/<ver>/  verified bytes of each installed version
 * ```
 *
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { PluginError } from '../errors.js';
import { parsePublicKey, type MinisignPublicKey } from '../signing/keys.js';
import type { VerifiedPackage } from '../package/verify.js';
import { withStoreLock } from './store-lock.js';
import {
  defaultEdrkitHome,
  parseDigest,
  parseKeyId,
  readJsonFile,
  StateFileSchema,
  TrustFileSchema,
  writeJsonFile,
  type PackageState,
  type QuarantineRecord,
  type StateFile,
  type TrustedKeyRecord,
  type TrustFile,
} from './store-files.js';

/** Options of {@link TrustStore.trust}. */
export interface TrustOptions {
  /** Names the key may sign: exact names, `prefix-*` or `*`. */
  names: readonly string[];
  /** The key is refused after this instant. */
  expires?: Date | string;
  comment?: string;
}

/** True when `name` matches one of `patterns` (`*`, `prefix-*` or an exact name). */
export function nameAllowed(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => p === '*' || p === name || (p.endsWith('*') && name.startsWith(p.slice(0, -1))));
}

/** Plugin trust, revocation, installation and quarantine state of one edrkit home. */
export class TrustStore {
  /** The edrkit home (`EDRKIT_HOME` or `~/.edrkit`). */
  readonly home: string;
  /** `home/plugins`. */
  readonly dir: string;
  #trust: TrustFile;
  #state: StateFile;

  private constructor(home: string) {
    this.home = home;
    this.dir = path.join(home, 'plugins');
    this.#trust = this.#readTrust();
    this.#state = this.#readState();
  }

  /**
   * Open (without creating anything yet) the trust store of `home`.
   * @param home defaults to `EDRKIT_HOME` or `~/.edrkit`.
   * @throws {@link PluginError} `ERR_PLUGIN_TRUST_STORE` when a store file is corrupt.
   */
  static open(home: string = defaultEdrkitHome()): TrustStore {
    return new TrustStore(path.resolve(home));
  }

  get #trustFile(): string {
    return path.join(this.dir, 'trust.json');
  }
  get #stateFile(): string {
    return path.join(this.dir, 'state.json');
  }
  #readTrust(): TrustFile {
    return readJsonFile(this.#trustFile, TrustFileSchema, { version: 1, keys: [], revokedKeys: [], revokedDigests: [] });
  }
  #readState(): StateFile {
    return readJsonFile(this.#stateFile, StateFileSchema, { version: 1, packages: Object.create(null) as StateFile['packages'], quarantine: [] });
  }

  /**
   * Re-read both store files (another process may have written them since this store was
   * opened). Every change re-reads under the lock anyway; call this before a read that must
   * see other processes' latest revocations.
   */
  refresh(): void {
    this.#trust = this.#readTrust();
    this.#state = this.#readState();
  }

  /**
   * One read-modify-write of the store: under the inter-process lock, re-read both files,
   * apply `change` to the fresh copies, keep the monotonic fields of what was on disk
   * (anti-rollback floors, revocations), and write what changed atomically.
   */
  #update<T>(which: 'trust' | 'state', change: () => T): T {
    return withStoreLock(this.dir, () => {
      this.refresh();
      const before = which === 'trust' ? structuredClone(this.#trust) : structuredClone(this.#state);
      let result: T;
      try {
        result = change();
      } catch (error) {
        this.refresh(); // drop a half-applied change
        throw error;
      }
      if (which === 'trust') {
        keepRevocations(before as TrustFile, this.#trust);
        writeJsonFile(this.#trustFile, this.#trust);
      } else {
        keepFloors(before as StateFile, this.#state);
        writeJsonFile(this.#stateFile, this.#state);
      }
      return result;
    });
  }

  // ---- keys -------------------------------------------------------------------------

  /** Trust `key` to sign the given names (replaces an earlier entry for the same key id). */
  trust(key: MinisignPublicKey, options: TrustOptions): TrustedKeyRecord {
    if (options.names.length === 0) throw new PluginError('ERR_PLUGIN_TRUST_STORE', 'trust: give at least one plugin name (or "*")');
    const expires = options.expires === undefined ? undefined : new Date(options.expires);
    if (expires !== undefined && Number.isNaN(expires.getTime())) {
      throw new PluginError('ERR_PLUGIN_TRUST_STORE', `trust: expires '${String(options.expires)}' is not a date`);
    }
    const record: TrustedKeyRecord = {
      keyId: key.keyIdHex,
      publicKey: key.base64,
      names: [...options.names],
      ...(expires ? { expires: expires.toISOString() } : {}),
      ...(options.comment !== undefined ? { comment: options.comment } : {}),
      addedAt: new Date().toISOString(),
    };
    this.#update('trust', () => {
      this.#trust.keys = [...this.#trust.keys.filter((k) => k.keyId !== key.keyIdHex), record];
    });
    return record;
  }

  /** Stop trusting a key (it is not revoked: packages it signed are merely untrusted). */
  untrust(keyIdHex: string): boolean {
    const keyId = parseKeyId(keyIdHex);
    return this.#update('trust', () => {
      const before = this.#trust.keys.length;
      this.#trust.keys = this.#trust.keys.filter((k) => k.keyId !== keyId);
      return this.#trust.keys.length !== before;
    });
  }

  /** Trusted keys. */
  keys(): readonly TrustedKeyRecord[] {
    return this.#trust.keys;
  }

  /**
   * Revoke a key id: nothing it signed is accepted any more, even with `--key`.
   * @throws {@link PluginError} `ERR_PLUGIN_BAD_KEY_ID` when `keyIdHex` is not 16 hex digits.
   */
  revokeKey(keyIdHex: string, reason?: string): void {
    const value = parseKeyId(keyIdHex);
    this.#update('trust', () => {
      if (!this.isKeyRevoked(value)) this.#trust.revokedKeys.push({ value, ...(reason ? { reason } : {}), at: new Date().toISOString() });
    });
  }

  /**
   * Revoke one package build by its manifest digest (`sha256:…`).
   * @throws {@link PluginError} `ERR_PLUGIN_BAD_DIGEST` when `digest` is not `sha256:` and 64 hex digits.
   */
  revokeDigest(digest: string, reason?: string): void {
    const value = parseDigest(digest);
    this.#update('trust', () => {
      if (!this.isDigestRevoked(value)) this.#trust.revokedDigests.push({ value, ...(reason ? { reason } : {}), at: new Date().toISOString() });
    });
  }

  /** Whether a key id is revoked. */
  isKeyRevoked(keyIdHex: string): boolean {
    return this.#trust.revokedKeys.some((r) => r.value === keyIdHex.toUpperCase());
  }

  /** Whether a manifest digest is revoked. */
  isDigestRevoked(digest: string): boolean {
    return this.#trust.revokedDigests.some((r) => r.value === digest);
  }

  /**
   * The key that may sign `name`, checked against revocation and expiry.
   * @throws {@link PluginError} `ERR_PLUGIN_REVOKED`, `ERR_PLUGIN_UNTRUSTED_KEY` or `ERR_PLUGIN_EXPIRED`.
   */
  signerFor(keyIdHex: string, name: string | undefined, now: Date = new Date()): MinisignPublicKey {
    if (this.isKeyRevoked(keyIdHex)) throw new PluginError('ERR_PLUGIN_REVOKED', `key ${keyIdHex} is revoked`, { plugin: name });
    const record = this.#trust.keys.find((k) => k.keyId === keyIdHex);
    if (!record) {
      throw new PluginError('ERR_PLUGIN_UNTRUSTED_KEY', `key ${keyIdHex} is not trusted; add it with \`edrkit plugin trust KEY.pub --name ${name ?? 'NAME'}\``, { plugin: name });
    }
    if (name !== undefined && !nameAllowed(name, record.names)) {
      throw new PluginError('ERR_PLUGIN_UNTRUSTED_KEY', `key ${keyIdHex} is trusted for ${record.names.join(', ')}, not for '${name}'`, { plugin: name });
    }
    if (record.expires !== undefined && Date.parse(record.expires) <= now.getTime()) {
      throw new PluginError('ERR_PLUGIN_EXPIRED', `trust in key ${keyIdHex} expired at ${record.expires}`, { plugin: name });
    }
    return parsePublicKey(record.publicKey);
  }

  // ---- installs, anti-rollback, last-known-good --------------------------------------

  /** Installation record of `name`, if installed. */
  installed(name: string): PackageState | undefined {
    return Object.hasOwn(this.#state.packages, name) ? this.#state.packages[name] : undefined;
  }

  /** Every installed name with its record. */
  installedAll(): Readonly<Record<string, PackageState>> {
    return this.#state.packages;
  }

  /** Directory holding the verified bytes of an installed version. */
  installDir(name: string, version: string): string {
    return path.join(this.dir, 'installed', name, version);
  }

  /**
   * Refuse a version below the highest installed, or the same version with other content.
   * @param allowDigest a digest exempt from the check (the recorded last-known-good build).
   * @throws {@link PluginError} `ERR_PLUGIN_DOWNGRADE`.
   */
  checkRollback(name: string, version: string, digest: string, allowDigest?: string): void {
    const state = this.installed(name);
    if (!state || digest === allowDigest) return;
    if (semver.lt(version, state.highest)) {
      throw new PluginError('ERR_PLUGIN_DOWNGRADE', `${name} ${version} is older than the installed ${state.highest}; edrkit never rolls back to a lower version`, { plugin: name });
    }
    const same = state.versions[version];
    if (same && same.digest !== digest) {
      throw new PluginError('ERR_PLUGIN_DOWNGRADE', `${name} ${version} is already installed with other content (${same.digest}); publish a new version`, { plugin: name });
    }
  }

  /**
   * Install a verified package: write its verified bytes (never re-read from the source)
   * under `installed/<name>/<version>/` and make it the active version.
   * @returns the install directory.
   */
  install(pkg: VerifiedPackage): string {
    const { name, version } = pkg.manifest;
    // Under the lock and against the state on disk now: another process may have
    // installed a higher version since this store was opened.
    return this.#update('state', () => {
      this.checkRollback(name, version, pkg.digest);
      if (this.isQuarantined(pkg.digest)) {
        throw new PluginError('ERR_PLUGIN_QUARANTINED', `${name} ${version} is quarantined; release it with \`edrkit plugin release ${name}\` first`, { plugin: name });
      }
      const dir = this.installDir(name, version);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      for (const [rel, bytes] of [...pkg.files, [pkg.manifestName, pkg.manifestBytes] as const, [`${pkg.manifestName}.minisig`, pkg.signatureBytes] as const]) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), bytes, { mode: 0o600 });
      }
      const prev = this.installed(name);
      this.#state.packages[name] = {
        highest: prev && semver.gt(prev.highest, version) ? prev.highest : version,
        active: version,
        versions: Object.assign(Object.create(null) as PackageState['versions'], prev?.versions, {
          [version]: { digest: pkg.digest, keyId: pkg.signer.keyIdHex, installedAt: new Date().toISOString(), type: pkg.type },
        }),
        ...(prev?.lastKnownGood ? { lastKnownGood: prev.lastKnownGood } : {}),
      };
      return dir;
    });
  }

  /** Record that `name` `version` ran without failing: it becomes the last-known-good version. */
  markGood(name: string, version: string): void {
    if (this.installed(name)?.lastKnownGood === version) return;
    // Checked against the fresh state under the lock: this copy may predate the install.
    this.#update('state', () => {
      const state = this.installed(name);
      if (state?.versions[version]) state.lastKnownGood = version;
    });
  }

  /** The last-known-good version of `name` other than `exceptVersion`, with its directory. */
  lastKnownGood(name: string, exceptVersion?: string): { version: string; digest: string; dir: string } | undefined {
    const state = this.installed(name);
    const version = state?.lastKnownGood;
    if (!state || version === undefined || version === exceptVersion) return undefined;
    const record = state.versions[version];
    if (!record || this.isQuarantined(record.digest)) return undefined;
    return { version, digest: record.digest, dir: this.installDir(name, version) };
  }

  /** Make `version` the active one (used when the last-known-good version is restored). */
  activate(name: string, version: string): void {
    this.#update('state', () => {
      const state = this.installed(name);
      if (state?.versions[version]) state.active = version;
    });
  }

  // ---- quarantine ---------------------------------------------------------------------

  /** Quarantine one build (by manifest digest); persisted until released. */
  quarantine(record: Omit<QuarantineRecord, 'at'>): QuarantineRecord {
    const full = { ...record, at: new Date().toISOString() };
    this.#update('state', () => {
      this.#state.quarantine = [...this.#state.quarantine.filter((q) => q.digest !== record.digest), full];
    });
    return full;
  }

  /** Whether a build is quarantined. */
  isQuarantined(digest: string): boolean {
    return this.#state.quarantine.some((q) => q.digest === digest);
  }

  /** Quarantined builds. */
  quarantined(): readonly QuarantineRecord[] {
    return this.#state.quarantine;
  }

  /** Release every quarantined build of `name` (an operator decision). */
  release(name: string): number {
    return this.#update('state', () => {
      const before = this.#state.quarantine.length;
      this.#state.quarantine = this.#state.quarantine.filter((q) => q.name !== name);
      return before - this.#state.quarantine.length;
    });
  }
}

/** Revocations are never lifted by a write: whatever was revoked on disk stays revoked. */
function keepRevocations(before: TrustFile, after: TrustFile): void {
  for (const list of ['revokedKeys', 'revokedDigests'] as const) {
    const present = new Set(after[list].map((r) => r.value));
    for (const r of before[list]) if (!present.has(r.value)) after[list].push(r);
  }
}

/**
 * The anti-rollback floor never goes down: for every name on disk, the written `highest`
 * is at least what was there, and no install record disappears.
 */
function keepFloors(before: StateFile, after: StateFile): void {
  for (const [name, prev] of Object.entries(before.packages)) {
    const next = Object.hasOwn(after.packages, name) ? after.packages[name] : undefined;
    if (!next) {
      after.packages[name] = prev;
      continue;
    }
    if (semver.valid(prev.highest) && (!semver.valid(next.highest) || semver.gt(prev.highest, next.highest))) next.highest = prev.highest;
    for (const [version, record] of Object.entries(prev.versions)) if (!Object.hasOwn(next.versions, version)) next.versions[version] = record;
  }
}
