// The bench's one table (figure, measured, target, holds) with the run's parameters, and the
// same results as JSON under bench/results/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FigureRow {
  figure: string;
  measured: string;
  target: string;
  /** null: not measured in this run. */
  holds: boolean | null;
}

export interface Parameters {
  signins: number;
  /** The database of an earlier run's tenant (--tenant-db): `signins` was not asked for then. */
  tenantDb: string | null;
  signinRows: number;
  users: number;
  days: number;
  quick: boolean;
  requestsPerCommand: number;
  alerts: number;
  importRecords: number;
  importFileMb: number;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: string;
  startedAt: string;
  durationSeconds: number;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ').trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
  return [line(rows[0]!), rule, ...rows.slice(1).map(line)].join('\n');
}

export function formatResults(parameters: Parameters, figures: FigureRow[], notes: string[]): string {
  const holds = (h: boolean | null) => (h === null ? 'n/a' : h ? 'yes' : 'NO');
  const rows = [['figure', 'measured', 'target', 'holds'], ...figures.map((f) => [f.figure, f.measured, f.target, holds(f.holds)])];
  const missed = figures.filter((f) => f.holds === false).length;
  const p = parameters;
  const header = [
    `mfa-bot bench, ${p.startedAt} (${Math.round(p.durationSeconds)} s)${p.quick ? ' [quick]' : ''}`,
    (p.signinRows > 0
      ? `tenant: ${p.tenantDb ? `${p.tenantDb} reused` : `${p.signins.toLocaleString('en-US')} sign-ins asked`} (${p.signinRows.toLocaleString('en-US')} stored), ${p.users.toLocaleString('en-US')} users, ${p.days} days; `
      : 'tenant: none (only the import was measured); ') +
      `${p.requestsPerCommand} requests per subcommand, ${p.alerts} alerts, import ${p.importRecords.toLocaleString('en-US')} records + a ${p.importFileMb} MB file`,
    `machine: ${p.cpus} CPUs (${p.cpuModel}), ${p.memoryGb} GB RAM, Node ${p.node}, Postgres ${p.postgres}`,
  ];
  const scale =
    p.signinRows > 0 && p.signinRows < 10_000_000
      ? [`Targets are stated for 10,000,000 sign-ins (30 days, 100,000 users); at ${p.signinRows.toLocaleString('en-US')} a "yes" for a latency or retention target is no evidence for 10M.`]
      : [];
  return [
    ...header,
    '',
    table(rows),
    '',
    `${missed === 0 ? 'Every measured target holds.' : `${missed} of ${figures.filter((f) => f.holds !== null).length} targets missed.`}`,
    ...scale,
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
  ].join('\n');
}

export function writeResultsJson(dir: string, stamp: string, content: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${stamp}.json`);
  writeFileSync(path, `${JSON.stringify(content, null, 2)}\n`);
  return path;
}
