// CI's dependency check fails on a high or critical vulnerability, passes a clean report, and says
// plainly when the advisory service could not be asked (the JSON shapes npm 11 prints).
import { describe, expect, it } from 'vitest';
import { judgeAudit } from '../../scripts/check-npm-audit.js';

const report = (vulnerabilities: Record<string, { severity: string; fixAvailable: boolean }>) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: {
      vulnerabilities: {
        info: 0,
        low: 0,
        moderate: Object.values(vulnerabilities).filter((v) => v.severity === 'moderate').length,
        high: Object.values(vulnerabilities).filter((v) => v.severity === 'high').length,
        critical: Object.values(vulnerabilities).filter((v) => v.severity === 'critical').length,
        total: Object.keys(vulnerabilities).length,
      },
    },
  });

describe('judgeAudit', () => {
  it('passes a report with nothing worse than moderate', () => {
    expect(judgeAudit(report({ 'some-lib': { severity: 'moderate', fixAvailable: true } }), true)).toEqual({
      ok: true,
      checked: true,
      message: 'npm audit --omit=dev: 0 critical, 0 high, 1 moderate, 0 low',
    });
  });

  it('fails on a high or critical vulnerability, naming the packages', () => {
    const verdict = judgeAudit(report({ 'bad-lib': { severity: 'high', fixAvailable: true }, 'worse-lib': { severity: 'critical', fixAvailable: false } }), false);
    expect(verdict.ok).toBe(false);
    expect(verdict.message).toBe(
      'npm audit --omit=dev: 1 critical, 1 high, 0 moderate, 0 low\n  bad-lib: high (a fix is available: npm audit fix)\n  worse-lib: critical',
    );
  });

  it('says it did not check when the advisory service refuses, failing only when the check is required', () => {
    const refused = JSON.stringify({ message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk', statusCode: 405 });
    expect(judgeAudit(refused, false)).toEqual({
      ok: true,
      checked: false,
      message: 'npm audit: NOT CHECKED: the registry gave no audit report (405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk)',
    });
    expect(judgeAudit(refused, true).ok).toBe(false);
  });
});
