// The trend chart rendered to PNG with no browser: an empty period, one day and 400 days. The PNG
// is decoded (signature, IHDR, IEND) and has the size asked for; the SVG it was drawn from carries
// the title, period, "data as of", axis titles, legend and every bar's value.
import { describe, expect, it } from 'vitest';
import { CHART_SIZE, renderChartPng } from '../../src/charts/render-png.js';
import { OUTCOME_COLOURS, trendChartSpec } from '../../src/charts/trend-chart.js';
import { localDays } from '../../src/reports/daily-outcomes.js';
import type { TrendReport } from '../../src/reports/trend.js';
import { parsePeriod } from '../../src/time/period.js';
import { readPngHeader } from '../support/png-header.js';

const NOW = new Date('2026-11-27T12:30:00Z');
const DATA_AS_OF = new Date('2026-11-27T12:10:00Z');

function report(periodWord: string, counts: (i: number) => [number, number, number], reasons: TrendReport['reasons'] = []): TrendReport {
  const period = parsePeriod(periodWord, NOW, 'UTC');
  const days = localDays(period, 'UTC').map((d, i) => {
    const [satisfied, denied, interrupted] = counts(i);
    return { ...d, satisfied, denied, interrupted };
  });
  const sum = (k: 'satisfied' | 'denied' | 'interrupted') => days.reduce((n, d) => n + d[k], 0);
  return {
    period,
    user: null,
    days,
    signins: sum('satisfied') + sum('denied') + sum('interrupted'),
    mfaRequired: sum('satisfied') + sum('denied') + sum('interrupted'),
    satisfied: sum('satisfied'),
    denied: sum('denied'),
    interrupted: sum('interrupted'),
    reasons,
    dataAsOf: DATA_AS_OF,
  };
}

/** The values vega put in the bars' accessible labels, "Nov 25 Denied 3". */
function bars(svg: string): string[] {
  return [...svg.matchAll(/aria-label="Day \(UTC\): ([^;]+); MFA sign-ins: ([\d,]+); outcome: (\w+)/g)].map((m) => `${m[1]} ${m[3]} ${m[2]}`);
}

describe('the trend chart', () => {
  it('renders an empty period: axes, legend and a note instead of reasons', async () => {
    const chart = await renderChartPng(trendChartSpec(report('14d', () => [0, 0, 0]), 'UTC'));
    expect(readPngHeader(chart.png)).toMatchObject({ width: CHART_SIZE.width, height: CHART_SIZE.height, bitDepth: 8 });
    expect([chart.width, chart.height]).toEqual([1200, 1000]);
    expect(chart.svg).toContain('MFA outcomes: the last 14 days');
    expect(chart.svg).toContain('Period: 2026-11-13 12:30 to 2026-11-27 12:30 (UTC)');
    expect(chart.svg).toContain('Data as of 2026-11-27 12:10 (UTC)');
    expect(chart.svg).toContain('none in this period');
    expect(chart.svg).toContain('No denied or interrupted MFA sign-ins in this period.');
    expect(chart.svg).toContain("X-axis titled 'Day (UTC)'");
    expect(chart.svg).toContain("Y-axis titled 'MFA sign-ins'");
    expect(chart.svg).toContain('Symbol legend for fill color with 3 values: Satisfied, Denied, Interrupted');
    // 15 local days are touched by 14 × 24 hours ending mid-day.
    expect(bars(chart.svg)).toHaveLength(15 * 3);
  });

  it('renders one day with its three outcomes and the failure reasons in words', async () => {
    const data = report('today', () => [40, 3, 2], [
      { code: 'denied_user_declined', detail: null, signins: 3 },
      { code: 'other', detail: 'Call the user back on +1 425 555 0164', signins: 2 },
    ]);
    const chart = await renderChartPng(trendChartSpec(data, 'UTC'));
    expect(readPngHeader(chart.png)).toMatchObject({ width: 1200, height: 1000 });
    expect(bars(chart.svg)).toEqual(['Nov 27 Satisfied 40', 'Nov 27 Denied 3', 'Nov 27 Interrupted 2']);
    expect(chart.svg).toContain('MFA outcomes: today');
    expect(chart.svg).toContain('Denied: the user declined the prompt');
    expect(chart.svg).toContain("X-axis titled 'Sign-ins denied or interrupted for this reason'");
    // Phone numbers are scrubbed here as everywhere.
    expect(chart.svg).toContain('+X XXXXXXXX64');
    expect(chart.svg).not.toContain('555 0164');
    // The Okabe–Ito colours fill the bars.
    for (const colour of Object.values(OUTCOME_COLOURS)) expect(chart.svg.toLowerCase()).toContain(`fill="${colour.toLowerCase()}"`);
  });

  it('renders 400 days on a time axis, one stacked bar per day', async () => {
    const data = report('400d', (i) => [100 + (i % 7) * 10, i % 5, i % 3]);
    const started = Date.now();
    const chart = await renderChartPng(trendChartSpec(data, 'UTC'));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readPngHeader(chart.png)).toMatchObject({ width: 1200, height: 1000 });
    expect(chart.svg).toContain('MFA outcomes: the last 400 days');
    expect(chart.svg).toMatch(/X-axis titled 'Day \(UTC\)' for a utc scale/);
    // 400 × 24 hours ending mid-day touch 401 local days; each has its three outcome bars.
    const marks = [...chart.svg.matchAll(/aria-label="Day \(UTC\)[^"]*outcome: (\w+)/g)];
    expect(marks).toHaveLength(401 * 3);
  });

  it('keeps the PNG size whatever the chart holds', async () => {
    const small = await renderChartPng(trendChartSpec(report('2d', () => [1, 0, 0]), 'UTC'), { width: 600, height: 400 });
    expect(readPngHeader(small.png)).toMatchObject({ width: 600, height: 400 });
  });
});
