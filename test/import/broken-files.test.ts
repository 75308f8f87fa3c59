// Bad input: a broken record is quarantined with file:line (or file:record N) and its reason while
// the good records of the same file load; a file that is no known export is refused and leaves the
// store untouched.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_BEFORE_REFUSAL } from '../../src/import/graph-record-handler.js';
import { importFile } from '../../src/import/import-file.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { fixture, tempDir } from './fixtures.js';

let store: TestStore;
let temp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  store = await openTestStore();
  temp = await tempDir();
});
afterAll(async () => {
  await store?.close();
  await temp?.dispose();
});

async function quarantined(source: string) {
  return store.rows<{ locator: string; reason: string; raw: string }>(sql`select locator, reason, raw from quarantined_records where source = ${source} order by id`);
}

async function storeIsEmpty() {
  const [row] = await store.rows<{ n: number }>(sql`
    select (select count(*) from signins) + (select count(*) from mfa_block_events) + (select count(*) from quarantined_records)
         + (select count(*) from user_registrations) + (select count(*) from risk_detections) as n`);
  return Number(row!.n) === 0;
}

describe('refused files', () => {
  it('refuses a 0-byte file, a binary file, a directory and a missing file, writing nothing', async () => {
    const empty = join(temp.path, 'signins.json');
    await writeFile(empty, '');
    const binary = join(temp.path, 'export.csv');
    await writeFile(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0xff, 0xd8, 0x00, 0x10]));
    const expected: Array<[string, string]> = [
      [empty, 'the file is empty (0 bytes)'],
      [binary, 'binary data (it contains NUL bytes), not a text export'],
      [temp.path, 'it is a directory, not a file'],
      [join(temp.path, 'missing.json'), 'cannot read it: no such file'],
    ];
    for (const [file, reason] of expected) {
      const result = await importFile(store, file);
      expect({ status: result.status, refusal: result.refusal, format: result.format }).toEqual({ status: 'refused', refusal: reason, format: null });
    }
    expect(await storeIsEmpty()).toBe(true);
  });

  it('refuses JSON truncated before its first record, a CSV with unknown headers, and JSON of unknown records', async () => {
    const refusals = await Promise.all(['truncated-first.json', 'unknown-headers.csv', 'not-an-export.json'].map(async (name) => (await importFile(store, fixture(name))).refusal));
    expect(refusals).toEqual([
      'truncated JSON: the file ends inside its first record (line 1)',
      'a CSV whose header row is not one of a known export (found "Name", "Email", "Department")',
      `no record in it is a sign-in, registration, risk detection or directory audit (${fixture('not-an-export.json')}:record 1: not a sign-in, registration, risk detection or directory audit (it has no createdDateTime with a user/app/status, isMfaRegistered, riskEventType, or activityDisplayName and activityDateTime))`,
    ]);
    expect(await storeIsEmpty()).toBe(true);
  });

  it(`refuses a long file of unknown records after ${UNKNOWN_BEFORE_REFUSAL}, without quarantining them`, async () => {
    const file = join(temp.path, 'people.ndjson');
    await writeFile(file, Array.from({ length: 500 }, (_, i) => JSON.stringify({ name: `person ${i}` })).join('\n'));
    const result = await importFile(store, file);
    expect(result.status).toBe('refused');
    expect(result.refusal).toMatch(/^its first 100 records are none of the kinds accepted \(.*people\.ndjson:100: not a sign-in/);
    expect(await storeIsEmpty()).toBe(true);
  });

  it('refuses text that is not JSON although it starts like it', async () => {
    const file = join(temp.path, 'notes.json');
    await writeFile(file, '{ this is: not json }\n');
    expect((await importFile(store, file)).refusal).toBe('not valid JSON: unexpected "t" at line 1: expected a member name');
  });
});

