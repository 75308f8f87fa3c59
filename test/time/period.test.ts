// Expected instants are written out by hand from the zones' rules (CET/CEST, EST/EDT, IST +05:30),
// never computed with the code under test.
import { describe, expect, it } from 'vitest';
import { parsePeriod, PeriodError, type Period } from '../../src/time/period.js';

const NOW = new Date('2026-11-27T10:30:00Z');
const HOUR = 3_600_000;

function expectPeriod(period: Period, from: string, to: string, label: string) {
  expect({ from: period.from.toISOString(), to: period.to.toISOString(), label: period.label }).toEqual({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    label,
  });
}

const hours = (period: Period) => (period.to.getTime() - period.from.getTime()) / HOUR;

function periodError(input: string, timeZone = 'UTC', now = NOW): PeriodError {
  try {
    parsePeriod(input, now, timeZone);
  } catch (error) {
    expect(error).toBeInstanceOf(PeriodError);
    return error as PeriodError;
  }
  throw new Error(`expected ${JSON.stringify(input.slice(0, 60))} to be rejected`);
}

const EXAMPLES = 'Try `24h`, `7d`, `30d`, `today`, `yesterday` or `2026-11-01..2026-11-07`.';

describe('parsePeriod relative periods', () => {
  it.each([
    ['24h', '2026-11-26T10:30:00Z', 'the last 24 hours'],
    ['1h', '2026-11-27T09:30:00Z', 'the last 1 hour'],
    ['7d', '2026-11-20T10:30:00Z', 'the last 7 days'],
    ['30d', '2026-10-28T10:30:00Z', 'the last 30 days'],
    ['1d', '2026-11-26T10:30:00Z', 'the last 1 day'],
  ])('%s ends now', (input, from, label) => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata']) {
      expectPeriod(parsePeriod(input, NOW, zone), from, '2026-11-27T10:30:00Z', label);
    }
  });

  it('defaults to the last 7 days', () => {
    expectPeriod(parsePeriod(undefined, NOW, 'UTC'), '2026-11-20T10:30:00Z', '2026-11-27T10:30:00Z', 'the last 7 days');
    expectPeriod(parsePeriod(undefined, NOW, 'Asia/Kolkata'), '2026-11-20T10:30:00Z', '2026-11-27T10:30:00Z', 'the last 7 days');
  });

  it('is case-insensitive and ignores surrounding spaces', () => {
    expectPeriod(parsePeriod('7D', NOW, 'UTC'), '2026-11-20T10:30:00Z', '2026-11-27T10:30:00Z', 'the last 7 days');
    expectPeriod(parsePeriod(' 24H ', NOW, 'UTC'), '2026-11-26T10:30:00Z', '2026-11-27T10:30:00Z', 'the last 24 hours');
    expectPeriod(parsePeriod('TODAY', NOW, 'UTC'), '2026-11-27T00:00:00Z', '2026-11-27T10:30:00Z', 'today');
    expectPeriod(parsePeriod('Yesterday', NOW, 'UTC'), '2026-11-26T00:00:00Z', '2026-11-27T00:00:00Z', 'yesterday (2026-11-26)');
  });

  it('counts elapsed hours across a DST change (24h is 24 real hours)', () => {
    const now = new Date('2026-03-29T12:00:00Z'); // Berlin switched to CEST at 01:00Z
    expectPeriod(parsePeriod('24h', now, 'Europe/Berlin'), '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z', 'the last 24 hours');
  });

  it('accepts up to 800 days, in days or hours', () => {
    expectPeriod(parsePeriod('800d', NOW, 'UTC'), '2024-09-18T10:30:00Z', '2026-11-27T10:30:00Z', 'the last 800 days');
    expectPeriod(parsePeriod('19200h', NOW, 'UTC'), '2024-09-18T10:30:00Z', '2026-11-27T10:30:00Z', 'the last 19200 hours');
  });
});

