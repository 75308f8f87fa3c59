// One /mfa question to the running bot as Slack sends it (a signed form POST), timed until the
// complete answer is available: the HTTP response when the acknowledgement carries the reply,
// else the moment the LocalSlackApi records the post to the command's response_url.
import { performance } from 'node:perf_hooks';
import { postSignedToSlackApp, slashCommandBody } from '../src/slack/sign-request.js';
import type { RunningBot } from './bot-process.js';
import { BENCH_ADMIN } from './bot-process.js';

export interface Asked {
  ms: number;
  /** Until the HTTP acknowledgement (Slack gives up on it after 3 s). */
  ackMs: number;
  via: 'ack' | 'response_url' | null;
  /** The acknowledgement's HTTP status (200 unless the bot refused or failed the request). */
  status: number;
  /** Why this is not a real answer, or null when it is one. */
  problem: string | null;
}

interface ReplyBody {
  text?: string;
  blocks?: unknown[];
}

/** The problem of a question the bot turned away (src/slack/answer-admission.ts). */
export const BUSY = 'busy';

/** Replies that carry no data: refusals, failures, usage errors, the "working" placeholder. */
const NOT_ANSWERS: Array<[RegExp, string]> = [
  [/^Sorry, \/mfa answers only/, 'refused'],
  [/^The report store is unavailable/, 'store unavailable'],
  [/^This report took longer than/, 'statement timeout'],
  [/^Something went wrong/, 'failed'],
  [/^Working on it/, 'no answer after "working"'],
  [/^I am answering a lot of questions/, BUSY],
  [/Usage: `\/mfa /, 'usage error'],
  [/^I don't know `/, 'unknown subcommand'],
];

export function problemWith(reply: ReplyBody | undefined): string | null {
  if (!reply || typeof reply.text !== 'string') return 'no reply body';
  if (!Array.isArray(reply.blocks) || reply.blocks.length === 0) return 'no blocks';
  for (const [pattern, what] of NOT_ANSWERS) if (pattern.test(reply.text)) return `${what}: ${reply.text.slice(0, 120)}`;
  return null;
}

export async function ask(bot: RunningBot, text: string, timeoutMs = 30_000): Promise<Asked> {
  const responseUrl = bot.api.responseUrl();
  const id = decodeURIComponent(responseUrl.split('/').pop()!);
  const body = slashCommandBody({ text, userId: BENCH_ADMIN, responseUrl, channelId: 'C0BENCHADMIN', channelName: 'mfa-bench' });
  const started = performance.now();
  const result = await postSignedToSlackApp(bot.eventsUrl, bot.signingSecret, body);
  const ackMs = performance.now() - started;
  const status = result.status;
  if (status !== 200) return { ms: ackMs, ackMs, via: null, status, problem: `HTTP ${status}: ${result.text.slice(0, 120)}` };
  const acked = result.json as ReplyBody | undefined;
  if (acked?.blocks && !acked.text?.startsWith('Working on it')) {
    return { ms: ackMs, ackMs, via: 'ack', status, problem: problemWith(acked) };
  }
  try {
    const late = await bot.api.waitFor((call) => call.kind === 'respond' && call.id === id, timeoutMs);
    return { ms: performance.now() - started, ackMs, via: 'response_url', status, problem: problemWith(late.body as ReplyBody) };
  } catch {
    return { ms: performance.now() - started, ackMs, via: null, status, problem: `no answer within ${timeoutMs / 1000} s` };
  }
}
