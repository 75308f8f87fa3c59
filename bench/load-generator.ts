// Open-loop load on the bot replicas: signed /mfa requests sent at a fixed rate whatever pace the
// answers come at (as Slack's users would: a slow bot makes requests pile up, it does not slow the
// senders), round-robin over the replicas and over the subcommands, each reply checked to be a real
// answer. Slack gives up on a request not acknowledged within 3 s: that is a timeout here, as is
// an answer that never comes.
import { performance } from 'node:perf_hooks';
import type { RunningBot } from './bot-process.js';
import type { CommandPlan } from './latency-run.js';
import { distribution, type Distribution } from './percentiles.js';
import { ask, BUSY } from './slash-client.js';

/** Slack's limit for the acknowledgement of a slash command. */
export const SLACK_ACK_LIMIT_MS = 3000;

export interface LoadOptions {
  /** Requests per second over all replicas. */
  rate: number;
  seconds: number;
}

/** How long an answer through the response_url is waited for. */
const ANSWER_TIMEOUT_MS = 30_000;

export interface RequestOutcome {
  subcommand: string;
  replica: number;
  ms: number;
  ackMs: number;
  kind: 'answered' | 'busy' | 'error' | 'timeout';
  problem: string | null;
}

export interface LoadSummary {
  sent: number;
  /** Seconds from the first request sent to the last. */
  sendingSeconds: number;
  answered: number;
  /** Turned away at once with "busy, try again": no answer, but no wait either. */
  busy: number;
  errors: number;
  timeouts: number;
  /** A few problems, for the report. */
  samples: string[];
  /** Whole-answer time of every request (errors and timeouts included: they are what users saw). */
  latency: Distribution;
  ack: Distribution;
  bySubcommand: Array<{ subcommand: string } & Distribution>;
  byReplica: number[];
}

export interface LoadRun {
  outcomes: RequestOutcome[];
  /** Seconds from the first request sent to the last: above `seconds` when the sender fell behind. */
  sendingSeconds: number;
}

export async function runLoad(bots: readonly RunningBot[], plans: readonly CommandPlan[], options: LoadOptions): Promise<LoadRun> {
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const pending: Array<Promise<RequestOutcome>> = [];
  const started = performance.now();
  let lastSent = started;
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const plan = plans[i % plans.length]!;
    const text = plan.texts[Math.floor(i / plans.length) % plan.texts.length]!;
    const replica = i % bots.length;
    lastSent = performance.now();
    pending.push(send(bots[replica]!, replica, plan.subcommand, text, ANSWER_TIMEOUT_MS));
  }
  return { outcomes: await Promise.all(pending), sendingSeconds: (lastSent - started) / 1000 };
}

async function send(bot: RunningBot, replica: number, subcommand: string, text: string, timeoutMs: number): Promise<RequestOutcome> {
  const started = performance.now();
  try {
    const asked = await ask(bot, text, timeoutMs);
    // A refused or failed request (non-200) is an error however fast; no ack in time, or no
    // answer at all, a timeout.
    const kind =
      asked.ackMs > SLACK_ACK_LIMIT_MS ? 'timeout'
      : asked.status !== 200 ? 'error'
      : asked.via === null ? 'timeout'
      : asked.problem?.startsWith(`${BUSY}:`) ? 'busy'
      : asked.problem ? 'error'
      : 'answered';
    const problem = asked.ackMs > SLACK_ACK_LIMIT_MS ? `acknowledged after ${Math.round(asked.ackMs)} ms` : asked.problem;
    return { subcommand, replica, ms: asked.ms, ackMs: asked.ackMs, kind, problem: problem && `"${text}": ${problem}` };
  } catch (error) {
    const ms = performance.now() - started;
    return { subcommand, replica, ms, ackMs: ms, kind: 'error', problem: `"${text}": ${(error as Error).message}` };
  }
}

export function summarize(outcomes: readonly RequestOutcome[], sendingSeconds: number, replicas: number): LoadSummary {
  const subcommands = [...new Set(outcomes.map((o) => o.subcommand))];
  const byReplica = Array.from({ length: replicas }, (_, r) => outcomes.filter((o) => o.replica === r).length);
  return {
    sent: outcomes.length,
    sendingSeconds,
    answered: outcomes.filter((o) => o.kind === 'answered').length,
    busy: outcomes.filter((o) => o.kind === 'busy').length,
    errors: outcomes.filter((o) => o.kind === 'error').length,
    timeouts: outcomes.filter((o) => o.kind === 'timeout').length,
    samples: outcomes.filter((o) => o.problem).slice(0, 5).map((o) => `${o.kind}: ${o.problem}`),
    latency: distribution(outcomes.map((o) => o.ms)),
    ack: distribution(outcomes.map((o) => o.ackMs)),
    bySubcommand: subcommands.map((subcommand) => ({ subcommand, ...distribution(outcomes.filter((o) => o.subcommand === subcommand).map((o) => o.ms)) })),
    byReplica,
  };
}
