// The terminal summary of a sync: one line per source, and for each failure what the next run does.
import { describe, expect, it } from 'vitest';
import { formatSyncSummary } from '../../src/sync/format-summary.js';
import type { SourceSummary } from '../../src/sync/sync-source.js';

const base: SourceSummary = {
  source: 'signins',
  label: 'sign-ins',
  outcome: 'ok',
  pages: 3,
  received: 2500,
  inserted: 2400,
  updated: 12,
  unchanged: 88,
  quarantined: 1,
  ignored: 0,
  newFraudReportIds: [7],
  durationMs: 4200,
  from: null,
  resumed: false,
  cursorAt: new Date('2026-03-04T09:00:00Z'),
  next: 'incremental',
};

describe('formatSyncSummary', () => {
  it('prints one aligned line per source and the new fraud reports', () => {
    const text = formatSyncSummary({
      ok: true,
      startedAt: new Date(),
      durationMs: 5_000,
      newFraudReportIds: [7],
      sources: [base, { ...base, source: 'risk_detections', label: 'risk detections', pages: 1, inserted: 1, updated: 0, quarantined: 0, durationMs: 300 }],
    });
    expect(text).toBe(
      'Microsoft Graph sync finished in 5.0 s:\n' +
        '  sign-ins:        3 pages, 2,400 new, 12 updated, 1 quarantined, 4.2 s\n' +
        '  risk detections: 1 page, 1 new, 0 updated, 0 quarantined, 0.3 s\n' +
        '  new fraud reports: 1\n',
    );
  });

  it('says for each failure what the next run does, and shows skipped sources', () => {
    const text = formatSyncSummary({
      ok: false,
      startedAt: new Date(),
      durationMs: 1_000,
      newFraudReportIds: [],
      sources: [
        { ...base, outcome: 'failed', pages: 0, inserted: 0, updated: 0, quarantined: 0, error: 'network down', next: 'incremental' },
        { ...base, source: 'registrations', label: 'registrations', outcome: 'failed', pages: 0, error: 'HTTP 403', next: 'restart', cursorAt: null },
        { ...base, source: 'directory_audits', label: 'directory audits', outcome: 'skipped', error: 'another sync run has been working on directory audits since …' },
      ],
    });
    expect(text).toContain('Microsoft Graph sync finished with errors in 1.0 s:');
    expect(text).toContain('  sign-ins:         FAILED after 0 pages, 0 new, 0 updated, 0 quarantined, 4.2 s');
    expect(text).toContain('  directory audits: skipped: another sync run has been working on directory audits since …');
    expect(text).toContain('sign-ins failed: network down\n  Nothing committed is lost: the next run starts again from 2026-03-04T09:00:00.000Z (minus the re-read window).');
    expect(text).toContain('registrations failed: HTTP 403\n  Nothing committed is lost: the next run starts this listing again.');
  });
});
