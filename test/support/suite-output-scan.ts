// The privacy scan of the suite's output record (suite-output.ts): every reply, post, uploaded
// text file, log line and child process output is searched for a phone number that is not
// scrubbed (anything scrubPhoneNumbers would still change), a Slack token, a Microsoft Entra
// client secret, or a secret value the tests use. A finding names the test file, the test, where
// the text went and what kind of thing leaked, and shows only a hint of the value.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PHONE_MASK, scrubPhoneNumbers } from '../../src/ingest/scrub.js';
import type { OutputEntry } from './suite-output.js';

export type LeakKind = 'unscrubbed phone number' | 'Slack token' | 'Graph client secret' | 'secret used by the tests';

export interface Leak {
  kind: LeakKind;
  /** Enough to find it, never the whole value. */
  hint: string;
}

export interface Finding extends Leak {
  /** The NDJSON file of the test file, named after it. */
  outputFile: string;
  test: string;
  source: string;
}

// Bot, user, app-level, refresh and configuration tokens (xoxb-, xoxp-, xapp-, xoxe-, xoxe.xoxp- …);
// the logger's "[redacted]" stand-in is not one.
const SLACK_TOKEN = /\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-(?!\[redacted\])[A-Za-z0-9][A-Za-z0-9-]*/g;
// An Entra app registration's client secret: 40 characters, the fourth a digit and then "Q~".
const ENTRA_CLIENT_SECRET = /(?<![\w~.-])[\w~.-]{3}\dQ~[\w~.-]{31,36}(?![\w~.-])/g;

const hintOf = (value: string): string => `${value.slice(0, Math.min(5, Math.floor(value.length / 3)))}… (${value.length} characters)`;

export function findLeaks(text: string, secrets: readonly string[]): Leak[] {
  const leaks: Leak[] = [];
  const scrubbed = scrubPhoneNumbers(text);
  if (scrubbed !== text) {
    let at = 0;
    while (scrubbed[at] === text[at]) at++;
    // What the scrubbed text shows there (the first difference may be just past a leading "+").
    const mask = scrubbed.indexOf(PHONE_MASK, Math.max(0, at - 1));
    leaks.push({ kind: 'unscrubbed phone number', hint: `a number that scrubs to "${scrubbed.slice(mask, mask + PHONE_MASK.length + 2)}"` });
  }
  for (const [token] of text.matchAll(SLACK_TOKEN)) leaks.push({ kind: 'Slack token', hint: hintOf(token) });
  for (const [secret] of text.matchAll(ENTRA_CLIENT_SECRET)) leaks.push({ kind: 'Graph client secret', hint: hintOf(secret) });
  for (const secret of secrets) if (text.includes(secret)) leaks.push({ kind: 'secret used by the tests', hint: hintOf(secret) });
  return leaks;
}

function readEntries(file: string): OutputEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as OutputEntry);
}

/** Scans every output file of a run directory; `secrets` adds to those the files record. */
export function scanOutputDir(dir: string, secrets: readonly string[]): Finding[] {
  const files = readdirSync(dir).filter((name) => name.endsWith('.ndjson'));
  const entries = files.map((name) => ({ name, entries: readEntries(join(dir, name)) }));
  const known = new Set(secrets);
  for (const { entries: list } of entries) for (const entry of list) if ('secret' in entry) known.add(entry.secret);
  const findings: Finding[] = [];
  for (const { name, entries: list } of entries) {
    for (const entry of list) {
      if (!('text' in entry)) continue;
      for (const leak of findLeaks(entry.text, [...known])) findings.push({ ...leak, outputFile: name, test: entry.test, source: entry.source });
    }
  }
  return findings;
}

/**
 * Secret values written into the tests' sources: quoted literals that name themselves a secret
 * ("test-signing-secret-0123456789", "fake-graph-client-secret-value", "a-wrong-secret-value" …),
 * not variable names (GRAPH_CLIENT_SECRET) or prose ("Invalid client secret provided.").
 */
export function secretsInTestSources(testDir: string): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(testDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const source = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const [, value] of source.matchAll(/['"`]([\w-]*secret[\w-]*)['"`]/gi)) {
      if (value && value.length >= 8 && value.includes('-')) found.add(value);
    }
  }
  return [...found];
}

export function describeFindings(findings: readonly Finding[], keptIn: string): string {
  const lines = findings.slice(0, 50).map((f) => `  ${f.outputFile.replace(/\.ndjson$/, '').replace(/__/g, '/')} › ${f.test} — ${f.kind} in ${f.source}: ${f.hint}`);
  if (findings.length > 50) lines.push(`  … and ${findings.length - 50} more`);
  return [`The suite's output leaks ${findings.length} time(s) (everything it said is kept in ${keptIn}):`, ...lines].join('\n');
}
