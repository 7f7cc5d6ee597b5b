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
