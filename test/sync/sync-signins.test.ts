// Sign-in sync end to end on a real store against the fake Graph: backfill, idempotent re-runs,
// late corrections inside the re-read window, quarantine, and resuming an interrupted backfill.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSignins } from '../../src/seed/demo-tenant.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { cursorRow, NOW, sourceOf, startSyncHarness, storedSigninIds, type SyncHarness } from './sync-harness.js';

const SIGNINS = Array.from(demoSignins({ users: 25, days: 3, seed: 11, now: NOW }));
const IDS = SIGNINS.map((s) => s.id).sort();
const NEWEST = SIGNINS.map((s) => s.createdDateTime).sort().at(-1)!;
// Five pages of sign-ins.
const PAGE = Math.ceil(SIGNINS.length / 5);

let store: TestStore;
let h: SyncHarness;

beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});
beforeEach(async () => {
  await store.rows(sql`truncate signins, signin_ca_policies, signin_hourly, sync_cursors, quarantined_records, fraud_reports, fraud_report_sources, mfa_block_events cascade`);
  h = await startSyncHarness({ store, pageSize: { signIns: PAGE } });
  h.graph.load('signIns', SIGNINS);
});
afterEach(async () => {
  await h.close();
});

const signinsOnly = { sources: ['signins'] as const };

