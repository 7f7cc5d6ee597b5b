/**
 * The program that runs inside each plugin's child process, as source text. It is passed
 * to `node -e` rather than loaded from a file so the child needs no file system access at
 * all (under Node's permission model and Landlock it gets none), and the plugin's verified
 * entry source arrives over the channel and is imported from a `data:` URL — the bytes
 * that were verified are the bytes that run, with no disk read in between.
 *
 * Channel: newline-delimited JSON on fd 3 (see channel.ts).
 * - host → child: `{t:'init', name, version, source, config, capabilities, heartbeatMs}`,
 *   `{t:'batch', id, events}`.
 * - child → host: `{t:'ready'}`, `{t:'fatal', message, stack}` (import or setup failed),
 *   `{t:'alert', id, index, alert}`, `{t:'error', id, index, message, stack}`,
 *   `{t:'log', level, message}`, `{t:'done', id}`, `{t:'hb', rss, heapUsed}`,
 *   `{t:'crash', message, stack}` (uncaught exception outside onEvent, then exit 70).
 *
 * Nothing here is a security boundary: plugin code shares this process and can write to
 * fd 3 itself, so the host validates and enforces every message (messages.ts,
 * plugin-slot.ts). The checks here only give an honest plugin an early, clear error.
 *
 * Plain JavaScript on purpose: it must run with no loader, no TypeScript and no imports
 * from disk.
 *
 * @module
 */

/** Exit code the child uses after an uncaught exception outside `onEvent`. */
export const CHILD_CRASH_EXIT_CODE = 70;

/** Source of the child program. */
export const CHILD_SOURCE = String.raw`
const net = await import('node:net');
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
channel.setEncoding('utf8');
const send = (m) => { try { channel.write(JSON.stringify(m) + '\n'); } catch {} };
const describe = (e) => ({ message: String(e && e.message !== undefined ? e.message : e).slice(0, 4000), stack: e && typeof e.stack === 'string' ? e.stack.slice(0, 8000) : undefined });
let mod = null, ctx = null, batchId = -1, index = -1, hb = null;
const crash = (e) => { send({ t: 'crash', ...describe(e) }); setTimeout(() => process.exit(${CHILD_CRASH_EXIT_CODE}), 20); };
process.on('uncaughtException', crash);
process.on('unhandledRejection', crash);
// The host closed the channel (or died): nothing more will come.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));
const text = (args) => args.map((a) => typeof a === 'string' ? a : (() => { try { return JSON.stringify(a); } catch { return String(a); } })()).join(' ').slice(0, 4000);
function makeCtx(init) {
  const caps = new Set(init.capabilities);
  const log = (level) => (...args) => { if (!caps.has('log')) throw new Error("capability 'log' is not declared in the manifest"); send({ t: 'log', level, message: text(args) }); };
  return Object.freeze({
    name: init.name,
    version: init.version,
    config: init.config,
    alert(alert) {
      if (!caps.has('alert')) throw new Error("capability 'alert' is not declared in the manifest");
      let copy;
      try { copy = JSON.parse(JSON.stringify(alert)); } catch (e) { throw new Error('alert must be JSON-serialisable: ' + e.message); }
      send({ t: 'alert', id: batchId, index, alert: copy });
    },
    log: Object.freeze({ info: log('info'), warn: log('warn'), error: log('error') }),
  });
}
async function init(m) {
  try {
    mod = await import('data:text/javascript;base64,' + Buffer.from(m.source, 'utf8').toString('base64'));
    if (typeof mod.onEvent !== 'function') throw new Error("the entry module must export a function 'onEvent(event, ctx)'");
    ctx = makeCtx(m);
    if (typeof mod.setup === 'function') await mod.setup(ctx);
    hb = setInterval(() => { let u = { rss: 0, heapUsed: 0 }; try { u = process.memoryUsage(); } catch {} send({ t: 'hb', rss: u.rss, heapUsed: u.heapUsed }); }, m.heartbeatMs);
    send({ t: 'ready' });
  } catch (e) {
    send({ t: 'fatal', ...describe(e) });
  }
}
async function batch(m) {
  batchId = m.id;
  for (let i = 0; i < m.events.length; i++) {
    index = i;
    try { await mod.onEvent(m.events[i], ctx); } catch (e) { send({ t: 'error', id: m.id, index: i, ...describe(e) }); }
  }
  index = -1;
  send({ t: 'done', id: m.id });
}
let chain = Promise.resolve();
let pending = '';
channel.on('data', (chunk) => {
  pending += chunk;
  for (let nl = pending.indexOf('\n'); nl !== -1; nl = pending.indexOf('\n')) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    let m;
    try { m = JSON.parse(line); } catch { continue; }
    if (!m || typeof m !== 'object') continue;
    if (m.t === 'init') chain = chain.then(() => init(m));
    else if (m.t === 'batch') chain = chain.then(() => batch(m));
  }
});
`;
