import { z } from 'zod';
import { SIGNIN_ID_PATTERN, signinDetail } from '../src/reports/signin-detail.js';
import { shorten } from '../src/views/blocks.js';
import { signinView } from '../src/views/signin-view.js';
import { defineSubcommand } from './types.js';

const args = z
  .array(z.string())
  .transform((words, ctx): { id: string } => {
    const [id] = words;
    let problem: string | null = null;
    if (id === undefined) problem = 'say which sign-in: its id, as /mfa user lists it';
    else if (words.length > 1) problem = 'signin takes one sign-in id and nothing else (one record: no period)';
    else if (!SIGNIN_ID_PATTERN.test(id)) {
      problem =
        id.length > 100
          ? `that id is ${id.length} characters long; sign-in ids are at most 100 letters, digits and hyphens`
          : `"${shorten(id)}" is not a sign-in id: ids are letters, digits and hyphens, like 6b3f2a1e-0d4c-4f7a-9a8e-2c1d5e7f9b10`;
    }
    if (problem === null) return { id: id! };
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  });

export const signinCommand = defineSubcommand({
  name: 'signin',
  usage: 'signin <id>',
  help: 'One sign-in in full: MFA required and why, how it was satisfied or why it was denied, every authentication step, the Conditional Access policies, the other events of the same flow. A single record: no period',
  examples: ['signin 6b3f2a1e-0d4c-4f7a-9a8e-2c1d5e7f9b10'],
  args,
  async run({ id }, { store, timeZone }) {
    const found = await signinDetail(store, id);
    if (found.kind === 'unknown') {
      // An empty store is an answer (it says how to load data); an unknown id is the asker's slip.
      return { outcome: found.dataAsOf ? 'usage_error' : 'answered', reply: signinView.unknown(id, found.dataAsOf, timeZone), rowCount: 0 };
    }
    return { outcome: 'answered', reply: signinView.detail(found.detail, timeZone), rowCount: 1 };
  },
});
