// linux-ebpf passes the backend conformance suite every backend must pass.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describeBackendConformance } from '@edrkit/core/testing';
import { LinuxEbpfBackend } from '@edrkit/linux';
import { liveSkipReason } from './helpers.js';

const run = promisify(execFile);

describeBackendConformance('linux-ebpf', {
  create: () => new LinuxEbpfBackend(),
  kinds: ['process.exec', 'process.exit', 'file.create', 'file.delete'],
  trigger: async () => {
    for (let i = 0; i < 10; i++) await run('sh', ['-c', `t=$(mktemp /tmp/edrkit-conf-XXXXXX) && rm "$t"`]);
  },
  enough: 20,
  skipLive: liveSkipReason() ?? false,
});
