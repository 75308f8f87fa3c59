// Vitest global setup: gives each project of the run an output directory for the suite's output
// record (suite-output.ts) and, when the run ends, scans it (suite-output-scan.ts). A leak fails
// the run (exit code 1: vitest does not fail a run on an error thrown from a global teardown) and
// keeps the directory for a look; a clean run removes it, unless MFA_KEEP_SUITE_OUTPUT is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { describeFindings, scanOutputDir, secretsInTestSources } from './suite-output-scan.js';

declare module 'vitest' {
  export interface ProvidedContext {
    suiteOutputDir: string | undefined;
  }
}

const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), `mfa-suite-output-${project.name || 'root'}-`));
  project.provide('suiteOutputDir', dir);
  return () => {
    const findings = scanOutputDir(dir, secretsInTestSources(TEST_DIR));
    if (findings.length === 0) {
      if (process.env.MFA_KEEP_SUITE_OUTPUT) console.log(`[${project.name}] the suite's output is kept in ${dir}`);
      else rmSync(dir, { recursive: true, force: true });
      return;
    }
    console.error(`\n[${project.name}] ${describeFindings(findings, dir)}\n`);
    process.exitCode = 1;
  };
}
