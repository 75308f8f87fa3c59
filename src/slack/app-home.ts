// The Home tab: published (views.publish) each time a user opens it, so it is always fresh. Admins
// get today's numbers, open fraud alerts with their buttons, on-premises hosts and registration
// coverage; anyone else gets what the bot is and whom to ask. Every render is audited like a query.
import type { App } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { recordQuery } from '../audit/record-query.js';
import { openFraudAlerts } from '../reports/open-fraud-alerts.js';
import { registrationReport } from '../reports/registration.js';
import { serverStatusReport } from '../reports/server-status.js';
import { summaryReport } from '../reports/summary.js';
import { parsePeriod } from '../time/period.js';
import { adminHomeView, HOME_ALERTS_SHOWN, HOME_SERVERS_SHOWN, unavailableHomeView, visitorHomeView, type HomeView, type WhomToAsk } from '../views/home-view.js';
import type { MfaCommandDeps } from './mfa-command.js';
import { reportFailure } from './report-failure.js';

export type AppHomeDeps = MfaCommandDeps & WhomToAsk;

export const APP_HOME_AUDIT_TEXT = '[app home]';

/** Builds and publishes `userId`'s Home tab; never rejects (failures are logged). */
export async function publishHome(client: WebClient, deps: AppHomeDeps, userId: string, where: { teamId?: string | null } = {}): Promise<void> {
  const started = Date.now();
  const allowed = await deps.isAdmin(userId);
  let view: HomeView;
  let outcome = allowed ? 'answered' : 'refused';
  let rowCount: number | null = null;
  if (!allowed) view = visitorHomeView(deps);
  else {
    try {
      const now = deps.now();
      const [today, alerts, servers, registration] = await Promise.all([
        summaryReport(deps.store, parsePeriod('today', now, deps.timeZone)),
        openFraudAlerts(deps.store, HOME_ALERTS_SHOWN),
        serverStatusReport(deps.store, { now, offset: 0, limit: HOME_SERVERS_SHOWN }),
        registrationReport(deps.store, { registered: true, includeGuests: false, offset: 0, limit: 0 }),
      ]);
      view = adminHomeView({ today, alerts, servers, registration, now, timeZone: deps.timeZone });
      rowCount = today.signins;
    } catch (error) {
      const failure = reportFailure(error, deps.store, deps.logger, 'the Home tab');
      outcome = failure.outcome;
      view = unavailableHomeView(failure.reply.text);
    }
  }
  await recordQuery(
    deps.records,
    { actor: userId, teamId: where.teamId ?? null, channelId: null, commandText: APP_HOME_AUDIT_TEXT, subcommand: 'app-home', allowed, outcome, rowCount, durationMs: Date.now() - started },
    deps.logger,
  );
  try {
    await client.views.publish({ user_id: userId, view });
  } catch (error) {
    deps.logger.error(`Could not publish the Home tab of ${userId}`, error);
  }
}

export function registerAppHome(app: App, deps: AppHomeDeps): void {
  app.event('app_home_opened', async ({ event, body, client }) => {
    // The Messages tab opening sends this event too; only the Home tab is ours to draw.
    if (event.tab !== 'home') return;
    await publishHome(client, deps, event.user, { teamId: (body as { team_id?: string }).team_id ?? null });
  });
}
