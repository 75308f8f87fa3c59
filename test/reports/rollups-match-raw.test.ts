// Every rollup-backed figure (outcome facts, distinct users per set, Conditional Access policy
// counts) must equal a plain aggregate over the raw rows for any period, aligned to hours or days
// or not, and stay equal after late corrections and re-imports.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { ingestSignins } from '../../src/ingest/ingest-records.js';
import { conditionalAccessReport } from '../../src/reports/conditional-access.js';
import { distinctUsers } from '../../src/reports/distinct-users.js';
import type { TimeRange } from '../../src/reports/hour-split.js';
import { onpremFacts } from '../../src/reports/onprem-facts.js';
import { signinFacts, type SigninFact } from '../../src/reports/signin-facts.js';
import { demoSignins } from '../../src/seed/demo-tenant.js';
import { seedDemoTenant } from '../../src/seed/seed-store.js';
import { summaryReport } from '../../src/reports/summary.js';
import type { Period } from '../../src/time/period.js';
import { distinctPrompts } from '../../src/reports/distinct-prompts.js';
import { PROMPTED } from '../../src/reports/signin-predicates.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const NOW = new Date('2026-11-27T09:47:13Z');
const TENANT = { users: 60, days: 6, seed: 11, now: NOW };
let store: TestStore;

/** Prompted records of flows that reach across hours and days, around the periods' edges. */
const satisfied = { method: 'Mobile app notification', succeeded: true, detail: 'MFA successfully completed' };
const longFlows: SigninSpec[] = [
  // Starts before, ends after several periods, with no prompt inside some of them.
  { id: 'span-1', at: '2026-11-22T05:10:00Z', upn: 'span@contoso.com', correlationId: 'span', mfa: satisfied },
  { id: 'span-2', at: '2026-11-26T22:30:00Z', upn: 'span@contoso.com', correlationId: 'span', mfa: satisfied },
  // The same, with a prompt in the middle.
  { id: 'gap-1', at: '2026-11-22T05:10:00Z', upn: 'gap@contoso.com', correlationId: 'gap', mfa: satisfied },
  { id: 'gap-2', at: '2026-11-24T12:00:00Z', upn: 'gap@contoso.com', correlationId: 'gap', mfa: satisfied },
  { id: 'gap-3', at: '2026-11-26T22:30:00Z', upn: 'gap@contoso.com', correlationId: 'gap', mfa: satisfied },
  // Minutes long, across an hour boundary and the start of 'inside one hour'.
  { id: 'cross-1', at: '2026-11-25T09:58:00Z', upn: 'cross@contoso.com', correlationId: 'cross', mfa: satisfied },
  { id: 'cross-2', at: '2026-11-25T10:07:00Z', upn: 'cross@contoso.com', correlationId: 'cross', mfa: satisfied },
  { id: 'cross-3', at: '2026-11-25T10:20:00Z', upn: 'cross@contoso.com', correlationId: 'cross', mfa: satisfied },
];

beforeAll(async () => {
  store = await openTestStore();
  await seedDemoTenant(store, TENANT);
  // Written out of order, so flows start earlier than first seen.
  await loadSignins(store, [...longFlows].reverse().slice(0, 4));
  await loadSignins(store, [...longFlows].reverse().slice(4));
});
afterAll(async () => {
  await store?.close();
});

function key(f: SigninFact): string {
  return [f.mfaRequired, f.mfaOutcome, f.mfaResultCode, f.mfaResultDetail, f.mfaMethod, f.errorCode, f.onpremComponent, f.caStatus].join('|');
}

async function rawFacts(period: Period): Promise<Map<string, number>> {
  const rows = await store.rows<Record<string, string | number>>(sql`
    select mfa_required, mfa_outcome, coalesce(mfa_result_code, '') as code, coalesce(mfa_result_detail, '') as detail,
           coalesce(mfa_method, '') as method, error_code, coalesce(onprem_component, '') as onprem,
           lower(coalesce(ca_status, '')) as ca, count(*)::int as n
    from signins where created_at >= ${period.from.toISOString()}::timestamptz and created_at < ${period.to.toISOString()}::timestamptz
    group by 1, 2, 3, 4, 5, 6, 7, 8`);
  return new Map(rows.map((r) => [[r.mfa_required, r.mfa_outcome, r.code, r.detail, r.method, Number(r.error_code), r.onprem, r.ca].join('|'), Number(r.n)]));
}

