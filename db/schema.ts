// The report store. One schema for Postgres (postgres.js) and PGlite.
//
// Sign-ins dominate the volume (millions a month for a large tenant), so they and their
// Conditional Access rows are range-partitioned by day on `created_at` (the partitioning is added
// by hand to the generated migration: drizzle-kit cannot express it) and retention drops whole
// partitions. Period reports read `signin_hourly`, a rollup recomputed for the hours a write
// touches, and only the partial hours at a period's edges from the raw rows.
import { sql } from 'drizzle-orm';
import { PROMPTED } from '../src/reports/signin-predicates.js';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

/** `bit(4096)`: drizzle has no bit-string column type. */
const customBits = customType<{ data: string }>({ dataType: () => 'bit(4096)' });

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One row per Graph sign-in (beta or v1.0) or imported portal record. */
export const signins = pgTable(
  'signins',
  {
    id: text('id').notNull(),
    createdAt: tz('created_at').notNull(),
    userId: text('user_id'),
    upn: text('upn'),
    userDisplayName: text('user_display_name'),
    appDisplayName: text('app_display_name'),
    appId: text('app_id'),
    resourceId: text('resource_id'),
    resourceDisplayName: text('resource_display_name'),
    ipAddress: text('ip_address'),
    city: text('city'),
    countryOrRegion: text('country_or_region'),
    clientAppUsed: text('client_app_used'),
    isInteractive: boolean('is_interactive'),
    errorCode: integer('error_code').notNull().default(0),
    failureReason: text('failure_reason'),
    additionalDetails: text('additional_details'),
    /** 'yes' | 'no' | 'unknown' */
    mfaRequired: text('mfa_required').notNull(),
    /** Why MFA was required, e.g. "Conditional Access", "Per-user MFA", "Security defaults". */
    mfaRequiredReason: text('mfa_required_reason'),
    /** 'satisfied' | 'denied' | 'interrupted' | 'not_required' | 'not_reached' | 'unknown' */
    mfaOutcome: text('mfa_outcome').notNull(),
    /** Classified result, e.g. 'skipped_location', 'denied_voicemail', 'other'. */
    mfaResultCode: text('mfa_result_code'),
    /** The raw result string the code was derived from, kept verbatim. */
    mfaResultDetail: text('mfa_result_detail'),
    /** Normalised method name ("Text message", "Mobile app notification", ...). */
    mfaMethod: text('mfa_method'),
    mfaMethodRaw: text('mfa_method_raw'),
    /** Scrubbed: phone numbers only ever as "+X XXXXXXXX64". */
    mfaAuthDetail: text('mfa_auth_detail'),
    /** Every authentication step, scrubbed: [{at, method, methodDetail, requirement, succeeded, resultDetail}]. */
    authSteps: jsonb('auth_steps').$type<AuthStep[]>().notNull().default(sql`'[]'::jsonb`),
    caStatus: text('ca_status'),
    tokenIssuerType: text('token_issuer_type'),
    /** 'nps' | 'adfs' for on-premises component events, else null. */
    onpremComponent: text('onprem_component'),
    correlationId: text('correlation_id'),
    /** Where the record came from: 'graph-beta', 'graph-v1', 'import:portal-csv', 'seed', ... */
    source: text('source').notNull(),
    ingestedAt: tz('ingested_at').notNull().defaultNow(),
    /**
     * The user's number in `user_numbers`, written with the row: the partial hours at a period's
     * edges count distinct users from it without a lookup per row. Null on rows stored before it
     * existed (readers look those up).
     */
    userNum: integer('user_num'),
  },
  (t) => [
    // The partition key must be part of every unique key; Graph never changes a sign-in's time.
    primaryKey({ name: 'signins_pkey', columns: [t.id, t.createdAt] }),
    index('signins_created_at_idx').on(t.createdAt),
    index('signins_user_id_created_at_idx').on(t.userId, t.createdAt),
    index('signins_upn_created_at_idx').on(t.upn, t.createdAt),
    index('signins_correlation_id_idx').on(t.correlationId),
    // `failures` ranks the users with the most failed MFA sign-ins: a few percent of all rows.
    // Every column that ranking reads is in the index, so it is an index-only scan.
    index('signins_mfa_failed_idx')
      .on(t.createdAt, t.userId, t.upn, t.mfaOutcome, t.mfaResultCode, t.mfaResultDetail, t.userDisplayName)
      .where(sql`${t.mfaRequired} = 'yes' AND ${t.mfaOutcome} IN ('denied', 'interrupted')`),
    // The same rows by user: the ranking's exact counts for its few candidate users read their
    // failed sign-ins, not the period's (130 ms over 28 days at 10M through the index above).
    index('signins_mfa_failed_user_idx')
      .on(t.userId, t.createdAt, t.upn, t.mfaOutcome, t.mfaResultCode, t.mfaResultDetail, t.userDisplayName)
      .where(sql`${t.mfaRequired} = 'yes' AND ${t.mfaOutcome} IN ('denied', 'interrupted')`),
    // `usage` ranks the users with the most prompts the same way: its candidates' prompts (distinct
    // flows) are counted from their prompted sign-ins alone, index-only, and only the ten shown
    // are read in full. A third of all rows.
    index('signins_prompted_user_idx').on(t.userId, t.createdAt, t.upn, t.correlationId, t.id).where(PROMPTED),
    // `onprem` and `servers` read only NPS / AD FS sign-ins, a small share of all rows, and only
    // these columns of them: index-only scans.
    index('signins_onprem_idx')
      .on(t.createdAt, t.onpremComponent, t.ipAddress, t.mfaOutcome, t.userId, t.upn)
      .where(sql`${t.onpremComponent} IS NOT NULL`),
    // The MFA fatigue scan reads only denied or unanswered push prompts of the last day.
    index('signins_push_denials_idx')
      .on(t.createdAt)
      .where(sql`${t.mfaMethod} = 'Mobile app notification' AND ${t.mfaResultCode} IN ('denied_user_declined', 'denied_no_response')`),
  ],
);

