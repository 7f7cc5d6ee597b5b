/**
 * File events (create, write, close-modified, truncate, rename, unlink, link, the setattr
 * family, opt-in open and mmap), volume mounts and kernel extension loads.
 *
 * @module
 */
import type { OpenFlag } from '@edrkit/core';
import type { EventMapper, MapContext } from './context.js';
import { destinationPath, filePathOf, join, joinPath, obj, optBool, optStr, str, uint, optUint } from './map-helpers.js';

function file(ctx: MapContext, key = 'target') {
  return { path: filePathOf(ctx.ev, key, ctx.at) };
}

const onTarget = (kind: 'file.modify' | 'file.delete'): EventMapper => (ctx) => [ctx.draft(kind, { file: file(ctx) })];

const create: EventMapper = (ctx) => [ctx.draft('file.create', { file: { path: destinationPath(ctx.ev, ctx.at) } })];

// close with `modified: true` is how ES reports "this file was written" once per open, which
// is what file.modify means; a close without writes is nothing edrkit models.
const close: EventMapper = (ctx) => (optBool(ctx.ev, 'modified', ctx.at) ? [ctx.draft('file.modify', { file: file(ctx) })] : []);

const rename: EventMapper = (ctx) => [ctx.draft('file.rename', { file: file(ctx, 'source'), target: { path: destinationPath(ctx.ev, ctx.at) } })];

// A hard link is a new name for an existing file: a file.create of the new name.
const link: EventMapper = (ctx) => {
  const path = joinPath(filePathOf(ctx.ev, 'target_dir', ctx.at), str(ctx.ev, 'target_filename', ctx.at));
  return [ctx.draft('file.create', { file: { path } }, { raw: { linkSource: filePathOf(ctx.ev, 'source', ctx.at) } })];
};

const setmode: EventMapper = (ctx) => [ctx.draft('file.attr', { file: file(ctx), mode: uint(ctx.ev, 'mode', ctx.at) & 0o7777 })];

const setowner: EventMapper = (ctx) => [
  ctx.draft('file.attr', { file: file(ctx), owner: { uid: uint(ctx.ev, 'uid', ctx.at), gid: uint(ctx.ev, 'gid', ctx.at) } }),
];

/** setflags, setextattr, deleteextattr, setacl, setattrlist: an attribute change, with what changed in raw. */
function attr(describe: (ctx: MapContext) => Record<string, unknown>): EventMapper {
  return (ctx) => [ctx.draft('file.attr', { file: file(ctx) }, { raw: { change: ctx.name, ...describe(ctx) } })];
}

// fflag is the kernel's FFLAGS form (O_RDONLY + 1): FREAD 0x1, FWRITE 0x2, then O_* bits.
const FREAD = 0x1;
const FWRITE = 0x2;
const O_APPEND = 0x8;
const O_CREAT = 0x200;
const O_TRUNC = 0x400;
const O_EXCL = 0x800;
const O_DIRECTORY = 0x100000;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;

/** The portable flags of an open's `fflag` (and whether the file is a directory). */
export function openFlags(fflag: number, isDir: boolean): OpenFlag[] {
  const flags: OpenFlag[] = [];
  if (fflag & FREAD) flags.push('read');
  if (fflag & FWRITE) flags.push('write');
  if (fflag & O_CREAT) flags.push('create');
  if (fflag & O_TRUNC) flags.push('truncate');
  if (fflag & O_APPEND) flags.push('append');
  if (fflag & O_EXCL) flags.push('exclusive');
  if (isDir || fflag & O_DIRECTORY) flags.push('directory');
  return flags;
}

const open: EventMapper = (ctx) => {
  const f = obj(ctx.ev, 'file', ctx.at);
  const path = str(f, 'path', join(ctx.at, 'file'));
  const stat = f['stat'];
  const mode = stat && typeof stat === 'object' ? optUint(stat as Record<string, unknown>, 'st_mode', join(ctx.at, 'file.stat')) : undefined;
  const isDir = mode !== undefined && (mode & S_IFMT) === S_IFDIR;
  return [ctx.draft('file.open', { file: { path }, flags: openFlags(uint(ctx.ev, 'fflag', ctx.at), isDir) })];
};

const PROT_EXEC = 0x4;
// An executable mapping of a file is a library (or plug-in) load, reported once per process
// execution and file as on Linux (a library is mapped in several segments); data mappings are not.
const mmap: EventMapper = (ctx) => {
  if (!(uint(ctx.ev, 'protection', ctx.at) & PROT_EXEC)) return [];
  const path = filePathOf(ctx.ev, 'source', ctx.at);
  return ctx.firstMapping(ctx.actorToken, path) ? [ctx.draft('image.load', { image: { path } })] : [];
};

const MNT_RDONLY = 0x1;
const MNT_REMOVABLE = 0x200;

function volume(kind: 'volume.mount' | 'volume.unmount'): EventMapper {
  return (ctx) => {
    const statfs = obj(ctx.ev, 'statfs', ctx.at);
    const at = join(ctx.at, 'statfs');
    const flags = optUint(statfs, 'f_flags', at) ?? 0;
    const device = optStr(statfs, 'f_mntfromname', at);
    const fsType = optStr(statfs, 'f_fstypename', at);
    return [
      ctx.draft(kind, {
        volume: {
          mountPoint: str(statfs, 'f_mntonname', at),
          ...(device ? { device } : {}),
          ...(fsType ? { fsType } : {}),
          removable: (flags & MNT_REMOVABLE) !== 0,
          readOnly: (flags & MNT_RDONLY) !== 0,
        },
      }),
    ];
  };
}

const kextload: EventMapper = (ctx) => [ctx.draft('kmod.load', { module: { name: str(ctx.ev, 'identifier', ctx.at) } })];

/** The file, volume and kext events, by ES event name. */
export const FILE_MAPPERS: Record<string, EventMapper> = {
  create,
  write: onTarget('file.modify'),
  truncate: onTarget('file.modify'),
  close,
  rename,
  unlink: onTarget('file.delete'),
  link,
  setmode,
  setowner,
  setflags: attr((ctx) => ({ flags: uint(ctx.ev, 'flags', ctx.at) })),
  setextattr: attr((ctx) => ({ extattr: str(ctx.ev, 'extattr', ctx.at) })),
  deleteextattr: attr((ctx) => ({ extattr: str(ctx.ev, 'extattr', ctx.at) })),
  setacl: attr(() => ({})),
  setattrlist: attr(() => ({})),
  open,
  mmap,
  mount: volume('volume.mount'),
  unmount: volume('volume.unmount'),
  kextload,
};
