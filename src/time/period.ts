// The period every report takes: 24h, 7d, 30d, today, yesterday, 2026-11-01..2026-11-07.
import { shorten } from '../views/blocks.js';
import { formatLocalDate, formatLocalDateTime, startOfLocalDay, zonedMidnight } from './zoned.js';

export interface Period {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** "the last 7 days", "today", "2026-11-01 to 2026-11-07" */
  label: string;
}

export const DEFAULT_PERIOD = '7d';
export const PERIOD_EXAMPLES = '`24h`, `7d`, `30d`, `today`, `yesterday` or `2026-11-01..2026-11-07`';
/** Sign-ins are kept 400 days by default; a longer window is almost certainly a typo. */
const MAX_DAYS = 800;


export class PeriodError extends Error {
  constructor(input: string, why: string) {
    super(`"${shorten(input)}" is not a period I understand: ${why}. Try ${PERIOD_EXAMPLES}.`);
    this.name = 'PeriodError';
  }
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function parseDay(text: string, input: string): { year: number; month: number; day: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new PeriodError(input, `"${shorten(text)}" is not a date like 2026-11-01`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new PeriodError(input, `${text} is not a calendar date`);
  }
  return { year, month, day };
}

export function isPeriodLike(token: string): boolean {
  return /^(\d+[hd]|today|yesterday|\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?)$/i.test(token);
}

/** Parses a period; throws PeriodError with an example of what works. */
export function parsePeriod(input: string | undefined, now: Date, timeZone: string): Period {
  const text = (input ?? DEFAULT_PERIOD).trim().toLowerCase();
  // Any number of digits, so 99999d is reported as too long rather than as not understood.
  const relative = /^(\d+)([hd])$/.exec(text);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = relative[2] === 'h' ? HOUR : DAY;
    if (amount === 0) throw new PeriodError(text, 'it is empty');
    if (amount * unit > MAX_DAYS * DAY) throw new PeriodError(text, `it is longer than ${MAX_DAYS} days`);
    const label = relative[2] === 'h' ? `the last ${amount} hour${amount === 1 ? '' : 's'}` : `the last ${amount} day${amount === 1 ? '' : 's'}`;
    return { from: new Date(now.getTime() - amount * unit), to: now, label };
  }
  if (text === 'today') return { from: startOfLocalDay(now, timeZone), to: now, label: 'today' };
  if (text === 'yesterday') {
    const from = startOfLocalDay(now, timeZone, -1);
    return { from, to: startOfLocalDay(now, timeZone), label: `yesterday (${formatLocalDate(from, timeZone)})` };
  }
  const range = /^([^.]+)(?:\.\.(.+))?$/.exec(text);
  if (range && /^\d{4}-/.test(text)) {
    const first = parseDay(range[1]!, text);
    const last = range[2] ? parseDay(range[2], text) : first;
    const from = zonedMidnight(first.year, first.month, first.day, timeZone);
    const lastStart = zonedMidnight(last.year, last.month, last.day, timeZone);
    if (lastStart < from) throw new PeriodError(text, 'it ends before it starts');
    const to = startOfLocalDay(new Date(lastStart.getTime() + 12 * HOUR), timeZone, 1);
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY) throw new PeriodError(text, `it is longer than ${MAX_DAYS} days`);
    if (from > now) throw new PeriodError(text, 'it starts in the future');
    const label = range[2] ? `${range[1]} to ${range[2]}` : range[1]!;
    return { from, to: to > now ? now : to, label };
  }
  throw new PeriodError(text, 'use a number of hours or days, a day name or a date range');
}

/**
 * The moment a Slack question is answered as of: the start of its minute, the precision every
 * reply shows its period's bounds in. It also makes a question asked again within the minute the
 * same question (src/slack/answer-cache.ts), and a paging button press agree with its first page.
 */
export function startOfMinute(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

export function describePeriodBounds(period: Period, timeZone: string): string {
  return `${formatLocalDateTime(period.from, timeZone)} to ${formatLocalDateTime(period.to, timeZone)} (${timeZone})`;
}
