import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Vite's transformer only lowers legacy (experimentalDecorators) syntax; standard
  // decorators are tested through their calling protocol (test/actions/audited.test.ts).
  oxc: { decorator: { legacy: true } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Instrumentation patches process-wide prototypes (http.Server#emit), so every
    // test file runs in its own child process.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
