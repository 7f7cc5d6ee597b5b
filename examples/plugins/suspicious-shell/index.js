// @ts-check
// suspicious-shell: an example edrkit plugin. It alerts when an interactive shell is
// started by a process that normally never starts one (a web server, a database, an
// office application): the classic sign of a web shell or an exploited service.
//
// The entry is one self-contained ES module. It runs in its own child process with no
// file system, child-process or environment access; it only sees the events it
// subscribed to in edrkit-plugin.json and reports through ctx.

/** @typedef {import('@edrkit/plugins').PluginContext<{ shells: string[], parents: string[], ignoreUsers: string[] }>} Ctx */

/** @type {Set<string>} */
let shells = new Set();
/** @type {string[]} */
let parents = [];
/** @type {Set<string>} */
let ignoreUsers = new Set();

const base = (/** @type {string} */ p) => p.slice(p.lastIndexOf('/') + 1).toLowerCase();

/** Called once with the validated config. @param {Ctx} ctx */
export function setup(ctx) {
  shells = new Set(ctx.config.shells.map((s) => s.toLowerCase()));
  parents = ctx.config.parents.map((p) => p.toLowerCase());
  ignoreUsers = new Set(ctx.config.ignoreUsers);
  ctx.log.info(`watching ${shells.size} shells under ${parents.length} parent patterns`);
}

/**
 * @param {import('@edrkit/core').EdrEvent} event
 * @param {Ctx} ctx
 */
export function onEvent(event, ctx) {
  if (event.kind !== 'process.exec') return;
  const proc = event.process;
  if (!shells.has(base(proc.exe))) return;
  if (proc.user !== undefined && ignoreUsers.has(proc.user)) return;
  const parentExe = proc.parent?.exe ?? '';
  const parent = base(parentExe);
  if (!parents.some((p) => parent === p || parent.startsWith(p))) return;
  ctx.alert({
    title: `shell ${base(proc.exe)} started by ${parent}`,
    severity: 'high',
    details: { exe: proc.exe, cmdline: proc.cmdline, pid: proc.pid, parent: parentExe, technique: 'T1505.003' },
  });
}
