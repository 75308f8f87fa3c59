// How a period splits into rollup tiers: whole days, whole hours, whole quarter hours and the raw
// minutes left.
import { describe, expect, it } from 'vitest';
import { splitPeriod, splitQuarters, type TimeRange } from '../../src/reports/hour-split.js';

const at = (iso: string) => new Date(iso);
const iso = (ranges: TimeRange[]) => ranges.map((r) => `${r.from.toISOString()}..${r.to.toISOString()}`);

describe('splitQuarters', () => {
  it('leaves no raw minutes for a period cut at local midnight in a half-hour zone', () => {
    const split = splitPeriod({ from: at('2026-11-08T18:30:00Z'), to: at('2026-12-06T18:30:00Z') });
    expect(iso(split.edges)).toEqual(['2026-11-08T18:30:00.000Z..2026-11-08T19:00:00.000Z', '2026-12-06T18:00:00.000Z..2026-12-06T18:30:00.000Z']);
    const { quarters, raw } = splitQuarters(split.edges);
    expect(iso(quarters)).toEqual(['2026-11-08T18:30:00.000Z..2026-11-08T19:00:00.000Z', '2026-12-06T18:00:00.000Z..2026-12-06T18:30:00.000Z']);
    expect(raw).toEqual([]);
  });

  it('reads the raw rows only for the minutes outside whole quarter hours', () => {
    const { quarters, raw } = splitQuarters([{ from: at('2026-11-25T10:05:00Z'), to: at('2026-11-25T10:55:30Z') }]);
    expect(iso(quarters)).toEqual(['2026-11-25T10:15:00.000Z..2026-11-25T10:45:00.000Z']);
    expect(iso(raw)).toEqual(['2026-11-25T10:05:00.000Z..2026-11-25T10:15:00.000Z', '2026-11-25T10:45:00.000Z..2026-11-25T10:55:30.000Z']);
  });

  it('keeps an edge with no whole quarter hour raw', () => {
    const edge = { from: at('2026-11-25T10:16:00Z'), to: at('2026-11-25T10:29:59Z') };
    expect(splitQuarters([edge])).toEqual({ quarters: [], raw: [edge] });
  });
});
