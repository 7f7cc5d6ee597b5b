// The macOS backends pass the backend conformance suite every backend must pass: macos-eslogger
// against the stand-in eslogger (flooding recorded lines), macos-es against a fake addon fed the
// C converter's records, and both as they are on this host (unavailable, with a coded error).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeBackendConformance } from '@edrkit/core/testing';
import { EsBackend, EsloggerBackend, type EsAddonApi, type EsClientHandle, type MacosHostApi } from '@edrkit/macos';
import { captureText } from './capture.js';
import { runRecordDriver } from './es-native.js';

const STANDIN = path.resolve(import.meta.dirname, '../fixtures/eslogger-standin/eslogger');
const capture = path.join(mkdtempSync(path.join(tmpdir(), 'edrkit-conf-')), 'capture.jsonl');
writeFileSync(capture, captureText());
const mac: MacosHostApi = { platform: 'darwin', isRoot: () => true, macosVersion: () => '15.4', isExecutable: () => true };
const kinds = ['process.exec', 'process.fork', 'process.exit', 'file.create'] as const;

describeBackendConformance('macos-eslogger (stand-in eslogger)', {
  create: () => {
    Object.assign(process.env, { EDRKIT_STANDIN_CAPTURE: capture, EDRKIT_STANDIN_MODE: 'flood', EDRKIT_STANDIN_COUNT: '100' });
    return new EsloggerBackend({ esloggerPath: STANDIN }, mac);
  },
  kinds,
  enough: 50,
});

describeBackendConformance('macos-es (fake addon, records from es_record.c)', {
  create: () => {
    const records = Buffer.from(runRecordDriver().repeat(5));
    const addon: EsAddonApi = {
      open: (_types, onBatch) => {
        setTimeout(() => onBatch(records, 0), 10);
        return { ok: true, handle: {} as EsClientHandle };
      },
      close: () => {},
    };
    return new EsBackend({}, { host: mac, addon: () => addon });
  },
  kinds,
  enough: 10,
});

// Off macOS both are unavailable with the reason (on a Mac, macos.live.test.ts runs them for real).
if (process.platform !== 'darwin') {
  describeBackendConformance(`macos-eslogger on this host (${process.platform})`, { create: () => new EsloggerBackend(), unavailable: true });
  describeBackendConformance(`macos-es on this host (${process.platform})`, { create: () => new EsBackend(), unavailable: true });
}