export interface AuthStep {
  at: string | null;
  method: string | null;
  methodDetail: string | null;
  requirement: string | null;
  succeeded: boolean | null;
  resultDetail: string | null;
}

/** The Conditional Access policies applied to a sign-in (partitioned like `signins`). */
export const signinCaPolicies = pgTable(
  'signin_ca_policies',
  {
    signinId: text('signin_id').notNull(),
    signinCreatedAt: tz('signin_created_at').notNull(),
    policyId: text('policy_id').notNull(),
    displayName: text('display_name'),
    grantControls: text('grant_controls').array().notNull().default(sql`'{}'::text[]`),
    sessionControls: text('session_controls').array().notNull().default(sql`'{}'::text[]`),
    /** success | failure | notApplied | notEnabled | reportOnly* | unknown */
    result: text('result').notNull(),
  },
  (t) => [
    primaryKey({ name: 'signin_ca_policies_pkey', columns: [t.signinId, t.signinCreatedAt, t.policyId] }),
    index('signin_ca_policies_created_at_idx').on(t.signinCreatedAt),
  ],
);

/** The outcome dimensions the sign-in rollups group by (empty strings stand for "none"). */
const rollupDimensions = () => ({
    mfaRequired: text('mfa_required').notNull(),
    mfaOutcome: text('mfa_outcome').notNull(),
    mfaResultCode: text('mfa_result_code').notNull(),
    mfaResultDetail: text('mfa_result_detail').notNull(),
    mfaMethod: text('mfa_method').notNull(),
    errorCode: integer('error_code').notNull(),
    onpremComponent: text('onprem_component').notNull(),
});