describe('quarantined records in recognised files', () => {
  it('keeps the complete records of a truncated list response and quarantines the cut one', async () => {
    const file = fixture('truncated.json');
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', format: 'Graph JSON list response', inserted: 2, quarantined: 1 });
    expect(result.warnings).toEqual(['the file is truncated: it ends inside record 3, which was quarantined; the 2 records before it were read']);
    expect(await store.rows(sql`select id from signins where id like 'b-%' order by id`)).toEqual([{ id: 'b-1' }, { id: 'b-2' }]);
    const [entry] = await quarantined('import:truncated.json');
    expect(entry).toMatchObject({ locator: `${file}:record 3`, reason: 'truncated: the file ends inside this record' });
    expect(entry!.raw).toContain('"id": "b-3"');
  });

  it('quarantines a malformed NDJSON line, a zod failure and an unknown record by line, and loads the rest', async () => {
    const file = fixture('broken-line.ndjson');
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', format: 'NDJSON', inserted: 2, unchanged: 0, quarantined: 3 });
    expect(await store.rows(sql`select id from signins where id like 'n-%' order by id`)).toEqual([{ id: 'n-1' }, { id: 'n-4' }]);
    const entries = await quarantined('import:broken-line.ndjson');
    expect(entries.map((e) => [e.locator, e.reason])).toEqual([
      [`${file}:2`, expect.stringMatching(/^not valid JSON: /)],
      [`${file}:3`, 'invalid sign-in: createdDateTime: Invalid ISO datetime'],
      [`${file}:5`, expect.stringMatching(/^not a sign-in, registration, risk detection or directory audit/)],
    ]);
    expect(entries[0]!.raw).toBe('{"id":"n-2","createdDateTime":"2025-06-18T06:05:00Z","userPrincipalName":"rita@contoso.com",');
  });

  it('quarantines CSV rows with missing or extra columns, a bad date, an unknown action and an unclosed quote', async () => {
    const file = fixture('bad-columns.csv');
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', format: 'MFA Server blocked user history CSV', inserted: 2, quarantined: 5 });
    // Row 5 ends with a trailing comma: an empty extra field is harmless.
    expect(await store.rows(sql`select action, reason from mfa_block_events where upn = 'sam@contoso.com' order by occurred_at`)).toEqual([
      { action: 'block', reason: 'Too many prompts' },
      { action: 'unblock', reason: 'Resolved' },
    ]);
    expect((await quarantined('import:bad-columns.csv')).map((e) => [e.locator, e.reason])).toEqual([
      [`${file}:3`, 'expected 5 columns (as in the header), found 4'],
      [`${file}:4`, 'expected 5 columns (as in the header), found 6'],
      [`${file}:6`, 'unparsable date "the fifth of May"'],
      [`${file}:7`, 'action "Paused" is neither Blocked nor Unblocked'],
      [`${file}:8`, 'malformed CSV: Quote Not Closed: the parsing is finished with an opening quote at line 8'],
    ]);
  });

  it('stops at a structural break in a JSON array, keeping the records before it', async () => {
    const file = join(temp.path, 'broken-array.json');
    await writeFile(file, '[{"id":"x-1","createdDateTime":"2025-06-19T00:00:00Z","appDisplayName":"A"}]\n@@@ [{"id":"x-2"}]');
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', inserted: 1, quarantined: 1 });
    expect(result.samples).toEqual([{ locator: `${file}:line 2`, reason: 'the JSON breaks here (unexpected "@" at line 2: expected "[" or "{"); the rest of the file was not read' }]);
  });

  it('stops at a CSV record too large to be real (an unclosed quote early in a big file)', async () => {
    const file = join(temp.path, 'runaway.csv');
    const good = 'lee@contoso.com,Blocked,Lost phone,admin@contoso.com,2024-06-01 10:00:00\n';
    await writeFile(file, `Username,Action,Reason,Blocked By,Date/Time\n${good}"x,Blocked,${'a,b\n'.repeat(1_200_000)}`);
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', inserted: 1, quarantined: 1 });
    expect(result.warnings[0]).toMatch(/^reading stopped at line \d+: a record there is larger than 4 MB \(an unclosed quote\?\)$/);
  });
});
