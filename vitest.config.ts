import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,harness,scenarios,move,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/build/**', '**/.scratch/**', 'dist/**'],
    // The WASM Move compiler and the embedded servers are CPU-heavy; two cores here.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Builds the real control plane once where Go is present (harness/controlplane/test-setup.ts).
    globalSetup: ['harness/controlplane/test-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: process.env.CI ? ['default', 'junit'] : ['default'],
    outputFile: { junit: 'reports/vitest-junit.xml' },
  },
});
