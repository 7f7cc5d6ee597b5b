/**
 * Service Control Manager records (System log) → `service.*`: 7045 a service was installed,
 * 7040 its start type changed. Other SCM ids (state changes 7036, failures 7000–7034) are not
 * configuration changes and map to nothing.
 *
 * @module
 */
import type { EventDraft } from '@edrkit/core';
import { envelope, processOf, requiredText, text } from './record-fields.js';
import type { WindowsRecord } from './windows-record.js';

type StartType = 'boot' | 'system' | 'auto' | 'manual' | 'disabled';

/** The registry key that defines a service: where `service.path` points for Windows services. */
export function serviceKey(name: string): string {
  return `HKLM\\SYSTEM\\CurrentControlSet\\Services\\${name}`;
}

const START_WORDS: Readonly<Record<string, StartType>> = {
  'boot start': 'boot',
  'system start': 'system',
  'auto start': 'auto',
  'demand start': 'manual',
  disabled: 'disabled',
};

/** SCM's start-type words (`auto start`, `demand start`, …) → the model's. */
export function startTypeOfWords(words: string | undefined): StartType | undefined {
  return words === undefined ? undefined : START_WORDS[words.trim().toLowerCase()];
}

const START_CODES: readonly StartType[] = ['boot', 'system', 'auto', 'manual', 'disabled'];

/** `SERVICE_*_START` codes 0–4 (Security 4697 `ServiceStartType`) → the model's. */
export function startTypeOfCode(code: number | undefined): StartType | undefined {
  return code === undefined ? undefined : START_CODES[code];
}

/** One Service Control Manager record → its events. */
export function mapServiceControl(r: WindowsRecord): EventDraft[] {
  const base = envelope(r);
  // The SCM writes these records itself (services.exe); the log names no other actor.
  const process = processOf(r, {});
  switch (r.eventId) {
    case 7045: {
      const name = requiredText(r, 'ServiceName');
      const command = text(r, 'ImagePath');
      const startType = startTypeOfWords(text(r, 'StartType'));
      const user = text(r, 'AccountName');
      return [{ kind: 'service.create', ...base, process, service: { name, path: serviceKey(name), ...(command ? { command } : {}), ...(startType ? { startType } : {}), ...(user ? { user } : {}) } }];
    }
    case 7040: {
      // param1 display name, param2 old start type, param3 new one, param4 the service (key) name.
      const name = text(r, 'param4') ?? requiredText(r, 'param1');
      const startType = startTypeOfWords(text(r, 'param3'));
      return [{ kind: 'service.modify', ...base, process, service: { name, path: serviceKey(name), ...(startType ? { startType } : {}) } }];
    }
    default:
      return [];
  }
}
