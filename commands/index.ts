// Turns the text after `/mfa` into an answer: tokenises, finds the subcommand, validates its
// arguments and runs it. Shared by the Slack listener, `npm run ask` and the simulator. Errors
// from the store propagate: the caller decides how to tell the user.
import { PeriodError } from '../src/time/period.js';
import { help } from '../src/views/help-view.js';
import { notice } from '../src/views/notice-view.js';
import { helpCommand } from './help.js';
import { SUBCOMMANDS } from './registry.js';
import type { CommandContext, CommandResult, Subcommand } from './types.js';

export type { CommandContext, CommandResult } from './types.js';

/** Longer than any real command; protects parsing and the audit from pasted essays. */
export const MAX_COMMAND_LENGTH = 500;

export const ALL_SUBCOMMANDS: ReadonlyArray<Subcommand<any>> = [...SUBCOMMANDS, helpCommand];

export interface Answer extends CommandResult {
  /** The subcommand that answered, or null when none matched. */
  subcommand: string | null;
}

/** Splits on white space; "double quotes" (straight or curly) keep a phrase together. */
export function tokenize(text: string): string[] {
  // Control characters (including NUL) are never part of a command.
  const clean = text.replace(/[\p{Cc}\p{Cf}]+/gu, ' ').replace(/[“”]/g, '"');
  const tokens: string[] = [];
  for (const match of clean.matchAll(/"([^"]*)"|(\S+)/g)) {
    const token = (match[1] ?? match[2] ?? '').trim();
    if (token) tokens.push(token);
  }
  return tokens;
}

export async function answerCommand(text: string, context: CommandContext): Promise<Answer> {
  if (text.length > MAX_COMMAND_LENGTH) {
    return { outcome: 'usage_error', reply: notice.tooLong(text.length, MAX_COMMAND_LENGTH), rowCount: null, subcommand: null };
  }
  const [name, ...words] = tokenize(text);
  const subcommand = name ? ALL_SUBCOMMANDS.find((s) => s.name === name.toLowerCase()) : helpCommand;
  if (!subcommand) {
    return { outcome: 'usage_error', reply: help.unknown(name!, [...ALL_SUBCOMMANDS]), rowCount: null, subcommand: null };
  }
  const parsed = subcommand.args.safeParse(words);
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message ?? 'those arguments are not right';
    return { outcome: 'usage_error', reply: help.usageError(subcommand, problem), rowCount: null, subcommand: subcommand.name };
  }
  try {
    return { ...(await subcommand.run(parsed.data, context)), subcommand: subcommand.name };
  } catch (error) {
    if (error instanceof PeriodError) {
      return { outcome: 'usage_error', reply: help.usageError(subcommand, error.message.replace(/\.$/, '')), rowCount: null, subcommand: subcommand.name };
    }
    throw error;
  }
}
