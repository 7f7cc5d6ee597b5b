// linux-ebpf logic passes the backend conformance suite on any machine, against the fake
// addon and host: available (records from the fake), and unavailable (an unprivileged host).
// The kernel half is test/linux/conformance.test.ts (root).
import { describeBackendConformance } from '@edrkit/core/testing';
import { LinuxEbpfBackend } from './backend.js';
import { FILE_OP } from './decode/layout.js';
import { execRecord, exitRecord, fakeLinuxOs, fileRecord } from './testing/index.js';

let os = fakeLinuxOs();

describeBackendConformance('linux-ebpf (fake addon)', {
  create: () => {
    os = fakeLinuxOs();
    return new LinuxEbpfBackend({}, os);
  },
  kinds: ['process.exec', 'process.exit', 'file.create', 'file.delete'],
  trigger: async () => {
    for (let i = 0; i < 10; i++) {
      const h = { pid: 5_000_100 + i, ppid: 1, tsNs: 1e9 + i * 1e6, comm: 'sh' };
      const file = { raw: `/tmp/edrkit-conf-${i}` };
      os.addon.emit([
        execRecord(h, { exe: { raw: '/bin/sh' }, args: ['sh', '-c', 'mktemp'] }),
        fileRecord(h, { op: FILE_OP.OPEN, openFlags: 0o101, fmode: 0x100000, path: file }),
        fileRecord(h, { op: FILE_OP.UNLINK, path: file }),
        exitRecord(h, 0),
      ], { drops: i % 3 });
      await new Promise((r) => setImmediate(r));
    }
  },
  enough: 20,
  skipLive: false,
});

describeBackendConformance('linux-ebpf (fake host, unprivileged)', {
  create: () => new LinuxEbpfBackend({}, fakeLinuxOs({ privileges: { ok: false, how: 'uid 1000 without CAP_BPF/CAP_PERFMON' } })),
  unavailable: true,
});
