// The legacy MFA Server report exports (no API; graph-data.md §0.8, §5): which report a CSV is,
// told from its headers, and each row → the row its writer stores. The portal's exact column names
// were never documented, so every field accepts the reasonable spellings below (compared ignoring
// case, spaces and punctuation, see csv-columns.ts). Dates are read as UTC unless they carry an
// offset (export-dates.ts).
//
// Blocked User History      Username | User name | User | UPN | User principal name
//                           Action | Status | Operation | Activity | Type      ("Blocked"/"Block"/"Unblocked"/"Unblock")
//                           Date/Time | Date | Timestamp | Date (UTC) | Created | Occurred at | (and a separate Time)
//                           Reason | Comment | Notes;  Blocked By | Performed By | Unblocked By | Changed By | By | Admin | Requested By | Created By
// Bypassed User History     Username …; Seconds | Bypass Seconds | Duration | Duration (seconds) | Bypass duration;
//   (one-time bypass)       Date …; Reason …; Created By …; Replication Group | Group
// Server status             Server | Server Name | Name | Host | Hostname; Version; Status | State;
//                           IP Address | IP; Last Communication | Last Communication Time | Last Contact | Last Seen
// Activity Report           Date/Time …; Username …; Server …; Call Result | Call Result Code | Result Code;
//                           Result | Description | Result Description (stored as the detail);
//                           (an Auth Type / Component column is accepted but not stored: onprem_activity has no column for it)
//
// Other columns are ignored. Recognised in this order: a Call Result column makes an activity
// report, a seconds column a bypass report, an action column with a user a block report, a server
// column with no user a server status report.
import { contentKey } from '../ingest/write-legacy.js';
import { scrubOptional } from '../ingest/scrub.js';
import { CsvColumns } from './csv-columns.js';
import { parseExportDate } from './export-dates.js';
import { MFA_SERVER_CSV_SOURCE, type ImportRecord } from './import-record.js';

const USER = ['Username', 'User name', 'User', 'UPN', 'User principal name', 'User ID'];
const DATE = ['Date/Time', 'Date', 'Timestamp', 'Date (UTC)', 'Date time', 'Created', 'Created at', 'Created date', 'Occurred at', 'Date created'];
const TIME = ['Time', 'Time (UTC)'];
const REASON = ['Reason', 'Comment', 'Comments', 'Notes'];
const ACTOR = ['Blocked By', 'Performed By', 'Unblocked By', 'Changed By', 'By', 'Admin', 'Administrator', 'Requested By', 'Created By', 'Initiated By'];
const SERVER = ['Server', 'Server Name', 'Name', 'Host', 'Hostname', 'Host name'];

const BLOCK_COLUMNS = { user: USER, action: ['Action', 'Status', 'Operation', 'Activity', 'Type'], date: DATE, time: TIME, reason: REASON, actor: ACTOR };
const BYPASS_COLUMNS = {
  user: USER,
  seconds: ['Seconds', 'Bypass Seconds', 'Duration', 'Duration (seconds)', 'Bypass duration', 'Bypass duration (seconds)', 'Bypass time (seconds)'],
  date: DATE,
  time: TIME,
  reason: REASON,
  actor: ACTOR,
  group: ['Replication Group', 'Group'],
};
const SERVER_COLUMNS = {
  server: SERVER,
  version: ['Version', 'Server version'],
  state: ['Status', 'State', 'Server status'],
  ip: ['IP Address', 'IP'],
  lastCommunication: ['Last Communication', 'Last Communication Time', 'Last Communication Date', 'Last Communication (UTC)', 'Last Contact', 'Last Seen'],
  user: USER,
};
const ACTIVITY_COLUMNS = {
  user: USER,
  date: DATE,
  time: TIME,
  server: SERVER,
  callResult: ['Call Result', 'Call Result Code', 'Result Code'],
  description: ['Result', 'Description', 'Result Description', 'Call Result Description', 'Details'],
};

export type MfaServerReport = 'blocked-users' | 'one-time-bypass' | 'server-status' | 'activity-report';

export const MFA_SERVER_REPORT_NAMES: Readonly<Record<MfaServerReport, string>> = {
  'blocked-users': 'MFA Server blocked user history CSV',
  'one-time-bypass': 'MFA Server one-time bypass history CSV',
  'server-status': 'MFA Server server status CSV',
  'activity-report': 'MFA Server activity report CSV',
};

export type RowResult = { ok: true; value: ImportRecord } | { ok: false; reason: string };

export interface MfaServerCsv {
  report: MfaServerReport;
  toRecord(row: readonly string[]): RowResult;
}

/** The report a header row belongs to, with its row mapper; null for any other CSV. */
export function mfaServerCsv(headers: readonly string[]): MfaServerCsv | null {
  const activity = new CsvColumns(headers, ACTIVITY_COLUMNS);
  if (activity.has('callResult') && activity.has('date')) return { report: 'activity-report', toRecord: (row) => activityRow(activity, row) };
  const bypass = new CsvColumns(headers, BYPASS_COLUMNS);
  if (bypass.has('user') && bypass.has('seconds') && bypass.has('date')) return { report: 'one-time-bypass', toRecord: (row) => bypassRow(bypass, row) };
  const block = new CsvColumns(headers, BLOCK_COLUMNS);
  if (block.has('user') && block.has('action') && block.has('date')) return { report: 'blocked-users', toRecord: (row) => blockRow(block, row) };
  const server = new CsvColumns(headers, SERVER_COLUMNS);
  const describesServers = server.has('version') || server.has('lastCommunication') || server.has('ip');
  if (server.has('server') && !server.has('user') && describesServers) return { report: 'server-status', toRecord: (row) => serverRow(server, row) };
  return null;
}

