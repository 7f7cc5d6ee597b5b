/** Helpers of the hostile-plugin suite: a host in its own process, and waiting for a pid to go. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatPublicKey, type MinisignPublicKey } from '../../packages/plugins/src/signing/keys.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Start test/plugins/fixtures/host-process.ts with the plugin in `dir`; resolves with the plugin's pid. */
export function startHostProcess(dir: string, key: MinisignPublicKey): Promise<{ host: ChildProcess; pluginPid: number }> {
  const host = spawn(process.execPath, ['--conditions=@edrkit/source', '--import', 'tsx', path.join(root, 'test/plugins/fixtures/host-process.ts'), dir, formatPublicKey(key)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    host.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        const pid = (JSON.parse(line) as { pid?: number }).pid;
        if (pid) resolve({ host, pluginPid: pid });
        else reject(new Error(`host process reported no plugin pid: ${line}`));
      }
    });
    host.on('exit', (code) => reject(new Error(`host process exited early with ${code}`)));
  });
}

/** True once `pid` is gone (or a zombie) within `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = `/proc/${pid}/status`;
    if (!existsSync(status)) return true;
    try {
      if (/State:\s+Z/.test(readFileSync(status, 'utf8'))) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}
