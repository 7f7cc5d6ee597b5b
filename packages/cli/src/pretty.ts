/**
 * The human format: one coloured line per event — time, kind, pid, image, and the
 * payload that matters for that kind.
 *
 * @module
 */
import { baseName, type EdrEvent } from '@edrkit/core';
import pc from 'picocolors';
import { describeCredentials } from './pretty-credentials.js';

type Colors = Pick<typeof pc, 'dim' | 'bold' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'blue'>;

const KIND_COLOR: Record<string, keyof Colors> = {
  process: 'green',
  file: 'yellow',
  net: 'cyan',
  dns: 'cyan',
  image: 'magenta',
  kmod: 'magenta',
  bpf: 'magenta',
  auth: 'blue',
  account: 'blue',
  service: 'blue',
  task: 'blue',
  script: 'green',
  volume: 'yellow',
  pipe: 'yellow',
  wmi: 'blue',
  registry: 'blue',
  sensor: 'red',
};

/**
 * Event strings come from untrusted programs: a command line may hold newlines or terminal
 * escape sequences. Show control characters escaped, so one event stays one line and cannot
 * repaint the operator's terminal.
 */
export function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

function clock(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

/** The payload part of a pretty line. */
export function describePayload(event: EdrEvent, c: Colors = pc): string {
  switch (event.kind) {
    case 'process.exec': {
      const parent = event.process.parent ? c.dim(` ← ${safe(event.process.parent.exe) || '?'}(${event.process.parent.pid})`) : '';
      return `${safe(event.process.cmdline)}${parent}`;
    }
    case 'process.fork':
      return `child ${event.child.pid}`;
    case 'process.exit':
      return event.signal !== undefined ? `signal ${event.signal}` : `code ${event.exitCode ?? '?'}`;
    case 'file.create':
    case 'file.modify':
    case 'file.delete':
      return safe(event.file.path);
    case 'file.open':
      return `${safe(event.file.path)} ${c.dim(`[${event.flags.join(',')}]`)}`;
    case 'file.rename':
      return `${safe(event.file.path)} → ${safe(event.target.path)}`;
    case 'file.attr': {
      const parts = [safe(event.file.path)];
      if (event.mode !== undefined) parts.push(`mode ${event.mode.toString(8).padStart(4, '0')}`);
      if (event.owner) parts.push(`owner ${[event.owner.uid, event.owner.gid, event.owner.sid].filter((x) => x !== undefined).join(':')}`);
      return parts.join(' ');
    }
    case 'net.connect':
    case 'net.accept':
    case 'net.listen': {
      const { net } = event;
      const arrow = event.kind === 'net.accept' ? '←' : '→';
      return event.kind === 'net.listen'
        ? `${net.protocol} ${endpoint(net.local)}`
        : `${net.protocol} ${endpoint(net.local)} ${arrow} ${endpoint(net.remote)}`;
    }
    case 'dns.query':
      return safe(`${event.dns.type} ${event.dns.query}${event.dns.answers?.length ? ` = ${event.dns.answers.join(', ')}` : ''}`);
    case 'image.load':
      return safe(event.image.path);
    case 'kmod.load':
      return safe(`${event.module.name}${event.module.path ? ` (${event.module.path})` : ''}`);
    case 'registry.set':
    case 'registry.create':
    case 'registry.delete':
    case 'registry.rename': {
      const r = event.registry;
      const value = r.value !== undefined ? `\\${r.value}` : '';
      const data = r.data !== undefined ? ` = ${r.data}` : '';
      const target = event.kind === 'registry.rename' && event.target ? ` → ${event.target.key}` : '';
      return safe(`${r.key}${value}${data}${target}`);
    }
    case 'sensor.lost':
      return c.red(`LOST ${event.lost.count} event(s)${event.lost.stage ? ` at ${event.lost.stage}` : ''}: ${safe(event.lost.reason)}`);
    case 'sensor.start':
    case 'sensor.stop':
      return safe(`${event.sensor.backend} edrkit ${event.sensor.version} model v${event.sensor.model}${event.sensor.reason ? `: ${event.sensor.reason}` : ''}`);
    case 'auth.logon':
    case 'auth.logoff':
    case 'auth.failed': {
      const a = event.auth;
      const from = a.remote ? ` from ${a.remote.port !== undefined ? endpoint({ ip: a.remote.ip, port: a.remote.port }) : a.remote.ip}` : '';
      return safe(`${a.user} via ${a.method}${a.terminal ? ` on ${a.terminal}` : ''}${from}${a.reason ? `: ${a.reason}` : ''}`);
    }
    case 'account.create':
    case 'account.modify':
    case 'account.delete':
      return safe(`${event.account.name}${event.account.changes ? ` ${Object.keys(event.account.changes).join(',')}` : ''}`);
    case 'service.create':
    case 'service.modify':
    case 'service.delete':
      return safe(`${event.service.name} (${event.service.path})${event.service.command ? ` ${event.service.command}` : ''}`);
    case 'task.create':
    case 'task.modify':
    case 'task.delete':
      return safe(`${event.task.name}${event.task.schedule ? ` [${event.task.schedule}]` : ''}${event.task.command ? ` ${event.task.command}` : ''}`);
    case 'process.access':
      return safe(`${event.target.exe ?? '?'}(${event.target.pid}) ${event.access.rights.join(',')}`);
    case 'process.tamper':
      return safe(`${event.target.exe ?? '?'}(${event.target.pid}) ${event.technique}`);
    case 'script.content':
      return safe(`${event.script.interpreter}: ${event.script.content.slice(0, 120)}${event.script.truncated || event.script.content.length > 120 ? '…' : ''}`);
    case 'bpf.load':
      return safe(`${event.bpf.progType}${event.bpf.name ? ` ${event.bpf.name}` : ''}`);
    case 'volume.mount':
    case 'volume.unmount':
      return safe(`${event.volume.device ?? '?'} on ${event.volume.mountPoint}${event.volume.fsType ? ` (${event.volume.fsType})` : ''}`);
    case 'pipe.create':
    case 'pipe.connect':
      return safe(event.pipe.name);
    case 'wmi.filter':
    case 'wmi.consumer':
    case 'wmi.binding':
      return safe(`${event.wmi.name}${event.wmi.query ? ` ${event.wmi.query}` : ''}${event.wmi.destination ? ` ${event.wmi.destination}` : ''}`);
    case 'process.credentials':
      return describeCredentials(event);
  }
}

/** Format one event as a single readable line (colours follow picocolors' TTY detection). */
export function formatPretty(event: EdrEvent, c: Colors = pc): string {
  const family = event.kind.split('.')[0] ?? '';
  const color = c[KIND_COLOR[family] ?? 'bold'];
  const kind = color(event.kind.padEnd(15));
  const who =
    event.kind === 'sensor.lost' ? ''.padEnd(28) : `${String(event.process.pid).padStart(7)} ${c.bold(shorten(baseName(safe(event.process.exe), event.platform) || '?', 20).padEnd(20))}`;
  return `${c.dim(clock(event.time))} ${kind} ${who} ${describePayload(event, c)}`;
}

function shorten(base: string, max: number): string {
  return base.length > max ? `${base.slice(0, max - 1)}…` : base;
}
