/**
 * fast-check arbitraries of valid events (model v1.1), written by hand from the zod schemas in
 * @edrkit/core (every generated event is run through `parseEvent`, so a drift between this
 * file and the schema fails loudly instead of testing the wrong thing).
 *
 * Values mix the realistic (paths, IP literals, ms timestamps) with the merely valid
 * (any string, any non-negative double, huge safe integers) because exporters see both.
 */
import fc from 'fast-check';
import { EVENT_KINDS, parseEvent, type EdrEvent, type EventKind } from '@edrkit/core';

const anyString = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 12 }), fc.constant(''));
const segment = fc.stringMatching(/^[A-Za-z0-9._ -]{1,12}$/);
const posixPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `/${s.join('/')}`);
const winPath = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => `C:\\${s.join('\\')}`);
const path = fc.oneof({ weight: 3, arbitrary: posixPath }, { weight: 2, arbitrary: winPath }, { weight: 1, arbitrary: anyString });
const nat = fc.oneof(fc.nat({ max: 70000 }), fc.maxSafeNat());
const anyInt = fc.oneof(fc.integer(), fc.maxSafeInteger());
const time = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 1e12, max: 2e12, noNaN: true }) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true, noDefaultInfinity: true }) },
);
const ip = fc.oneof(
  { weight: 3, arbitrary: fc.ipV4() },
  { weight: 3, arbitrary: fc.ipV6() },
  { weight: 1, arbitrary: fc.constantFrom('0.0.0.0', '::', 'fe80::1%eth0') },
  { weight: 1, arbitrary: anyString },
);
const port = fc.integer({ min: 0, max: 65535 });

const hex = (n: number) => fc.array(fc.integer({ min: 0, max: 255 }), { minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));
const hashes = fc.record(
  { md5: hex(16), sha1: hex(20), sha256: hex(32), pending: fc.constant(true as const), partial: fc.constant(true as const), error: anyString },
  { requiredKeys: [] },
);

const processRef = fc.record(
  { pid: nat, exe: path, cmdline: anyString, startTime: time },
  { requiredKeys: ['pid', 'exe'] },
);

const processArb = fc
  .record(
    {
      pid: nat,
      ppid: nat,
      uid: nat,
      gid: nat,
      user: anyString,
      sid: fc.oneof(fc.constant('S-1-5-18'), anyString),
      exe: path,
      args: fc.array(anyString, { maxLength: 5 }),
      cwd: path,
      startTime: time,
      tid: nat,
      container: fc.record({ id: fc.string({ minLength: 1 }) }),
      signer: fc.record({ id: anyString, teamId: anyString, platformBinary: fc.boolean(), cdhash: fc.stringMatching(/^[0-9a-f]{40}$/) }, { requiredKeys: ['id'] }),
      parent: processRef,
      fileless: fc.boolean(),
      hashes,
      joinArgs: fc.boolean(),
      cmdline: anyString,
    },
    { requiredKeys: ['pid', 'ppid', 'exe', 'args', 'joinArgs', 'cmdline'] },
  )
  .map(({ joinArgs, ...p }) => ({ ...p, cmdline: joinArgs ? p.args.join(' ') : p.cmdline }));

