// The sync summary as an admin reads it at the terminal: one line per source, then what failed
// and what the next run will do about it.
import type { SourceSummary } from './sync-source.js';
import type { SyncSummary } from './run-sync.js';

const n = (value: number) => value.toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

function sourceLine(s: SourceSummary, width: number): string {
  const name = `${s.label}:`.padEnd(width + 1);
  const counts = `${plural(s.pages, 'page')}, ${n(s.inserted)} new, ${n(s.updated)} updated, ${n(s.quarantined)} quarantined, ${seconds(s.durationMs)}`;
  if (s.outcome === 'skipped') return `  ${name} skipped: ${s.error}`;
  if (s.outcome === 'failed') return `  ${name} FAILED after ${counts}`;
  return `  ${name} ${counts}${s.resumed ? ' (resumed an interrupted run)' : ''}`;
}

function nextStep(s: SourceSummary): string {
  if (s.next === 'resume') return 'the next run resumes from the last page committed';
  if (s.next === 'restart') return 'the next run starts this listing again';
  return s.cursorAt ? `the next run starts again from ${s.cursorAt.toISOString()} (minus the re-read window)` : 'the next run starts the backfill again';
}

export function formatSyncSummary(summary: SyncSummary): string {
  const width = Math.max(...summary.sources.map((s) => s.label.length));
  const lines = [`Microsoft Graph sync ${summary.ok ? 'finished' : 'finished with errors'} in ${seconds(summary.durationMs)}:`];
  lines.push(...summary.sources.map((s) => sourceLine(s, width)));
  if (summary.newFraudReportIds.length > 0) lines.push(`  new fraud reports: ${n(summary.newFraudReportIds.length)}`);
  const failed = summary.sources.filter((s) => s.outcome === 'failed');
  if (failed.length > 0) {
    lines.push('');
    for (const s of failed) lines.push(`${s.label} failed: ${s.error}`, `  Nothing committed is lost: ${nextStep(s)}.`);
  }
  return `${lines.join('\n')}\n`;
}
