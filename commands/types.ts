// What every /mfa subcommand provides: its argument schema (zod over the typed words), its help
// line and its handler. Handlers get their dependencies (store, clock, time zone) as parameters.
import { z } from 'zod';
import type { Store } from '../db/client.js';
import type { Reply } from '../src/views/blocks.js';
import { MAX_USER_TEXT } from '../src/reports/resolve-user.js';
import { isPeriodLike } from '../src/time/period.js';

/** What a caller (Slack listener, `npm run ask`) provides. */
export interface BaseContext {
  store: Store;
  now: Date;
  timeZone: string;
}

export interface CommandContext extends BaseContext {
  /** The command as typed, without `public`: what the paging and export buttons re-run. */
  commandText: string;
  /** First row of the page to show (Next / Previous buttons). */
  offset: number;
}

/** A report's full result as a table, for the Export CSV button. */
export interface CsvTable {
  filename: string;
  columns: string[];
  rows: Array<Array<string | number | boolean | Date | null>>;
}

/** A file that goes with a reply (a chart): uploaded beside it in Slack, written to disk by `npm run ask`. */
export interface ReplyFile {
  filename: string;
  bytes: Buffer;
  title: string;
  /** What the image shows, for screen readers (Slack's `alt_text`). */
  altText: string;
}

export interface CommandResult {
  outcome: 'answered' | 'usage_error';
  reply: Reply;
  /** Rows the answer is built from, for the query audit. */
  rowCount: number | null;
  /** Files to send with the reply (only answers carry them). */
  files?: ReplyFile[];
}

export interface Subcommand<Args = unknown> {
  name: string;
  /** `summary [period]` */
  usage: string;
  /** One line for `/mfa help`. */
  help: string;
  /** Runnable examples, the first shown in `/mfa help`. */
  examples: string[];
  /** Parses the words after the subcommand name. */
  args: z.ZodType<Args, string[]>;
  run(args: Args, context: CommandContext): Promise<CommandResult>;
  /** The whole result as a table, for list reports that page. */
  exportCsv?(args: Args, context: CommandContext): Promise<CsvTable>;
}

/** Keeps each subcommand's Args type checked against its own handler. */
export function defineSubcommand<Args>(subcommand: Subcommand<Args>): Subcommand<Args> {
  return subcommand;
}

/** The arguments of a report that takes nothing but an optional period. */
export function periodOnly(name: string): z.ZodType<{ period: string | undefined }, string[]> {
  return z
    .array(z.string())
    .max(1, { message: `${name} takes one period at most` })
    .transform(([period]) => ({ period }));
}

/** The arguments of a report that takes an optional period and an optional user, in either order (a name with spaces comes in quotes). */
export function periodAndUser(name: string, example: string): z.ZodType<{ period: string | undefined; user: string | undefined }, string[]> {
  return z.array(z.string()).transform((words, ctx) => {
    const periods = words.filter((w) => isPeriodLike(w));
    const users = words.filter((w) => !isPeriodLike(w));
    if (periods.length > 1) {
      ctx.addIssue({ code: 'custom', message: `${name} takes one period at most` });
      return z.NEVER;
    }
    if (users.length > 1) {
      ctx.addIssue({ code: 'custom', message: `${name} takes one user (a UPN or part of a name); put a name with spaces in quotes, e.g. ${example}` });
      return z.NEVER;
    }
    const user = users[0];
    if (user !== undefined && user.length > MAX_USER_TEXT) {
      ctx.addIssue({ code: 'custom', message: `a user is a UPN or part of a name, at most ${MAX_USER_TEXT} characters` });
      return z.NEVER;
    }
    return { period: periods[0], user };
  });
}
