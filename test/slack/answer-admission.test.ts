// How many /mfa questions a bot works on at once (src/slack/answer-admission.ts): the limiter's
// own promises, and through the real path on Postgres, where a lock held by another connection
// keeps the report queries waiting while more questions arrive.
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnswerAdmission } from '../../src/slack/answer-admission.js';
import { loadSignins } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';
import { until } from '../support/until.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BUSY = 'I am answering a lot of questions right now; try again in a few seconds.';

describe('the admission limit', () => {
  it('runs as many at once as allowed, queues as many as allowed, turns the rest away at once', async () => {
    const admission = createAnswerAdmission({ running: 2, waiting: 1 });
    const releases: Array<() => void> = [];
    let started = 0;
    const work = (name: string) => () => {
      started += 1;
      return new Promise<string>((resolve) => releases.push(() => resolve(name)));
    };
    const a = admission.run(work('a'));
    const b = admission.run(work('b'));
    const c = admission.run(work('c'));
    expect(await admission.run(work('d'))).toBe('busy');
    expect(started).toBe(2);
    expect(admission.load).toEqual({ running: 2, waiting: 1 });

    releases[0]!();
    expect(await a).toBe('a');
    // c got a's place.
    await until(() => started === 3, 1000);
    expect(admission.load).toEqual({ running: 2, waiting: 0 });
    releases[1]!();
    releases[2]!();
    expect([await b, await c]).toEqual(['b', 'c']);
    expect(admission.load).toEqual({ running: 0, waiting: 0 });
  });

  it('gives the place back when the work fails', async () => {
    const admission = createAnswerAdmission({ running: 1, waiting: 0 });
    await expect(admission.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await admission.run(async () => 'next')).toBe('next');
    expect(admission.load).toEqual({ running: 0, waiting: 0 });
  });
});

const ON_PGLITE = 'Postgres only: PGlite has one connection, so no other session can hold a lock the reports wait on';

describe.runIf(testBackend() === 'pglite')('/mfa past the admission limit', () => {
  it('is a Postgres test', ({ skip }) => skip(ON_PGLITE));
});

describe.skipIf(testBackend() === 'pglite')('/mfa past the admission limit', () => {
  const NOW = new Date('2026-11-27T12:30:00Z');
  let store: TestStore;
  let harness: Harness;
  let locker: postgres.Sql;

  beforeAll(async () => {
    store = await openTestStore();
    await loadSignins(store, [{ id: 'a1', at: new Date('2026-11-27T09:00:00Z'), upn: 'alice@contoso.com', mfa: { method: 'Mobile app notification', succeeded: true, detail: 'MFA successfully completed' } }]);
    harness = await startHarness({ store, now: () => NOW, admission: { running: 1, waiting: 1 } });
    locker = postgres(store.databaseUrl!, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await harness?.close();
    await locker?.end();
    await store?.close();
  });

  it('says "busy, try again" at once past the limit, audits it, and answers the admitted ones', async () => {
    let unlock = () => {};
    const locked = new Promise<void>((resolve) => {
      void locker.begin(async (tx) => {
        await tx`lock table signins, signin_hourly, signin_daily, signin_user_sets in access exclusive mode`;
        resolve();
        await new Promise<void>((release) => (unlock = release));
      });
    });
    await locked;

    // Different questions, so none shares another's computation: one runs (and waits on the
    // lock), one waits for its place, the third is turned away.
    const running = harness.command('summary 7d');
    await pause(200);
    const waiting = harness.command('summary 30d');
    await pause(200);
    const started = Date.now();
    const turnedAway = await harness.command('summary 24h');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(turnedAway.via).toBe('ack');
    expect(replyText(turnedAway.reply)).toContain(BUSY);

    unlock();
    expect(replyText((await running).reply)).toContain('1 sign-in;');
    expect(replyText((await waiting).reply)).toContain('1 sign-in;');

    const audit = await store.rows<{ command_text: string; outcome: string }>(sql`select command_text, outcome from query_audit order by id`);
    expect(audit).toEqual(
      expect.arrayContaining([
        { command_text: 'summary 7d', outcome: 'answered' },
        { command_text: 'summary 30d', outcome: 'answered' },
        { command_text: 'summary 24h', outcome: 'busy' },
      ]),
    );
    expect(harness.logLines.filter((line) => line.includes('turning questions away as busy'))).toHaveLength(1);
  });
});
