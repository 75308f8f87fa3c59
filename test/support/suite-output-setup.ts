// Vitest setup file: hooks the suite's output record (suite-output.ts) into the sources every test
// goes through, without changing what they do: every logger's lines (as its sink receives them,
// redacted) and the secrets it was told to keep out, every call the local Slack stand-in receives
// (posts, response_url answers, uploaded files), and what the Slack app answers a signed request
// (a slash command's acknowledgement carries its reply), and the output of the bots and imports
// tests start through bench/child-process.ts. run-cli.ts records its own children's output. The
// scan runs when the run ends (suite-output-global.ts).
import { expect, inject, vi } from 'vitest';
import type { LoggerOptions } from '../../src/logger.js';
import { startSuiteOutput } from './suite-output.js';

vi.mock('../../src/logger.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/logger.js')>();
  const { recordOutput, recordSecret } = await import('./suite-output.js');
  return {
    ...real,
    createLogger(options: LoggerOptions = {}) {
      for (const secret of options.secrets ?? []) recordSecret(secret);
      // createLogger's own default sink, when the caller names none.
      const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
      return real.createLogger({
        ...options,
        sink: (line) => {
          recordOutput('log', line);
          sink(line);
        },
      });
    },
  };
});

vi.mock('../../src/simulator/local-slack-api.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/simulator/local-slack-api.js')>();
  const { recordSlackCall } = await import('./suite-output.js');
  class RecordedLocalSlackApi extends real.LocalSlackApi {
    constructor(...args: ConstructorParameters<typeof real.LocalSlackApi>) {
      super(...args);
      this.on('call', (call) => recordSlackCall(call, () => this.uploads()));
    }
  }
  return { ...real, LocalSlackApi: RecordedLocalSlackApi };
});

vi.mock('../../src/slack/sign-request.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/slack/sign-request.js')>();
  const { recordAppResponse, recordSecret } = await import('./suite-output.js');
  return {
    ...real,
    async postSignedToSlackApp(...args: Parameters<typeof real.postSignedToSlackApp>) {
      recordSecret(args[1]);
      const result = await real.postSignedToSlackApp(...args);
      recordAppResponse(result.text, result.json);
      return result;
    },
  };
});

vi.mock('../../bench/child-process.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../bench/child-process.js')>();
  const { recordOutput, recordSecret } = await import('./suite-output.js');
  // spawnNode calls spawnNodeWith inside the module, past this wrapper: both are wrapped.
  const recorded = (child: import('../../bench/child-process.js').NodeChild, env: NodeJS.ProcessEnv, label: string) => {
    for (const [key, value] of Object.entries(env)) if (/SECRET|TOKEN/.test(key)) recordSecret(value);
    child.child.stdout?.on('data', (chunk: Buffer) => recordOutput(`${label} stdout`, chunk.toString('utf8')));
    child.child.stderr?.on('data', (chunk: Buffer) => recordOutput(`${label} stderr`, chunk.toString('utf8')));
    return child;
  };
  return {
    ...real,
    spawnNode: (script: string, args: string[], env: NodeJS.ProcessEnv, log: import('node:fs').WriteStream, label: string) =>
      recorded(real.spawnNode(script, args, env, log, label), env, label),
    spawnNodeWith: (nodeArgs: string[], env: NodeJS.ProcessEnv, log: import('node:fs').WriteStream, label: string) =>
      recorded(real.spawnNodeWith(nodeArgs, env, log, label), env, label),
  };
});

const dir = inject('suiteOutputDir');
if (dir) {
  startSuiteOutput(dir, () => {
    const state = expect.getState();
    return { file: state.testPath ?? 'unknown-test-file', test: state.currentTestName ?? '(the file\'s hooks)' };
  });
}