describe('sign-in sync', () => {
  it('backfills 30 days from the beta endpoint, storing every sign-in once, and sets the cursor to the newest', async () => {
    const summary = await h.sync(signinsOnly);
    const s = sourceOf(summary, 'signins');
    expect(summary.ok).toBe(true);
    expect(s).toMatchObject({ outcome: 'ok', pages: 5, received: SIGNINS.length, inserted: SIGNINS.length, updated: 0, quarantined: 0, resumed: false });
    expect(s.from).toEqual(new Date(NOW.getTime() - 30 * 86_400_000));
    expect(await storedSigninIds(store)).toEqual(IDS);

    const first = h.graph.graphRequests('signIns')[0]!;
    expect(first.path).toBe('/beta/auditLogs/signIns');
    expect(first.filter).toBe('createdDateTime ge 2026-02-02T10:00:00Z');
    expect(first.top).toBe(1000);

    const cursor = await cursorRow(store, 'signins');
    expect(cursor!.resume_link).toBeNull();
    expect(cursor!.last_run_outcome).toMatch(new RegExp(`^ok: 5 pages, ${SIGNINS.length} new, 0 updated, 0 quarantined, \\d+\\.\\d s$`));
    expect(cursor!.cursor_at).toEqual(new Date(NEWEST));
  });

  it('changes nothing when run again, re-reading only the last 2 hours', async () => {
    await h.sync(signinsOnly);
    const [before] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signin_hourly`);
    h.graph.requests.length = 0;

    const again = sourceOf(await h.sync(signinsOnly), 'signins');
    const window = SIGNINS.filter((s) => s.createdDateTime >= new Date(Date.parse(NEWEST) - 2 * 3_600_000).toISOString().replace('.000', ''));
    expect(again).toMatchObject({ outcome: 'ok', inserted: 0, updated: 0, unchanged: window.length, received: window.length });
    expect(h.graph.graphRequests('signIns')[0]!.filter).toBe(`createdDateTime ge ${new Date(Date.parse(NEWEST) - 2 * 3_600_000).toISOString().replace('.000Z', 'Z')}`);
    expect(await storedSigninIds(store)).toEqual(IDS);
    const [after] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signin_hourly`);
    expect(after).toEqual(before);
    expect((await cursorRow(store, 'signins'))!.cursor_at).toEqual(new Date(NEWEST));
  });

  it('applies a late MFA correction to a stored sign-in and counts it as updated', async () => {
    // A sign-in first logged as "satisfied by claim in the token", which Microsoft corrects once
    // the MFA events are aggregated (graph-data.md §2).
    const target = SIGNINS.filter((s) => s.authenticationRequirement === 'multiFactorAuthentication' && s.status.errorCode === 0).at(-1)!;
    expect(Date.parse(NEWEST) - Date.parse(target.createdDateTime)).toBeLessThan(2 * 3_600_000);
    const mfaStep = (method: string, detail: string) => ({
      authenticationStepDateTime: target.createdDateTime,
      authenticationMethod: method,
      authenticationMethodDetail: null,
      succeeded: true,
      authenticationStepResultDetail: detail,
      authenticationStepRequirement: 'Multi-factor authentication',
    });
    h.graph.update('signIns', target.id, (record) => {
      record.authenticationDetails = [mfaStep('Previously satisfied', 'MFA requirement satisfied by claim in the token')];
      record.status = { errorCode: 0, failureReason: 'Other.', additionalDetails: 'MFA requirement satisfied by claim in the token' };
    });
    await h.sync(signinsOnly);
    const [early] = await store.rows<{ mfa_result_code: string }>(sql`select mfa_result_code from signins where id = ${target.id}`);
    expect(early!.mfa_result_code).toBe('satisfied_by_claim');

    h.graph.update('signIns', target.id, (record) => {
      record.authenticationDetails = [mfaStep('Mobile app notification', 'MFA successfully completed')];
      record.status = { errorCode: 0, failureReason: 'Other.', additionalDetails: 'MFA successfully completed' };
    });
    const s = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(s).toMatchObject({ outcome: 'ok', inserted: 0, updated: 1 });
    const [late] = await store.rows<{ mfa_result_code: string; mfa_method: string }>(sql`select mfa_result_code, mfa_method from signins where id = ${target.id}`);
    expect(late).toEqual({ mfa_result_code: 'completed', mfa_method: 'Mobile app notification' });
  });

  it('quarantines invalid records with the page link and the reason, loads the rest of the page, and does not quarantine them twice', async () => {
    const newest = Date.parse(NEWEST);
    h.graph.add(
      'signIns',
      { id: 'bad-status', createdDateTime: new Date(newest - 60_000).toISOString(), status: { errorCode: 'not a number' }, userPrincipalName: 'adele@contoso.com' },
      { id: 'bad-interactive', createdDateTime: new Date(newest - 120_000).toISOString(), isInteractive: 'yes' },
      { createdDateTime: new Date(newest - 180_000).toISOString(), userPrincipalName: 'no-id@contoso.com' },
    );
    const s = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(s).toMatchObject({ outcome: 'ok', inserted: SIGNINS.length, quarantined: 3 });
    expect(await storedSigninIds(store)).toEqual(IDS);

    const rows = await store.rows<{ source: string; locator: string; reason: string; raw: string }>(sql`select source, locator, reason, raw from quarantined_records order by reason`);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.source === 'graph:signIns' && r.locator.startsWith(`${h.graph.apiUrl}/beta/auditLogs/signIns?`))).toBe(true);
    expect(rows.map((r) => r.reason)).toEqual([
      'id: Invalid input: expected string, received undefined',
      'record bad-interactive: isInteractive: Invalid input: expected boolean, received string',
      expect.stringMatching(/^record bad-status: status\.errorCode: /),
    ]);
    expect(JSON.parse(rows[2]!.raw)).toMatchObject({ id: 'bad-status', userPrincipalName: 'adele@contoso.com' });

    // They are in the re-read window: seen again, but not stored again.
    const again = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(again.quarantined).toBe(3);
    const [count] = await store.rows<{ n: number }>(sql`select count(*)::int as n from quarantined_records`);
    expect(count!.n).toBe(3);
  });

  it('resumes an interrupted backfill from the stored link, without gaps or duplicates', async () => {
    h.graph.fail({ collection: 'signIns', page: 3, status: 500, times: Infinity });
    const broken = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(broken).toMatchObject({ outcome: 'failed', pages: 2, inserted: 2 * PAGE, next: 'resume' });
    expect(broken.error).toMatch(/failed after 3 attempts: HTTP 500/);
    const stopped = await cursorRow(store, 'signins');
    expect(stopped!.cursor_at).toBeNull(); // newest first: the cursor may not move before the run completes
    expect(stopped!.resume_link).toMatch(new RegExp(`^${h.graph.apiUrl}/beta/auditLogs/signIns\\?\\$top=1000&\\$skiptoken=`));
    expect(stopped!.last_run_outcome).toMatch(/^failed: Graph GET \/beta\/auditLogs\/signIns failed after 3 attempts: HTTP 500 .*\(2 pages, \d+ new, 0 updated, 0 quarantined, \d+\.\d s\)$/);
    const firstRun = h.graph.graphRequests('signIns').filter((r) => r.status === 200);

    h.graph.clearFaults();
    h.graph.requests.length = 0;
    const resumed = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(resumed).toMatchObject({ outcome: 'ok', resumed: true, pages: 3, inserted: SIGNINS.length - 2 * PAGE, updated: 0, unchanged: 0 });
    // It went straight to page 3, and no record was fetched by both runs.
    expect(h.graph.graphRequests('signIns').map((r) => r.page)).toEqual([3, 4, 5]);
    const fetched = [...firstRun, ...h.graph.graphRequests('signIns')].flatMap((r) => r.ids);
    expect(fetched.sort()).toEqual(IDS);
    expect(await storedSigninIds(store)).toEqual(IDS);
    // The cursor advances to the newest sign-in of the whole run, seen by the first run's page 1.
    const done = await cursorRow(store, 'signins');
    expect(done).toMatchObject({ resume_link: null, last_run_outcome: expect.stringMatching(/^ok: /) });
    expect(done!.cursor_at).toEqual(new Date(NEWEST));
    const [pending] = await store.rows<{ n: number }>(sql`select count(*)::int as n from sync_cursors where source = 'signins:pending'`);
    expect(pending!.n).toBe(0);

    // And the run after that is an ordinary incremental one.
    h.graph.requests.length = 0;
    const next = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(next).toMatchObject({ outcome: 'ok', resumed: false, inserted: 0, updated: 0 });
    expect(h.graph.graphRequests('signIns')[0]!.filter).toContain(`createdDateTime ge ${new Date(Date.parse(NEWEST) - 2 * 3_600_000).toISOString().replace('.000Z', 'Z')}`);
  });

  it('resumes an interrupted incremental run and picks up sign-ins that arrived meanwhile', async () => {
    await h.sync(signinsOnly);
    const newest = Date.parse(NEWEST);
    const later = Array.from({ length: PAGE * 2 }, (_, i) => ({ ...SIGNINS[i % SIGNINS.length]!, id: `late-${String(i).padStart(3, '0')}`, createdDateTime: new Date(newest + (i + 1) * 60_000).toISOString() }));
    h.graph.add('signIns', ...later);
    h.graph.fail({ collection: 'signIns', page: 2, status: 503, times: Infinity });
    expect(sourceOf(await h.sync(signinsOnly), 'signins')).toMatchObject({ outcome: 'failed', pages: 1 });
    h.graph.clearFaults();
    // Even more arrive before the resumed run.
    const newer = { ...SIGNINS[0]!, id: 'newer-000', createdDateTime: new Date(newest + 10 * 3_600_000).toISOString() };
    h.graph.add('signIns', newer);
    const resumed = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(resumed).toMatchObject({ outcome: 'ok', resumed: true });
    const lastLate = later.at(-1)!.createdDateTime;
    expect((await cursorRow(store, 'signins'))!.cursor_at).toEqual(new Date(lastLate));
    // The next run reads from the cursor's window and finds the newest one.
    const next = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(next.inserted).toBe(1);
    expect(await storedSigninIds(store)).toEqual([...IDS, ...later.map((l) => l.id), newer.id].sort());
  });

  it('starts afresh from the cursor when Graph no longer accepts the stored resume link', async () => {
    h.graph.fail({ collection: 'signIns', page: 2, status: 500, times: Infinity });
    await h.sync(signinsOnly);
    h.graph.clearFaults();
    h.graph.fail({ collection: 'signIns', page: 2, status: 400, code: 'BadRequest', message: 'The $skiptoken has expired.' });
    h.graph.requests.length = 0;
    const s = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(s).toMatchObject({ outcome: 'ok', resumed: false, pages: 5 });
    expect(h.graph.graphRequests('signIns').map((r) => [r.page, r.status])).toEqual([[2, 400], [1, 200], [2, 200], [3, 200], [4, 200], [5, 200]]);
    expect(h.logLines.some((l) => l.includes('the stored resume link no longer works'))).toBe(true);
    expect(await storedSigninIds(store)).toEqual(IDS);
    expect((await cursorRow(store, 'signins'))!.cursor_at).toEqual(new Date(NEWEST));
  });

  it('never follows a stored resume link to another host', async () => {
    await store.rows(sql`insert into sync_cursors (source, resume_link, last_run_outcome) values ('signins', 'http://127.0.0.1:9/beta/auditLogs/signIns?$skiptoken=abc', 'failed: earlier')`);
    const s = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(s).toMatchObject({ outcome: 'ok', resumed: false, inserted: SIGNINS.length });
    expect(h.logLines.some((l) => l.includes('not resuming from the stored link (Refusing to follow a Graph link to http://127.0.0.1:9'))).toBe(true);
  });

  it('never asks for more than Graph keeps, and warns when sign-ins were lost to retention', async () => {
    const stale = new Date(NOW.getTime() - 40 * 86_400_000);
    await store.rows(sql`insert into sync_cursors (source, cursor_at, last_run_outcome) values ('signins', ${stale.toISOString()}::timestamptz, 'ok: long ago')`);
    const s = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(s.from).toEqual(new Date(NOW.getTime() - 30 * 86_400_000));
    expect(s.inserted).toBe(SIGNINS.length);
    expect(h.logLines.some((l) => l.includes('WARN') && l.includes('Graph keeps only 30 days'))).toBe(true);
  });

  it('records a failure that happens before any page is committed, and starts over next time', async () => {
    h.graph.fail({ collection: 'signIns', page: 1, status: 503, times: Infinity });
    const s = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(s).toMatchObject({ outcome: 'failed', pages: 0, next: 'incremental' });
    expect(await cursorRow(store, 'signins')).toMatchObject({ cursor_at: null, resume_link: null });
    h.graph.clearFaults();
    expect(sourceOf(await h.sync(signinsOnly), 'signins')).toMatchObject({ outcome: 'ok', inserted: SIGNINS.length, resumed: false });
  });

  it('skips a source another run is working on, and takes over a lease that was not renewed', async () => {
    await store.rows(sql`insert into sync_cursors (source, last_run_at, last_run_outcome, updated_at) values ('signins', now(), 'running (run other)', now())`);
    const s = sourceOf(await h.sync(signinsOnly), 'signins');
    expect(s.outcome).toBe('skipped');
    expect(s.error).toMatch(/another sync run has been working on sign-ins since .* \(if that process died, its claim lapses 60 minutes after its last page\)/);
    expect(h.graph.graphRequests()).toHaveLength(0);

    await store.rows(sql`update sync_cursors set updated_at = now() - interval '2 hours' where source = 'signins'`);
    expect(sourceOf(await h.sync(signinsOnly), 'signins')).toMatchObject({ outcome: 'ok', inserted: SIGNINS.length });
  });
});
