// Child processes of the bench (the bot, `npm run import`): the node process itself, started as
// the npm scripts start it (`node dist/main.js` for the bot, `node --import tsx <script>` for the
// rest) without the npm and tsx-cli wrapper processes, so /proc/<pid> is the process doing the
// work. Their output goes to the run's log file.
import { spawn, type ChildProcess } from 'node:child_process';
import type { WriteStream } from 'node:fs';

/** Only what a child needs: never the bench's own environment (it may name other services). Unset values are left out. */
export function childEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'TMPDIR']) if (process.env[name]) env[name] = process.env[name];
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env;
}

export interface NodeChild {
  child: ChildProcess;
  pid: number;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
  /** Everything the child wrote to stdout, kept for parsing. */
  stdout(): string;
}

/** `node --import tsx <script> <args>`: a TypeScript entry point as its npm script runs it. */
export function spawnNode(script: string, args: string[], env: NodeJS.ProcessEnv, log: WriteStream, label: string): NodeChild {
  return spawnNodeWith(['--import', 'tsx', script, ...args], env, log, label);
}

/** `node <nodeArgs>`, e.g. a built bundle. */
export function spawnNodeWith(nodeArgs: string[], env: NodeJS.ProcessEnv, log: WriteStream, label: string): NodeChild {
  const child = spawn(process.execPath, nodeArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`Could not start ${label}`);
  let out = '';
  const prefix = (chunk: Buffer) =>
    chunk
      .toString('utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => `[${label}] ${line.replace(/\r/g, '')}\n`)
      .join('');
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.length > 1_000_000) out = out.slice(-500_000);
    log.write(prefix(chunk));
  });
  child.stderr!.on('data', (chunk: Buffer) => log.write(prefix(chunk)));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      log.write(`[${label}] exited with ${code ?? signal}\n`);
      resolve(code ?? signal ?? -1);
    });
  });
  return { child, pid: child.pid, exited, stdout: () => out };
}
