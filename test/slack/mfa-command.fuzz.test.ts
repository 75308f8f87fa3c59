// /mfa under random and near-valid input, through the real path (signed HTTP requests into the
// Bolt app, a real store, the local Slack stand-in). Every input is checked for three things:
// 1. the bot does not fail: HTTP 200, an answer, no ERROR log line, an audit row;
// 2. the answer is a message Slack accepts (test/support/block-kit-limits.ts), and an answer to
//    bad input says what was wrong and what is expected;
// 3. it shows no one's data by accident: a seeded user's UPN, name, id or sign-in ids appear only
//    when a word of the command names that user (part of the UPN or display name, any case; the
//    exact id for `signin`), so LIKE wildcards, SQL and near-misses find nobody.
//
// CI runs FUZZ_RUNS inputs (600 by default, ~10 s a store) from a fixed seed; the full run is
//   FUZZ_RUNS=10000 npx vitest run test/slack/mfa-command.fuzz.test.ts
// (with DATABASE_URL=postgres://… for the Postgres store too). A failure prints its seed and
// path; FUZZ_SEED=<seed> reproduces it, and FUZZ_SHRINK=1 has fast-check shrink it to a small input.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenize } from '../../commands/index.js';
import { ingestRegistrations, ingestRiskDetections } from '../../src/ingest/ingest-records.js';
import { scrubPhoneNumbers } from '../../src/ingest/scrub.js';
import { contentKey, writeBlockEvents, writeBypassEvents } from '../../src/ingest/write-legacy.js';
import { isPeriodLike } from '../../src/time/period.js';
import { escapeMrkdwn } from '../../src/views/blocks.js';
import { decodePagerValue } from '../../src/views/pager.js';
import { blockKitProblems } from '../support/block-kit-limits.js';
import { loadSignins, pushRegistration, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { buttonsOf, startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
const NOW = new Date('2026-11-27T12:30:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000);

// ── The seeded users: every identifier is distinctive, lowercase-comparable and digit-free (the
// reply scrubs digit runs that look like phone numbers, which would hide an id from the scan).
interface Person {
  upn: string;
  name: string;
  userId: string;
  signinIds: string[];
  /** In the registration details (the directory), or only seen in sign-ins. */
  inDirectory: boolean;
}

const PEOPLE: Person[] = [
  { upn: 'Quinta.Hollis@northwind.test', name: 'Quinta Hollis', userId: 'uid-quinta-hollis', signinIds: ['sid-quinta-alpha', 'sid-quinta-bravo', 'sid-quinta-charlie'], inDirectory: true },
  { upn: 'ravi.okonkwo@northwind.test', name: 'Ravi Okonkwo', userId: 'uid-ravi-okonkwo', signinIds: ['sid-ravi-delta', 'sid-ravi-echo'], inDirectory: true },
  { upn: 'zoe.angstrom@northwind.test', name: 'Zoë Ångström', userId: 'uid-zoe-angstrom', signinIds: ['sid-zoe-foxtrot'], inDirectory: true },
  // A literal underscore: `_` typed as a LIKE wildcard must not make `ian.moss` or `ianxmoss` match.
  { upn: 'ian_moss@northwind.test', name: 'Ian Moss', userId: 'uid-ian-moss', signinIds: ['sid-ian-golf', 'sid-ian-hotel'], inDirectory: true },
  // Only in the sign-ins (a guest the directory does not list); Graph gives the UPN's first part as the name.
  { upn: 'wendell.pryce@fabrikam.test', name: 'wendell.pryce', userId: 'uid-wendell-pryce', signinIds: ['sid-wendell-india'], inDirectory: false },
];

const push = (succeeded: boolean) => ({
  method: 'Mobile app notification',
  succeeded,
  detail: succeeded ? 'MFA successfully completed' : 'MFA denied; user declined the authentication',
});

/** Sign-ins spread over the last three weeks, one in three denied, so every report has rows. */
function signinsOf(person: Person, index: number): SigninSpec[] {
  return person.signinIds.map((id, j) => {
    const denied = (index + j) % 3 === 2;
    return {
      id,
      at: ago(3 + 20 * index + 100 * j),
      upn: person.upn.toLowerCase(),
      userId: person.userId,
      mfa: push(!denied),
      ...(denied ? { errorCode: 500121 } : {}),
    };
  });
}

async function seed(store: TestStore): Promise<void> {
  await ingestRegistrations(store, PEOPLE.filter((p) => p.inDirectory).map((p) => pushRegistration(p.upn, p.name, p.userId)), 'graph');
  await loadSignins(store, PEOPLE.flatMap(signinsOf));
  const at = (hours: number) => ago(hours);
  await writeBlockEvents(
    store,
    PEOPLE.slice(0, 3).map((p, i) => ({
      dedupeKey: contentKey('block', p.upn, 'block', at(30 + i)),
      upn: p.upn,
      action: 'block',
      reason: 'Lost phone',
      actor: 'helpdesk@northwind.test',
      occurredAt: at(30 + i),
      source: 'import:mfa-server-csv',
    })),
  );
  await writeBypassEvents(
    store,
    PEOPLE.slice(1, 4).map((p, i) => ({
      dedupeKey: contentKey('bypass', p.upn, at(40 + i)),
      upn: p.upn,
      seconds: 300,
      reason: 'New phone setup',
      actor: 'helpdesk@northwind.test',
      occurredAt: at(40 + i),
      expiresAt: new Date(at(40 + i).getTime() + 300_000),
      source: 'import:mfa-server-csv',
    })),
  );
  await ingestRiskDetections(
    store,
    [PEOPLE[0]!, PEOPLE[3]!].map((p, i) => ({
      id: `rd-${p.userId}`,
      riskEventType: 'userReportedSuspiciousActivity',
      riskLevel: 'high',
      riskState: 'atRisk',
      source: 'EndUserReported',
      userId: p.userId,
      userPrincipalName: p.upn,
      ipAddress: '198.51.100.7',
      location: { city: 'Lisbon', countryOrRegion: 'PT' },
      correlationId: `corr-fraud-${p.userId}`,
      activityDateTime: ago(50 + i).toISOString(),
      detectedDateTime: ago(50 + i).toISOString(),
    })),
  );
}

// ── Generators ──────────────────────────────────────────────────────────────────────────────────

const SUBCOMMANDS = ['summary', 'trend', 'user', 'signin', 'failures', 'methods', 'ca', 'usage', 'registered', 'unregistered', 'fraud', 'blocked', 'bypassed', 'onprem', 'servers', 'help'];
/** The subcommands whose argument is a user; their answers may show only the user named. */
const USER_SCOPED = new Set(['user', 'usage', 'trend', 'blocked', 'bypassed']);

const HOSTILE = [
  "'; DROP TABLE signins; --",
  "' OR '1'='1",
  '" OR ""="',
  "1; SELECT pg_sleep(10)",
  "'); DELETE FROM user_registrations WHERE ('1'='1",
  '%',
  '%%',
  '_',
  '%_%',
  '%a%',
  '\\%',
  '\\_',
  "E'\\\\x00'",
  "E'\\x00'",
  '$1',
  '$1::text',
  '$$ $$',
  '\\',
  '\\\\',
  '\\0',
  '`',
  '``',
  '*bold*',
  '_italic_',
  '<@U123>',
  '<!channel>',
  '<https://example.test|click>',
  '&amp;',
  '&lt;&gt;',
  '{"t":"summary","o":0}',
  'null',
  'undefined',
  'NaN',
  '-1',
  '9'.repeat(400),
  'public',
  'PUBLIC',
  '--all',
  '"',
  '“',
  '”',
  '""',
  '“”',
];
const UNICODE = [
  '\u200B', // zero-width space
  '\u200D', // zero-width joiner
  '\uFEFF', // byte-order mark
  '\u202E', // right-to-left override
  '\u200F', // right-to-left mark
  '\u2066\u2069', // isolates
  'e\u0301\u0302\u0303\u0304', // stacked combining marks
  '\u0301',
  'مرحبا',
  'שלום',
  '用户',
  'İstanbul',
  'ß',
  'ﬃ',
  '𝔘𝔰𝔢𝔯',
  '😀',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '\u{10FFFF}',
  '\uFFFD',
  '\u2028',
  '\u3000',
  '\u00A0',
];
const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u000B', '\f', '\u001B', '\u007F', '\u0085', '\u009B'];

const piece = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.constantFrom(...UNICODE),
  fc.constantFrom(...CONTROL),
  fc.constantFrom(...SUBCOMMANDS),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Junk: pieces glued together or spaced, quoted or not. */
const junk = fc
  .tuple(fc.array(piece, { minLength: 1, maxLength: 6 }), fc.constantFrom('', ' ', '  ', '\t'), fc.constantFrom('', '"', '“'))
  .map(([parts, glue, quote]) => `${quote}${parts.join(glue)}${quote === '“' ? '”' : quote}`);

const randomCase = (text: string) =>
  fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flips) => [...text].map((c, i) => (flips[i] ? c.toUpperCase() : c)).join(''));

const validPeriod = fc.constantFrom('24h', '7d', '30d', '1h', '800d', '19200h', 'today', 'yesterday', '2026-11-01..2026-11-07', '2026-11-27', '2024-09-01..2026-11-01');
const isoDay = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const period = fc.oneof(
  { weight: 6, arbitrary: validPeriod.chain(randomCase) },
  fc.constantFrom('0d', '0h', '801d', '19201h', '99999999999999999999999999d', '007d', '7days', '7 d', '-7d', '+7d', '7.5d', '1e3d', '7w', '7m', '7y', 'tomorrow', 'last week'),
  fc.constantFrom('2026-02-29', '2024-02-29', '2026-13-01', '2026-00-10', '2026-11-31', '2026-11-07..2026-11-01', '2026-11-01..', '..2026-11-01', '2026-11-01...2026-11-07', '2026-11-01..2026-11-07..2026-11-09', '0000-01-01', '9999-12-31', '2027-01-01'),
  fc.tuple(fc.nat({ max: 100_000 }), fc.constantFrom('h', 'd', 'H', 'D')).map(([n, unit]) => `${n}${unit}`),
  fc.tuple(isoDay, isoDay).map(([a, b]) => `${a}..${b}`),
  isoDay,
  fc.tuple(validPeriod, piece).map(([p, extra]) => `${p}${extra}`),
);

/** What an admin might type for a user: a seeded one exactly or in part, a near miss, or junk. */
const userText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PEOPLE.flatMap((p) => [p.upn, p.name, p.userId, ...p.signinIds])).chain(randomCase) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(...PEOPLE.flatMap((p) => [p.upn, p.name])).chain((text) =>
      fc.tuple(fc.nat({ max: text.length - 1 }), fc.integer({ min: 1, max: text.length })).map(([start, len]) => text.slice(start, start + len)),
    ),
  },
  // A near miss: one character swapped for a LIKE wildcard or another, or some added around.
  {
    weight: 3,
    arbitrary: fc.constantFrom(...PEOPLE.flatMap((p) => [p.upn, p.name])).chain((text) =>
      fc
        .tuple(fc.nat({ max: text.length - 1 }), fc.constantFrom('%', '_', '*', '?', '.', '\\', "'", 'x'), fc.constantFrom('replace', 'before', 'after', 'wrap'))
        .map(([at, wild, how]) =>
          how === 'replace' ? `${text.slice(0, at)}${wild}${text.slice(at + 1)}` : how === 'before' ? `${wild}${text}` : how === 'after' ? `${text}${wild}` : `${wild}${text}${wild}`,
        ),
    ),
  },
  { weight: 2, arbitrary: fc.constantFrom('%', '_', '%%', '%_%', '%@%', '_%', '%northwind%', 'quinta%', '%hollis', 'q_inta', 'ian%moss', 'ian.moss', 'ianxmoss', 'i_n_moss') },
  fc.constantFrom(...HOSTILE),
  junk,
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
);

