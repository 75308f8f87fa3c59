// How a period splits for rollup-backed reports: the whole hours inside it (read from an hourly
// rollup) and the partial hours at either edge (read from the raw rows).
import type { Period } from '../time/period.js';

const HOUR = 3_600_000;

export interface HourSplit {
  /** The whole hours [from, to), or null when the period holds none. */
  whole: { from: Date; to: Date } | null;
  /** The partial hours at the edges (the whole period when it holds no whole hour). */
  edges: Array<{ from: Date; to: Date }>;
}

export function splitByHours(period: Period): HourSplit {
  const fullStart = new Date(Math.ceil(period.from.getTime() / HOUR) * HOUR);
  const fullEnd = new Date(Math.floor(period.to.getTime() / HOUR) * HOUR);
  if (fullStart >= fullEnd) return { whole: null, edges: period.from < period.to ? [{ from: period.from, to: period.to }] : [] };
  const edges = [];
  if (period.from < fullStart) edges.push({ from: period.from, to: fullStart });
  if (fullEnd < period.to) edges.push({ from: fullEnd, to: period.to });
  return { whole: { from: fullStart, to: fullEnd }, edges };
}
