import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // e2e tests spawn processes and simulators; bound every test so none can hang.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // Vitest's default on a 2-core machine is one fork, so every file waits on the one before it. The e2e files
    // spend most of their time waiting for simulated time, spawned processes and servers, not on the CPU:
    // two forks overlap those waits.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
