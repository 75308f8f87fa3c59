import { z } from 'zod';
import { registrationReport } from '../src/reports/registration.js';
import { REGISTRATION_PAGE_SIZE, registrationView } from '../src/views/registration-view.js';
import { defineSubcommand, type Subcommand } from './types.js';

const flags = z
  .array(z.string())
  .max(1, { message: 'the only option is --all (include guests)' })
  .refine((words) => words.every((w) => w.toLowerCase() === '--all'), { message: 'the only option is --all (include guests)' })
  .transform((words) => ({ includeGuests: words.length === 1 }));

function registrationCommand(registered: boolean): Subcommand<{ includeGuests: boolean }> {
  const name = registered ? 'registered' : 'unregistered';
  return defineSubcommand({
    name,
    usage: `${name} [--all]`,
    help: registered
      ? 'Who is registered for MFA, with their methods and default method; coverage. Members only unless --all'
      : 'Who is not registered for MFA (admins first); coverage. Members only unless --all',
    examples: [name, `${name} --all`],
    args: flags,
    async run({ includeGuests }, { store, timeZone, commandText, offset }) {
      const report = await registrationReport(store, { registered, includeGuests, offset, limit: REGISTRATION_PAGE_SIZE });
      const page = { commandText, offset, pageSize: REGISTRATION_PAGE_SIZE, total: report.total };
      return { outcome: 'answered', reply: registrationView(report, { registered, includeGuests, page, timeZone }), rowCount: report.total };
    },
    async exportCsv({ includeGuests }, { store }) {
      const report = await registrationReport(store, { registered, includeGuests, offset: 0, limit: null });
      return {
        filename: `mfa-${name}.csv`,
        columns: ['upn', 'display_name', 'user_type', 'is_admin', 'mfa_registered', 'mfa_capable', 'methods', 'default_method', 'last_updated'],
        rows: report.rows.map((u) => [u.upn, u.displayName, u.userType, u.isAdmin, u.isMfaRegistered, u.isMfaCapable, u.methods.join(' '), u.defaultMethod, u.lastUpdatedAt]),
      };
    },
  });
}

export const registeredCommand = registrationCommand(true);
export const unregisteredCommand = registrationCommand(false);
