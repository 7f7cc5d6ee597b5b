/**
 * A small eslogger capture written for the tests: zsh forks, the child execs
 * `base64 -d`, writes a launch daemon plist that BTM then reports, and exits. The
 * stand-in eslogger replays it and the import tests read it.
 */
import { file, message, proc } from './es-messages.js';

const zsh = proc('/bin/zsh', { pid: 500, pidversion: 1 }, 9, { ppid: 1, start_time: '2026-01-02T03:00:00.000000Z' });
const child = proc('/bin/zsh', { pid: 501, pidversion: 2 }, 9, { ppid: 500, start_time: '2026-01-02T03:04:05.000000Z' });
const b64 = proc('/usr/bin/base64', { pid: 501, pidversion: 3 }, 9, { ppid: 500, start_time: '2026-01-02T03:04:05.000000Z', signing_id: 'com.apple.base64', team_id: null, is_platform_binary: true });

/** The capture's messages, in order (global_seq_num 1..6, no gaps). */
export const CAPTURE = [
  message('exec', { target: zsh, args: ['-zsh'], cwd: file('/Users/alice') }, { actor: zsh, global: 1, seq: 1 }),
  message('fork', { child }, { actor: zsh, global: 2, seq: 1 }),
  message('exec', { target: b64, args: ['base64', '-d', '-i', '/tmp/payload'], cwd: file('/tmp') }, { actor: child, global: 3, seq: 2 }),
  message('create', { destination_type: 1, destination: { new_path: { dir: file('/Library/LaunchDaemons'), filename: 'com.evil.plist', mode: 420 } } }, { actor: b64, global: 4, seq: 1 }),
  message('btm_launch_item_add', { item: { item_type: 4, legacy: true, managed: false, uid: 0, item_url: 'file:///Library/LaunchDaemons/com.evil.plist' }, executable_path: '/tmp/evil' }, { actor: b64, global: 5, seq: 1 }),
  message('exit', { stat: 0 }, { actor: b64, global: 6, seq: 1 }),
];

/** The capture as eslogger writes it: one JSON object per line, `/` escaped as `\/`. */
export function captureText(messages = CAPTURE): string {
  return messages.map((m) => JSON.stringify(m).replace(/\//g, '\\/')).join('\n') + '\n';
}
