// CI's dependency check: `npm audit --omit=dev` must report no high or critical vulnerability in
// what the bot ships with. Where the registry gives no audit report (this workplace's refuses the
// audit request), that is said loudly and does not fail CI; NPM_AUDIT_REQUIRED=1 makes it fail.
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export interface AuditVerdict {
  /** false: a high or critical vulnerability (or no report while one is required). */
  ok: boolean;
  checked: boolean;
  message: string;
}

interface AuditReport {
  vulnerabilities?: Record<string, { severity?: string; fixAvailable?: unknown }>;
  metadata?: { vulnerabilities?: Record<string, number> };
  statusCode?: number;
  message?: string;
}

/** Judges the JSON `npm audit --json` printed. */
export function judgeAudit(output: string, required: boolean): AuditVerdict {
  let report: AuditReport;
  try {
    // `null` parses too (and is no report).
    report = (JSON.parse(output) as AuditReport | null) ?? {};
  } catch {
    report = {};
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const why = report.message ?? (output.trim().slice(0, 200) || 'no output');
    return { ok: !required, checked: false, message: `npm audit: NOT CHECKED: the registry gave no audit report (${why})` };
  }
  const serious = Object.entries(report.vulnerabilities ?? {}).filter(([, v]) => v.severity === 'high' || v.severity === 'critical');
  const summary = `${counts.critical ?? 0} critical, ${counts.high ?? 0} high, ${counts.moderate ?? 0} moderate, ${counts.low ?? 0} low`;
  if (serious.length === 0) return { ok: true, checked: true, message: `npm audit --omit=dev: ${summary}` };
  const list = serious.map(([name, v]) => `  ${name}: ${v.severity}${v.fixAvailable ? ' (a fix is available: npm audit fix)' : ''}`);
  return { ok: false, checked: true, message: [`npm audit --omit=dev: ${summary}`, ...list].join('\n') };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
  // npm that could not start at all leaves no output: judged as no report, its error named.
  const verdict = judgeAudit(audit.stdout ?? audit.error?.message ?? '', process.env.NPM_AUDIT_REQUIRED === '1');
  (verdict.ok ? console.log : console.error)(verdict.message);
  process.exitCode = verdict.ok ? 0 : 1;
}
