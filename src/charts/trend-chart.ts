// The trend chart as a Vega-Lite spec: satisfied / denied / interrupted MFA sign-ins per local day
// as stacked bars, and below them the most common failure reasons as horizontal bars. Okabe–Ito
// colours (safe for every common colour-vision deficiency), labelled axes, and the period and
// "data as of" in the title.
import type { TopLevelSpec } from 'vega-lite';
import { reasonWords } from '../reports/failures.js';
import type { TrendReport } from '../reports/trend.js';
import { scrubPhoneNumbers } from '../ingest/scrub.js';
import { describePeriodBounds } from '../time/period.js';
import { dataAsOfLine } from '../views/data-as-of.js';
import { CHART_FONT } from './chart-font.js';

/** Okabe & Ito (2008), "Color Universal Design". */
export const OUTCOME_COLOURS = { Satisfied: '#009E73', Denied: '#D55E00', Interrupted: '#E69F00' } as const;
const REASON_COLOUR = '#0072B2';
const OUTCOMES = Object.keys(OUTCOME_COLOURS) as Array<keyof typeof OUTCOME_COLOURS>;

/** Plot width in chart units; the PNG scales the whole chart to its size. */
const PLOT_WIDTH = 780;
/** Days shown one bar each with a label per day; longer periods get a time axis. */
const MAX_LABELLED_DAYS = 45;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2026-11-03" → "Nov 3" */
function shortDay(day: string): string {
  const [, month, date] = day.split('-').map(Number);
  return `${MONTHS[(month ?? 1) - 1]} ${date}`;
}

export function trendTitle(report: Pick<TrendReport, 'period' | 'user'>): string {
  const who = report.user ? ` of ${report.user.displayName ?? report.user.upn}` : '';
  return `MFA outcomes${who}: ${report.period.label}`;
}

export function trendChartSpec(report: TrendReport, timeZone: string): TopLevelSpec {
  const labelled = report.days.length <= MAX_LABELLED_DAYS;
  const values = report.days.flatMap((d) =>
    OUTCOMES.map((outcome, rank) => ({ day: d.day, label: shortDay(d.day), outcome, rank, signins: d[outcome.toLowerCase() as 'satisfied' | 'denied' | 'interrupted'] })),
  );
  const empty = report.days.every((d) => d.satisfied + d.denied + d.interrupted === 0);
  const dayAxisTitle = `Day (${timeZone})`;
  const x = labelled
    ? {
        field: 'label',
        type: 'ordinal' as const,
        sort: null,
        title: dayAxisTitle,
        axis: { labelAngle: report.days.length > 10 ? -45 : 0, labelOverlap: true },
      }
    : {
        field: 'day',
        type: 'temporal' as const,
        timeUnit: 'utcyearmonthdate' as const,
        title: dayAxisTitle,
        axis: { format: '%b %Y', labelOverlap: true },
      };

  // Most sign-ins first, as the report orders them.
  const reasons = report.reasons.map((r) => ({ reason: scrubPhoneNumbers(reasonWords(r)), signins: r.signins }));
  // Each reason's words sit above its bar, so long reasons neither shrink the plots nor get cut.
  const reasonChart = reasons.length
    ? {
        title: 'Most common reasons for denied or interrupted MFA',
        width: PLOT_WIDTH,
        height: { step: 50 },
        data: { values: reasons },
        encoding: {
          y: { field: 'reason', type: 'nominal' as const, sort: null, title: null, axis: null },
          x: { field: 'signins', type: 'quantitative' as const, title: 'Sign-ins denied or interrupted for this reason', axis: { format: ',d', tickMinStep: 1, tickCount: 6, labelOverlap: true } },
        },
        layer: [
          { mark: { type: 'bar' as const, color: REASON_COLOUR, height: { band: 0.45 }, yOffset: 9 } },
          {
            mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, yOffset: -12, fontSize: 18, limit: PLOT_WIDTH },
            encoding: { x: { value: 0 }, text: { field: 'reason', type: 'nominal' as const } },
          },
          {
            mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, dx: 5, yOffset: 10, fontSize: 18, fontWeight: 'bold' as const },
            encoding: { text: { field: 'signins', type: 'quantitative' as const, format: ',d' } },
          },
        ],
      }
    : {
        title: 'Most common reasons for denied or interrupted MFA',
        width: PLOT_WIDTH,
        height: 40,
        data: { values: [{ text: 'No denied or interrupted MFA sign-ins in this period.' }] },
        mark: { type: 'text' as const, fontSize: 18, align: 'left' as const, baseline: 'middle' as const, x: 0, y: 20 },
        encoding: { text: { field: 'text', type: 'nominal' as const } },
      };

  const subtitle = [`Period: ${describePeriodBounds(report.period, timeZone)}`, dataAsOfLine(report.dataAsOf, timeZone)];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: 'white',
    padding: 24,
    title: { text: scrubPhoneNumbers(trendTitle(report)), subtitle, anchor: 'start', fontSize: 28, subtitleFontSize: 18, subtitlePadding: 6, offset: 16 },
    config: {
      font: CHART_FONT,
      view: { stroke: null },
      axis: { labelFontSize: 17, titleFontSize: 18, titlePadding: 10, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 18, titleFontSize: 18, symbolSize: 260 },
      header: { labelFontSize: 18 },
      title: { fontSize: 21 },
      concat: { spacing: 40 },
    },
    vconcat: [
      {
        title: empty ? 'MFA sign-ins per day by outcome: none in this period' : 'MFA sign-ins per day by outcome',
        width: PLOT_WIDTH,
        height: 260,
        data: { values },
        mark: { type: 'bar' },
        encoding: {
          x,
          y: {
            field: 'signins',
            type: 'quantitative',
            stack: 'zero',
            title: 'MFA sign-ins',
            axis: { format: ',d', tickMinStep: 1, tickCount: 6 },
            // An empty period still gets an axis starting at zero, not a lone 0 in the middle.
            scale: empty ? { domain: [0, 10] } : { domainMin: 0 },
          },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: null,
            scale: { domain: OUTCOMES, range: OUTCOMES.map((o) => OUTCOME_COLOURS[o]) },
            legend: { orient: 'top', direction: 'horizontal' },
          },
          order: { field: 'rank', type: 'quantitative' },
        },
      },
      reasonChart,
    ],
  } as TopLevelSpec;
}