/** The row's time: a Date/Time column, or a Date column and a Time column. */
function rowDate(columns: CsvColumns<'date' | 'time' | string>, row: readonly string[]): { at: Date } | { reason: string } {
  const date = columns.get(row, 'date');
  const time = columns.get(row, 'time');
  const text = date && time && !/\d:\d/.test(date) ? `${date} ${time}` : (date ?? time);
  if (!text) return { reason: 'no date' };
  const at = parseExportDate(text);
  return at ? { at } : { reason: `unparsable date "${text}"` };
}

/** MFA Server names users "user@domain" or "DOMAIN\user"; stored lowercase like sign-in UPNs. */
const upnOf = (text: string | null): string | null => text?.toLowerCase() ?? null;

function blockRow(columns: CsvColumns<keyof typeof BLOCK_COLUMNS>, row: readonly string[]): RowResult {
  const upn = upnOf(columns.get(row, 'user'));
  if (!upn) return { ok: false, reason: 'no username' };
  const actionText = columns.get(row, 'action') ?? '';
  const folded = actionText.toLowerCase();
  const action = folded.includes('unblock') ? 'unblock' : folded.includes('block') ? 'block' : null;
  if (!action) return { ok: false, reason: `action "${actionText}" is neither Blocked nor Unblocked` };
  const when = rowDate(columns, row);
  if ('reason' in when) return { ok: false, reason: when.reason };
  return {
    ok: true,
    value: {
      kind: 'block_event',
      row: {
        // The same key the demo seed uses, so one event never appears twice whichever loaded it.
        dedupeKey: contentKey('block', upn, action, when.at),
        upn,
        action,
        reason: scrubOptional(columns.get(row, 'reason')),
        actor: columns.get(row, 'actor'),
        occurredAt: when.at,
        source: MFA_SERVER_CSV_SOURCE,
      },
    },
  };
}

function bypassRow(columns: CsvColumns<keyof typeof BYPASS_COLUMNS>, row: readonly string[]): RowResult {
  const upn = upnOf(columns.get(row, 'user'));
  if (!upn) return { ok: false, reason: 'no username' };
  const secondsText = columns.get(row, 'seconds') ?? '';
  const m = /^(\d+)\s*(?:s|sec|secs|seconds?)?$/i.exec(secondsText);
  const seconds = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0 || seconds > 2_147_483_647) return { ok: false, reason: `bypass seconds "${secondsText}" is not a positive whole number` };
  const when = rowDate(columns, row);
  if ('reason' in when) return { ok: false, reason: when.reason };
  return {
    ok: true,
    value: {
      kind: 'bypass_event',
      row: {
        dedupeKey: contentKey('bypass', upn, seconds, when.at),
        upn,
        seconds,
        reason: scrubOptional(columns.get(row, 'reason')),
        actor: columns.get(row, 'actor'),
        occurredAt: when.at,
        // "The time limit goes into effect immediately" (graph-data.md §5.1).
        expiresAt: new Date(when.at.getTime() + seconds * 1000),
        replicationGroup: columns.get(row, 'group'),
        source: MFA_SERVER_CSV_SOURCE,
      },
    },
  };
}

function serverRow(columns: CsvColumns<keyof typeof SERVER_COLUMNS>, row: readonly string[]): RowResult {
  const name = columns.get(row, 'server');
  if (!name) return { ok: false, reason: 'no server name' };
  const lastText = columns.get(row, 'lastCommunication');
  const last = lastText ? parseExportDate(lastText) : null;
  if (lastText && !last) return { ok: false, reason: `unparsable date "${lastText}"` };
  return {
    ok: true,
    value: {
      kind: 'server',
      row: {
        name,
        component: 'mfa_server',
        version: columns.get(row, 'version'),
        state: columns.get(row, 'state'),
        ipAddress: columns.get(row, 'ip'),
        lastCommunicationAt: last,
        source: MFA_SERVER_CSV_SOURCE,
      },
    },
  };
}

function activityRow(columns: CsvColumns<keyof typeof ACTIVITY_COLUMNS>, row: readonly string[]): RowResult {
  const callResult = columns.get(row, 'callResult')?.toUpperCase().replace(/\s+/g, '_') ?? null;
  if (!callResult) return { ok: false, reason: 'no Call Result' };
  const when = rowDate(columns, row);
  if ('reason' in when) return { ok: false, reason: when.reason };
  const upn = upnOf(columns.get(row, 'user'));
  const server = columns.get(row, 'server');
  // `detail` is the Call Result's description, as the seed stores it and the on-premises report shows it.
  const detail = columns.get(row, 'description');
  return {
    ok: true,
    value: {
      kind: 'onprem_activity',
      row: {
        dedupeKey: contentKey('onprem', server, upn, callResult, when.at),
        occurredAt: when.at,
        component: 'mfa_server',
        server,
        upn,
        callResult,
        succeeded: callResultSucceeded(callResult),
        detail: scrubOptional(detail),
        source: MFA_SERVER_CSV_SOURCE,
      },
    },
  };
}

/**
 * The Call Result's prefix says how the call ended (graph-data.md §5.2): SUCCESS_… true,
 * FAILED_… false; CONFIG_ISSUE ("Phone Unreachable") is a failure too; anything else unknown.
 */
export function callResultSucceeded(callResult: string): boolean | null {
  if (callResult.startsWith('SUCCESS_')) return true;
  if (callResult.startsWith('FAILED_') || callResult === 'CONFIG_ISSUE') return false;
  return null;
}
