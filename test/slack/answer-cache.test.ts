// Answers kept within their minute (src/slack/answer-cache.ts): through the real path (signed
// requests, the real store, its NOTIFY on every change from migration 0016), and the cache's own
// promises against the real store's LISTEN.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createAnswerCache, type Cacheable } from '../../src/slack/answer-cache.js';
import { notice } from '../../src/views/notice-view.js';
import { loadSignins, type SigninSpec } from '../support/graph-records.js';
import { replyText } from '../support/reply-text.js';
import { startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';
import { until } from '../support/until.js';

const NOW = new Date('2026-11-27T12:30:20Z');
const MINUTE = 60_000;
const ok = (detail = 'MFA successfully completed') => ({ method: 'Mobile app notification', succeeded: true, detail });
const signin = (id: string, hoursAgo: number, upn = 'alice@contoso.com'): SigninSpec => ({ id, at: new Date(NOW.getTime() - hoursAgo * 3_600_000), upn, mfa: ok() });

let store: TestStore;

beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, [signin('c1', 5), signin('c2', 30, 'bob@contoso.com'), signin('c3', 50)]);
});
afterAll(async () => {
  await store?.close();
});

/** Turns the store's change notifications off or on, so a write the cache is not told about shows whether an answer was kept. */
async function notifications(on: boolean) {
  const tables = await store.rows<{ table: string }>(
    sql`select c.relname as table from pg_trigger t join pg_class c on c.oid = t.tgrelid where t.tgname = 'mfa_bot_store_changed'`,
  );
  for (const { table } of tables) await store.db.execute(sql.raw(`alter table "${table}" ${on ? 'enable' : 'disable'} trigger mfa_bot_store_changed`));
}

/** Asks until `ask` gives `wanted` (an answer worked out in the background, a NOTIFY on its way), for up to 5 s; the last answer. */
async function eventually(ask: () => Promise<number>, wanted: number): Promise<number> {
  const deadline = Date.now() + 5000;
  let got = await ask();
  while (got !== wanted && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    got = await ask();
  }
  return got;
}

/** "N sign-ins;" as the summary shows it. */
function signinsIn(text: string): number {
  const match = /([\d,]+) sign-ins?;/.exec(text);
  if (!match) throw new Error(`no sign-in count in: ${text}`);
  return Number(match[1]!.replace(/,/g, ''));
}

describe('/mfa answers kept within their minute', () => {
  let harness: Harness;
  let now = NOW;

  beforeAll(async () => {
    harness = await startHarness({ store, now: () => now });
  });
  afterAll(async () => {
    await notifications(true);
    await harness?.close();
  });

  async function summarySignins(): Promise<number> {
    const { reply } = await harness.command('summary 7d');
    return signinsIn(replyText(reply));
  }

  it('gives the same answer again within the minute, and a fresh one once anything is written', async () => {
    expect(await summarySignins()).toBe(3);
    await notifications(false);
    await loadSignins(store, [signin('c4', 2)]);
    // Not told of the write: the answer of this minute is the one kept, and the audit says so.
    expect(await summarySignins()).toBe(3);
    const audited = await store.rows<{ reused: boolean }>(sql`select reused from query_audit order by id desc limit 2`);
    expect(audited.map((row) => row.reused)).toEqual([true, false]);

    await notifications(true);
    await loadSignins(store, [signin('c5', 3)]);
    // The write's NOTIFY arrives when it commits; both new sign-ins are counted from then on.
    expect(await eventually(summarySignins, 5)).toBe(5);
  });

  it('works the answer out again in the next minute, giving the one before (with its period) meanwhile', async () => {
    await notifications(false);
    await loadSignins(store, [signin('c6', 4)]);
    expect(await summarySignins()).toBe(5);
    now = new Date(NOW.getTime() + MINUTE);
    const { reply } = await harness.command('summary 7d');
    // The turn of the minute: the kept answer says which period it covers.
    expect(replyText(reply)).toContain('to 2026-11-27 12:30 (UTC)');
    expect(signinsIn(replyText(reply))).toBe(5);
    expect(await eventually(summarySignins, 6)).toBe(6);
    expect(replyText((await harness.command('summary 7d')).reply)).toContain('to 2026-11-27 12:31 (UTC)');
    // Two minutes on, nothing of 12:30 is used any more.
    await loadSignins(store, [signin('c6b', 4)]);
    now = new Date(NOW.getTime() + 3 * MINUTE);
    expect(await summarySignins()).toBe(7);
    await notifications(true);
  });

  it('counts a period up to the start of the minute, the precision its bounds are shown in', async () => {
    now = new Date('2026-11-27T13:31:40Z');
    await loadSignins(store, [{ id: 'c7', at: new Date('2026-11-27T13:31:10Z'), upn: 'carol@contoso.com', mfa: ok() }]);
    const { reply } = await harness.command('summary 24h');
    const text = replyText(reply);
    expect(text).toContain('2026-11-27 13:31');
    // c1, c4, c5, c6, c6b (c2 is 30 h old); c7 came in after 13:31:00.
    expect(signinsIn(text)).toBe(5);
    now = new Date('2026-11-27T13:32:00Z');
    expect(await eventually(async () => signinsIn(replyText((await harness.command('summary 24h')).reply)), 6)).toBe(6);
  });

  it('keeps nothing with ANSWER_CACHE_MB=0', async () => {
    const uncached = await startHarness({ store, now: () => now, answerCacheBytes: 0 });
    try {
      const first = signinsIn(replyText((await uncached.command('summary 7d')).reply));
      await notifications(false);
      await loadSignins(store, [signin('c8', 1)]);
      expect(signinsIn(replyText((await uncached.command('summary 7d')).reply))).toBe(first + 1);
    } finally {
      await notifications(true);
      await uncached.close();
    }
  });
});