/** Distinct users per set, by count(DISTINCT) over the raw sign-ins. */
async function rawUsers(period: Period): Promise<Map<string, number>> {
  const rows = await store.rows<{ kind: string; key: string; users: number }>(sql`
    with s as (
      select coalesce(user_id, upn) as who, * from signins
      where created_at >= ${period.from.toISOString()}::timestamptz and created_at < ${period.to.toISOString()}::timestamptz
        and coalesce(user_id, upn) is not null)
    select 'all' as kind, '' as key, count(distinct who)::int as users from s
    union all select 'challenged', '', count(distinct who)::int from s where mfa_required = 'yes'
    union all select 'failed', '', count(distinct who)::int from s where mfa_required = 'yes' and mfa_outcome in ('denied', 'interrupted')
    union all select 'method', mfa_method, count(distinct who)::int from s where mfa_required = 'yes' and coalesce(mfa_method, '') <> '' group by 2
    union all select 'reason', case when coalesce(mfa_result_code, 'none') = 'other' then 'other:' || coalesce(mfa_result_detail, '')
                                    else coalesce(mfa_result_code, 'none') end, count(distinct who)::int from s
      where mfa_required = 'yes' and mfa_outcome in ('denied', 'interrupted') group by 2
    union all select 'nps', coalesce(ip_address, ''), count(distinct who)::int from s where onprem_component = 'nps' group by 2`);
  return new Map(rows.filter((r) => Number(r.users) > 0).map((r) => [`${r.kind}\u0000${r.key}`, Number(r.users)]));
}

/** Per policy and mode: applied, succeeded, failed; straight from signin_ca_policies. */
async function rawPolicies(period: Period): Promise<Map<string, string>> {
  const rows = await store.rows<Record<string, string | number>>(sql`
    select policy_id, case when lower(result) like 'reportonly%' then 'reportOnly' else 'enforced' end as mode, count(*)::int as applied,
           count(*) filter (where lower(result) in ('success', 'reportonlysuccess'))::int as succeeded,
           count(*) filter (where lower(result) in ('failure', 'reportonlyfailure'))::int as failed
    from signin_ca_policies
    where signin_created_at >= ${period.from.toISOString()}::timestamptz and signin_created_at < ${period.to.toISOString()}::timestamptz
    group by 1, 2`);
  return new Map(rows.map((r) => [`${r.mode}|${r.policy_id}`, `${r.applied}/${r.succeeded}/${r.failed}`]));
}

/** Per on-premises host and outcome: sign-ins and the newest one. */
async function rawOnprem(period: TimeRange): Promise<Map<string, string>> {
  const rows = await store.rows<Record<string, string | number | Date>>(sql`
    select onprem_component, coalesce(ip_address, '') as ip, mfa_outcome, count(*)::int as n, max(created_at) as newest
    from signins
    where created_at >= ${period.from.toISOString()}::timestamptz and created_at < ${period.to.toISOString()}::timestamptz
      and onprem_component is not null
    group by 1, 2, 3`);
  return new Map(rows.map((r) => [`${r.onprem_component}|${r.ip}|${r.mfa_outcome}`, `${r.n}@${new Date(r.newest!).toISOString()}`]));
}

/** Distinct sign-in flows with a prompted record in the period. */
async function rawPrompts(period: Period): Promise<number> {
  const [row] = await store.rows<{ n: number }>(sql`
    select count(distinct coalesce(correlation_id, id)) filter (where ${PROMPTED})::int as n from signins
    where created_at >= ${period.from.toISOString()}::timestamptz and created_at < ${period.to.toISOString()}::timestamptz`);
  return Number(row?.n);
}

