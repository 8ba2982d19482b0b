import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources (the "@rampart/source"
// export condition), so `vitest` never runs against stale `dist/` output.
const conditions = ['@rampart/source', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  // Vitest hands ssr.resolve.conditions to its workers as `node --conditions`; 'import' there makes
  // CommonJS require() pick packages' ESM builds (pg → pg-pool breaks), so leave it out.
  ssr: { resolve: { conditions: ['@rampart/source', 'node'], externalConditions: ['node'] } },
  test: {
    include: [
      'bench/src/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'services/*/src/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/results.json' }]] : ['default'],
  },
});
