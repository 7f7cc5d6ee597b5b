/**
 * Per-kind support of the part B kinds (issue 14b): what is derived from watched files and
 * from exec records, with the mechanism in the note. Kept apart from probe.ts so the two
 * halves of issue 14 edit different files.
 *
 * @module
 */
import type { KindSupport, ObservableKind } from '@edrkit/core';
import { BASH_PATHS, findUprobeFiles, libraryDirs } from './uprobe-targets.js';

const WATCHED = 'derived: close-after-write (kernel) of files in watched directories, renames, unlinks and symlinks; the file is re-read and compared with its previous state';

/** Support of the derived kinds; `tracefs` false: the syscall tracepoints they need cannot be used. */
export function derivedKindSupport(tracefs: boolean, state: 'unreadable' | 'missing', exists: (path: string) => boolean = () => false): Partial<Record<ObservableKind, KindSupport>> {
  const noTracefs: KindSupport = { supported: false, reason: state === 'unreadable' ? 'tracefs is not readable by this user' : 'tracefs is not mounted at /sys/kernel/tracing' };
  const tp = (note: string): KindSupport => (tracefs ? { supported: true, note } : noTracefs);
  const out: Partial<Record<ObservableKind, KindSupport>> = {};
  for (const k of ['account.create', 'account.modify', 'account.delete'] as const) out[k] = tp(`${WATCHED}: /etc/passwd, /etc/shadow, /etc/group (never the password hash)`);
  for (const k of ['task.create', 'task.modify', 'task.delete'] as const) out[k] = tp(`${WATCHED}: /etc/crontab, /etc/cron.d, /etc/cron.{hourly,daily,weekly,monthly}, /var/spool/cron/crontabs, /var/spool/cron/atjobs, systemd *.timer units`);
  for (const k of ['service.create', 'service.modify', 'service.delete'] as const) out[k] = tp(`${WATCHED}: systemd *.service units and *.wants/ links under the system and user unit paths, /etc/init.d`);
  const { pam, bash } = findUprobeFiles(exists);
  const auth = pam
    ? `uprobes on ${pam}: pam_authenticate (failed), pam_open_session (logon), pam_close_session (logoff), with the PAM service, user, tty and remote host read from the pam handle`
    : `no libpam.so.0 in ${libraryDirs().join(', ')}, so libpam is not probed: ${WATCHED}: the login records logon programs append to /var/log/wtmp (logon, logoff) and /var/log/btmp (failed)`;
  for (const k of ['auth.logon', 'auth.logoff', 'auth.failed'] as const) out[k] = tp(auth);
  const readline = bash
    ? `interactive bash lines: uretprobe on ${bash} readline (a bash without that exported symbol fails to attach it, with a warning)`
    : `interactive bash lines are not covered: no bash at ${BASH_PATHS.join(' or ')}`;
  out['script.content'] = { supported: true, note: `derived in user space from process.exec argv (sh -c, python3 -c, perl -e, node -e, …) and scripts run by path (first 64 KiB, read when the exec is seen); ${readline}` };
  return out;
}
