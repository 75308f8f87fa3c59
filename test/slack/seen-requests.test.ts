// The replay memory on a real store: two replicas on one database see each other's requests,
// rows go once past their expiry, and a database that hangs or is gone never holds a request up
// (each process then still refuses the replays it has seen itself).
import { LogLevel } from '@slack/bolt';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createSeenRequests } from '../../src/slack/seen-requests.js';
import type { Store } from '../../db/client.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => {
  await store?.close();
});

let counter = 0;
/** A fresh signature-shaped key for each call. */
const signature = () => `v0=${(++counter).toString(16).padStart(64, '0')}`;

function replica(over: { store?: Store; databaseWaitMs?: number; now?: () => number } = {}) {
  const lines: string[] = [];
  const logger = createLogger({ level: LogLevel.DEBUG, sink: (line) => lines.push(line) });
  return { lines, seen: createSeenRequests({ store: over.store ?? store, logger, databaseWaitMs: over.databaseWaitMs, now: over.now }) };
}

const rowsFor = (sig: string) =>
  store.rows<{ expires_at: Date | string }>(sql`SELECT expires_at FROM slack_seen_requests WHERE signature = ${sig}`);

describe('two replicas on one database', () => {
  it('the second replica, and the first again, see a replay; the row keeps it ten minutes past its timestamp', async () => {
    const a = replica();
    const b = replica();
    const sig = signature();
    const ts = Math.floor(Date.now() / 1000);
    expect(await a.seen.remember(sig, ts)).toBe('first');
    expect(await b.seen.remember(sig, ts)).toBe('replay');
    expect(await a.seen.remember(sig, ts)).toBe('replay');
    const rows = await rowsFor(sig);
    expect(rows).toHaveLength(1);
    expect(new Date(rows[0]!.expires_at).getTime()).toBe((ts + 600) * 1000);
    expect([...a.lines, ...b.lines].filter((line) => !line.includes('DEBUG'))).toEqual([]);
  });

  it('lets exactly one of two replicas have a request both receive at once', async () => {
    const ts = Math.floor(Date.now() / 1000);
    for (let round = 0; round < 10; round++) {
      const sig = signature();
      const sightings = await Promise.all([replica().seen.remember(sig, ts), replica().seen.remember(sig, ts)]);
      expect(sightings.sort()).toEqual(['first', 'replay']);
    }
  });
});

describe('pruning', () => {
  it('deletes the rows past their expiry and keeps the others', async () => {
    const nowS = Math.floor(Date.now() / 1000);
    const { seen } = replica({ now: () => (nowS + 601) * 1000 });
    const old = signature();
    const fresh = signature();
    await replica().seen.remember(old, nowS);
    await replica().seen.remember(fresh, nowS + 2);
    const deleted = await seen.prune();
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await rowsFor(old)).toHaveLength(0);
    expect(await rowsFor(fresh)).toHaveLength(1);
  });
});

describe('a database that does not answer', () => {
  it('lets a request through after the wait, refuses its replay from memory, and records the row once it can', async () => {
    const { seen, lines } = replica({ databaseWaitMs: 200 });
    const sig = signature();
    const ts = Math.floor(Date.now() / 1000);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = store.bulk(async (tx) => {
      await tx.rows(sql`LOCK TABLE slack_seen_requests IN ACCESS EXCLUSIVE MODE`);
      locked();
      await released;
    });
    try {
      await isLocked;
      expect(await seen.remember(sig, ts)).toBe('first');
      expect(await seen.remember(sig, ts)).toBe('replay');
      expect(lines.filter((line) => line.includes('WARN'))).toEqual([
        expect.stringContaining('Replay check: the database did not record a Slack request (no answer within 200 ms); until it does, each replica refuses only the replays it has seen itself'),
      ]);
    } finally {
      release();
      await holder;
    }
    // The insert that missed the wait still lands, so the other replicas learn of the request.
    await expect.poll(() => rowsFor(sig).then((rows) => rows.length)).toBe(1);
    expect(await seen.remember(signature(), ts)).toBe('first');
    expect(lines.filter((line) => line.includes('INFO'))).toEqual([expect.stringContaining('Replay check: the database answers again')]);
  });

  // PGlite lives inside the process and cannot become unreachable; a Postgres pool can.
  it.runIf(testBackend() === 'postgres')('is gone: every request still goes through, its replays are still refused, and it is said once', async () => {
    const doomed = store.withStatementTimeout(5_000);
    const { seen, lines } = replica({ store: doomed });
    await doomed.close();
    const ts = Math.floor(Date.now() / 1000);
    const sigs = [signature(), signature(), signature()];
    for (const sig of sigs) expect(await seen.remember(sig, ts)).toBe('first');
    for (const sig of sigs) expect(await seen.remember(sig, ts)).toBe('replay');
    expect(lines.filter((line) => line.includes('WARN'))).toHaveLength(1);
    expect(lines.find((line) => line.includes('WARN'))).toContain('Replay check: the database did not record a Slack request');
  });
});