async function expectFactsMatchRaw(period: Period) {
  expect(await distinctPrompts(store, period)).toBe(await rawPrompts(period));
  const facts = await signinFacts(store, period);
  const fromRollup = new Map(facts.map((f) => [key(f), f.signins]));
  expect(fromRollup).toEqual(await rawFacts(period));
  expect(await distinctUsers(store, period, ['all', 'challenged', 'failed', 'method', 'reason', 'nps'])).toEqual(await rawUsers(period));
  const onprem = await onpremFacts(store, period);
  expect(new Map(onprem.map((f) => [`${f.component}|${f.ipAddress}|${f.mfaOutcome}`, `${f.signins}@${f.newestAt.toISOString()}`]))).toEqual(await rawOnprem(period));
  const ca = await conditionalAccessReport(store, period);
  expect(new Map(ca.policies.map((p) => [`${p.mode}|${p.policyId}`, `${p.applied}/${p.succeeded}/${p.failed}`]))).toEqual(await rawPolicies(period));
}

const periods: Array<[string, Period]> = [
  ['whole store', { from: new Date('2026-11-01T00:00:00Z'), to: NOW, label: '' }],
  ['hour-aligned', { from: new Date('2026-11-24T00:00:00Z'), to: new Date('2026-11-26T13:00:00Z'), label: '' }],
  ['ragged at both ends', { from: new Date('2026-11-23T07:13:59.123Z'), to: new Date('2026-11-26T18:02:00Z'), label: '' }],
  ['inside one hour', { from: new Date('2026-11-25T10:05:00Z'), to: new Date('2026-11-25T10:55:00Z'), label: '' }],
  ['last 24h', { from: new Date(NOW.getTime() - 86_400_000), to: NOW, label: '' }],
  ['whole days', { from: new Date('2026-11-22T00:00:00Z'), to: new Date('2026-11-26T00:00:00Z'), label: '' }],
  ['ragged with whole days inside', { from: new Date('2026-11-22T05:30:00Z'), to: new Date('2026-11-26T21:10:00Z'), label: '' }],
  // Local midnights in UTC+5:30 and UTC+5:45: the edges are whole quarter hours, no raw rows.
  ['local days in a half-hour zone', { from: new Date('2026-11-22T18:30:00Z'), to: new Date('2026-11-26T18:30:00Z'), label: '' }],
  ['local days in a quarter-hour zone', { from: new Date('2026-11-23T18:15:00Z'), to: new Date('2026-11-26T18:15:00Z'), label: '' }],
  ['whole quarter hours inside one hour', { from: new Date('2026-11-25T10:15:00Z'), to: new Date('2026-11-25T10:45:00Z'), label: '' }],
];

