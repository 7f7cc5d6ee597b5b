// Compiled against the *published* entry points (package.json `exports` → dist/*.d.ts),
// without the `@edrkit/source` condition: proves the types a user gets from npm resolve.
import { openSensor, type EventOfKind, type EdrEvent } from 'edrkit';
import { parseEvent, ReplayBackend } from '@edrkit/core';
import { describeBackendConformance } from '@edrkit/core/testing';
import { toOCSF, toECS } from '@edrkit/export';
import { LinuxEbpfBackend } from '@edrkit/linux';

export async function consumer(): Promise<void> {
  const sensor = await openSensor({ backend: new ReplayBackend({ path: 'x.jsonl' }), kinds: ['process.exec'] });
  sensor.on('process.exec', (e: EventOfKind<'process.exec'>) => void e.process.args.join(' '));
  for await (const e of sensor) {
    const checked: EdrEvent = parseEvent(e);
    void toOCSF(checked);
    void toECS(checked);
  }
  void LinuxEbpfBackend;
  void describeBackendConformance;
}

// The surface: the building blocks are behind `internal` subpaths, not on the entry points.
import { EventQueue, ProcessTable as InternalProcessTable } from '@edrkit/core/internal';
import { decodeBatch, ProcessCache } from '@edrkit/linux/internal';
import { backends, type BackendDescriptor } from 'edrkit';
// @ts-expect-error ProcessTable is internal (use '@edrkit/core/internal')
import { ProcessTable } from '@edrkit/core';
// @ts-expect-error the Linux decoder is internal (use '@edrkit/linux/internal')
import { decodeRecord } from '@edrkit/linux';

export const surface: unknown[] = [EventQueue, InternalProcessTable, decodeBatch, ProcessCache, ProcessTable, decodeRecord, backends.ids];
export type Descriptor = BackendDescriptor;
