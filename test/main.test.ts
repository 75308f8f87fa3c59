// `npm start` on a fresh machine: it builds the bundle and runs it with plain node; with no Slack
// credentials it opens the simulator on the embedded store, seeds the demo tenant, and answers
// what is typed at its prompt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNpmScript } from './support/run-cli.js';
import { cliStore, type CliStore } from './support/store-url.js';

let target: CliStore;
beforeAll(async () => {
  target = await cliStore({ fresh: true });
});
afterAll(async () => {
  await target?.dispose();
});

describe('npm start', () => {
  it('runs the simulator, seeds the demo tenant and answers /mfa summary 7d', { timeout: 240_000 }, async () => {
    const result = await runNpmScript('start', target.env, '/mfa summary 7d\nexit\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('First run: seeding a demo tenant (200 users, 30 days of sign-ins)');
    expect(result.stdout).toContain('mfa> ');
    expect(result.stdout).toMatch(/MFA summary: the last 7 days\n=+\n[\d,]+ sign-ins; [\d,]+ \([\d.]+%\) required MFA/);
    expect(result.stdout).toContain('Most common failure reasons');
  });

  it('stops with a message naming the variable when the configuration is wrong', async () => {
    const result = await runNpmScript('start', { ...target.env, SLACK_BOT_TOKEN: 'xoxb-1', PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set');
    expect(result.stderr).toContain('PORT: expected a TCP port number');
  });
});
