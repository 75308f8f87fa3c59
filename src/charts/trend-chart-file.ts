// The trend chart as a file to send: a PNG named after the period (and user), with a title and
// alt text that carries its figures. Shared by `/mfa trend` and the daily summary.
import type { ReplyFile } from '../../commands/types.js';
import type { TrendReport } from '../reports/trend.js';
import { formatLocalDate } from '../time/zoned.js';
import { trendChartSpec } from './trend-chart.js';

/** The chart of a trend as a PNG file, with alt text that carries its figures. */
export async function trendChartFile(report: TrendReport, timeZone: string): Promise<ReplyFile> {
  // Loaded on the first chart: Vega, Vega-Lite and resvg add about 25 MB to every bot process,
  // and only /mfa trend and the daily summary draw one.
  const { renderChartPng } = await import('./render-png.js');
  const chart = await renderChartPng(trendChartSpec(report, timeZone));
  const who = report.user ? `-${report.user.upn.replace(/[^a-z0-9]+/gi, '-')}` : '';
  const to = formatLocalDate(new Date(report.period.to.getTime() - 1), timeZone);
  return {
    filename: `mfa-trend${who}-${report.days.length}d-to-${to}.png`,
    bytes: chart.png,
    title: `MFA outcomes${report.user ? ` of ${report.user.upn}` : ''}: ${report.period.label}`,
    altText:
      `Stacked bars of satisfied, denied and interrupted MFA sign-ins per day, ${report.period.label}: ` +
      `${report.satisfied} satisfied, ${report.denied} denied, ${report.interrupted} interrupted; and the most common failure reasons.`,
  };
}
