// How a period splits for rollup-backed reports: the whole UTC days inside it (read from a daily
// rollup), the whole hours around them (an hourly rollup) and the partial hours at either edge
// (the raw rows, or for the reports with a quarter-hour tier, its whole quarter hours and the raw
// rows of the minutes left).
import { sql, type SQL } from 'drizzle-orm';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface PeriodSplit {
  /** The whole UTC days, or null when the period holds none. */
  days: TimeRange | null;
  /** The whole hours outside `days` (at most one range on each side). */
  hours: TimeRange[];
  /** The partial hours at the edges (the whole period when it holds no whole hour). */
  edges: TimeRange[];
}

const range = (from: number, to: number): TimeRange[] => (from < to ? [{ from: new Date(from), to: new Date(to) }] : []);

export function splitPeriod(period: TimeRange): PeriodSplit {
  const from = period.from.getTime();
  const to = period.to.getTime();
  const hourStart = Math.ceil(from / HOUR) * HOUR;
  const hourEnd = Math.floor(to / HOUR) * HOUR;
  if (hourStart >= hourEnd) return { days: null, hours: [], edges: range(from, to) };
  const edges = [...range(from, hourStart), ...range(hourEnd, to)];
  const dayStart = Math.ceil(hourStart / DAY) * DAY;
  const dayEnd = Math.floor(hourEnd / DAY) * DAY;
  if (dayStart >= dayEnd) return { days: null, hours: range(hourStart, hourEnd), edges };
  return { days: range(dayStart, dayEnd)[0]!, hours: [...range(hourStart, dayStart), ...range(dayEnd, hourEnd)], edges };
}

const QUARTER = 900_000;

/**
 * The edges of a split as the whole quarter hours inside them (read from the quarter-hour tier)
 * and the minutes left over (the raw rows). A period cut at local midnight has none left over in
 * any time zone: every UTC offset is a multiple of 15 minutes.
 */
export function splitQuarters(edges: readonly TimeRange[]): { quarters: TimeRange[]; raw: TimeRange[] } {
  const quarters: TimeRange[] = [];
  const raw: TimeRange[] = [];
  for (const edge of edges) {
    const from = edge.from.getTime();
    const to = edge.to.getTime();
    const start = Math.ceil(from / QUARTER) * QUARTER;
    const end = Math.floor(to / QUARTER) * QUARTER;
    if (start >= end) {
      raw.push(edge);
      continue;
    }
    quarters.push(...range(start, end));
    raw.push(...range(from, start), ...range(end, to));
  }
  return { quarters, raw };
}

/** `column` (a timestamptz column) within the range, from inclusive to exclusive. */
export function within(column: string, range: TimeRange): SQL {
  return sql`${sql.identifier(column)} >= ${range.from.toISOString()}::timestamptz AND ${sql.identifier(column)} < ${range.to.toISOString()}::timestamptz`;
}

/** The whole hours of a split as hour ranges (for rollups kept only per hour). */
export function wholeHours(split: PeriodSplit): TimeRange[] {
  return [...(split.days ? [split.days] : []), ...split.hours];
}
