// Every environment variable of the public interface, validated once at start-up. A bad value
// stops the process with one message naming each variable at fault and what it expects.
import { existsSync } from 'node:fs';
import cron from 'node-cron';
import { z } from 'zod';
import { DEFAULT_ADMISSION } from './slack/answer-admission.js';
import { DEFAULT_ANSWER_CACHE_MB } from './slack/answer-cache.js';

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = (schema: z.ZodString) => z.preprocess(blankToUndefined, schema.optional());

const slackUserId = /^[UW][A-Z0-9]{2,}$/;

const cronExpression = (what: string) =>
  z.string().refine((value) => cron.validate(value), {
    message: `expected a cron expression for ${what}, e.g. "0 8 * * *"`,
  });

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

// The default sits inside the preprocess, so a blank value (mapped to undefined) gets it too.
const wholeNumber = (what: string, fallback: number, min: number) =>
  z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ message: `expected a whole number (${what})` })
      .int({ message: `expected a whole number (${what})` })
      .min(min, { message: min === 1 ? `expected a positive whole number (${what})` : `expected a whole number of at least ${min} (${what})` })
      .default(fallback),
  );
const positiveInt = (what: string, fallback: number) => wholeNumber(what, fallback, 1);

const envSchema = z
  .object({
    DATABASE_URL: optionalString(
      z.string().regex(/^(postgres(ql)?:\/\/|memory:\/\/$)/, {
        message: 'expected a postgres:// or postgresql:// URL, or memory:// for an in-memory store',
      }),
    ),
    PGLITE_DIR: z.preprocess(blankToUndefined, z.string().default('./data/pglite')),

    SLACK_BOT_TOKEN: optionalString(z.string().startsWith('xoxb-', { message: 'expected a bot token starting with "xoxb-"' })),
    SLACK_SIGNING_SECRET: optionalString(z.string().min(8, { message: 'expected the app\'s signing secret (Basic Information page)' })),
    SLACK_APP_TOKEN: optionalString(z.string().startsWith('xapp-', { message: 'expected an app-level token starting with "xapp-"' })),
    PORT: z.preprocess(
      blankToUndefined,
      z.coerce.number({ message: 'expected a TCP port number' }).int().min(0).max(65535, { message: 'expected a TCP port number (0-65535)' }).default(3000),
    ),
    SLACK_API_URL: z.preprocess(
      blankToUndefined,
      z.url({ message: 'expected the Slack Web API base URL, e.g. https://slack.com/api/' }).default('https://slack.com/api/'),
    ),

    MFA_ADMINS: z.preprocess(
      blankToUndefined,
      z
        .string()
        .default('')
        .transform((value) => value.split(',').map((id) => id.trim()).filter(Boolean))
        .refine((ids) => ids.every((id) => slackUserId.test(id)), {
          message: 'expected comma-separated Slack user IDs, e.g. "U012AB3CD,U045EF6GH"',
        }),
    ),
    MFA_ADMIN_GROUP: optionalString(z.string().regex(/^S[A-Z0-9]{2,}$/, { message: 'expected a Slack user group ID, e.g. "S0123ABCD"' })),

    FRAUD_ALERT_CHANNEL: optionalString(z.string().regex(/^[CGD][A-Z0-9]{2,}$/, { message: 'expected a Slack channel ID, e.g. "C0123ABCD"' })),
    SUMMARY_CHANNEL: optionalString(z.string().regex(/^[CGD][A-Z0-9]{2,}$/, { message: 'expected a Slack channel ID, e.g. "C0123ABCD"' })),
    SUMMARY_CRON: z.preprocess(blankToUndefined, cronExpression('the daily summary').default('0 8 * * *')),
    TZ: z.preprocess(
      blankToUndefined,
      z.string().refine(isTimeZone, { message: 'expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"' }).default('UTC'),
    ),

    GRAPH_TENANT_ID: optionalString(z.string().min(1)),
    GRAPH_CLIENT_ID: optionalString(z.string().min(1)),
    GRAPH_CLIENT_SECRET: optionalString(z.string().min(1)),
    GRAPH_API_URL: z.preprocess(blankToUndefined, z.url({ message: 'expected a URL, e.g. https://graph.microsoft.com' }).default('https://graph.microsoft.com')),
    GRAPH_LOGIN_URL: z.preprocess(
      blankToUndefined,
      z.url({ message: 'expected a URL, e.g. https://login.microsoftonline.com' }).default('https://login.microsoftonline.com'),
    ),
    SYNC_CRON: z.preprocess(blankToUndefined, cronExpression('the Graph sync').optional()),
    RETENTION_DAYS: positiveInt('days of sign-ins to keep', 400),
    REPORT_TIMEOUT_SECONDS: positiveInt('seconds one report query of a Slack request may run on the report store', 20),
    ANSWERS_AT_ONCE: positiveInt('/mfa questions one bot works on at once', DEFAULT_ADMISSION.running),
    ANSWERS_WAITING: wholeNumber('/mfa questions that may wait for a place before "busy, try again"', DEFAULT_ADMISSION.waiting, 0),
    ANSWER_CACHE_MB: wholeNumber('megabytes of answers kept to give again within their minute; 0 keeps none', DEFAULT_ANSWER_CACHE_MB, 0),

    FRAUD_ESCALATE_MINUTES: positiveInt('minutes before an unacknowledged fraud alert is escalated', 30),
    FRAUD_ESCALATE_MENTION: optionalString(
      z.string().regex(/^(S|U|W)[A-Z0-9]{2,}$/, { message: 'expected a Slack user group ID (e.g. "S0123ABCD") or user ID (e.g. "U0123ABCD")' }),
    ),
    FRAUD_THREAD_HOURS: positiveInt('hours during which repeated reports of a user go into the first alert\'s thread', 24),
    FRAUD_ALERT_MAX_AGE_HOURS: positiveInt('hours: reports older than this when they reach the store are recorded, not posted', 72),
    MFA_FATIGUE_PROMPTS: wholeNumber('push prompts that make an MFA fatigue alert', 5, 2),
    MFA_FATIGUE_MINUTES: positiveInt('minutes within which the MFA fatigue prompts are counted', 10),
    SERVER_SILENT_MINUTES: positiveInt('minutes an on-premises MFA host may be silent before an alert', 60),
  })
  .superRefine((env, ctx) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_SIGNING_SECRET'], message: 'required when SLACK_BOT_TOKEN is set: requests are always signature-checked' });
    }
    if (env.SLACK_SIGNING_SECRET && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'required when SLACK_SIGNING_SECRET is set (a bot token starting with "xoxb-")' });
    }
    if (env.SLACK_APP_TOKEN && !env.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'required for Socket Mode together with SLACK_APP_TOKEN' });
    }
    const graph = [env.GRAPH_TENANT_ID, env.GRAPH_CLIENT_ID, env.GRAPH_CLIENT_SECRET];
    if (graph.some(Boolean) && !graph.every(Boolean)) {
      for (const name of ['GRAPH_TENANT_ID', 'GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required: the Graph app registration needs tenant ID, client ID and client secret together' });
      }
    }
  }, {
    // Run even when another variable failed (e.g. PORT=abc aborts the object), so one message
    // names every variable at fault. Only the string-valued Slack and Graph fields are read here.
    when: (payload) => typeof payload.value === 'object' && payload.value !== null,
  });

export type Env = z.infer<typeof envSchema>;

export type RuntimeMode = 'http' | 'socket' | 'simulator';

export interface Config extends Env {
  mode: RuntimeMode;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Loads `.env` from the working directory when there is one; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

/** Parses the environment; throws ConfigError listing every variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const value = parsed.data;
  const mode: RuntimeMode = !value.SLACK_BOT_TOKEN ? 'simulator' : value.SLACK_APP_TOKEN ? 'socket' : 'http';
  return { ...value, mode };
}
