// Answer latency: every /mfa subcommand, 10 warm-ups then N sequential requests each, against the
// bot process; p50 and p99 per subcommand. Each reply is checked to be a real answer.
import { sql } from 'drizzle-orm';
import type { Store } from '../db/client.js';
import { BENCH_TIME_ZONE, type RunningBot } from './bot-process.js';
import { distribution, type Distribution } from './percentiles.js';
import { ask } from './slash-client.js';
import { formatLocalDate, startOfLocalDay } from '../src/time/zoned.js';

export interface CommandPlan {
  subcommand: string;
  /** The command texts, used in turn (several users / sign-in ids, not one hot row). */
  texts: string[];
}

export interface CommandLatency extends Distribution {
  subcommand: string;
  example: string;
  viaResponseUrl: number;
  errors: number;
  errorSamples: string[];
  /** From the bot's own query audit: answered requests and their median handling time (ms). */
  audit?: { answered: number; notAnswered: number; serverP50Ms: number };
}

/**
 * The periods each period subcommand is asked for, in turn: `30d`, and 28 whole local days ending
 * with the local day before the tenant's newest sign-in. A `30d` asked hours after the tenant was
 * built has no raw rows at its ends (the tenant's data stops at its build, and starts on a UTC
 * day); the date range always has two busy half hours, as a live tenant's `30d` has.
 */
export function benchPeriods(newestSignin: Date): string[] {
  const lastDay = startOfLocalDay(newestSignin, BENCH_TIME_ZONE, -1);
  const firstDay = startOfLocalDay(newestSignin, BENCH_TIME_ZONE, -28);
  return ['30d', `${formatLocalDate(firstDay, BENCH_TIME_ZONE)}..${formatLocalDate(lastDay, BENCH_TIME_ZONE)}`];
}

export function commandPlans(samples: { upns: string[]; signinIds: string[] }, periods: string[]): CommandPlan[] {
  const period = (name: string) => ({ subcommand: name, texts: periods.map((p) => `${name} ${p}`) });
  return [
    period('summary'),
    period('failures'),
    period('methods'),
    period('ca'),
    period('usage'),
    { subcommand: 'user', texts: samples.upns.map((upn) => `user ${upn}`) },
    { subcommand: 'signin', texts: samples.signinIds.map((id) => `signin ${id}`) },
    period('fraud'),
    period('blocked'),
    period('bypassed'),
    period('onprem'),
    { subcommand: 'servers', texts: ['servers'] },
    { subcommand: 'unregistered', texts: ['unregistered'] },
  ];
}

export async function runLatency(
  bot: RunningBot,
  plans: CommandPlan[],
  options: { warmups: number; requests: number; budgetMs: number },
  onProgress: (line: string) => void,
): Promise<CommandLatency[]> {
  const results: CommandLatency[] = [];
  for (const plan of plans) {
    if (plan.texts.length === 0) throw new Error(`No command text for ${plan.subcommand} (the tenant lacks sample data)`);
    const text = (i: number) => plan.texts[i % plan.texts.length]!;
    const errorSamples: string[] = [];
    let errors = 0;
    const times: number[] = [];
    let unanswered = false;
    // Warm-ups stop early too: a subcommand answering in seconds is warm after one.
    const warmStarted = performance.now();
    for (let i = 0; i < options.warmups && performance.now() - warmStarted < options.budgetMs / 4; i++) {
      const warm = await ask(bot, text(i));
      if (warm.problem) {
        errors += 1;
        if (errorSamples.length < 3) errorSamples.push(`warm-up "${text(i)}": ${warm.problem}`);
      }
      if (warm.via === null) {
        times.push(warm.ms);
        unanswered = true;
        break;
      }
    }
    let viaResponseUrl = 0;
    // A subcommand that answers in seconds would take the run hours: past the time budget (with
    // at least 3 samples), or after a request not answered at all (its query still runs in the
    // bot; more would pile up), it stops, and the table shows how many requests it measured.
    const started = performance.now();
    for (let i = 0; i < options.requests && !unanswered; i++) {
      if (i >= 3 && performance.now() - started > options.budgetMs) break;
      const asked = await ask(bot, text(i));
      if (asked.via === null) {
        times.push(asked.ms);
        errors += 1;
        if (errorSamples.length < 3) errorSamples.push(`"${text(i)}": ${asked.problem}`);
        break;
      }
      times.push(asked.ms);
      if (asked.via === 'response_url') viaResponseUrl += 1;
      if (asked.problem) {
        errors += 1;
        if (errorSamples.length < 3) errorSamples.push(`"${text(i)}": ${asked.problem}`);
      }
    }
    const result = { subcommand: plan.subcommand, example: text(0), ...distribution(times), viaResponseUrl, errors, errorSamples };
    results.push(result);
    onProgress(`  /mfa ${plan.subcommand}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms of ${result.n}${errors ? `, ${errors} errors` : ''}`);
  }
  return results;
}

/**
 * Cross-checks the replies against the bot's query audit (one row per request, written before the
 * reply): how many were answered, and the bot's own handling time, without HTTP and Bolt. Only
 * the rows of this run (`since`): a reused tenant keeps every earlier run's, load runs' included.
 */
export async function addAuditFigures(store: Store, results: CommandLatency[], since: Date): Promise<void> {
  const rows = await store.rows<{ subcommand: string | null; answered: string; not_answered: string; p50: number | null }>(sql`
    SELECT "subcommand", count(*) FILTER (WHERE "outcome" = 'answered') AS "answered",
           count(*) FILTER (WHERE "outcome" <> 'answered') AS "not_answered",
           percentile_disc(0.5) WITHIN GROUP (ORDER BY "duration_ms") AS "p50"
    FROM "query_audit" WHERE "at" >= ${since.toISOString()}::timestamptz GROUP BY 1`);
  for (const result of results) {
    const row = rows.find((r) => r.subcommand === result.subcommand);
    result.audit = { answered: Number(row?.answered ?? 0), notAnswered: Number(row?.not_answered ?? 0), serverP50Ms: Number(row?.p50 ?? Number.NaN) };
    const notAnswered = result.audit.notAnswered;
    if (notAnswered > 0 && result.errors < notAnswered) {
      result.errors = notAnswered;
      result.errorSamples.push(`${notAnswered} requests not answered according to the query audit`);
    }
  }
  const unknown = rows.filter((r) => r.subcommand === null).reduce((n, r) => n + Number(r.answered) + Number(r.not_answered), 0);
  if (unknown > 0 && results[0]) results[0].errorSamples.push(`${unknown} audited requests matched no subcommand`);
}
