// The subcommands that answer with data, in the order `/mfa help` lists them.
import { registeredCommand, unregisteredCommand } from './registration.js';
import { summaryCommand } from './summary.js';
import type { Subcommand } from './types.js';

export const SUBCOMMANDS: ReadonlyArray<Subcommand<any>> = [
  summaryCommand,
  registeredCommand,
  unregisteredCommand,
];
