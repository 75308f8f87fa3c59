-- Every statement that changes what a report can show sends a NOTIFY on `mfa_bot_store_changed`,
-- delivered when its transaction commits (and not at all if it rolls back; Postgres folds repeats
-- within one transaction into one). The bots' answer caches (src/slack/answer-cache.ts) drop what
-- they hold when it arrives. A trigger rather than a call in each writer, so no writer (imports,
-- syncs, jobs, migrations, a hand-run UPDATE) can forget it. Left out, as no report reads them
-- and they change all the time: the query audit and replay log (every request), the alert outbox
-- (every post), job runs and the server watch (every job), and quarantined records.
CREATE FUNCTION mfa_bot_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mfa_bot_store_changed', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  report_table text;
BEGIN
  FOREACH report_table IN ARRAY ARRAY[
    'signins', 'signin_ca_policies', 'signin_hourly', 'signin_daily', 'signin_ca_hourly', 'signin_ca_daily',
    'signin_onprem_hourly', 'prompt_flows', 'signin_prompt_hourly', 'user_signin_bounds', 'user_numbers',
    'signin_user_sets', 'user_registrations', 'risk_detections', 'directory_audits', 'fraud_reports',
    'fraud_report_sources', 'mfa_block_events', 'mfa_bypass_events', 'mfa_servers', 'onprem_activity',
    'sync_cursors'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER mfa_bot_store_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION mfa_bot_store_changed()',
      report_table
    );
  END LOOP;
END
$$;
