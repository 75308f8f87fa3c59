// The subcommands that answer with data, in the order `/mfa help` lists them.
import { caCommand } from './ca.js';
import { failuresCommand } from './failures.js';
import { methodsCommand } from './methods.js';
import { registeredCommand, unregisteredCommand } from './registration.js';
import { signinCommand } from './signin.js';
import { summaryCommand } from './summary.js';
import { blockedCommand } from './blocked.js';
import { bypassedCommand } from './bypassed.js';
import { fraudCommand } from './fraud.js';
import { onpremCommand } from './onprem.js';
import { serversCommand } from './servers.js';
import { trendCommand } from './trend.js';
import type { Subcommand } from './types.js';
import { usageCommand } from './usage.js';
import { userCommand } from './user.js';

export const SUBCOMMANDS: ReadonlyArray<Subcommand<any>> = [
  summaryCommand,
  trendCommand,
  userCommand,
  signinCommand,
  failuresCommand,
  methodsCommand,
  caCommand,
  usageCommand,
  registeredCommand,
  unregisteredCommand,
  fraudCommand,
  blockedCommand,
  bypassedCommand,
  onpremCommand,
  serversCommand,
];
