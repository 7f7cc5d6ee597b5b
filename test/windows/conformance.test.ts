// The Windows backends pass the conformance suite every backend must pass: through the
// stand-in library on Linux (the live part feeds it events), and as unavailable without one.
import { createRequire } from 'node:module';
import { describeBackendConformance } from '@edrkit/core/testing';
import { WindowsEtwBackend, WindowsEventLogBackend, WindowsMinifilterBackend } from '@edrkit/windows';
import { PROVIDERS, templateOf } from '../../packages/windows/src/etw/templates.js';
import { encodePayload, filetime, guidBytes, HAVE_STANDIN, loadStandin, NO_STANDIN, STANDIN } from './etw-encode.js';

const skipLive = HAVE_STANDIN ? false : NO_STANDIN;
const lib = () => createRequire(import.meta.url)('koffi').load(STANDIN) as { func(signature: string): (...args: unknown[]) => unknown };

describeBackendConformance('windows-etw (stand-in)', {
  create: () => {
    if (HAVE_STANDIN) loadStandin().StandinReset();
    return new WindowsEtwBackend({ library: STANDIN, sessionName: 'conformance' });
  },
  kinds: ['process.exec'],
  trigger: async () => {
    const standin = loadStandin();
    const t = templateOf('Microsoft-Windows-Kernel-Process', 1, 5)!;
    for (let pid = 1000; pid < 1005; pid++) {
      const data = encodePayload(t, { ProcessID: pid, ParentProcessID: 4, CreateTime: filetime(Date.now()), ImageName: '\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe' });
      standin.StandinQueueEvent(guidBytes(PROVIDERS['Microsoft-Windows-Kernel-Process']), 1, 5, 0, 4, 8, filetime(Date.now()), 0x40, data, data.length);
    }
  },
  enough: 5,
  skipLive,
});

describeBackendConformance('windows-eventlog (stand-in)', {
  create: () => {
    if (HAVE_STANDIN) (lib().func('void StandinEventLogReset(void)') as () => void)();
    return new WindowsEventLogBackend({ library: STANDIN });
  },
  kinds: ['service.create'],
  trigger: async () => {
    const queue = lib().func('void StandinQueueEventXml(str16 channel, str16 xml)') as (c: string, x: string) => void;
    for (let i = 0; i < 5; i++) {
      queue('System', `<Event><System><Provider Name='Service Control Manager'/><EventID>7045</EventID><TimeCreated SystemTime='2026-12-03T12:00:0${i}.000Z'/><Execution ProcessID='668' ThreadID='1'/><Channel>System</Channel></System><EventData><Data Name='ServiceName'>svc${i}</Data><Data Name='ImagePath'>C:\\s.exe</Data></EventData></Event>`);
    }
  },
  enough: 5,
  skipLive,
});

describeBackendConformance('windows-minifilter (stand-in)', {
  create: () => {
    if (HAVE_STANDIN) (lib().func('void StandinPortReset(str16 name)') as (n: string) => void)('\\edrkitPort');
    return new WindowsMinifilterBackend({ library: STANDIN });
  },
  kinds: ['file.create'],
  trigger: async () => {
    const queue = lib().func('void StandinPortQueue(const uint8_t *body, uint32_t length)') as (b: Buffer, n: number) => void;
    for (let i = 0; i < 5; i++) {
      const path = Buffer.from(`C:\\Temp\\f${i}.txt`, 'utf16le');
      const b = Buffer.alloc(32);
      b.writeUInt16LE(1, 0);
      b.writeUInt16LE(1, 2);
      b.writeUInt32LE(100, 4);
      b.writeBigUInt64LE(filetime(Date.now()), 16);
      b.writeUInt16LE(path.length, 24);
      const body = Buffer.concat([b, path]);
      queue(body, body.length);
    }
  },
  enough: 5,
  skipLive,
});

// Without a stand-in on a host that is not Windows: unavailable, with a coded error.
for (const [name, create] of [
  ['windows-etw', () => new WindowsEtwBackend()],
  ['windows-eventlog', () => new WindowsEventLogBackend()],
  ['windows-minifilter', () => new WindowsMinifilterBackend()],
] as const) {
  if (process.platform !== 'win32') describeBackendConformance(`${name} (not Windows)`, { create, unavailable: true });
}