const envelope = fc.record({
  time,
  seq: nat,
  platform: fc.constantFrom('linux', 'windows', 'macos'),
  source: fc.constantFrom('linux-ebpf', 'windows-etw', 'windows-minifilter', 'macos-es', 'macos-eslogger', 'replay'),
  raw: fc.option(fc.record({ linux: fc.dictionary(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }), { nil: undefined }),
});

const file = fc.record(
  { path, memfd: fc.boolean(), size: nat, header: fc.integer({ min: 0, max: 64 }).chain(hex), entropy: fc.double({ min: 0, max: 8, noNaN: true }), hashes },
  { requiredKeys: ['path'] },
);
const endpointOpt = fc.record({ ip, port }, { requiredKeys: ['ip'] });
const target = fc.record({ pid: nat, exe: path, startTime: time, tid: nat }, { requiredKeys: ['pid'] });
const posixId = fc.oneof(fc.nat({ max: 70000 }), fc.constant(2 ** 32 - 2));
const credentialSet = fc.record(
  { uid: posixId, euid: posixId, suid: posixId, fsuid: posixId, gid: posixId, egid: posixId, sgid: posixId, fsgid: posixId, groups: fc.array(posixId, { maxLength: 20 }) },
  { requiredKeys: ['uid', 'euid', 'suid', 'fsuid', 'gid', 'egid', 'sgid', 'fsgid'] },
);
const capMask = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => n.toString(16).padStart(16, '0'));
const capabilitySet = fc.record({ effective: capMask, permitted: capMask, inheritable: capMask });
const auth = fc.record({
  auth: fc.record(
    { user: anyString, uid: nat, sid: anyString, method: fc.oneof(fc.constantFrom('sshd', 'Interactive', 'RemoteInteractive', 'network', 'loginwindow'), anyString), terminal: anyString, remote: endpointOpt, session: anyString, reason: anyString },
    { requiredKeys: ['user', 'method'] },
  ),
});
const account = fc.record({
  account: fc.record(
    {
      name: anyString,
      uid: nat,
      sid: anyString,
      changes: fc.record({ password: fc.boolean(), groups: fc.array(anyString, { maxLength: 3 }), shell: path, home: path, enabled: fc.boolean(), name: anyString }, { requiredKeys: [] }),
    },
    { requiredKeys: ['name'] },
  ),
});
const service = fc.record({
  service: fc.record(
    { name: anyString, path: fc.oneof(path, fc.constant('HKLM\\SYSTEM\\CurrentControlSet\\Services\\x')), command: anyString, startType: fc.constantFrom('boot', 'system', 'auto', 'manual', 'disabled'), user: anyString },
    { requiredKeys: ['name', 'path'] },
  ),
});
const task = fc.record({
  task: fc.record(
    { name: anyString, path, command: anyString, schedule: anyString, scheduler: fc.constantFrom('cron', 'systemd-timer', 'at', 'task-scheduler', 'launchd'), user: anyString },
    { requiredKeys: ['name'] },
  ),
});
const volume = fc.record({
  volume: fc.record({ device: anyString, mountPoint: path, fsType: anyString, removable: fc.boolean(), readOnly: fc.boolean() }, { requiredKeys: ['mountPoint'] }),
});
const wmi = fc.record({
  wmi: fc.record(
    { name: anyString, namespace: anyString, query: anyString, consumer: anyString, destination: anyString, filter: anyString, operation: fc.constantFrom('created', 'deleted') },
    { requiredKeys: ['name'] },
  ),
});
const sensor = fc.record({
  sensor: fc.record({ version: anyString, backend: anyString, kinds: fc.array(anyString, { maxLength: 3 }), model: anyString, reason: anyString }, { requiredKeys: ['version', 'backend', 'kinds', 'model'] }),
});
const net = fc.record({
  protocol: fc.constantFrom('tcp', 'udp'),
  family: fc.constantFrom('ipv4', 'ipv6'),
  local: fc.record({ ip, port }),
  remote: fc.record({ ip, port }),
});
const regType = fc.oneof(fc.constantFrom('REG_SZ', 'REG_DWORD', 'REG_QWORD', 'REG_BINARY', 'REG_MULTI_SZ', 'dword', 'REG_EXPAND_SZ'), anyString);
const regData = fc.oneof(anyString, fc.constantFrom('DWORD (0x00000001)', '0xffffffff', '42', 'QWORD (0x1fffffffffffff)', '0x7fffffffffffffffff'));
const registry = fc.record(
  { key: fc.oneof(fc.constantFrom('HKLM\\SOFTWARE\\X', '\\REGISTRY\\MACHINE\\SYSTEM', 'HKEY_USERS', 'HKCU'), anyString), value: anyString, data: regData, dataType: regType },
  { requiredKeys: ['key'] },
);