describe('the answer cache', () => {
  const logger = createLogger({ level: 'error' as never, secrets: [], sink: () => {} });
  const answered = (text: string, bytes = 0): Cacheable => ({
    outcome: 'answered',
    reply: { text, blocks: [] },
    files: bytes ? [{ filename: 'chart.png', bytes: Buffer.alloc(bytes), title: 'chart', altText: 'chart' }] : [],
  });
  const key = (text: string, minute = 0) => ({ text, minute, timeZone: 'UTC' });

  async function withCache(run: (cache: ReturnType<typeof createAnswerCache<Cacheable>>) => Promise<void>, maxBytes = 1024 * 1024) {
    const cache = createAnswerCache<Cacheable>({ store, logger, maxBytes });
    await cache.start();
    try {
      await run(cache);
    } finally {
      await cache.stop();
    }
  }

  it('works out identical questions asked together once', async () => {
    await withCache(async (cache) => {
      let computed = 0;
      let release = () => {};
      const slow = () => {
        computed += 1;
        return new Promise<Cacheable>((resolve) => (release = () => resolve(answered('one'))));
      };
      const asked = [cache.answer(key('a'), slow), cache.answer(key('a'), slow), cache.answer(key('a'), slow)];
      release();
      const answers = await Promise.all(asked);
      expect(computed).toBe(1);
      expect(answers.map((a) => a.answer.reply.text)).toEqual(['one', 'one', 'one']);
      expect(answers.map((a) => a.kept)).toEqual([false, true, true]);
      expect((await cache.answer(key('a'), slow)).kept).toBe(true);
      expect(computed).toBe(1);
    });
  });

  it('keeps no error, and does not pass one on to a question that joined it', async () => {
    await withCache(async (cache) => {
      let computed = 0;
      const failing = async (): Promise<Cacheable> => {
        computed += 1;
        return { outcome: 'error', reply: notice.storeUnavailable() };
      };
      await cache.answer(key('b'), failing);
      await cache.answer(key('b'), failing);
      expect(computed).toBe(2);
      const [first, joined] = await Promise.all([cache.answer(key('b2'), failing), cache.answer(key('b2'), async () => answered('fine'))]);
      expect(first.answer.outcome).toBe('error');
      expect(joined.answer.reply.text).toBe('fine');
      expect(computed).toBe(3);
    });
  });

  it('gives the minute before\'s answer while the new minute\'s is worked out, once, and nothing older', async () => {
    await withCache(async (cache) => {
      let computed = 0;
      let release = () => {};
      const compute = async () => answered(`answer ${++computed}`);
      const slow = () => new Promise<Cacheable>((resolve) => (release = () => resolve(answered(`answer ${++computed}`))));
      expect((await cache.answer(key('c', 0), compute)).answer.reply.text).toBe('answer 1');
      const turn = await Promise.all([cache.answer(key('c', MINUTE), slow), cache.answer(key('c', MINUTE), slow)]);
      expect(turn.map((a) => [a.answer.reply.text, a.kept])).toEqual([['answer 1', true], ['answer 1', true]]);
      release();
      await until(() => computed === 2, 1000);
      await new Promise((resolve) => setImmediate(resolve));
      expect((await cache.answer(key('c', MINUTE), compute)).answer.reply.text).toBe('answer 2');
      // Minute 0's answer went when minute 1's was kept; two minutes on, minute 1's is not used.
      expect((await cache.answer(key('c', 0), compute)).answer.reply.text).toBe('answer 3');
      expect((await cache.answer(key('c', 3 * MINUTE), compute)).answer.reply.text).toBe('answer 4');
      expect(computed).toBe(4);
    });
  });

  it('works out the new minute\'s answers one at a time, all of them', async () => {
    await withCache(async (cache) => {
      const questions = ['g1', 'g2', 'g3', 'g4'];
      for (const text of questions) await cache.answer(key(text, 0), async () => answered(`${text} at 0`));
      let running = 0;
      let most = 0;
      const worked: string[] = [];
      const slowly = (text: string) => async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running -= 1;
        worked.push(text);
        return answered(`${text} at 1`);
      };
      const turn = await Promise.all(questions.map((text) => cache.answer(key(text, MINUTE), slowly(text))));
      expect(turn.map((a) => a.answer.reply.text)).toEqual(questions.map((text) => `${text} at 0`));
      // Asked again while queued: still the minute before's, and not queued twice.
      expect((await cache.answer(key('g4', MINUTE), slowly('g4'))).answer.reply.text).toBe('g4 at 0');
      await until(() => worked.length === questions.length, 2000);
      expect(most).toBe(1);
      expect(worked).toEqual(questions);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(worked).toHaveLength(questions.length);
      for (const text of questions) expect((await cache.answer(key(text, MINUTE), slowly(text))).answer.reply.text).toBe(`${text} at 1`);
    });
  });

  it('gives no answer of the minute before once the store has changed', async () => {
    await withCache(async (cache) => {
      let computed = 0;
      const compute = async () => answered(`answer ${++computed}`);
      await cache.answer(key('f', 0), compute);
      await store.db.execute(sql`update signins set upn = upn where id = 'c1'`);
      const deadline = Date.now() + 5000;
      let next = await cache.answer(key('f', MINUTE), compute);
      // Until the NOTIFY arrives the minute before's answer may still be given; after it, never.
      while (next.answer.reply.text === 'answer 1' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        next = await cache.answer(key('f', MINUTE), compute);
      }
      expect(next.answer.reply.text).not.toBe('answer 1');
    });
  });

  it('stays within its size, dropping the oldest answers first', async () => {
    await withCache(async (cache) => {
      const compute = (text: string) => async () => answered(text, 400);
      for (const text of ['d1', 'd2', 'd3']) await cache.answer(key(text), compute(text));
      // Each weighs a little over 400 bytes: two fit in 1,000, so d1 went to make room for d3.
      expect((await cache.answer(key('d3'), compute('d3'))).kept).toBe(true);
      expect((await cache.answer(key('d2'), compute('d2'))).kept).toBe(true);
      expect((await cache.answer(key('d1'), compute('d1'))).kept).toBe(false);
      // One heavier than the whole cache is given but never kept.
      await cache.answer(key('huge'), async () => answered('huge', 2000));
      expect((await cache.answer(key('huge'), async () => answered('huge', 2000))).kept).toBe(false);
    }, 1000);
  });

  it('drops what it keeps when a write commits, and not for one rolled back', async () => {
    await withCache(async (cache) => {
      let computed = 0;
      const compute = async () => answered(`answer ${++computed}`);
      await cache.answer(key('e'), compute);
      await store.db
        .transaction(async (tx) => {
          await tx.execute(sql`update signins set upn = upn where id = 'c1'`);
          throw new Error('rolled back on purpose');
        })
        .catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await cache.answer(key('e'), compute)).kept).toBe(true);

      await store.db.execute(sql`update signins set upn = upn where id = 'c1'`);
      const deadline = Date.now() + 5000;
      while ((await cache.answer(key('e'), compute)).kept && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(computed).toBe(2);
    });
  });
});
