// What every /mfa subcommand provides: its argument schema (zod over the typed words), its help
// line and its handler. Handlers get their dependencies (store, clock, time zone) as parameters.
import type { z } from 'zod';
import type { Store } from '../db/client.js';
import type { Reply } from '../src/views/blocks.js';

export interface CommandContext {
  store: Store;
  now: Date;
  timeZone: string;
}

export interface CommandResult {
  outcome: 'answered' | 'usage_error';
  reply: Reply;
  /** Rows the answer is built from, for the query audit. */
  rowCount: number | null;
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
}

/** Keeps each subcommand's Args type checked against its own handler. */
export function defineSubcommand<Args>(subcommand: Subcommand<Args>): Subcommand<Args> {
  return subcommand;
}
