// The scaffolding report tests share: a store loaded with the test's data and a harness on it,
// plus an empty store with its own harness for the "nothing loaded yet" replies. Opened before
// the file's tests, closed after.
import { afterAll, beforeAll } from 'vitest';
import { replyText } from './reply-text.js';
import { startHarness, type Harness } from './slack-harness.js';
import { openTestStore, type TestStore } from './test-store.js';

export interface ReportFixture {
  readonly store: TestStore;
  readonly harness: Harness;
  readonly emptyHarness: Harness;
  /** `/mfa <command>` as the admin, the reply flattened to lines; 'empty' asks the empty store. */
  text(command: string, on?: 'data' | 'empty'): Promise<string>;
}

export function useReportFixture(options: { now: Date; load: (store: TestStore) => Promise<unknown> }): ReportFixture {
  let store: TestStore | undefined;
  let empty: TestStore | undefined;
  let harness: Harness | undefined;
  let emptyHarness: Harness | undefined;

  beforeAll(async () => {
    store = await openTestStore();
    await options.load(store);
    harness = await startHarness({ store, now: () => options.now });
    empty = await openTestStore();
    emptyHarness = await startHarness({ store: empty, now: () => options.now });
  });
  afterAll(async () => {
    await harness?.close();
    await store?.close();
    await emptyHarness?.close();
    await empty?.close();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the report fixture is used before beforeAll ran');
    return value;
  };
  return {
    get store() {
      return ready(store);
    },
    get harness() {
      return ready(harness);
    },
    get emptyHarness() {
      return ready(emptyHarness);
    },
    async text(command, on = 'data') {
      return replyText((await ready(on === 'empty' ? emptyHarness : harness).command(command)).reply);
    },
  };
}