/**
 * Sign-in counts per hour and outcome dimensions. Recomputed from `signins` for every hour a
 * write touches, so late corrections and re-imports never drift it from the raw rows.
 * Empty strings stand for "none" so the dimensions group without NULL special cases.
 */
export const signinHourly = pgTable(
  'signin_hourly',
  {
    hour: tz('hour').notNull(),
    ...rollupDimensions(),
    /** Lower-cased Conditional Access status ("success", "failure", "notapplied", ...). */
    caStatus: text('ca_status').notNull().default(''),
    signins: integer('signins').notNull(),
  },
  (t) => [index('signin_hourly_hour_idx').on(t.hour)],
);

/**
 * Sign-in counts per quarter hour, the tier below `signin_hourly` (which is summed from it): the
 * partial hours at a period's edges are whole quarter hours wherever the period is cut at local
 * midnight (every UTC offset is a multiple of 15 minutes), so a date range in a half-hour zone
 * reads no raw rows. Partitioned by day like `signins` (added by hand to the migration), so
 * retention drops its days instead of deleting thousands of rows.
 */
export const signinQuarterly = pgTable(
  'signin_quarterly',
  {
    quarter: tz('quarter').notNull(),
    ...rollupDimensions(),
    caStatus: text('ca_status').notNull(),
    signins: integer('signins').notNull(),
  },
  (t) => [index('signin_quarterly_quarter_idx').on(t.quarter)],
);

/**
 * `signin_hourly` summed per UTC day, refreshed from it for the days a write touches: a 30-day
 * report reads a few thousand rows instead of every hour's (about 120 rows an hour at scale).
 */
export const signinDaily = pgTable(
  'signin_daily',
  {
    day: tz('day').notNull(),
    ...rollupDimensions(),
    caStatus: text('ca_status').notNull(),
    signins: integer('signins').notNull(),
  },
  (t) => [index('signin_daily_day_idx').on(t.day)],
);

/**
 * Conditional Access policy applications per hour, recomputed like `signin_hourly` for the hours
 * a write touches, so the `ca` report reads thousands of rows instead of every policy row.
 */
export const signinCaHourly = pgTable(
  'signin_ca_hourly',
  { hour: tz('hour').notNull(), ...policyRollupColumns() },
  (t) => [index('signin_ca_hourly_hour_idx').on(t.hour)],
);

/** `signin_ca_hourly` summed per UTC day, refreshed from it like `signin_daily`. */
export const signinCaDaily = pgTable(
  'signin_ca_daily',
  { day: tz('day').notNull(), ...policyRollupColumns() },
  (t) => [index('signin_ca_daily_day_idx').on(t.day)],
);

/** The columns of the policy rollups, hourly and daily. */
function policyRollupColumns() {
  return {
    policyId: text('policy_id').notNull(),
    /** Lower-cased result: success, failure, reportonlysuccess, ... */
    result: text('result').notNull(),
    /** The newest display name of the policy within the hour or day ('' when never named). */
    displayName: text('display_name').notNull(),
    /** When that name was last seen, so the report can pick the newest across rows. */
    namedAt: tz('named_at'),
    grantControls: text('grant_controls').array().notNull(),
    sessionControls: text('session_controls').array().notNull(),
    applied: integer('applied').notNull(),
  };
}

/**
 * NPS and AD FS sign-ins per hour, host (the sign-in's source IP, '' when none) and MFA outcome,
 * with the newest sign-in of each group: `onprem` reads its per-server table and `servers` when a
 * host was last heard from without touching the raw rows. Recomputed like `signin_hourly`.
 */
export const signinOnpremHourly = pgTable(
  'signin_onprem_hourly',
  {
    hour: tz('hour').notNull(),
    /** 'nps' | 'adfs' */
    component: text('component').notNull(),
    ipAddress: text('ip_address').notNull(),
    mfaOutcome: text('mfa_outcome').notNull(),
    signins: integer('signins').notNull(),
    newestAt: tz('newest_at').notNull(),
  },
  (t) => [index('signin_onprem_hourly_hour_idx').on(t.hour)],
);

