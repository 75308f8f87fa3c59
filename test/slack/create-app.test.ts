// How answers are delivered, and the modes: a slow answer goes through the response_url after a
// "working" acknowledgement; an unreachable store gets a clear line; Socket Mode connects with the
// app-level token.
import { LogLevel } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { LocalSlackApi } from '../../src/simulator/local-slack-api.js';
import { createSlackApp } from '../../src/slack/create-app.js';
import { replyText } from '../support/reply-text.js';
import { loadSignins } from '../support/graph-records.js';
import { startHarness } from '../support/slack-harness.js';
import { openTestStore, testBackend, type TestStore } from '../support/test-store.js';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
  await loadSignins(store, [{ id: 'a1', at: new Date(Date.now() - 3_600_000), upn: 'ann@contoso.com', mfa: { method: 'SMS', succeeded: true, detail: 'MFA successfully completed' } }]);
});
afterAll(async () => {
  await store?.close();
});

describe('answer delivery', () => {
  it('acknowledges "working" and delivers a slow answer through the response_url', async () => {
    const harness = await startHarness({ store, inlineAnswerMs: 0 });
    try {
      const { body, reply, via } = await harness.command('summary 24h');
      expect(JSON.parse(body)).toMatchObject({ response_type: 'ephemeral', text: 'Working on it…' });
      expect(via).toBe('response_url');
      expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: true });
      expect(replyText(reply)).toContain('1 sign-in; 1 (100%) required MFA');
    } finally {
      await harness.close();
    }
  });
});

describe.runIf(testBackend() === 'postgres')('an unreachable report store', () => {
  it('gets "try again in a minute", and the bot keeps answering what needs no store', async () => {
    const doomed = await openTestStore();
    const harness = await startHarness({ store: doomed });
    try {
      await doomed.close();
      const text = replyText((await harness.command('summary 7d')).reply);
      expect(text).toContain('The report store is unavailable right now; try again in a minute.');
      expect(harness.logLines.some((line) => line.includes('WARN') && line.includes('The report store is unavailable'))).toBe(true);
      expect(replyText((await harness.command('help')).reply)).toContain('/mfa summary [period]');
    } finally {
      await harness.close();
    }
  });
});

describe('Socket Mode', () => {
  it('opens a connection with the app-level token instead of listening for HTTP', async () => {
    const api = new LocalSlackApi();
    await api.start();
    const lines: string[] = [];
    const slack = createSlackApp({
      botToken: 'xoxb-socket-test',
      signingSecret: 'unused-in-socket-mode',
      appToken: 'xapp-1-socket-test',
      slackApiUrl: api.apiUrl,
      admins: ['UADMIN0001'],
      timeZone: 'UTC',
      store,
      logger: createLogger({ level: LogLevel.DEBUG, sink: (line) => lines.push(line) }),
      retries: 0,
    });
    try {
      const started = slack.start(0).catch(() => undefined);
      const call = await api.waitFor('apps.connections.open', 10_000);
      expect(call.token).toBe('xapp-1-socket-test');
      await Promise.race([started, new Promise((resolve) => setTimeout(resolve, 200))]);
      // Neither token ever reaches the log.
      expect(lines.join('\n')).not.toContain('xapp-1-socket-test');
      expect(lines.join('\n')).not.toContain('xoxb-socket-test');
    } finally {
      await slack.stop().catch(() => {});
      await api.stop();
    }
  });
});
