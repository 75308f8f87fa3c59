// The suite's privacy check can fail: leaks planted into an output record of a sandbox directory
// (written by the same recorder the suite uses) are found, named by test file, test, place and
// kind, and never shown in full. And the secrets it looks for include those the tests use.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { SIGNING_SECRET } from './slack-harness.js';
import { FakeGraph } from './fake-graph.js';
import { describeFindings, findLeaks, scanOutputDir, secretsInTestSources } from './suite-output-scan.js';
import { recordOutput, recordSecret, recordSlackCall, startSuiteOutput } from './suite-output.js';

const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));
const PLANTED_FILE = join(TEST_DIR, 'planted', 'leaky.test.ts');

let sandbox: string;
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'mfa-suite-output-sandbox-'));
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
  // Back to the real run's record for the rest of this file.
  const dir = inject('suiteOutputDir');
  if (dir) startSuiteOutput(dir, () => ({ file: fileURLToPath(import.meta.url), test: '(the file\'s hooks)' }));
});

describe('findLeaks', () => {
  it('finds an unscrubbed phone number in every layout scrubbing knows, showing only its mask', () => {
    for (const number of ['+1 (425) 555-0164', '+44 20 7946 0964', '+4915112345664', '(425) 555-0164', '425-555-0164', '020 7946 0964']) {
      expect(findLeaks(`Call ${number} now`, [])).toEqual([{ kind: 'unscrubbed phone number', hint: 'a number that scrubs to "+X XXXXXXXX64"' }]);
    }
  });

  it('lets scrubbed numbers, dates, Slack timestamps, ids and counts pass', () => {
    const clean = 'Phone +X XXXXXXXX64 at 2026-11-27T12:30:00Z, ts 1700000000.000100, user UADMIN0001, 1234 sign-ins, IP 10.1.2.3, xoxb-[redacted]';
    expect(findLeaks(clean, [])).toEqual([]);
  });

  it('finds Slack tokens of every kind, and Entra client secrets, by their shape', () => {
    const text = 'bot xoxb-1111-2222-abcdef user xoxp-9-zz app xapp-1-A111-222 refresh xoxe-1-abc rotated xoxe.xoxp-1-abc graph Abc8Q~abcdefghijklmnopqrstuvwxyz0123456789';
    expect(findLeaks(text, []).map((leak) => leak.kind)).toEqual([
      'Slack token',
      'Slack token',
      'Slack token',
      'Slack token',
      'Slack token',
      'Graph client secret',
    ]);
  });

  it('finds a known secret value, hinting at it by its first characters and length only', () => {
    const [leak] = findLeaks(`signed with ${SIGNING_SECRET}`, [SIGNING_SECRET]);
    expect(leak).toEqual({ kind: 'secret used by the tests', hint: `test-… (${SIGNING_SECRET.length} characters)` });
  });
});

describe('secretsInTestSources', () => {
  it('knows the signing secret of the Slack harness and the fake Graph client secret, not variable names or prose', async () => {
    const graph = await FakeGraph.start();
    const secrets = secretsInTestSources(TEST_DIR);
    await graph.stop();
    expect(secrets).toEqual(expect.arrayContaining([SIGNING_SECRET, graph.clientSecret, 'a-wrong-secret-value']));
    expect(secrets).not.toContain('GRAPH_CLIENT_SECRET');
    expect(secrets.some((s) => /\s/.test(s))).toBe(false);
  });
});

describe('scanOutputDir', () => {
  it('reports leaks planted through the recorder, by test file, test, place and kind; a clean record passes', () => {
    let test = 'a clean test';
    startSuiteOutput(sandbox, () => ({ file: PLANTED_FILE, test }));
    recordOutput('log', '2026-11-27T12:00:00.000Z INFO [mfa-bot] answered /mfa summary 7d for +X XXXXXXXX64');
    expect(scanOutputDir(sandbox, [])).toEqual([]);

    test = 'a leaky test';
    recordOutput('slack chat.postMessage', 'Call +1 (425) 555-0164 about it');
    recordSlackCall(
      { kind: 'respond', method: 'respond', status: 200, body: { text: 'ok', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'token xoxb-planted-token' } }] } },
      () => [],
    );
    recordSlackCall({ kind: 'upload', method: 'upload', id: 'F1', status: 200, body: { filename: 'report.csv' } }, () => [
      { id: 'F1', filename: 'report.csv', bytes: Buffer.from('upn,phone\nalice@contoso.com,+44 20 7946 0958\n') },
    ]);
    recordSecret('planted-runtime-secret');
    createLogger({ sink: () => {} }).info('the secret is planted-runtime-secret'); // not redacted: the logger was not told
    const findings = scanOutputDir(sandbox, []);

    expect(findings.map((f) => [f.outputFile, f.test, f.source, f.kind])).toEqual([
      ['test__planted__leaky.test.ts.ndjson', 'a leaky test', 'slack chat.postMessage', 'unscrubbed phone number'],
      ['test__planted__leaky.test.ts.ndjson', 'a leaky test', 'slack response_url', 'Slack token'],
      ['test__planted__leaky.test.ts.ndjson', 'a leaky test', 'slack file report.csv', 'unscrubbed phone number'],
      ['test__planted__leaky.test.ts.ndjson', 'a leaky test', 'log', 'secret used by the tests'],
    ]);
    const report = describeFindings(findings, sandbox);
    expect(report).toContain('test/planted/leaky.test.ts › a leaky test — Slack token in slack response_url: xoxb-… (18 characters)');
    expect(report).not.toContain('xoxb-planted-token');
    expect(report).not.toContain('planted-runtime-secret');
    expect(report).not.toContain('555-0164');
  });
});
