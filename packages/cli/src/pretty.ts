/**
 * The human format: one coloured line per event — time, kind, pid, image, and the
 * payload that matters for that kind.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import pc from 'picocolors';

type Colors = Pick<typeof pc, 'dim' | 'bold' | 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'blue'>;

const KIND_COLOR: Record<string, keyof Colors> = {
  process: 'green',
  file: 'yellow',
  net: 'cyan',
  dns: 'cyan',
  image: 'magenta',
  kmod: 'magenta',
  registry: 'blue',
  sensor: 'red',
};

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
      const parent = event.process.parent ? c.dim(` ← ${event.process.parent.exe || '?'}(${event.process.parent.pid})`) : '';
      return `${event.process.cmdline}${parent}`;
    }
    case 'process.fork':
      return `child ${event.child.pid}`;
    case 'process.exit':
      return event.signal !== undefined ? `signal ${event.signal}` : `code ${event.exitCode ?? '?'}`;
    case 'file.create':
    case 'file.modify':
    case 'file.delete':
      return event.file.path;
    case 'file.open':
      return `${event.file.path} ${c.dim(`[${event.flags.join(',')}]`)}`;
    case 'file.rename':
      return `${event.file.path} → ${event.target.path}`;
    case 'file.attr': {
      const parts = [event.file.path];
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
      return `${event.dns.type} ${event.dns.query}${event.dns.answers?.length ? ` = ${event.dns.answers.join(', ')}` : ''}`;
    case 'image.load':
      return event.image.path;
    case 'kmod.load':
      return `${event.module.name}${event.module.path ? ` (${event.module.path})` : ''}`;
    case 'registry.set':
    case 'registry.create':
    case 'registry.delete':
    case 'registry.rename': {
      const r = event.registry;
      const value = r.value !== undefined ? `\\${r.value}` : '';
      const data = r.data !== undefined ? ` = ${r.data}` : '';
      const target = event.kind === 'registry.rename' && event.target ? ` → ${event.target.key}` : '';
      return `${r.key}${value}${data}${target}`;
    }
    case 'sensor.lost':
      return c.red(`LOST ${event.lost.count} event(s)${event.lost.stage ? ` at ${event.lost.stage}` : ''}: ${event.lost.reason}`);
  }
}

/** Format one event as a single readable line (colours follow picocolors' TTY detection). */
export function formatPretty(event: EdrEvent, c: Colors = pc): string {
  const family = event.kind.split('.')[0] ?? '';
  const color = c[KIND_COLOR[family] ?? 'bold'];
  const kind = color(event.kind.padEnd(15));
  const who =
    event.kind === 'sensor.lost' ? ''.padEnd(28) : `${String(event.process.pid).padStart(7)} ${c.bold(shorten(event.process.exe || '?', 20).padEnd(20))}`;
  return `${c.dim(clock(event.time))} ${kind} ${who} ${describePayload(event, c)}`;
}

function shorten(path: string, max: number): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.length > max ? `${base.slice(0, max - 1)}…` : base;
}
