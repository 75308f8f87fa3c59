// The suite's output record: everything the code under test says to the outside world (Slack
// calls, log lines, child processes' output) is appended, as it happens, to one NDJSON file per
// test file under the run's output directory, for the privacy scan at the end of the run
// (suite-output-scan.ts). Values the tests hand over as secrets are recorded too, so the scan
// knows what else to look for. Outside a vitest run with the output check (a bench script) this
// records nothing.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export type OutputEntry = { test: string; source: string; text: string } | { secret: string };

interface Target {
  dir: string;
  /** The test file and the test running now (the file's own hooks when none is). */
  where: () => { file: string; test: string };
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Shorter values are too common to be told apart from ordinary text. */
const MIN_SECRET_LENGTH = 8;

let target: Target | null = null;
const secretsRecorded = new Set<string>();

/** Called once per test file by the setup file (suite-output-setup.ts). */
export function startSuiteOutput(dir: string, where: Target['where']): void {
  target = { dir, where };
  secretsRecorded.clear();
}

/** The NDJSON file a test file's output goes to, e.g. `test__cli__import.test.ts.ndjson`. */
export function outputFileFor(dir: string, testFile: string): string {
  return join(dir, `${relative(ROOT, testFile).replace(/[\\/]/g, '__')}.ndjson`);
}

function append(entry: (where: { file: string; test: string }) => OutputEntry): void {
  if (!target) return;
  const where = target.where();
  const file = outputFileFor(target.dir, where.file);
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(entry(where))}\n`);
}

/** `source` says where the text went: "log", "slack chat.postMessage", "child stderr" … */
export function recordOutput(source: string, text: string): void {
  if (text === '') return;
  append(({ test }) => ({ test, source, text }));
}

export function recordSecret(value: string | undefined): void {
  if (value === undefined || value.length < MIN_SECRET_LENGTH || secretsRecorded.has(value)) return;
  secretsRecorded.add(value);
  append(() => ({ secret: value }));
}

interface SlackCallLike {
  kind: string;
  method: string;
  id?: string | undefined;
  status: number;
  body: Record<string, unknown>;
}

/** Every string inside a decoded request body, one per line (so a JSON escape cannot hide a number). */
function stringsIn(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringsIn(item, into);
  return into;
}

function textOf(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8192).includes(0)) return null; // an image: its pixels cannot be read here
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** One call the local Slack stand-in received; an uploaded text file is recorded whole. */
export function recordSlackCall(call: SlackCallLike, uploads: () => Array<{ id: string; filename: string; bytes: Buffer }>): void {
  const source = call.kind === 'api' ? `slack ${call.method}` : call.kind === 'respond' ? 'slack response_url' : 'slack file upload';
  recordOutput(source, stringsIn(call.body).join('\n'));
  if (call.kind !== 'upload' || call.status !== 200) return;
  const file = uploads().find((f) => f.id === call.id);
  const text = file && textOf(file.bytes);
  if (file && text) recordOutput(`slack file ${file.filename}`, text);
}

/** What the Slack app answered a signed request with (a slash command's acknowledgement carries its reply). */
export function recordAppResponse(text: string, json: unknown): void {
  recordOutput('slack app response', json === undefined ? text : stringsIn(json).join('\n'));
}
