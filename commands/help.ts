import { z } from 'zod';
import { help } from '../src/views/help-view.js';
import { SUBCOMMANDS } from './registry.js';
import { defineSubcommand, type CommandResult, type Subcommand } from './types.js';

export const helpCommand: Subcommand<{ topic: string | undefined }> = defineSubcommand({
  name: 'help',
  usage: 'help [subcommand]',
  help: 'Every subcommand with an example; `help <subcommand>` for its full syntax',
  examples: ['help', 'help summary'],
  args: z.array(z.string()).max(1, { message: 'help takes one subcommand name at most' }).transform(([topic]) => ({ topic })),
  async run({ topic }): Promise<CommandResult> {
    const all: Subcommand<any>[] = [...SUBCOMMANDS, helpCommand];
    if (!topic) return { outcome: 'answered', reply: help.overview(all), rowCount: null };
    const found = all.find((s) => s.name === topic.toLowerCase());
    if (!found) return { outcome: 'usage_error', reply: help.unknown(topic, all), rowCount: null };
    return { outcome: 'answered', reply: help.detail(found), rowCount: null };
  },
});
