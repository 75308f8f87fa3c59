// The command-line entry points' last line of defence: known start-up problems print one clear
// message (no stack trace); anything else prints the error. Either way the exit status is 1.
import { StoreInUseError } from '../../db/pglite-lock.js';
import { isStoreUnavailable } from '../../db/errors.js';
import { ConfigError } from '../config.js';

export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StoreInUseError) return error.message;
  if (isStoreUnavailable(error)) {
    return 'Cannot reach the Postgres report store named by DATABASE_URL. Check that the server is running and the URL is right.';
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

export function exitOnError(error: unknown): never {
  process.stderr.write(`${describeStartupError(error)}\n`);
  process.exit(1);
}
