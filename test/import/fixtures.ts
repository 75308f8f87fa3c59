// Paths of the hand-written export fixtures (test/fixtures/import), and a temporary folder for
// files a test writes itself (binary, empty, generated).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

export const fixture = (name: string): string => join(FIXTURES, name);

export async function tempDir(): Promise<{ path: string; dispose(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'mfa-import-'));
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}