describe('parsePeriod local days', () => {
  it.each([
    // zone, today starts, yesterday starts
    ['UTC', '2026-11-27T00:00:00Z', '2026-11-26T00:00:00Z'],
    ['Europe/Berlin', '2026-11-26T23:00:00Z', '2026-11-25T23:00:00Z'],
    ['America/New_York', '2026-11-27T05:00:00Z', '2026-11-26T05:00:00Z'],
    ['Asia/Kolkata', '2026-11-26T18:30:00Z', '2026-11-25T18:30:00Z'],
  ])('today and yesterday in %s', (zone, todayStart, yesterdayStart) => {
    expectPeriod(parsePeriod('today', NOW, zone), todayStart, '2026-11-27T10:30:00Z', 'today');
    expectPeriod(parsePeriod('yesterday', NOW, zone), yesterdayStart, todayStart, 'yesterday (2026-11-26)');
  });

  it('uses the local date when it differs from the UTC date', () => {
    // 2026-11-26 22:00 in New York
    const evening = new Date('2026-11-27T03:00:00Z');
    expectPeriod(parsePeriod('today', evening, 'America/New_York'), '2026-11-26T05:00:00Z', '2026-11-27T03:00:00Z', 'today');
    expectPeriod(parsePeriod('yesterday', evening, 'America/New_York'), '2026-11-25T05:00:00Z', '2026-11-26T05:00:00Z', 'yesterday (2026-11-25)');
    // 2026-11-27 00:30 in Kolkata
    const pastMidnight = new Date('2026-11-26T19:00:00Z');
    expectPeriod(parsePeriod('today', pastMidnight, 'Asia/Kolkata'), '2026-11-26T18:30:00Z', '2026-11-26T19:00:00Z', 'today');
    expectPeriod(parsePeriod('yesterday', pastMidnight, 'Asia/Kolkata'), '2026-11-25T18:30:00Z', '2026-11-26T18:30:00Z', 'yesterday (2026-11-26)');
    // 2026-11-28 00:30 in Berlin
    const berlinPastMidnight = new Date('2026-11-27T23:30:00Z');
    expectPeriod(parsePeriod('today', berlinPastMidnight, 'Europe/Berlin'), '2026-11-27T23:00:00Z', '2026-11-27T23:30:00Z', 'today');
    expectPeriod(parsePeriod('yesterday', berlinPastMidnight, 'Europe/Berlin'), '2026-11-26T23:00:00Z', '2026-11-27T23:00:00Z', 'yesterday (2026-11-27)');
  });

  it('yesterday spanning a DST change is 23 or 25 hours', () => {
    const springForward = parsePeriod('yesterday', new Date('2026-03-30T10:00:00Z'), 'Europe/Berlin');
    expectPeriod(springForward, '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 'yesterday (2026-03-29)');
    expect(hours(springForward)).toBe(23);

    const fallBack = parsePeriod('yesterday', new Date('2026-11-02T15:00:00Z'), 'America/New_York');
    expectPeriod(fallBack, '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 'yesterday (2026-11-01)');
    expect(hours(fallBack)).toBe(25);
  });

  it('today on a DST day starts at the local midnight before the change', () => {
    // 12:00 CEST on the day Berlin springs forward; midnight was still CET.
    expectPeriod(parsePeriod('today', new Date('2026-03-29T10:00:00Z'), 'Europe/Berlin'), '2026-03-28T23:00:00Z', '2026-03-29T10:00:00Z', 'today');
  });
});

describe('parsePeriod dates and ranges', () => {
  it.each([
    // zone, range from, range to (exclusive), single day 2026-11-05 from, to
    ['UTC', '2026-11-01T00:00:00Z', '2026-11-08T00:00:00Z', '2026-11-05T00:00:00Z', '2026-11-06T00:00:00Z'],
    ['Europe/Berlin', '2026-10-31T23:00:00Z', '2026-11-07T23:00:00Z', '2026-11-04T23:00:00Z', '2026-11-05T23:00:00Z'],
    // New York leaves EDT on 2026-11-01: the range starts at -04:00 and ends at -05:00.
    ['America/New_York', '2026-11-01T04:00:00Z', '2026-11-08T05:00:00Z', '2026-11-05T05:00:00Z', '2026-11-06T05:00:00Z'],
    ['Asia/Kolkata', '2026-10-31T18:30:00Z', '2026-11-07T18:30:00Z', '2026-11-04T18:30:00Z', '2026-11-05T18:30:00Z'],
  ])('2026-11-01..2026-11-07 and 2026-11-05 in %s', (zone, from, to, dayFrom, dayTo) => {
    expectPeriod(parsePeriod('2026-11-01..2026-11-07', NOW, zone), from, to, '2026-11-01 to 2026-11-07');
    expectPeriod(parsePeriod('2026-11-05', NOW, zone), dayFrom, dayTo, '2026-11-05');
  });

  it.each([
    ['Europe/Berlin', '2026-03-29', '2026-03-28T23:00:00Z', '2026-03-29T22:00:00Z', 23],
    ['Europe/Berlin', '2026-10-25', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 25],
    ['America/New_York', '2026-03-08', '2026-03-08T05:00:00Z', '2026-03-09T04:00:00Z', 23],
    ['America/New_York', '2026-11-01', '2026-11-01T04:00:00Z', '2026-11-02T05:00:00Z', 25],
    ['Asia/Kolkata', '2026-03-29', '2026-03-28T18:30:00Z', '2026-03-29T18:30:00Z', 24],
    // Clocks skip midnight itself: the day begins at the jump (00:00 becomes 01:00).
    ['America/Santiago', '2026-09-06', '2026-09-06T04:00:00Z', '2026-09-07T03:00:00Z', 23],
    ['America/Santiago', '2026-09-05', '2026-09-05T04:00:00Z', '2026-09-06T04:00:00Z', 24],
    ['Asia/Beirut', '2026-03-29', '2026-03-28T22:00:00Z', '2026-03-29T21:00:00Z', 23],
  ])('the local day %s %s is %s to %s (%i hours)', (zone, day, from, to, length) => {
    const period = parsePeriod(day, NOW, zone);
    expectPeriod(period, from, to, day);
    expect(hours(period)).toBe(length);
  });

  it('a range across a DST change keeps local midnights at both ends', () => {
    const period = parsePeriod('2026-03-28..2026-03-30', NOW, 'Europe/Berlin');
    expectPeriod(period, '2026-03-27T23:00:00Z', '2026-03-30T22:00:00Z', '2026-03-28 to 2026-03-30');
    expect(hours(period)).toBe(71);
  });

  it('today in a zone where midnight is skipped starts at the jump', () => {
    expectPeriod(parsePeriod('today', new Date('2026-09-06T12:00:00Z'), 'America/Santiago'), '2026-09-06T04:00:00Z', '2026-09-06T12:00:00Z', 'today');
  });

  it('a range reaching today ends now', () => {
    expectPeriod(parsePeriod('2026-11-20..2026-11-27', NOW, 'UTC'), '2026-11-20T00:00:00Z', '2026-11-27T10:30:00Z', '2026-11-20 to 2026-11-27');
    expectPeriod(parsePeriod('2026-11-27', NOW, 'UTC'), '2026-11-27T00:00:00Z', '2026-11-27T10:30:00Z', '2026-11-27');
  });

  it('judges "in the future" by the local date', () => {
    // 00:30 on 2026-11-28 in Kolkata, still 2026-11-27 in UTC
    const now = new Date('2026-11-26T19:00:00Z');
    expectPeriod(parsePeriod('2026-11-27', now, 'Asia/Kolkata'), '2026-11-26T18:30:00Z', '2026-11-26T19:00:00Z', '2026-11-27');
    expect(periodError('2026-11-27', 'UTC', now).message).toContain('it starts in the future');
  });

  it('accepts a leap day', () => {
    expectPeriod(parsePeriod('2024-02-29', NOW, 'UTC'), '2024-02-29T00:00:00Z', '2024-03-01T00:00:00Z', '2024-02-29');
  });
});

describe('parsePeriod errors', () => {
  it.each([
    ['fortnight', 'use a number of hours or days, a day name or a date range'],
    ['0d', 'it is empty'],
    ['0h', 'it is empty'],
    ['99999d', 'it is longer than 800 days'],
    ['801d', 'it is longer than 800 days'],
    ['19201h', 'it is longer than 800 days'],
    ['2026-02-30', '2026-02-30 is not a calendar date'],
    ['2025-02-29', '2025-02-29 is not a calendar date'],
    ['2026-13-01', '2026-13-01 is not a calendar date'],
    ['2026-11-1', '"2026-11-1" is not a date like 2026-11-01'],
    ['2026-11-07..2026-11-01', 'it ends before it starts'],
    ['2026-12-01..2026-12-07', 'it starts in the future'],
    ['2026-11-28', 'it starts in the future'],
    ['2024-01-01..2026-11-01', 'it is longer than 800 days'],
    ['last week', 'use a number of hours or days, a day name or a date range'],
    ['-7d', 'use a number of hours or days, a day name or a date range'],
  ])('rejects %j: %s', (input, why) => {
    const error = periodError(input);
    expect(error.name).toBe('PeriodError');
    expect(error.message).toBe(`"${input}" is not a period I understand: ${why}. ${EXAMPLES}`);
  });

  it('quotes the input lower-cased and trimmed', () => {
    expect(periodError('  FORTNIGHT ').message).toMatch(/^"fortnight" is not a period I understand/);
  });

  it('treats SQL in the input as plain text', () => {
    const input = "'; drop table x; --";
    const error = periodError(input);
    expect(error.message).toBe(`"${input}" is not a period I understand: use a number of hours or days, a day name or a date range. ${EXAMPLES}`);
  });

  it.each([
    ['letters', 'x'.repeat(10_240)],
    ['a broken date', `2026-${'1'.repeat(10_240)}`],
    ['a broken range end', `2026-11-01..${'9'.repeat(10_240)}`],
    ['digits', `${'9'.repeat(10_240)}d`],
  ])('keeps the message short for a 10 kB string of %s', (_what, input) => {
    const error = periodError(input);
    expect(error.message.length).toBeLessThan(300);
    expect(error.message).toContain(`"${input.slice(0, 40)}…"`);
    expect(error.message).toContain(EXAMPLES);
  });
});