/**
 * Every sign-in flow with a prompted record (see src/reports/signin-predicates.ts): the first and
 * the last of its prompted records. The distinct prompts of a period are the flows that start in
 * it (`signin_prompt_hourly` for whole hours) plus the few that started before and go on into it,
 * found by the index on `first_at` (flows over an hour long have an index of their own).
 */
export const promptFlows = pgTable(
  'prompt_flows',
  {
    /** coalesce(correlation_id, id) */
    flow: text('flow').primaryKey(),
    firstAt: tz('first_at').notNull(),
    lastAt: tz('last_at').notNull(),
  },
  (t) => [
    index('prompt_flows_first_at_idx').on(t.firstAt),
    index('prompt_flows_long_idx').on(t.firstAt).where(sql`${t.lastAt} - ${t.firstAt} > interval '1 hour'`),
  ],
);

/** Per hour, the prompt flows whose first prompted record is in it; kept in step with `prompt_flows`. */
export const signinPromptHourly = pgTable('signin_prompt_hourly', {
  hour: tz('hour').primaryKey(),
  flows: integer('flows').notNull(),
});

/**
 * Per user (`coalesce(user_id, upn)`), counts of prompted and of failed MFA sign-ins over every
 * sign-in ever written, never decreased: upper bounds for any period's prompts and failures, so
 * the "most prompted" and "most failed" rankings check the few users these bounds put first
 * instead of counting every user's sign-ins (src/reports/top-users.ts).
 */
export const userSigninBounds = pgTable(
  'user_signin_bounds',
  {
    userKey: text('user_key').primaryKey(),
    prompted: integer('prompted').notNull(),
    failed: integer('failed').notNull(),
    /** Some of the user's sign-ins have no user id, so the key is (also) their UPN. */
    byUpn: boolean('by_upn').notNull().default(false),
  },
  (t) => [index('user_signin_bounds_prompted_idx').on(t.prompted.desc(), t.userKey), index('user_signin_bounds_failed_idx').on(t.failed.desc(), t.userKey)],
);

/**
 * A dense number for every user key (`coalesce(user_id, upn)` of a sign-in), so sets of users
 * can be bitmaps. Numbers are handed out in order and never reused.
 */
export const userNumbers = pgTable('user_numbers', {
  userKey: text('user_key').primaryKey(),
  num: integer('num').notNull().unique().generatedAlwaysAsIdentity({ startWith: 0, minValue: 0 }),
});

/**
 * Which users had a sign-in of a kind in an hour, a UTC day or an aligned run of 2, 4, 8 or 16
 * UTC days, as 4,096-user bitmap chunks (`bit(4096)`, bit i of chunk c = user number c * 4096 + i).
 * Exact distinct-user counts for any period are then a bit_or over a few thousand chunks plus the
 * quarter-hour sets (`signin_quarter_user_sets`) and raw rows of the minutes left at its edges,
 * never a scan of millions of sign-ins. Kinds: 'all'
 * (any sign-in), 'challenged' (MFA required), 'failed' (MFA denied or interrupted), 'method' (key:
 * the method), 'reason' (key: the failure reason code, or "other:<raw result>"), 'nps' (key: the
 * NPS host's IP address, '' when none).
 */
