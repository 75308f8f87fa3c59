// The words `npm run import` prints: per file, what it was and what happened to its records; then
// the run's total. Quarantined records are pointed to (the first few, with file:line and reason)
// so an admin can fix the export and import it again: re-imports never double anything.
import { ACCEPTED_FORMATS, type FileImportResult } from './import-file.js';

const n = (value: number): string => value.toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const plural = (count: number, one: string, many: string): string => `${n(count)} ${count === 1 ? one : many}`;

export function formatFileResult(result: FileImportResult): string {
  if (result.status === 'refused') return `${result.file}: refused: ${result.refusal}\n`;
  const kinds = result.kinds.length > 0 ? result.kinds.map(([kind, count]) => `${kind}: ${n(count)}`).join(', ') : 'no records';
  const lines = [
    `${result.file}: ${result.format}: ${kinds}`,
    `  ${counts(result)}; ${plural(result.newFraudReports, 'new fraud report', 'new fraud reports')}; ${seconds(result.durationMs)}`,
  ];
  for (const s of result.samples) lines.push(`  quarantined ${s.locator}: ${s.reason}`);
  if (result.quarantined > result.samples.length) lines.push(`  … and ${n(result.quarantined - result.samples.length)} more quarantined`);
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export function formatTotal(results: readonly FileImportResult[], durationMs: number): string {
  const imported = results.filter((r) => r.status === 'imported');
  const refused = results.length - imported.length;
  const sum = (pick: (r: FileImportResult) => number) => imported.reduce((total, r) => total + pick(r), 0);
  const total = {
    inserted: sum((r) => r.inserted),
    updated: sum((r) => r.updated),
    unchanged: sum((r) => r.unchanged),
    quarantined: sum((r) => r.quarantined),
  };
  const fraud = sum((r) => r.newFraudReports);
  let text =
    `Total: ${plural(results.length, 'file', 'files')} (${n(imported.length)} imported, ${n(refused)} refused): ` +
    `${counts(total)}${total.quarantined > 0 ? ' (kept in the quarantined_records table)' : ''}; ` +
    `${plural(fraud, 'new fraud report', 'new fraud reports')}; ${seconds(durationMs)}\n`;
  if (refused > 0) text += `${ACCEPTED_FORMATS}\n`;
  return text;
}

function counts(c: { inserted: number; updated: number; unchanged: number; quarantined: number }): string {
  return `${n(c.inserted)} new, ${n(c.updated)} updated, ${n(c.unchanged)} unchanged, ${n(c.quarantined)} quarantined`;
}
