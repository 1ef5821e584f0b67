import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql 16 ships CJS (main) and ESM (module) copies; Node loads the CJS one for
  // Apollo and graphql-tools, so our code must get the same copy under vitest too.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    // Vitest's default is one worker less than the cores: on a 2-core CI machine the
    // files would run one at a time. Most files wait on sockets, not the CPU.
    maxWorkers: 2,
    // Worker threads start faster and cost less memory than child processes.
    pool: 'threads',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Files share their worker's modules (no test mocks modules, stubs globals or writes
          // process.env; each starts its own servers): importing the gateway once per worker
          // instead of once per file takes a third off the suite's CPU time.
          isolate: false,
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          isolate: false, // as for unit
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Compiles the gateway once for every e2e file that runs the real process.
          globalSetup: ['test/e2e/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