const quoted = (text: string) => fc.constantFrom(text, `"${text}"`, `“${text}”`);

const signinId = fc.oneof(
  fc.constantFrom(...PEOPLE.flatMap((p) => p.signinIds)).chain(randomCase),
  fc.constantFrom(...PEOPLE.flatMap((p) => p.signinIds)).chain((id) =>
    fc.constantFrom(id.slice(0, -1), `${id}x`, `x${id}`, `${id}%`, `%${id.slice(4)}`, id.replace('-', '_'), `${id.slice(0, 6)}%`, `${id} `, ` ${id}`),
  ),
  fc.uuid(),
  fc.stringMatching(/^[A-Za-z0-9-]{1,101}$/),
  fc.constantFrom('%', '_', 'sid-%', 'sid-_uinta-alpha', "sid' OR '1'='1", '-', '--', 'a'.repeat(100), 'a'.repeat(101)),
  junk,
);

const flags = fc.constantFrom('--all', '--ALL', '-all', '—all', '--all --all', '--guests', 'all');

const user = userText.chain(quoted);
/** Present two times in three. */
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });
/** Present one time in five. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const words = (...parts: Array<string | undefined>) => parts.filter((p): p is string => p !== undefined);
const userAndPeriod = fc.oneof(
  fc.tuple(user, maybe(period)).map(([u, p]) => words(u, p)),
  fc.tuple(period, user).map(([p, u]) => [p, u]),
);

/** The arguments each subcommand takes (see commands/*.ts), in every form they can take. */
const ARGUMENTS: Record<string, fc.Arbitrary<string[]>> = {
  user: userAndPeriod,
  signin: signinId.map((id) => [id]),
  usage: fc.oneof(maybe(period).map((p) => words(p)), userAndPeriod),
  trend: fc.oneof(maybe(period).map((p) => words(p)), userAndPeriod),
  blocked: fc.oneof(maybe(period).map((p) => words(p)), userAndPeriod),
  bypassed: fc.oneof(maybe(period).map((p) => words(p)), userAndPeriod),
  registered: maybe(flags).map((f) => words(f)),
  unregistered: maybe(flags).map((f) => words(f)),
  servers: fc.constant([]),
  help: maybe(fc.oneof(fc.constantFrom(...SUBCOMMANDS).chain(randomCase), junk)).map((t) => words(t)),
};
const periodOnly = maybe(period).map((p) => words(p));

