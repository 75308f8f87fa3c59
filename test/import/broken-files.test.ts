// Bad input: a broken record is quarantined with file:line (or file:record N) and its reason while
// the good records of the same file load; a file that is no known export is refused and leaves the
// store untouched. A file in an unexpected encoding is read when its encoding can be told, and a
// line that is not text in it (another encoding, binary data) is quarantined, never misread.
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

const BLOCKED_HEADER = 'Username,Action,Reason,Blocked By,Date/Time\n';
const blockedRow = (upn: string, reason: string, day: number) => `${upn},Blocked,${reason},admin@contoso.com,2024-08-${String(day).padStart(2, '0')} 10:00:00\n`;
const signinLine = (id: string, name: string) =>
  `${JSON.stringify({ id, createdDateTime: '2025-07-01T06:00:00Z', userPrincipalName: `${id}@contoso.com`, userDisplayName: name, appDisplayName: 'Office 365', status: { errorCode: 0 } })}\n`;
/** More than the 64 kB from which a file's encoding is judged. */
const padding = (prefix: string, n: number, row: (id: string, i: number) => string) => Array.from({ length: n }, (_, i) => row(`${prefix}${i}`, i)).join('');

async function blockReasons(prefix: string) {
  return store.rows<{ upn: string; reason: string }>(sql`select upn, reason from mfa_block_events where upn like ${`${prefix}%`} order by upn`);
}
async function signinCount(prefix: string) {
  const [row] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins where id like ${`${prefix}%`}`);
  return row!.n;
}

describe('wrong encodings', () => {
  it('reads UTF-16 without a byte-order mark, little- and big-endian, losing nothing', async () => {
    const csv = join(temp.path, 'utf16le-no-bom.csv');
    await writeFile(csv, Buffer.from(BLOCKED_HEADER + blockedRow('u16-zoë@contoso.com', 'Zoë lost her phone', 1) + blockedRow('u16-amy@contoso.com', 'Stolen', 2), 'utf16le'));
    expect(await importFile(store, csv)).toMatchObject({ status: 'imported', format: 'MFA Server blocked user history CSV', inserted: 2, quarantined: 0 });
    expect(await blockReasons('u16-')).toEqual([
      { upn: 'u16-amy@contoso.com', reason: 'Stolen' },
      { upn: 'u16-zoë@contoso.com', reason: 'Zoë lost her phone' },
    ]);

    const ndjson = join(temp.path, 'utf16be-no-bom.ndjson');
    const le = Buffer.from(signinLine('u16be-1', 'Zoë') + signinLine('u16be-2', 'Amy'), 'utf16le');
    await writeFile(ndjson, le.swap16());
    expect(await importFile(store, ndjson)).toMatchObject({ status: 'imported', format: 'NDJSON', inserted: 2, quarantined: 0 });
    expect(await store.rows(sql`select user_display_name from signins where id like 'u16be-%' order by id`)).toEqual([{ user_display_name: 'Zoë' }, { user_display_name: 'Amy' }]);
  });

  it('quarantines a Latin-1 line of a UTF-8 CSV by line and reason, keeping the UTF-8 rows as they are', async () => {
    const file = join(temp.path, 'mixed-encoding.csv');
    await writeFile(
      file,
      Buffer.concat([
        Buffer.from(BLOCKED_HEADER + blockedRow('mix-zoë@contoso.com', 'Telefon in München verloren', 1)),
        Buffer.from(blockedRow('mix-jörg@contoso.com', 'Müller hat angerufen', 2), 'latin1'),
        Buffer.from(blockedRow('mix-amy@contoso.com', 'Stolen', 3)),
      ]),
    );
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', inserted: 2, quarantined: 1 });
    expect(await blockReasons('mix-')).toEqual([
      { upn: 'mix-amy@contoso.com', reason: 'Stolen' },
      { upn: 'mix-zoë@contoso.com', reason: 'Telefon in München verloren' },
    ]);
    const [entry] = await quarantined('import:mixed-encoding.csv');
    expect(entry).toMatchObject({ locator: `${file}:3`, reason: 'bytes that are not valid UTF-8 (shown as "\uFFFD"), in a file read as UTF-8: save the export as UTF-8' });
    expect(entry!.raw).toContain('mix-j\uFFFDrg@contoso.com');
  });

  it('quarantines a Latin-1 line far into a UTF-8 NDJSON export, loading every other line', async () => {
    const file = join(temp.path, 'late-latin1.ndjson');
    const before = padding('late-', 400, (id) => signinLine(id, 'Zoë'));
    await writeFile(file, Buffer.concat([Buffer.from(before), Buffer.from(signinLine('late-x', 'Jörg'), 'latin1'), Buffer.from(signinLine('late-y', 'Amy'))]));
    expect(Buffer.byteLength(before)).toBeGreaterThan(64 * 1024);
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', inserted: 401, quarantined: 1 });
    expect(result.samples).toEqual([{ locator: `${file}:401`, reason: expect.stringMatching(/^bytes that are not valid UTF-8/) }]);
    expect(await signinCount('late-')).toBe(401);
    expect(await store.rows(sql`select distinct user_display_name from signins where id like 'late-%' and id <> 'late-y'`)).toEqual([{ user_display_name: 'Zoë' }]);
  });
});

describe('binary data inside a text export', () => {
  it('quarantines a CSV row holding NUL bytes past the first 64 kB, loading the rows around it', async () => {
    const file = join(temp.path, 'nul-row.csv');
    const before = padding('nul-', 1300, (upn, i) => blockedRow(`${upn}@contoso.com`, 'Padding', 1 + (i % 28)));
    await writeFile(
      file,
      Buffer.concat([Buffer.from(BLOCKED_HEADER + before), Buffer.from('nul-x@contoso.com,Blocked,\u0000\u0000\u0001\u00ff,admin@contoso.com,2024-08-02 10:00:00\n'), Buffer.from(blockedRow('nul-y@contoso.com', 'After', 3))]),
    );
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', inserted: 1301, quarantined: 1 });
    expect(result.samples).toEqual([{ locator: `${file}:1302`, reason: 'a NUL character (binary data), which is not text' }]);
    expect((await blockReasons('nul-')).length).toBe(1301);
    const [entry] = await quarantined('import:nul-row.csv');
    expect(entry!.raw).toContain('nul-x@contoso.com,Blocked,\u2400\u2400');
  });

  it('quarantines an NDJSON record carrying a \\u0000 escape, which the store cannot hold', async () => {
    const file = join(temp.path, 'nul-escape.ndjson');
    await writeFile(file, signinLine('esc-1', 'Amy') + signinLine('esc-2', 'Bad\u0000Name') + signinLine('esc-3', 'Cy'));
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', inserted: 2, quarantined: 1 });
    expect(result.samples).toEqual([{ locator: `${file}:2`, reason: 'a NUL character (binary data), which is not text' }]);
    expect(await signinCount('esc-')).toBe(2);
  });

  it('loads a record whose text holds a backslash before u0000: an escaped backslash, not a NUL', async () => {
    const file = join(temp.path, 'backslash-u0000.ndjson');
    await writeFile(file, signinLine('bsl-1', 'C:\\u0000\\share'));
    expect(await importFile(store, file)).toMatchObject({ status: 'imported', inserted: 1, quarantined: 0 });
    expect(await signinCount('bsl-')).toBe(1);
  });
});

describe('truncated NDJSON', () => {
  it('quarantines the line the file ends inside, keeping every complete line', async () => {
    const file = join(temp.path, 'cut.ndjson');
    const whole = signinLine('cut-1', 'Amy') + signinLine('cut-2', 'Bo') + signinLine('cut-3', 'Cy');
    await writeFile(file, whole.slice(0, whole.length - 40));
    const result = await importFile(store, file);
    expect(result).toMatchObject({ status: 'imported', inserted: 2, quarantined: 1 });
    expect(result.samples).toEqual([{ locator: `${file}:3`, reason: expect.stringMatching(/^not valid JSON: /) }]);
    expect(await signinCount('cut-')).toBe(2);
  });
});
