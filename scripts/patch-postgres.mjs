// Run after every install (npm's postinstall): fixes two bugs of postgres.js 3.4 that leave a pool
// connection broken for good after its socket fails, so a bot whose Postgres went away never
// answered again without a restart (test/slack/store-outage.test.ts shows both):
//   1. `closed()` cancels a pending write without forgetting it: the connection's next startup
//      message is appended to the stale bytes and never sent (every later connect times out);
//   2. a close after a socket error rejects nothing, assuming the error did; but Node emits the
//      close later, and a query sent to the connection in between was never answered nor rejected.
// Idempotent; fails loudly if postgres.js changed (then check whether these are fixed upstream).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MARK = '/* mfa-bot: patched closed() */';
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const edits = [
  ['    incomings = null\n    clearImmediate(nextWriteTimer)\n', `    incomings = null\n    clearImmediate(nextWriteTimer)\n    nextWriteTimer = chunk = null ${MARK}\n`],
  ["    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED'", "    if (query || sent.length) error(Errors.connection('CONNECTION_CLOSED'"],
];

for (const file of ['src/connection.js', 'cjs/src/connection.js', 'cf/src/connection.js']) {
  const path = join(root, file);
  let text = readFileSync(path, 'utf8');
  if (text.includes(MARK)) continue;
  for (const [before, after] of edits) {
    if (text.split(before).length !== 2) throw new Error(`patch-postgres: ${path} is not the postgres.js this patch was written for (3.4.9); see scripts/patch-postgres.mjs`);
    text = text.replace(before, after);
  }
  writeFileSync(path, text);
}