export const signinUserSets = pgTable(
  'signin_user_sets',
  {
    /** 'hour' | 'day' | 'days2' | 'days4' | 'days8' | 'days16' (runs of UTC days aligned to their length) */
    level: text('level').notNull(),
    start: tz('start').notNull(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    chunk: integer('chunk').notNull(),
    bits: customBits('bits').notNull(),
  },
  (t) => [primaryKey({ name: 'signin_user_sets_pkey', columns: [t.level, t.kind, t.start, t.key, t.chunk] })],
);

/**
 * The user sets of `signin_user_sets` per quarter hour, for the whole quarter hours at a period's
 * edges (see `signin_quarterly`). A table of their own, partitioned by day, so retention drops a
 * day's (about 13,000 bitmaps at 10M sign-ins) instead of deleting them.
 */
export const signinQuarterUserSets = pgTable(
  'signin_quarter_user_sets',
  {
    start: tz('start').notNull(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    chunk: integer('chunk').notNull(),
    bits: customBits('bits').notNull(),
  },
  (t) => [primaryKey({ name: 'signin_quarter_user_sets_pkey', columns: [t.kind, t.start, t.key, t.chunk] })],
);

/** Users' MFA registration, from userRegistrationDetails (full refresh). */
export const userRegistrations = pgTable(
  'user_registrations',
  {
    userId: text('user_id').primaryKey(),
    upn: text('upn').notNull(),
    displayName: text('display_name'),
    /** 'member' | 'guest' */
    userType: text('user_type').notNull().default('member'),
    isAdmin: boolean('is_admin').notNull().default(false),
    isMfaRegistered: boolean('is_mfa_registered').notNull(),
    isMfaCapable: boolean('is_mfa_capable').notNull(),
    isPasswordlessCapable: boolean('is_passwordless_capable').notNull().default(false),
    methodsRegistered: text('methods_registered').array().notNull().default(sql`'{}'::text[]`),
    defaultMethod: text('default_method'),
    lastUpdatedAt: tz('last_updated_at'),
    source: text('source').notNull(),
    syncedAt: tz('synced_at').notNull().defaultNow(),
  },
  (t) => [
    index('user_registrations_upn_idx').on(sql`lower(${t.upn})`),
    // `unregistered` lists a page in this order and counts the scope: an index scan that stops
    // after the page, and an index-only count, instead of sorting and scanning every user.
    index('user_registrations_listing_idx').on(t.isMfaRegistered, t.isAdmin.desc().nullsFirst(), sql`lower(${t.upn})`),
    index('user_registrations_coverage_idx').on(t.userType, t.isMfaRegistered, t.isMfaCapable, t.syncedAt),
  ],
);

/** Identity Protection risk detections (userReportedSuspiciousActivity and others). */
export const riskDetections = pgTable(
  'risk_detections',
  {
    id: text('id').primaryKey(),
    riskEventType: text('risk_event_type').notNull(),
    riskLevel: text('risk_level'),
    riskState: text('risk_state'),
    source: text('source'),
    userId: text('user_id'),
    upn: text('upn'),
    ipAddress: text('ip_address'),
    city: text('city'),
    countryOrRegion: text('country_or_region'),
    correlationId: text('correlation_id'),
    requestId: text('request_id'),
    activityAt: tz('activity_at'),
    detectedAt: tz('detected_at').notNull(),
    raw: jsonb('raw').notNull(),
    ingestedAt: tz('ingested_at').notNull().defaultNow(),
  },
  (t) => [index('risk_detections_detected_at_idx').on(t.detectedAt)],
);

/** Directory audit entries about MFA (fraud reported, suspicious activity reported, ...). */
export const directoryAudits = pgTable(
  'directory_audits',
  {
    id: text('id').primaryKey(),
    activity: text('activity').notNull(),
    category: text('category'),
    result: text('result'),
    resultReason: text('result_reason'),
    at: tz('at').notNull(),
    initiatorUpn: text('initiator_upn'),
    targetUserId: text('target_user_id'),
    targetUpn: text('target_upn'),
    correlationId: text('correlation_id'),
    raw: jsonb('raw').notNull(),
    ingestedAt: tz('ingested_at').notNull().defaultNow(),
  },
  (t) => [index('directory_audits_at_idx').on(t.at)],
);

/**
 * One row per fraud report (user-reported suspicious activity, or an MFA fatigue attack), however
 * many source records describe it. The row is also the alert's outbox entry: `dedupeKey` makes the
 * Slack post exactly-once, the claim columns let one replica at a time deliver it
 * (`FOR UPDATE SKIP LOCKED`), and the Slack columns record the post (src/alerts).
 */
export const fraudReports = pgTable(
  'fraud_reports',
  {
    id: serial('id').primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    /** 'user_reported' | 'mfa_fatigue' */
    kind: text('kind').notNull().default('user_reported'),
    userId: text('user_id'),
    upn: text('upn').notNull(),
    reportedAt: tz('reported_at').notNull(),
    correlationId: text('correlation_id'),
    ipAddress: text('ip_address'),
    city: text('city'),
    countryOrRegion: text('country_or_region'),
    appDisplayName: text('app_display_name'),
    mfaMethod: text('mfa_method'),
    /** 'new' | 'acknowledged' | 'false_positive' | 'escalated' */
    status: text('status').notNull().default('new'),
    actedBy: text('acted_by'),
    actedAt: tz('acted_at'),
    slackChannel: text('slack_channel'),
    slackTs: text('slack_ts'),
    postedAt: tz('posted_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
    /**
     * 'pending' (to post) | 'posted' | 'skipped' (a backfilled report, already old when it reached
     * the store: recorded, never posted). Undelivered = not posted; `last_delivery_error` says why.
     */
    alertState: text('alert_state').notNull().default('pending'),
    /** The dispatcher (replica) holding the alert, and since when; a claim older than the lease is free again. */
    claimedBy: text('claimed_by'),
    claimedAt: tz('claimed_at'),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    /** Set before a post whose outcome is unknown until Slack answers: the next attempt looks for it in Slack first. */
    postAttemptedAt: tz('post_attempted_at'),
    /** No attempt before this (backoff after Slack trouble). */
    nextAttemptAt: tz('next_attempt_at'),
    lastDeliveryError: text('last_delivery_error'),
    /** A repeated report of the same user is posted in the thread of this (first) alert. */
    threadParentId: integer('thread_parent_id').references((): AnyPgColumn => fraudReports.id, { onDelete: 'set null' }),
    /** The thread the alert was posted in (its parent's ts), for replies. */
    slackThreadTs: text('slack_thread_ts'),
    /** When nobody had acknowledged the alert in time and it was re-posted in its thread with the mention. */
    escalatedAt: tz('escalated_at'),
  },
  (t) => [
    uniqueIndex('fraud_reports_dedupe_key_idx').on(t.dedupeKey),
    index('fraud_reports_reported_at_idx').on(t.reportedAt),
    index('fraud_reports_upn_idx').on(t.upn),
    index('fraud_reports_pending_idx').on(t.id).where(sql`${t.alertState} = 'pending'`),
  ],
);

/** The records behind a fraud report: a risk detection, an audit entry, a denied sign-in. */
export const fraudReportSources = pgTable(
  'fraud_report_sources',
  {
    fraudReportId: integer('fraud_report_id')
      .notNull()
      .references(() => fraudReports.id, { onDelete: 'cascade' }),
    /** 'risk_detection' | 'directory_audit' | 'signin' | 'import' */
    sourceKind: text('source_kind').notNull(),
    sourceId: text('source_id').notNull(),
    at: tz('at').notNull(),
  },
  (t) => [primaryKey({ name: 'fraud_report_sources_pkey', columns: [t.sourceKind, t.sourceId] }), index('fraud_report_sources_report_idx').on(t.fraudReportId)],
);

/** Legacy MFA Server / portal block and unblock requests (no Graph API: imported). */
export const mfaBlockEvents = pgTable(
  'mfa_block_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    upn: text('upn').notNull(),
    /** 'block' | 'unblock' */
    action: text('action').notNull(),
    reason: text('reason'),
    actor: text('actor'),
    occurredAt: tz('occurred_at').notNull(),
    /** 'import:mfa-server-csv', 'graph-audit', 'seed', ... */
    source: text('source').notNull(),
  },
  (t) => [uniqueIndex('mfa_block_events_dedupe_key_idx').on(t.dedupeKey), index('mfa_block_events_upn_idx').on(t.upn, t.occurredAt)],
);

/** Legacy MFA Server one-time bypass requests (imported). */
export const mfaBypassEvents = pgTable(
  'mfa_bypass_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    upn: text('upn').notNull(),
    seconds: integer('seconds').notNull(),
    reason: text('reason'),
    actor: text('actor'),
    occurredAt: tz('occurred_at').notNull(),
    expiresAt: tz('expires_at').notNull(),
    replicationGroup: text('replication_group'),
    source: text('source').notNull(),
  },
  (t) => [uniqueIndex('mfa_bypass_events_dedupe_key_idx').on(t.dedupeKey), index('mfa_bypass_events_upn_idx').on(t.upn, t.occurredAt)],
);

/** On-premises hosts: MFA Servers (imported status report), NPS extension and AD FS hosts. */
export const mfaServers = pgTable('mfa_servers', {
  name: text('name').primaryKey(),
  /** 'mfa_server' | 'nps' | 'adfs' */
  component: text('component').notNull(),
  version: text('version'),
  /** As reported, e.g. 'Online', 'Offline', 'Retired'. */
  state: text('state'),
  ipAddress: text('ip_address'),
  lastCommunicationAt: tz('last_communication_at'),
  source: text('source').notNull(),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

/**
 * Per-authentication activity of on-premises components that does not come from the sign-in
 * logs: the legacy MFA Server activity report (Call Result codes). NPS extension and AD FS adapter
 * cloud-MFA events are sign-ins (`signins.onprem_component`).
 */
export const onpremActivity = pgTable(
  'onprem_activity',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    occurredAt: tz('occurred_at').notNull(),
    /** 'mfa_server' | 'nps' | 'adfs' */
    component: text('component').notNull(),
    server: text('server'),
    upn: text('upn'),
    /** e.g. SUCCESS_PHONE_APP_AUTHENTICATED, FAILED_PHONE_APP_DENIED */
    callResult: text('call_result'),
    succeeded: boolean('succeeded'),
    detail: text('detail'),
    source: text('source').notNull(),
  },
  (t) => [uniqueIndex('onprem_activity_dedupe_key_idx').on(t.dedupeKey), index('onprem_activity_occurred_at_idx').on(t.occurredAt)],
);

/**
 * Bot posts other than fraud alerts that must reach Slack exactly once: the daily summary,
 * escalations, server-watch notices. Written in the transaction that decides to post (a
 * transactional outbox) and delivered by the alert dispatcher like an alert.
 */
export const slackOutbox = pgTable(
  'slack_outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** e.g. 'daily_summary:2026-11-26', 'fraud_escalation:42', 'server_silent:NPS-02:<since>' */
    dedupeKey: text('dedupe_key').notNull(),
    /** 'daily_summary' | 'fraud_escalation' | 'server_silent' | 'server_back' */
    kind: text('kind').notNull(),
    channel: text('channel').notNull(),
    /** Post as a reply in this thread. */
    threadTs: text('thread_ts'),
    /** The rendered message: { text, blocks }. */
    message: jsonb('message').$type<{ text: string; blocks: unknown[] }>().notNull(),
    /** 'pending' | 'posted' */
    state: text('state').notNull().default('pending'),
    claimedBy: text('claimed_by'),
    claimedAt: tz('claimed_at'),
    attempts: integer('attempts').notNull().default(0),
    postAttemptedAt: tz('post_attempted_at'),
    nextAttemptAt: tz('next_attempt_at'),
    lastError: text('last_error'),
    slackTs: text('slack_ts'),
    postedAt: tz('posted_at'),
    createdAt: tz('created_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('slack_outbox_dedupe_key_idx').on(t.dedupeKey), index('slack_outbox_pending_idx').on(t.id).where(sql`${t.state} = 'pending'`)],
);

/**
 * One row per scheduled job run slot, across replicas: whoever inserts the row runs the slot
 * (node-cron's RunCoordinator, src/jobs). Also the record of what ran when and how it ended.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    /** The job's stable name, e.g. 'daily-summary'. */
    job: text('job').notNull(),
    /** The slot: the cron fire time, or for the daily summary the start of the local day it reports. */
    slot: tz('slot').notNull(),
    claimedBy: text('claimed_by').notNull(),
    startedAt: tz('started_at').notNull(),
    finishedAt: tz('finished_at'),
    /** 'running' | 'ok' | 'failed' */
    status: text('status').notNull(),
    detail: text('detail'),
    attempts: integer('attempts').notNull().default(1),
  },
  (t) => [primaryKey({ name: 'job_runs_pkey', columns: [t.job, t.slot] })],
);

/** What the server watch last said about each on-premises host, so it posts once per change. */
export const serverWatch = pgTable('server_watch', {
  name: text('name').primaryKey(),
  /** 'silent' | 'ok' */
  state: text('state').notNull(),
  /** The host's last sign of life when it was found silent. */
  lastSeenAt: tz('last_seen_at'),
  changedAt: tz('changed_at').notNull(),
});

/** Every /mfa question, allowed or refused. */
export const queryAudit = pgTable(
  'query_audit',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: tz('at').notNull().defaultNow(),
    /** Slack user id, or 'cli:<os user>' for `npm run ask`. */
    actor: text('actor').notNull(),
    teamId: text('team_id'),
    channelId: text('channel_id'),
    /** The command text as typed (scrubbed, truncated). */
    commandText: text('command_text').notNull(),
    subcommand: text('subcommand'),
    allowed: boolean('allowed').notNull(),
    /** 'answered' | 'refused' | 'usage_error' | 'busy' (turned away, see answer-admission.ts) | 'timeout' (the report store's statement timeout) | 'error' */
    outcome: text('outcome').notNull(),
    rowCount: integer('row_count'),
    durationMs: integer('duration_ms'),
    /** The answer was one given earlier in the same minute (src/slack/answer-cache.ts), not read again. */
    reused: boolean('reused').notNull().default(false),
  },
  (t) => [index('query_audit_at_idx').on(t.at), index('query_audit_actor_idx').on(t.actor, t.at)],
);