/** Any subcommand's arguments, for the wrong subcommand. */
const someArguments = fc.constantFrom(...SUBCOMMANDS).chain((name) => ARGUMENTS[name] ?? periodOnly);

/**
 * A subcommand (any case, sometimes mistyped) with its own arguments or another's, sometimes one
 * word of junk too many, sometimes `public`.
 */
const nearValid = fc
  .tuple(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...SUBCOMMANDS) },
      { weight: 1, arbitrary: fc.constantFrom('sumary', 'usr', 'signins', 'failure', 'trends', 'blocks', 'bypass', 'registerd', 'servers2', 'helpme', '/mfa', 'mfa') },
    ),
    fc.nat({ max: 4 }),
    rarely(fc.oneof(junk, period, userText)),
    rarely(fc.constantFrom('public', 'PUBLIC', 'Public')),
    fc.constantFrom(' ', ' ', ' ', '  ', '\t', '\u00A0', '\u3000'),
  )
  .chain(([name, mismatch, extra, visibility, space]) =>
    fc
      .tuple(randomCase(name), mismatch === 0 ? someArguments : (ARGUMENTS[name] ?? periodOnly))
      .map(([typed, args]) => [typed, ...args, ...words(extra === undefined ? undefined : extra, visibility)].join(space)),
  );

