// Where charts go when there is no Slack to upload them to: `npm run ask` and the local simulator
// write them here and print the path.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export function defaultChartDir(): string {
  return join(tmpdir(), 'mfa-bot-charts');
}

/** Writes `bytes` as `filename` in `dir` (created if missing); returns the path. */
export async function writeChartFile(filename: string, bytes: Buffer, dir = defaultChartDir()): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, basename(filename));
  await writeFile(path, bytes);
  return path;
}