/**
 * Signed Slack requests already received, so a replay within Slack's five-minute timestamp window
 * is refused by every replica (src/slack/seen-requests.ts). Keyed by the request's signature,
 * which covers its timestamp and body; rows are deleted once past `expires_at`.
 */
export const slackSeenRequests = pgTable(
  'slack_seen_requests',
  {
    signature: text('signature').primaryKey(),
    expiresAt: tz('expires_at').notNull(),
  },
  (t) => [index('slack_seen_requests_expires_at_idx').on(t.expiresAt)],
);

/** Incremental sync state per Graph source. */
export const syncCursors = pgTable('sync_cursors', {
  source: text('source').primaryKey(),
  /** Newest record time committed; the next run re-reads a trailing window before it. */
  cursorAt: tz('cursor_at'),
  /** Backfill/resume point: the opaque nextLink of the last committed page, if a run was cut short. */
  resumeLink: text('resume_link'),
  lastRunAt: tz('last_run_at'),
  lastRunOutcome: text('last_run_outcome'),
  updatedAt: tz('updated_at').notNull().defaultNow(),
});

/** Records that failed validation, kept with the reason so nothing is silently lost. */
export const quarantinedRecords = pgTable(
  'quarantined_records',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** 'graph:signIns', 'import:<file>' ... */
    source: text('source').notNull(),
    /** Page link or file:line. */
    locator: text('locator'),
    reason: text('reason').notNull(),
    raw: text('raw').notNull(),
    at: tz('at').notNull().defaultNow(),
  },
  (t) => [index('quarantined_records_at_idx').on(t.at)],
);
