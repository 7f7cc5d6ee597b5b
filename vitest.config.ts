import { defineConfig } from 'vitest/config';

// Tests run against each package's src/ through the `@edrkit/source` export condition,
// so no build is needed before `vitest` (the published `exports` point at dist/).
export default defineConfig({
  resolve: { conditions: ['@edrkit/source'] },
  ssr: { resolve: { conditions: ['@edrkit/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, ignoreSourceErrors: true, include: ['packages/*/src/**/*.test-d.ts', 'test/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
  },
});