const payload: { [K in EventKind]: fc.Arbitrary<Record<string, unknown>> } = {
  'process.exec': fc.constant({}),
  'process.fork': fc.record({ child: fc.record({ pid: nat, startTime: time }, { requiredKeys: ['pid'] }) }),
  'process.exit': fc.record({ exitCode: anyInt, signal: nat }, { requiredKeys: [] }),
  'file.create': fc.record({ file }),
  'file.open': fc.record({ file, flags: fc.subarray(['read', 'write', 'create', 'truncate', 'append', 'exclusive', 'directory']) }),
  'file.modify': fc.record({ file }),
  'file.delete': fc.record({ file }),
  'file.rename': fc.record({ file, target: file }),
  'file.attr': fc.record(
    { file, mode: nat, owner: fc.record({ uid: anyInt, gid: anyInt, sid: anyString }, { requiredKeys: [] }) },
    { requiredKeys: ['file'] },
  ),
  'net.connect': fc.record({ net }),
  'net.accept': fc.record({ net }),
  'net.listen': fc.record({ net }),
  'dns.query': fc.record({
    dns: fc.record({ query: anyString, type: fc.oneof(fc.constantFrom('A', 'AAAA', 'TXT', 'TYPE65'), anyString), answers: fc.array(fc.oneof(ip, anyString), { maxLength: 4 }) }, { requiredKeys: ['query', 'type'] }),
  }),
  'image.load': fc.record({ image: fc.record({ path, hashes }, { requiredKeys: ['path'] }) }),
  'kmod.load': fc.record({ module: fc.record({ name: anyString, path }, { requiredKeys: ['name'] }) }),
  'registry.set': fc.record({ registry }),
  'registry.create': fc.record({ registry }),
  'registry.delete': fc.record({ registry }),
  'registry.rename': fc.record({ registry, target: fc.record({ key: anyString }) }, { requiredKeys: ['registry'] }),
  'sensor.lost': fc.record({
    lost: fc.record(
      { count: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), reason: anyString, stage: fc.constantFrom('kernel', 'backend', 'queue', 'consumer') },
      { requiredKeys: ['count', 'reason'] },
    ),
  }),
  'auth.logon': auth,
  'auth.logoff': auth,
  'auth.failed': auth,
  'account.create': account,
  'account.modify': account,
  'account.delete': account,
  'service.create': service,
  'service.modify': service,
  'service.delete': service,
  'task.create': task,
  'task.modify': task,
  'task.delete': task,
  'process.access': fc.record({
    target,
    access: fc.record({ rights: fc.subarray(['ptrace-attach', 'ptrace-read', 'memory-read', 'memory-write', 'task-port', 'terminate', 'query', 'other']), mask: nat }, { requiredKeys: ['rights'] }),
  }),
  'process.tamper': fc.record(
    { target, technique: fc.constantFrom('memory-write', 'register-write', 'remote-thread', 'apc-queue', 'image-tamper', 'library-inject', 'other'), startAddress: anyString, startModule: anyString },
    { requiredKeys: ['target', 'technique'] },
  ),
  'script.content': fc.record({
    script: fc.record({ interpreter: fc.oneof(fc.constantFrom('powershell', 'bash', 'python', 'osascript'), anyString), content: anyString, truncated: fc.boolean(), path }, { requiredKeys: ['interpreter', 'content', 'truncated'] }),
  }),
  'bpf.load': fc.record({
    bpf: fc.record({ progType: anyString, name: anyString, attachType: anyString, id: nat, tag: anyString }, { requiredKeys: ['progType'] }),
  }),
  'volume.mount': volume,
  'volume.unmount': volume,
  'pipe.create': fc.record({ pipe: fc.record({ name: anyString }) }),
  'pipe.connect': fc.record({ pipe: fc.record({ name: anyString }) }),
  'wmi.filter': wmi,
  'wmi.consumer': wmi,
  'wmi.binding': wmi,
  'sensor.start': sensor,
  'sensor.stop': sensor,
  'process.credentials': fc.record({
    credentials: fc.record(
      {
        operation: fc.constantFrom('setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'setfsuid', 'setfsgid', 'setgroups', 'capset'),
        before: credentialSet,
        after: credentialSet,
        capabilities: fc.record({ before: capabilitySet, after: capabilitySet }, { requiredKeys: [] }),
      },
      { requiredKeys: ['operation', 'before', 'after'] },
    ),
  }),
};

/** A valid event of `kind`. */
export function eventOf(kind: EventKind): fc.Arbitrary<EdrEvent> {
  const withProcess = kind === 'sensor.lost' ? fc.constant({}) : fc.record({ process: processArb });
  return fc
    .tuple(envelope, withProcess, payload[kind])
    .map(([env, proc, body]) => {
      const draft: Record<string, unknown> = { kind, ...env, ...proc, ...body };
      if (draft.raw === undefined) delete draft.raw;
      return parseEvent(draft);
    });
}

/** A valid event of any kind. */
export const anyEvent: fc.Arbitrary<EdrEvent> = fc.oneof(...EVENT_KINDS.map((k) => eventOf(k)));