/** Anything at all: text of every kind of character, long pastes, controls. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 600 }),
  fc.string({ unit: 'binary', maxLength: 600 }),
  fc.string({ unit: 'binary-ascii', maxLength: 600 }),
  fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(' ')),
  fc.array(piece, { maxLength: 40 }).map((parts) => parts.join('')),
  // 10 kB pastes, plain or of the worst characters.
  fc.tuple(fc.constantFrom('summary ', 'user ', 'signin ', ''), fc.constantFrom('x', '%', "'", '\\', '\u0000', '😀', 'e\u0301', '\u202E', ' '), fc.integer({ min: 400, max: 10_240 })).map(
    ([prefix, unit, length]) => `${prefix}${unit.repeat(Math.ceil(length / unit.length))}`,
  ),
);

const command = fc.oneof({ weight: 4, arbitrary: nearValid }, { weight: 1, arbitrary: anyText });

// ── The oracles ─────────────────────────────────────────────────────────────────────────────────

/** Every string in a reply: block texts, fields, button labels and values, the fallback text. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsOf);
  return [];
}

/** The forms in which a reply may repeat a typed word (clipped, escaped, backticks turned to quotes, as an example UPN). */
function echoesOf(word: string): string[] {
  const forms = new Set<string>();
  for (const base of [word, word.replace(/`/g, "'"), word.trim().toLowerCase().replace(/\s+/g, '.')]) {
    for (const cut of [base, base.slice(0, 39), base.slice(0, 40), base.slice(0, 100)]) {
      for (const form of [cut, escapeMrkdwn(cut)]) forms.add(scrubPhoneNumbers(form).toLowerCase());
    }
  }
  return [...forms].filter((form) => form.length > 0).sort((a, b) => b.length - a.length);
}

interface Scope {
  subcommand: string;
  /** The words that may name a user (or, for signin, a sign-in id). */
  words: string[];
  /** A report about the whole tenant (no user named): everyone's data may be in it. */
  tenantWide: boolean;
}

/** What the command asks about, read with the documented normalisation (tokenize, `public` last, periods apart). */
function scopeOf(text: string): Scope {
  const tokens = tokenize(text);
  if (tokens.length > 1 && tokens[tokens.length - 1]!.toLowerCase() === 'public') tokens.pop();
  const subcommand = (tokens[0] ?? 'help').toLowerCase();
  const words = tokens.slice(1).filter((w) => subcommand === 'signin' || !isPeriodLike(w));
  const tenantWide = words.length === 0 ? subcommand !== 'user' && subcommand !== 'signin' : !USER_SCOPED.has(subcommand) && subcommand !== 'signin';
  return { subcommand, words, tenantWide };
}

/** Whether the command's words name `person` (so their data may be shown). */
function names(scope: Scope, person: Person): boolean {
  if (scope.subcommand === 'signin') return scope.words.some((w) => person.signinIds.includes(w.toLowerCase()));
  return scope.words.some((w) => {
    const q = w.trim().toLowerCase();
    return q !== '' && (person.upn.toLowerCase().includes(q) || person.name.toLowerCase().includes(q));
  });
}

/** Where `needle` occurs in `haystack`, as [start, end) ranges. */
function occurrences(haystack: string, needle: string): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) found.push([at, at + needle.length]);
  return found;
}

/**
 * The seeded people whose identifiers the reply shows. An identifier inside a repeat of a typed
 * word is an echo, not a leak; one anywhere else counts (a short echo such as `_` cannot hide
 * the `ian_moss@…` around it).
 */
function peopleShown(reply: unknown, text: string): Person[] {
  const echoes = tokenize(text).flatMap(echoesOf);
  const strings = stringsOf(reply).map((s) => s.toLowerCase());
  const shows = (identifier: string) =>
    strings.some((s) => {
      const echoed = echoes.flatMap((echo) => occurrences(s, echo));
      return occurrences(s, identifier.toLowerCase()).some(([start, end]) => !echoed.some(([from, to]) => from <= start && end <= to));
    });
  return PEOPLE.filter((p) => [p.upn, p.name, p.userId, ...p.signinIds].some(shows));
}

// ── The run ─────────────────────────────────────────────────────────────────────────────────────

let store: TestStore;
let harness: Harness;

beforeAll(async () => {
  store = await openTestStore();
  await seed(store);
  harness = await startHarness({ store, now: () => NOW, timeZone: 'America/St_Johns' });
});

afterAll(async () => {
  await harness?.close();
  await store?.close();
});

interface Checked {
  outcome: string;
  shown: Person[];
  text: string;
}

/** Sends one command and checks the three properties; returns what it saw for the tallies. */
async function check(text: string): Promise<Checked> {
  harness.api.reset();
  const logFrom = harness.logLines.length;
  const audited = async () =>
    (await store.rows<{ rows: number; outcome: string }>(sql`SELECT count(*)::int AS "rows", (SELECT outcome FROM query_audit ORDER BY id DESC LIMIT 1) AS "outcome" FROM query_audit`))[0]!;
  const before = await audited();
  const { status, reply } = await harness.command(text);
  expect(status, 'HTTP status').toBe(200);
  expect(reply, 'a reply').not.toBeNull();
  const audit = await audited();
  expect(audit.rows - before.rows, 'one audit row per command').toBe(1);
  const outcome = audit.outcome;

  // 1. nothing failed
  expect(['answered', 'usage_error'], `outcome of ${JSON.stringify(text.slice(0, 200))}`).toContain(outcome);
  if (replyText(reply).includes(':bar_chart:')) await harness.api.waitFor('files.completeUploadExternal', 10_000);
  const errors = harness.logLines.slice(logFrom).filter((line) => / (ERROR|WARN) /.test(line));
  expect(errors, 'error and warning log lines').toEqual([]);

  // 2. a message Slack takes; bad input named, ephemeral
  expect(blockKitProblems(reply!), 'Block Kit limits').toEqual([]);
  const plain = replyText(reply);
  if (outcome === 'usage_error') {
    expect(reply!.response_type, 'a usage error is shown only to its asker').toBe('ephemeral');
    expect(plain, 'a usage error names what was wrong').toMatch(WHAT_WAS_WRONG);
    expect(plain, 'a usage error says what is expected').toMatch(WHAT_IS_EXPECTED);
    // Typed text is shown inside `code`: a backtick in it must not end the span early.
    for (const line of plain.split('\n')) expect(line.split('`').length % 2, `backticks in pairs: ${line.slice(0, 120)}`).toBe(1);
  }

  for (const button of buttonsOf(reply)) {
    expect(decodePagerValue(button.value), `the ${button.text} button carries a command it can re-run`).not.toBeNull();
  }

  // 3. nobody's data by accident
  const scope = scopeOf(text);
  const shown = peopleShown(reply, text);
  if (!(scope.tenantWide && outcome === 'answered')) {
    const unnamed = shown.filter((p) => !names(scope, p)).map((p) => p.upn);
    expect(unnamed, `users shown but not named by ${JSON.stringify(scope.words)}`).toEqual([]);
  }
  return { outcome, shown, text: plain };
}

/** Every kind of usage error the commands give: each names what was wrong (a new kind must be added here). */
const WHAT_WAS_WRONG = /I don't know `|is not a (period|sign-in id|date)|takes (one|a|no)|say which|characters long|the only option|No user matches `|matches [\d,]+ users|No sign-in with id `/;
/** …and points at what works: a usage line, an example, or the list of what can be asked. */
const WHAT_IS_EXPECTED = /Usage: `\/mfa |e\.g\.[^`\n]*`|Try |What you can ask|Copy an id from/;

describe('/mfa under random input (property-based)', () => {
  it('the limit check catches what Slack refuses', () => {
    expect(blockKitProblems({ text: 'ok', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] })).toEqual([
      'blocks[0].text.text: 3001 characters, at most 3000',
    ]);
    expect(blockKitProblems({ text: 'ok', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) })).toEqual(['blocks: 51, at most 50']);
    expect(blockKitProblems({ text: '\uD83D', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: '' } }, { type: 'image' }] })).toEqual([
      'text: half of a surrogate pair (text cut inside a character)',
      'blocks[0].text: a mrkdwn text object, Slack wants plain_text',
      'blocks[0].text.text: empty',
      'blocks[1]: block type image is not checked by this test (add its limits here)',
    ]);
  });

  it('the leak check sees a seeded user and ignores an echo', async () => {
    const quinta = await check('user quinta.hollis@northwind.test');
    expect(quinta.shown.map((p) => p.upn)).toEqual(['Quinta.Hollis@northwind.test']);
    expect(quinta.text).toContain('sid-quinta-alpha');
    expect(scopeOf('user quinta.hollis@northwind.test').words).toEqual(['quinta.hollis@northwind.test']);
    const miss = await check('user xquinta.hollis@northwind.testx');
    expect(miss.outcome).toBe('usage_error');
    expect(miss.text).toContain('xquinta.hollis@northwind.testx');
    expect(miss.shown).toEqual([]);
  });

  it('takes LIKE wildcards and near misses literally: they name nobody', async () => {
    for (const subcommand of [...USER_SCOPED]) {
      for (const typed of ['%', '%%', '%_%', '%@%', 'q_inta', 'quinta%', '%hollis', 'ian%moss', 'i_n_moss', 'ian.moss', '%northwind%', "quinta' OR '1'='1"]) {
        const seen = await check(`${subcommand} "${typed}" 30d`);
        expect(seen.outcome, `${subcommand} ${typed}`).toBe('usage_error');
        expect(seen.shown, `${subcommand} ${typed}`).toEqual([]);
      }
      // An underscore is a character like any other: it finds the one UPN that has one.
      const underscore = await check(`${subcommand} _ 30d`);
      expect(underscore.outcome, subcommand).toBe('answered');
      expect(underscore.shown.map((p) => p.upn), subcommand).toEqual(['ian_moss@northwind.test']);
    }
    for (const id of ['%', '_', 'sid-%', 'sid-_uinta-alpha', 'sid-quinta-alph']) {
      const seen = await check(`signin ${id}`);
      expect(seen.outcome, id).toBe('usage_error');
      expect(seen.shown, id).toEqual([]);
    }
  });

  it('cuts typed text it repeats between characters, never inside an emoji', async () => {
    // The 40th UTF-16 unit is the first half of an emoji: a cut there left half a character,
    // which cannot be sent as UTF-8 (found by the property below).
    const typed = `x${'😀'.repeat(30)}`;
    for (const text of [typed, `help ${typed}`, `summary ${typed}`, `signin ${typed}`, `user ${typed}`, `trend ${typed}`, `usage ${typed}`, `blocked ${typed}`]) {
      const { reply } = await harness.command(text);
      expect(blockKitProblems(reply!), text.slice(0, 12)).toEqual([]);
      expect(replyText(reply), text.slice(0, 12)).toContain(`x${'😀'.repeat(19)}…`);
    }
  });

  it(`never fails, answers within Block Kit limits and shows no one unnamed (${RUNS} inputs, seed ${SEED})`, { timeout: Math.max(60_000, RUNS * 200) }, async () => {
    const tally = { runs: 0, answered: 0, usageErrors: 0, shownNamed: 0 };
    const outcomes = new Map<string, number>();
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(command, async (text) => {
        const seen = await check(text);
        tally.runs += 1;
        if (seen.outcome === 'answered') tally.answered += 1;
        else tally.usageErrors += 1;
        if (seen.shown.length > 0 && !scopeOf(text).tenantWide) tally.shownNamed += 1;
        const subcommand = scopeOf(text).subcommand;
        const key = `${SUBCOMMANDS.includes(subcommand) ? subcommand : '(unknown)'} ${seen.outcome}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FUZZ_SHRINK !== '1' },
    );
    const seconds = (Date.now() - started) / 1000;
    console.info(`fuzz: ${tally.runs} inputs in ${seconds.toFixed(1)} s (${((seconds * 1000) / tally.runs).toFixed(1)} ms each): ${JSON.stringify(tally)}`);
    console.info([...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join('; '));
    // The run exercised every path the properties talk about (a handful of inputs may not, by chance).
    if (RUNS >= 200) {
      expect(tally.answered).toBeGreaterThan(RUNS / 10);
      expect(tally.usageErrors).toBeGreaterThan(RUNS / 10);
      expect(tally.shownNamed).toBeGreaterThan(0);
    }
  });
});
