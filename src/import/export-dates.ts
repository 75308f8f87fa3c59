// Dates as export files write them. Graph and the portal's "Date (UTC)" use ISO 8601; spreadsheets
// and the MFA Server reports use locale formats. Accepted, all read as UTC unless they carry an
// offset ("Z", "+02:00", "UTC", "GMT"):
//   2024-09-01T10:00:00Z   2024-09-01T10:00:00.1234567+00:00   2024-09-01 10:00[:00]   2024-09-01
//   2024/09/01 10:00:00
//   9/1/2024 10:00:00 AM   09/01/2024 22:00   9/1/2024, 10:00:00 AM      (month first, as the
//       US portal writes it, unless the first number is over 12: then day first)
//   01.09.2024 10:00:00                                                    (day first)
// Anything else, or an impossible date (2024-02-30), is null: the caller quarantines the row.

const ISO =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;
const LOCALE =
  /^(\d{1,2})([/.])(\d{1,2})\2(\d{4}),?(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(AM|PM)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i;

export function parseExportDate(text: string | null | undefined): Date | null {
  const value = text?.trim();
  if (!value) return null;
  let m = ISO.exec(value);
  if (m) return build(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), m[7], m[8]);
  m = LOCALE.exec(value);
  if (!m) return null;
  const [a, b] = [+m[1]!, +m[3]!];
  // "/" is month first (US) unless that cannot be; "." is day first.
  const dayFirst = m[2] === '.' || a > 12;
  const [month, day] = dayFirst ? [b, a] : [a, b];
  let hour = +(m[5] ?? 0);
  const meridiem = m[9]?.toUpperCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'PM' ? 12 : 0);
  }
  return build(+m[4]!, month, day, hour, +(m[6] ?? 0), +(m[7] ?? 0), m[8], m[10]);
}

function build(year: number, month: number, day: number, hour: number, minute: number, second: number, fraction: string | undefined, zone: string | undefined): Date | null {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  const check = new Date(utc);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return null; // 2024-02-30
  return new Date(utc - offsetMinutes(zone) * 60_000);
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  const minutes = +m[2]! * 60 + +m[3]!;
  return m[1] === '-' ? -minutes : minutes;
}