describe('signinFacts', () => {
  it('has on-premises sign-ins from more than one NPS host to compare', async () => {
    const hosts = new Set((await onpremFacts(store, periods[0]![1])).filter((f) => f.component === 'nps').map((f) => f.ipAddress));
    expect(hosts.size).toBeGreaterThan(1);
  });

  it('has prompt flows that start before a period and end after it, with and without a prompt inside', async () => {
    const inside = { from: new Date('2026-11-23T07:13:59.123Z'), to: new Date('2026-11-26T18:02:00Z'), label: '' };
    const count = (ids: string[]) =>
      store.rows<{ n: number }>(sql`select count(*)::int as n from signins where id = any(${sql.param(ids)}::text[])
        and created_at >= ${inside.from.toISOString()}::timestamptz and created_at < ${inside.to.toISOString()}::timestamptz`);
    expect((await count(['span-1', 'span-2']))[0]?.n).toBe(0);
    expect((await count(['gap-1', 'gap-2', 'gap-3']))[0]?.n).toBe(1);
  });

  it('counts a flow again from the raw rows when a correction takes its first prompt away', async () => {
    // The hour (from the hourly rollup) and the minutes (from prompt_flows) around cross-1 only.
    const checked = [
      { from: new Date('2026-11-25T09:00:00Z'), to: new Date('2026-11-25T10:00:00Z'), label: '' },
      { from: new Date('2026-11-25T09:50:00Z'), to: new Date('2026-11-25T10:00:00Z'), label: '' },
    ];
    const prompts = () => Promise.all(checked.map((period) => distinctPrompts(store, period)));
    const before = await prompts();
    await loadSignins(store, [{ ...longFlows[5]!, mfaRequired: false, mfa: undefined }]);
    const after = await prompts();
    expect(after).toEqual(await Promise.all(checked.map(rawPrompts)));
    expect(after).toEqual(before.map((n) => n - 1));
    await loadSignins(store, [longFlows[5]!]);
    expect(await prompts()).toEqual(before);
  });

  it.each(periods)('equals the raw aggregate: %s', async (_name, period) => {
    await expectFactsMatchRaw(period);
  });

  it('stores every sign-in with its user number, and counts rows stored before that column existed', async () => {
    const numbered = await store.rows<{ rows: number; wrong: number }>(sql`
      select count(*)::int as rows,
             count(*) filter (where s.user_num is distinct from n.num)::int as wrong
      from signins s left join user_numbers n on n.user_key = coalesce(s.user_id, s.upn)`);
    expect(numbered[0]!.rows).toBeGreaterThan(1000);
    expect(numbered[0]!.wrong).toBe(0);
    // Rows from before migration 0013 have no number: the edges look them up instead.
    const cleared = await store.rows<{ id: string }>(sql`update signins set user_num = null where right(md5(id), 1) < '8' returning id`);
    expect(cleared.length).toBeGreaterThan(100);
    for (const [, period] of periods) await expectFactsMatchRaw(period);
  });

  it('still equals it after late corrections and a re-import', async () => {
    // Re-deliver a day of sign-ins with every denied MFA step corrected to a success.
    const day = [...demoSignins(TENANT)].filter((r) => r.createdDateTime.startsWith('2026-11-25'));
    expect(day.length).toBeGreaterThan(50);
    const corrected = day.map((record) => {
      const copy = structuredClone(record) as unknown as { authenticationDetails?: Array<{ succeeded?: boolean; authenticationStepResultDetail?: string }>; status?: { errorCode: number } };
      for (const step of copy.authenticationDetails ?? []) {
        if (step.succeeded === false) {
          step.succeeded = true;
          step.authenticationStepResultDetail = 'MFA successfully completed';
        }
      }
      if (copy.status?.errorCode === 500121) copy.status.errorCode = 0;
      return graphSignInSchema.parse(copy);
    });
    const before = await summaryReport(store, { ...periods[0]![1], label: 'all' });
    const result = await ingestSignins(store, corrected, 'graph-beta');
    expect(result.updated).toBeGreaterThan(0);
    expect(result.inserted).toBe(0);
    const after = await summaryReport(store, { ...periods[0]![1], label: 'all' });
    expect(after.signins).toBe(before.signins);
    expect(after.denied).toBeLessThan(before.denied);
    for (const [, period] of periods) await expectFactsMatchRaw(period);
    // The same corrected records again change nothing.
    const again = await ingestSignins(store, corrected, 'graph-beta');
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: corrected.length });
  });

  // Last: it takes raw rows away behind the rollups' back.
  it('reads a period cut at local midnight in a half-hour zone from the rollups alone, quarter hours included', async () => {
    const period = periods.find(([name]) => name === 'local days in a half-hour zone')![1];
    const edges = [
      { from: new Date('2026-11-22T18:30:00Z'), to: new Date('2026-11-22T19:00:00Z') },
      { from: new Date('2026-11-26T18:00:00Z'), to: new Date('2026-11-26T18:30:00Z') },
    ];
    const inEdges = sql.join(edges.map((e) => sql`(created_at >= ${e.from.toISOString()}::timestamptz and created_at < ${e.to.toISOString()}::timestamptz)`), sql` or `);
    const [edgeRows] = await store.rows<{ n: number }>(sql`select count(*)::int as n from signins where ${inEdges}`);
    expect(edgeRows!.n).toBeGreaterThan(5);
    const facts = await signinFacts(store, period);
    const users = await distinctUsers(store, period, ['all', 'challenged', 'failed', 'method', 'reason', 'nps']);
    await store.rows(sql`delete from signins where ${inEdges}`);
    // The raw rows changed, the rollups did not: equal answers mean no raw row was read.
    expect(new Map((await rawFacts(period)).entries())).not.toEqual(new Map(facts.map((f) => [key(f), f.signins])));
    expect(await signinFacts(store, period)).toEqual(facts);
    expect(await distinctUsers(store, period, ['all', 'challenged', 'failed', 'method', 'reason', 'nps'])).toEqual(users);
  });
});
