/**
 * The user-space derivations of linux-ebpf, run on each batch after the records are
 * converted: `script.content` from exec records, and `account.*` / `task.*` / `service.*`
 * from watched files ({@link WatchedFiles}). Every derived event names the process of the
 * record it came from.
 *
 * @module
 */
import type { EventDraft, ObservableKind } from '@edrkit/core';
import type { DecodedRecord } from '../decode/records.js';
import type { RecordConverter } from '../events/to-events.js';
import type { ProcessCache } from '../proc/process-cache.js';
import { pamAuth } from './pam-logons.js';
import { scriptContent } from './script-content.js';
import { WatchedFiles } from './watched-files.js';

/** Derived events for one sensor. */
export class Derivations {
  /** The watched-file part, when a derived kind was asked for. */
  readonly watched: WatchedFiles | undefined;
  private readonly scripts: boolean;
  private readonly kinds: ReadonlySet<ObservableKind>;
  /** PAM logons replace the wtmp/btmp ones when the libpam probes attached (one event per logon, not two). */
  private pam = false;

  constructor(
    kinds: ReadonlySet<ObservableKind>,
    private readonly converter: RecordConverter,
    private readonly cache: ProcessCache,
    warn: (err: Error) => void,
    root = '',
  ) {
    this.kinds = kinds;
    this.scripts = kinds.has('script.content');
    this.watched = WatchedFiles.wanted(kinds) ? new WatchedFiles(kinds, warn, root) : undefined;
  }

  /** Whether anything is derived at all. */
  get active(): boolean {
    return this.scripts || this.watched !== undefined;
  }

  /** The libpam probes attached: logons come from them, and wtmp/btmp are no longer read for them. */
  usePam(): void {
    this.pam = true;
    this.watched?.disableLogonLog();
  }

  /** Call after the converter handled `rec`. */
  onRecord(rec: DecodedRecord, out: EventDraft[]): void {
    if (rec.type === 'exec') {
      if (!this.scripts) return;
      const script = scriptContent(rec.exe.path, rec.args, this.cache.get(rec.h.pid)?.cwd);
      if (script) out.push({ kind: 'script.content', ...this.converter.envelope(rec.h), script });
      return;
    }
    if (rec.type === 'pam') {
      const e = this.pam ? pamAuth(rec) : undefined;
      if (e && this.kinds.has(e.kind)) out.push({ kind: e.kind, ...this.converter.envelope(rec.h), auth: e.auth });
      return;
    }
    if (rec.type === 'shell-line') {
      if (this.scripts) out.push({ kind: 'script.content', ...this.converter.envelope(rec.h), script: { interpreter: 'bash', content: rec.line, truncated: rec.truncated } });
      return;
    }
    const w = this.watched;
    if (!w || (rec.type !== 'file' && rec.type !== 'close-write')) return;
    w.signal(rec, (h, which) => (rec.type === 'file' ? this.converter.resolvePath(h, which === 'path' ? rec.path : rec.path2) : ''));
    // At once, not at the end of the batch: a file written and removed again within one batch
    // is still seen (the file is read as it is now, so the sooner the better).
    w.flush((h) => this.converter.envelope(h), out);
  }

  /** Call at the end of a batch. */
  flush(out: EventDraft[]): void {
    this.watched?.flush((h) => this.converter.envelope(h), out);
  }
}
