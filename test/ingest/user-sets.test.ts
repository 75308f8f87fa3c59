// The runs of days the user sets are kept for: how a period's whole days split into them, and that
// the migration that built them for stores from before (0014) builds what the writer keeps.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayRunsCovering } from '../../src/ingest/user-sets.js';
import { seedDemoTenant } from '../../src/seed/seed-store.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const DAY = 86_400_000;
const lengthOf = (level: string) => (level === 'day' ? 1 : Number(level.slice('days'.length)));

describe('dayRunsCovering', () => {
  it('tiles every range of whole days exactly with runs aligned to their length, about 7 for 30 days', () => {
    const first = Date.UTC(2026, 9, 1) / DAY;
    for (let from = first; from < first + 32; from++) {
      for (let days = 0; days <= 40; days++) {
        const runs = dayRunsCovering(new Date(from * DAY), new Date((from + days) * DAY));
        let at = from;
        for (const run of runs) {
          const start = run.start.getTime() / DAY;
          const length = lengthOf(run.level);
          expect([start, start % length]).toEqual([at, 0]);
          at += length;
        }
        expect(at).toBe(from + days);
        if (days <= 31) expect(runs.length).toBeLessThanOrEqual(8);
      }
    }
  });
});

describe('migration 0014', () => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore();
    await seedDemoTenant(store, { users: 40, days: 20, seed: 5, now: new Date('2026-11-27T09:00:00Z') });
  });
  afterAll(async () => {
    await store?.close();
  });

  const runs = () =>
    store.rows<{ level: string; start: string; kind: string; key: string; chunk: number; bits: string }>(sql`
      SELECT level, start::text, kind, key, chunk, bits::text FROM signin_user_sets WHERE level LIKE 'days%' ORDER BY 1, 2, 3, 4, 5`);

  it('builds from the stored days the same runs the writer keeps', async () => {
    const kept = await runs();
    expect(new Set(kept.map((r) => r.level))).toEqual(new Set(['days2', 'days4', 'days8', 'days16']));
    await store.db.execute(sql`DELETE FROM signin_user_sets WHERE level LIKE 'days%'`);
    const migration = readFileSync(new URL('../../db/migrations/0014_user_set_day_runs.sql', import.meta.url), 'utf8');
    await store.db.execute(sql.raw(migration));
    expect(await runs()).toEqual(kept);
  });
});
