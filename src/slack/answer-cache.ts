// Answers already given, kept while they are still right. The /mfa listener asks every question
// as of the start of its minute, so the same text asked again within that minute, with nothing
// changed in the store, has the same answer: it is given again without asking Postgres. Every
// statement that changes what a report reads sends a NOTIFY when it commits (migration 0016) and
// the cache drops everything then. Identical questions asked together share one computation.
//
// At the turn of a minute every kept question is new at once, on every replica: a question whose
// answer of the minute before is still kept (nothing changed since) gets that answer, which shows
// the period it covers, while its new one is worked out once in the background. Those background
// answers are worked out one at a time: every kept question turns at the same moment, on every
// replica, and working them all out at once filled both cores just when each request still makes
// its own two writes (replay check, audit); the load run's p99 went from 392 to 321 ms.
// No answer is used past the minute after its own, so a notification lost while the LISTEN
// connection was down leaves an answer at most two minutes behind the store.
import type { Logger } from '@slack/bolt';
import type { ReplyFile } from '../../commands/index.js';
import type { Store } from '../../db/client.js';
import type { Reply } from '../views/blocks.js';

export const STORE_CHANGED_CHANNEL = 'mfa_bot_store_changed';

/** What an answer depends on besides the store's contents. */
export interface AnswerKey {
  text: string;
  /** The minute the question is asked as of (its start, epoch ms). */
  minute: number;
  timeZone: string;
}

/** What is kept: only answers (outcome "answered"), never errors or refusals. */
export interface Cacheable {
  outcome: string;
  reply: Reply;
  files?: ReplyFile[] | undefined;
}

export interface AnswerCache<T extends Cacheable> {
  /**
   * `compute`'s answer, or the one it gave for the same key since the store last changed (`kept`:
   * given again, or shared with the identical question that was being worked out).
   */
  answer(key: AnswerKey, compute: () => Promise<T>): Promise<{ answer: T; kept: boolean }>;
  /** Starts listening for store changes; nothing is kept until it listens. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AnswerCacheOptions {
  store: Store;
  logger: Logger;
  /** What the kept answers may weigh in all (their blocks as JSON plus their files). */
  maxBytes: number;
}

/** A few hundred answers with charts: the bot's whole memory target is 200 MB. */
export const DEFAULT_ANSWER_CACHE_MB = 16;

const MINUTE_MS = 60_000;

interface Entry<T> {
  answer: T;
  minute: number;
  bytes: number;
}

function weigh(answer: Cacheable): number {
  const files = (answer.files ?? []).reduce((sum, file) => sum + file.bytes.length, 0);
  return JSON.stringify(answer.reply).length + files;
}

function keyText(key: AnswerKey): string {
  return `${key.minute}\u0000${key.timeZone}\u0000${key.text}`;
}

export function createAnswerCache<T extends Cacheable>(options: AnswerCacheOptions): AnswerCache<T> {
  const { store, logger, maxBytes } = options;
  const kept = new Map<string, Entry<T>>();
  const computing = new Map<string, Promise<T>>();
  let bytes = 0;
  let listening = false;
  // Bumped by every change: a computation that started before one must not be kept after it.
  let generation = 0;
  let unlisten: (() => Promise<void>) | undefined;
  let stopWatching = () => {};
  // The new minute's answers waiting to be worked out in the background, one at a time.
  const refreshes = new Map<string, () => Promise<unknown>>();
  let refreshing = false;

  const forget = (key: string) => {
    const entry = kept.get(key);
    if (!entry) return;
    kept.delete(key);
    bytes -= entry.bytes;
  };
  const dropAll = () => {
    generation += 1;
    kept.clear();
    computing.clear();
    refreshes.clear();
    bytes = 0;
  };
  const keep = (key: string, answer: T, minute: number, previousKey: string) => {
    const weight = weigh(answer);
    if (weight > maxBytes) return;
    // Entries older than the minute before can never be used again; nor can this one's own.
    for (const [other, entry] of kept) if (entry.minute < minute - MINUTE_MS) forget(other);
    forget(previousKey);
    // The oldest first (a Map iterates in insertion order).
    for (const other of kept.keys()) {
      if (bytes + weight <= maxBytes) break;
      forget(other);
    }
    kept.set(key, { answer, minute, bytes: weight });
    bytes += weight;
  };

  /** Works `key` out once, keeping the answer unless the store changed meanwhile. */
  const workOut = (text: string, key: AnswerKey, compute: () => Promise<T>): Promise<T> => {
    const startedIn = generation;
    const pending = compute().then((answer) => {
      if (generation === startedIn && answer.outcome === 'answered') keep(text, answer, key.minute, keyText({ ...key, minute: key.minute - MINUTE_MS }));
      return answer;
    });
    computing.set(text, pending);
    const done = () => {
      if (computing.get(text) === pending) computing.delete(text);
    };
    pending.then(done, done);
    return pending;
  };

  const refreshInTurn = async () => {
    refreshing = true;
    try {
      while (refreshes.size > 0) {
        const [text, refresh] = refreshes.entries().next().value!;
        refreshes.delete(text);
        await refresh().catch((error: unknown) => logger.warn('Working out an answer for the new minute failed', error));
      }
    } finally {
      refreshing = false;
    }
  };
  /** Queues `key`'s answer to be worked out in the background, unless it already is. */
  const refreshLater = (text: string, key: AnswerKey, compute: () => Promise<T>) => {
    if (computing.has(text) || refreshes.has(text)) return;
    // Asked meanwhile without the minute before's answer (dropped for room), it was worked out then.
    refreshes.set(text, async () => (kept.has(text) || computing.has(text) ? undefined : workOut(text, key, compute)));
    if (!refreshing) void refreshInTurn();
  };

  return {
    async answer(key, compute) {
      const text = keyText(key);
      const hit = kept.get(text);
      if (hit) return { answer: hit.answer, kept: true };
      const shared = computing.get(text);
      const previous = kept.get(keyText({ ...key, minute: key.minute - MINUTE_MS }));
      if (previous) {
        // The turn of the minute: the answer of the minute before now, the new one once worked out.
        refreshLater(text, key, compute);
        return { answer: previous.answer, kept: true };
      }
      if (shared) {
        // Shared only when it answered: an error (a store that went away while it ran) is not
        // passed on to questions that may find the store back.
        const answer = await shared;
        if (answer.outcome === 'answered') return { answer, kept: true };
      }
      if (!listening) return { answer: await compute(), kept: false };
      return { answer: await workOut(text, key, compute), kept: false };
    },
    async start() {
      // A server found silent may have lost notifications with it.
      stopWatching = store.onServerSilent(dropAll);
      try {
        unlisten = await store.listen(STORE_CHANGED_CHANNEL, dropAll, () => {
          dropAll();
          listening = true;
        });
      } catch (error) {
        logger.warn('Could not LISTEN for store changes: /mfa answers are not reused', error);
      }
    },
    async stop() {
      listening = false;
      stopWatching();
      dropAll();
      await unlisten?.().catch((error: unknown) => logger.warn('Could not stop listening for store changes', error));
    },
  };
}
