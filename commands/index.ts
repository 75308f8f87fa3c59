// Turns the text after `/mfa` into an answer: tokenises, finds the subcommand, validates its
// arguments and runs it. Shared by the Slack listener, `npm run ask` and the simulator. Errors
// from the store propagate: the caller decides how to tell the user.
import { PeriodError } from '../src/time/period.js';
import { help } from '../src/views/help-view.js';
import { notice } from '../src/views/notice-view.js';
import { helpCommand } from './help.js';
import { SUBCOMMANDS } from './registry.js';
import type { BaseContext, CommandContext, CommandResult, CsvTable, Subcommand } from './types.js';

export type { BaseContext, CommandContext, CommandResult, CsvTable, ReplyFile } from './types.js';

/** Longer than any real command; protects parsing and the audit from pasted essays. */
export const MAX_COMMAND_LENGTH = 500;

export const ALL_SUBCOMMANDS: ReadonlyArray<Subcommand<any>> = [...SUBCOMMANDS, helpCommand];

export interface Answer extends CommandResult {
  /** The subcommand that answered, or null when none matched. */
  subcommand: string | null;
  /** `public` at the end of the command posts the answer for the whole channel. */
  visibility: 'ephemeral' | 'in_channel';
}

export interface AnswerOptions {
  offset?: number;
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

interface Parsed {
  subcommand: Subcommand<any>;
  args: unknown;
  context: CommandContext;
  visibility: Answer['visibility'];
}

/** Finds the subcommand and validates its words; a reply instead when that fails. */
function parse(text: string, base: BaseContext, options: AnswerOptions): Parsed | Answer {
  const refuse = (reply: Answer['reply'], subcommand: string | null = null): Answer => ({
    outcome: 'usage_error',
    reply,
    rowCount: null,
    subcommand,
    visibility: 'ephemeral',
  });
  if (text.length > MAX_COMMAND_LENGTH) return refuse(notice.tooLong(text.length, MAX_COMMAND_LENGTH));
  const tokens = tokenize(text);
  const visibility = tokens.length > 1 && tokens[tokens.length - 1]!.toLowerCase() === 'public' ? 'in_channel' : 'ephemeral';
  if (visibility === 'in_channel') tokens.pop();
  const [name, ...words] = tokens;
  const subcommand = name ? ALL_SUBCOMMANDS.find((s) => s.name === name.toLowerCase()) : helpCommand;
  if (!subcommand) return refuse(help.unknown(name!, [...ALL_SUBCOMMANDS]));
  const parsed = subcommand.args.safeParse(words);
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message ?? 'those arguments are not right';
    return refuse(help.usageError(subcommand, problem), subcommand.name);
  }
  const commandText = tokens.map((t) => (/\s/.test(t) ? `"${t}"` : t)).join(' ');
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  return { subcommand, args: parsed.data, context: { ...base, commandText, offset }, visibility };
}

function periodProblem(error: unknown, subcommand: Subcommand<any>): Answer | null {
  if (!(error instanceof PeriodError)) return null;
  return {
    outcome: 'usage_error',
    reply: help.usageError(subcommand, error.message.replace(/\.$/, '')),
    rowCount: null,
    subcommand: subcommand.name,
    visibility: 'ephemeral',
  };
}

export async function answerCommand(text: string, base: BaseContext, options: AnswerOptions = {}): Promise<Answer> {
  const parsed = parse(text, base, options);
  if (!('context' in parsed)) return parsed;
  try {
    const result = await parsed.subcommand.run(parsed.args, parsed.context);
    // A usage error is only ever shown to the one who typed it.
    const visibility = result.outcome === 'answered' ? parsed.visibility : 'ephemeral';
    return { ...result, subcommand: parsed.subcommand.name, visibility };
  } catch (error) {
    const problem = periodProblem(error, parsed.subcommand);
    if (problem) return problem;
    throw error;
  }
}

export type ExportAnswer = { table: CsvTable; subcommand: string } | { problem: Answer };

/** The full result of a list report, for the Export CSV button. */
export async function answerExport(text: string, base: BaseContext): Promise<ExportAnswer> {
  const parsed = parse(text, base, {});
  if (!('context' in parsed)) return { problem: parsed };
  if (!parsed.subcommand.exportCsv) {
    return { problem: { ...(await answerCommand(text, base)), outcome: 'usage_error' } };
  }
  try {
    return { table: await parsed.subcommand.exportCsv(parsed.args, parsed.context), subcommand: parsed.subcommand.name };
  } catch (error) {
    const problem = periodProblem(error, parsed.subcommand);
    if (problem) return { problem };
    throw error;
  }
}
