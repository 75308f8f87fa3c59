// Runs one of the npm scripts (or its entry point) as its own process, as a user would.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { recordOutput, recordSecret } from './suite-output.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = `${root}node_modules/.bin/tsx`;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(script: string, args: string[], env: Record<string, string | undefined>, input?: string): Promise<CliResult> {
  return run(script, tsx, [`${root}${script}`, ...args], env, input);
}

/** `npm <script>` (quiet: only what the script itself prints), e.g. `npm start`. */
export function runNpmScript(script: string, env: Record<string, string | undefined>, input?: string): Promise<CliResult> {
  return run(`npm run ${script}`, 'npm', ['--silent', 'run', script], env, input);
}

/** `label` names the process in the suite's output record. */
function run(label: string, command: string, args: string[], env: Record<string, string | undefined>, input?: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: root,
      // Only what the test names: no Slack or Graph credentials leak in from the environment.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TZ: 'UTC', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // For the suite's privacy scan: what the process printed, and the credentials it was given.
      recordOutput(`${label} stdout`, stdout);
      recordOutput(`${label} stderr`, stderr);
      for (const [key, value] of Object.entries(env)) if (/SECRET|TOKEN/.test(key)) recordSecret(value);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
