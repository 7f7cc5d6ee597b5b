import { defineConfig } from 'vitest/config';

// Tests that open the live kernel backend (or run the CLI / examples, which may) share the
// kernel's state: a teardown check ("nothing of ours is loaded") or an overload test must not
// overlap another live sensor. They run one file at a time, after the unit tests.
const LIVE = ['test/linux/**/*.test.ts', 'test/sigma/live.test.ts', 'test/cli/**/*.test.ts', 'test/plugins/**/*.test.ts', 'examples/**/*.test.ts', 'packages/*/src/**/*.live.test.ts', 'test/**/*.live.test.ts'];

// Live tests of another OS's backends (ETW, Endpoint Security) run on that OS's CI runner
// (.github/workflows/windows.yml, macos.yml); elsewhere they are not collected at all.
const OTHER_OS_LIVE = [
  ...(process.platform === 'win32' ? [] : ['test/windows/**/*.live.test.ts']),
  ...(process.platform === 'darwin' ? [] : ['test/macos/**/*.live.test.ts']),
];

// `npm run test:node-matrix` reruns the unit project on the other Node majors; the release
// tests already run every consumer on all three majors themselves, so they run once.
const MATRIX_RUN = process.env.EDRKIT_NODE_MATRIX === '1' ? ['test/release/**'] : [];

// Tests run against each package's src/ through the `@edrkit/source` export condition,
// so no build is needed before `vitest` (the published `exports` point at dist/).
export default defineConfig({
  resolve: { conditions: ['@edrkit/source'] },
  ssr: { resolve: { conditions: ['@edrkit/source'] } },
  test: {
    // The corpus reporter ends the run with one line on the external corpus (test/corpus.ts).
    reporters: ['default', './test/corpus-reporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...LIVE, ...MATRIX_RUN],
          sequence: { groupOrder: 0 },
          typecheck: {
            enabled: true,
            // Type errors are reported by `npm run typecheck` (tsc), which `npm test` runs first.
            ignoreSourceErrors: true,
            include: ['packages/*/src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
            tsconfig: './tsconfig.test.json',
          },
        },
      },
      {
        extends: true,
        test: { name: 'live', include: LIVE, exclude: OTHER_OS_LIVE, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
