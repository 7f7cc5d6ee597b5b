/**
 * Backend descriptors and the table built from them. A backend package exports one
 * {@link BackendDescriptor}; the `edrkit` meta package puts every descriptor it ships into a
 * {@link BackendTable}, and everything that lists backends (`openSensor`'s choice, CLI help and
 * `--backend` validation, `doctor`) reads that table. Core defines the shape and knows no
 * backend: the table is data handed to it.
 *
 * @module
 */
import type { z } from 'zod';
import type { Backend, BackendProbe } from './backend.js';
import { BackendUnavailableError, EdrkitError, InvalidArgumentError } from './errors.js';
import type { Platform } from './events/schema.js';

/** The privilege a backend needs, and whether this process holds it (asked by `doctor`). */
export interface PrivilegeReport {
  /** What is needed, in the OS's words (e.g. `root or CAP_BPF+CAP_PERFMON`); `none` when nothing is. */
  needed: string;
  /** True when this process holds it. */
  held: boolean;
  /** How it is held (e.g. `root`, `CAP_BPF+CAP_PERFMON`), when held. */
  how?: string;
}

/**
 * Everything edrkit needs to know about one backend, exported by the backend's package.
 * `Options` is what {@link BackendDescriptor.options} parses to; `OsApi` is the object through
 * which the backend reaches its OS (the native addon, koffi bindings…), replaceable in tests.
 */
export interface BackendDescriptor<Options = unknown, OsApi = unknown> {
  /** Backend id, lower-case words joined by `-` (`linux-ebpf`); also the events' `source`. */
  readonly id: string;
  /** The platform it runs on, or `any` (a recording). */
  readonly platform: Platform | 'any';
  /** True for a backend that observes this host (auto-chosen, listed by `doctor`). */
  readonly live: boolean;
  /** One line for CLI help and `doctor`. */
  readonly summary: string;
  /** A zod schema of its options; `create` receives what it parses to. */
  readonly options: z.ZodType<Options>;
  /** The privilege it needs on this host. Never throws. */
  privilege(): PrivilegeReport;
  /** Facts about the host worth showing in `doctor` (e.g. the distribution). Never throws. */
  host?(): Record<string, string>;
  /** What it can do here. Never throws for a missing feature: it reports it. */
  probe(options: Options, osApi?: OsApi): Promise<BackendProbe>;
  /** A new backend instance (one per sensor). */
  create(options: Options, osApi?: OsApi): Backend;
}

/** A table entry whose descriptor is imported only when first needed (so another OS's addon is never loaded). */
export interface LazyBackendEntry {
  readonly id: string;
  readonly platform: Platform | 'any';
  readonly live: boolean;
  /** The package that provides it, for the message when it is not installed. */
  readonly package: string;
  /** Import the descriptor. */
  load(): Promise<BackendDescriptor<any, any>>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDescriptor = BackendDescriptor<any, any>;
type Entry = { kind: 'ready'; d: AnyDescriptor } | { kind: 'lazy'; e: LazyBackendEntry; loading?: Promise<AnyDescriptor> };

const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** The backends one program knows, by id. */
export class BackendTable {
  private readonly entries = new Map<string, Entry>();

  /** Register a descriptor. Throws `ERR_INVALID_ARGUMENT` for a malformed or duplicate id. */
  register(descriptor: AnyDescriptor): this {
    this.add(descriptor, { kind: 'ready', d: descriptor });
    return this;
  }

  /** Register a backend whose descriptor is imported on first use. */
  registerLazy(entry: LazyBackendEntry): this {
    this.add(entry, { kind: 'lazy', e: entry });
    return this;
  }

  private add(d: { id: string; platform: string }, entry: Entry): void {
    if (typeof d?.id !== 'string' || !ID.test(d.id)) {
      throw new InvalidArgumentError(`backend table: id ${JSON.stringify(d?.id)} must be lower-case words joined by '-' (e.g. 'linux-ebpf')`);
    }
    if (this.entries.has(d.id)) throw new InvalidArgumentError(`backend table: '${d.id}' is already registered`);
    this.entries.set(d.id, entry);
  }

  /** Every id, in registration order. */
  get ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Id, platform and liveness of every entry, without loading any. */
  list(): { id: string; platform: Platform | 'any'; live: boolean }[] {
    return [...this.entries.values()].map((x) => {
      const { id, platform, live } = x.kind === 'ready' ? x.d : x.e;
      return { id, platform, live };
    });
  }

