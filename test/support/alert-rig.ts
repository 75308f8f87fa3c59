// The alert dispatcher against the local Slack stand-in and a real store: build as many
// dispatchers (app instances) as a test needs, each with its own Slack client and pacing.
import { LogLevel, type Logger } from '@slack/bolt';
import type { Store } from '../../db/client.js';
import { createAlertDispatcher, type AlertDispatcher, type DispatcherOptions } from '../../src/alerts/alert-dispatcher.js';
import { createSlackPoster } from '../../src/alerts/slack-poster.js';
import { createLogger } from '../../src/logger.js';
import { LocalSlackApi, type SlackCall } from '../../src/simulator/local-slack-api.js';
import { systemClock, type Clock } from '../../src/time/clock.js';

export const ALERT_CHANNEL = 'C0ALERTS01';

export interface AlertRig {
  api: LocalSlackApi;
  clock: Clock;
  logger: Logger;
  logLines: string[];
  dispatcher(overrides?: Partial<DispatcherOptions> & { store?: Store }): AlertDispatcher;
  close(): Promise<void>;
}

export async function startAlertRig(store: Store, clock: Clock = systemClock): Promise<AlertRig> {
  const api = new LocalSlackApi({ now: () => clock.now() });
  await api.start();
  const logLines: string[] = [];
  const logger = createLogger({ level: LogLevel.DEBUG, sink: (line) => logLines.push(line) });
  let instances = 0;
  return {
    api,
    clock,
    logger,
    logLines,
    dispatcher(overrides = {}) {
      instances += 1;
      const poster = createSlackPoster({ token: 'xoxb-test-token', slackApiUrl: api.apiUrl, clock, logger });
      return createAlertDispatcher({
        store,
        poster,
        logger,
        clock,
        instanceId: `test-instance-${instances}`,
        alertChannel: ALERT_CHANNEL,
        timeZone: 'UTC',
        threadWindowMs: 24 * 3_600_000,
        maxAgeMs: 72 * 3_600_000,
        escalation: { minutes: 30, mention: 'S0SECOPS1' },
        pollMs: 60_000,
        ...overrides,
      });
    },
    async close() {
      await api.stop();
    },
  };
}

/** Accepted chat.postMessage calls. */
export function okPosts(api: LocalSlackApi, channel?: string): SlackCall[] {
  return api
    .callsTo('chat.postMessage')
    .filter((call) => call.status === 200 && typeof call.response === 'object' && call.response.ok === true && (!channel || call.body.channel === channel));
}

/** The dedupe key a post carries in its metadata. */
export function dedupeKeyOf(call: SlackCall): string | undefined {
  const metadata = call.body.metadata as { event_payload?: { dedupe_key?: string } } | undefined;
  return metadata?.event_payload?.dedupe_key;
}

/** The ts Slack gave an accepted post. */
export function tsOf(call: SlackCall): string {
  return String((call.response as { ts?: string }).ts);
}
