// Calendar arithmetic in the configured time zone (TZ) with Intl only: "today", "yesterday" and
// explicit dates mean local days, and every reply shows times in that zone.

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(date: Date, timeZone: string): LocalParts & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at `date`. */
function offsetMs(date: Date, timeZone: string): number {
  const p = localParts(date, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(date.getTime() / 1000) * 1000;
}

/** The instant local midnight begins on `year-month-day` in `timeZone`. */
export function zonedMidnight(year: number, month: number, day: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetMs(new Date(guess), timeZone);
  // A second pass corrects for a DST change between the guess and the answer.
  const second = guess - offsetMs(new Date(first), timeZone);
  // Where the clocks skip midnight (DST starting at 00:00, e.g. America/Santiago) no instant is
  // local midnight and `second` falls in the previous day; the day then begins at the jump, `first`.
  return new Date(localParts(new Date(second), timeZone).day === day ? second : first);
}

/** The instant the wall clock in `timeZone` shows `hour:minute:second` on `year-month-day` (a time skipped by DST resolves past the jump). */
export function zonedDateTime(year: number, month: number, day: number, hour: number, minute: number, second: number, timeZone: string): Date {
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const first = guess - offsetMs(new Date(guess), timeZone);
  return new Date(guess - offsetMs(new Date(first), timeZone));
}

/** Start of the local day containing `date`, shifted by `dayDelta` days. */
export function startOfLocalDay(date: Date, timeZone: string, dayDelta = 0): Date {
  const p = localParts(date, timeZone);
  const shifted = new Date(Date.UTC(p.year, p.month - 1, p.day + dayDelta));
  return zonedMidnight(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate(), timeZone);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-11-27" in the zone. */
export function formatLocalDate(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "2026-11-27 09:05" in the zone. */
export function formatLocalDateTime(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}