  /** True when `id` is registered (an event `source` the table knows). */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The live backend `auto` picks on `platform`; throws `ERR_NOT_SUPPORTED` when there is none. */
  defaultId(platform: Platform | undefined): string {
    const hit = this.list().find((e) => e.live && e.platform === platform);
    if (!hit) {
      throw new EdrkitError('ERR_NOT_SUPPORTED', `edrkit has no live backend for '${platform ?? process.platform}'; use the replay backend with a recording`);
    }
    return hit.id;
  }

  /**
   * The descriptor for `id` (`auto`: {@link defaultId}). A backend for another platform is not
   * imported: that throws `ERR_NOT_SUPPORTED`, as does a backend package that is not installed.
   */
  async get(id: string, platform: Platform | undefined): Promise<AnyDescriptor> {
    const name = id === 'auto' ? this.defaultId(platform) : id;
    const entry = this.entries.get(name);
    if (!entry) throw new InvalidArgumentError(`unknown backend '${id}'; choose one of: auto, ${this.ids.join(', ')}`);
    if (entry.kind === 'ready') return entry.d;
    const { e } = entry;
    if (e.platform !== 'any' && e.platform !== platform) {
      throw new BackendUnavailableError(name, `it runs on ${e.platform} only (this is ${process.platform})`, { code: 'ERR_NOT_SUPPORTED' });
    }
    entry.loading ??= e.load().then(
      (d) => {
        if (d.id !== e.id) throw new EdrkitError('ERR_BACKEND_FAILED', `${e.package} exports the descriptor of '${d.id}', expected '${e.id}'`);
        return d;
      },
      (err: unknown) => {
        entry.loading = undefined;
        const missing = (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
        const why = missing ? `${e.package} is not installed (npm install ${e.package})` : `${e.package} failed to load: ${(err as Error).message}`;
        throw new BackendUnavailableError(name, why, { code: missing ? 'ERR_NATIVE_MISSING' : 'ERR_BACKEND_FAILED', cause: err });
      },
    );
    return entry.loading;
  }

  /**
   * Validate `options` with the descriptor's schema and create the backend. Bad options throw
   * `ERR_INVALID_ARGUMENT` naming the backend and the field.
   */
  async create(id: string, options: unknown, platform: Platform | undefined, osApi?: unknown): Promise<Backend> {
    const d = await this.get(id, platform);
    return d.create(parseBackendOptions(d, options), osApi);
  }
}

/** Parse options with a descriptor's schema; throws `ERR_INVALID_ARGUMENT` naming backend and field. */
export function parseBackendOptions<O>(descriptor: BackendDescriptor<O, unknown>, options: unknown): O {
  const result = descriptor.options.safeParse(options ?? {});
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`).join('; ');
  throw new InvalidArgumentError(`backend '${descriptor.id}' options: ${detail}`);
}

/** What this Node process's platform is, in edrkit's words (undefined where edrkit has no backend). */
export function currentPlatform(platform: NodeJS.Platform = process.platform): Platform | undefined {
  if (platform === 'linux') return 'linux';
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  return undefined;
}

/** One backend's standing on this host, for `edrkit doctor`. */
export interface BackendReport {
  id: string;
  platform: Platform | 'any';
  /** True when this is the backend `auto` picks here. */
  default: boolean;
  available: boolean;
  reason?: string;
  /** The privilege it needs, and whether this process holds it (backends of this platform only). */
  privilege?: PrivilegeReport;
  /** Host facts the backend reports (e.g. the distribution). */
  host?: Record<string, string>;
  probe?: BackendProbe;
}

/**
 * Probe every live backend of `table` on this host; never throws. A backend of another
 * platform is reported without importing its package.
 */
export async function reportBackends(table: BackendTable, platform: Platform | undefined = currentPlatform()): Promise<BackendReport[]> {
  const reports: BackendReport[] = [];
  for (const entry of table.list().filter((e) => e.live)) {
    const base = { id: entry.id, platform: entry.platform, default: false };
    if (entry.platform !== 'any' && entry.platform !== platform) {
      reports.push({ ...base, available: false, reason: `runs on ${entry.platform} only (this is ${process.platform})` });
      continue;
    }
    try {
      const d = await table.get(entry.id, platform);
      const privilege = d.privilege();
      const host = d.host?.() ?? {};
      const probe = await d.probe(parseBackendOptions(d, {}));
      const available = probe.available;
      reports.push({ ...base, default: table.defaultId(platform) === entry.id, available, ...(probe.reason ? { reason: probe.reason } : {}), privilege, host, probe });
    } catch (err) {
      reports.push({ ...base, available: false, reason: (err as Error).message });
    }
  }
  return reports;
}
