// The suite runs on embedded PGlite always, and again on real Postgres when DATABASE_URL points
// at a server (each test file then gets a fresh database of its own on that server).
import { defineConfig } from 'vitest/config';

const postgresUrl = process.env.DATABASE_URL;
const withPostgres = Boolean(postgresUrl && /^postgres(ql)?:\/\//.test(postgresUrl));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two, one per core: three were tried and made the suite slower (660 s against 595 s).
    maxWorkers: 2,
    // Test files share their worker's modules: each file imported Bolt, drizzle and PGlite (and
    // compiled PGlite's WebAssembly) afresh, which took half the suite's time. Every file opens
    // its own store and servers and closes them, and the setup file's mocks and output record are
    // set up again for each file (the record's files came out the same either way).
    isolate: false,
    // The privacy check: every reply, post, upload, log line and child process output is recorded
    // and scanned for phone numbers, tokens and secrets when the run ends (test/support/suite-output*.ts).
    globalSetup: ['test/support/suite-output-global.ts', 'test/support/pglite-template-global.ts'],
    setupFiles: ['test/support/suite-output-setup.ts'],
    projects: [
      { extends: true as const, test: { name: 'pglite', env: { MFA_TEST_DB: 'pglite' } } },
      ...(withPostgres ? [{ extends: true as const, test: { name: 'postgres', env: { MFA_TEST_DB: 'postgres' } } }] : []),
    ],
  },
});
