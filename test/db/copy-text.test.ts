// COPY text written by copyText and streamed by store.bulk arrives intact on both stores: tabs,
// newlines, backslashes, quotes and braces in text, arrays and jsonb, NULLs and defaults.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyText } from '../../db/copy-text.js';
import { signinCaPolicies, signins } from '../../db/schema.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});

const NASTY = 'tab\there, new\nline, cr\r, back\\slash \\N, "quotes", {braces}, comma, ünïcödé 🔐';

describe('copyText through store.bulk', () => {
  it('round-trips text, booleans, integers, timestamps, jsonb, arrays and NULLs', async () => {
    const at = new Date('2026-11-20T10:11:12.345Z');
    const rows = [
      {
        id: 'a',
        createdAt: at,
        upn: NASTY,
        isInteractive: false,
        errorCode: 500121,
        mfaRequired: 'yes',
        mfaOutcome: 'denied',
        authSteps: [{ at: null, method: NASTY, methodDetail: null, requirement: null, succeeded: false, resultDetail: 'x' }],
        source: 'test',
      },
      { id: 'b', createdAt: at, upn: null, isInteractive: true, errorCode: 0, mfaRequired: 'no', mfaOutcome: 'not_required', authSteps: [], source: 'test' },
    ];
    const policies = [{ signinId: 'a', signinCreatedAt: at, policyId: 'p1', displayName: NASTY, grantControls: ['mfa', NASTY, ''], sessionControls: [], result: 'failure' }];
    const copied = await store.bulk(async (tx) => {
      await tx.db.execute(sql`CREATE TEMP TABLE "s" (LIKE "signins" INCLUDING DEFAULTS) ON COMMIT DROP`);
      await tx.db.execute(sql`CREATE TEMP TABLE "p" (LIKE "signin_ca_policies" INCLUDING DEFAULTS) ON COMMIT DROP`);
      const s = copyText(signins, rows);
      const p = copyText(signinCaPolicies, policies);
      await tx.copyIn('s', s.columns, s.text);
      await tx.copyIn('p', p.columns, p.text);
      return {
        signins: await tx.rows<Record<string, unknown>>(sql`SELECT "id", "created_at", "upn", "is_interactive", "error_code", "auth_steps", "ingested_at" FROM "s" ORDER BY "id"`),
        policies: await tx.rows<Record<string, unknown>>(sql`SELECT "display_name", "grant_controls", "session_controls" FROM "p"`),
      };
    });
    expect(copied.signins).toHaveLength(2);
    const [a, b] = copied.signins;
    expect(a).toMatchObject({ id: 'a', upn: NASTY, is_interactive: false, error_code: 500121 });
    expect(new Date(a!.created_at as string).toISOString()).toBe(at.toISOString());
    expect(a!.auth_steps).toEqual(rows[0]!.authSteps);
    // A column no row sets keeps its default.
    expect(a!.ingested_at).not.toBeNull();
    expect(b).toMatchObject({ id: 'b', upn: null, is_interactive: true, auth_steps: [] });
    expect(copied.policies).toEqual([{ display_name: NASTY, grant_controls: ['mfa', NASTY, ''], session_controls: [] }]);
  });

  it('copies nothing for no rows', async () => {
    const count = await store.bulk(async (tx) => {
      await tx.db.execute(sql`CREATE TEMP TABLE "e" (LIKE "signins") ON COMMIT DROP`);
      const e = copyText(signins, []);
      await tx.copyIn('e', e.columns, e.text);
      return tx.rows<{ n: number }>(sql`SELECT count(*)::int AS "n" FROM "e"`);
    });
    expect(Number(count[0]!.n)).toBe(0);
  });
});
