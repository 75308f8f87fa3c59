import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

const BOT = 'xoxb-1111-2222-abcdef';
const SECRET = '8f14e45fceea167a5a36dedd4bea2543';
const APP = 'xapp-1-A111-222-abcdef';

/** The ConfigError loadConfig throws for `env` (fails the test if it does not throw one). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected loadConfig to reject ${JSON.stringify(env)}`);
}

/** The variable names the problems are about, in order. */
const variablesAtFault = (error: ConfigError) => error.problems.map((problem) => problem.split(':')[0]);

describe('loadConfig defaults', () => {
  it('fills in every default from an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      SLACK_API_URL: 'https://slack.com/api/',
      SUMMARY_CRON: '0 8 * * *',
      TZ: 'UTC',
      RETENTION_DAYS: 400,
      PGLITE_DIR: './data/pglite',
      GRAPH_API_URL: 'https://graph.microsoft.com',
      GRAPH_LOGIN_URL: 'https://login.microsoftonline.com',
      MFA_ADMINS: [],
      FRAUD_ESCALATE_MINUTES: 30,
      FRAUD_THREAD_HOURS: 24,
      FRAUD_ALERT_MAX_AGE_HOURS: 72,
      MFA_FATIGUE_PROMPTS: 5,
      MFA_FATIGUE_MINUTES: 10,
      SERVER_SILENT_MINUTES: 60,
      ANSWERS_AT_ONCE: 4,
      ANSWERS_WAITING: 24,
      ANSWER_CACHE_MB: 16,
      mode: 'simulator',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SYNC_CRON).toBeUndefined();
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
    expect(config.FRAUD_ESCALATE_MENTION).toBeUndefined();
  });

  it('reads the alerting and job settings', () => {
    const config = loadConfig({
      FRAUD_ESCALATE_MINUTES: '15',
      FRAUD_ESCALATE_MENTION: 'S0SECOPS1',
      FRAUD_THREAD_HOURS: '12',
      FRAUD_ALERT_MAX_AGE_HOURS: '24',
      MFA_FATIGUE_PROMPTS: '3',
      MFA_FATIGUE_MINUTES: '5',
      SERVER_SILENT_MINUTES: '90',
    });
    expect(config).toMatchObject({
      FRAUD_ESCALATE_MINUTES: 15,
      FRAUD_ESCALATE_MENTION: 'S0SECOPS1',
      FRAUD_THREAD_HOURS: 12,
      FRAUD_ALERT_MAX_AGE_HOURS: 24,
      MFA_FATIGUE_PROMPTS: 3,
      MFA_FATIGUE_MINUTES: 5,
      SERVER_SILENT_MINUTES: 90,
    });
    expect(loadConfig({ FRAUD_ESCALATE_MENTION: 'U0123ABCD' }).FRAUD_ESCALATE_MENTION).toBe('U0123ABCD');
  });

  it('does not read process.env when given an environment', () => {
    const config = loadConfig({ PORT: '4100', TZ: 'Europe/Berlin', RETENTION_DAYS: '30', DATABASE_URL: 'memory://' });
    expect(config.PORT).toBe(4100);
    expect(config.TZ).toBe('Europe/Berlin');
    expect(config.RETENTION_DAYS).toBe(30);
    expect(config.DATABASE_URL).toBe('memory://');
  });

  it('treats blank and whitespace-only values as unset', () => {
    const config = loadConfig({
      PORT: '',
      TZ: '   ',
      SUMMARY_CRON: '',
      RETENTION_DAYS: ' ',
      PGLITE_DIR: '',
      SLACK_API_URL: '',
      GRAPH_API_URL: ' ',
      GRAPH_LOGIN_URL: '',
      DATABASE_URL: '  ',
      MFA_ADMINS: '',
      SLACK_BOT_TOKEN: ' ',
      SLACK_SIGNING_SECRET: '',
      SLACK_APP_TOKEN: '',
      GRAPH_TENANT_ID: ' ',
      GRAPH_CLIENT_ID: '',
      SYNC_CRON: '',
    });
    expect(config).toMatchObject({
      PORT: 3000,
      TZ: 'UTC',
      SUMMARY_CRON: '0 8 * * *',
      RETENTION_DAYS: 400,
      PGLITE_DIR: './data/pglite',
      SLACK_API_URL: 'https://slack.com/api/',
      GRAPH_API_URL: 'https://graph.microsoft.com',
      GRAPH_LOGIN_URL: 'https://login.microsoftonline.com',
      MFA_ADMINS: [],
      mode: 'simulator',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.SLACK_BOT_TOKEN).toBeUndefined();
    expect(config.GRAPH_TENANT_ID).toBeUndefined();
    expect(config.SYNC_CRON).toBeUndefined();
  });

  it('counts a blank signing secret as missing next to a bot token', () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: '   ' });
    expect(variablesAtFault(error)).toEqual(['SLACK_SIGNING_SECRET']);
  });
});

describe('loadConfig runtime mode', () => {
  it('is the simulator without Slack credentials', () => {
    expect(loadConfig({}).mode).toBe('simulator');
  });

  it('is http with a bot token and signing secret', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET });
    expect(config.mode).toBe('http');
    expect(config.SLACK_BOT_TOKEN).toBe(BOT);
    expect(config.SLACK_SIGNING_SECRET).toBe(SECRET);
  });

  it('is socket when an app-level token is added', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: BOT, SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: APP });
    expect(config.mode).toBe('socket');
    expect(config.SLACK_APP_TOKEN).toBe(APP);
  });

  it('rejects a signing secret or an app token without a bot token', () => {
    const withSecret = configError({ SLACK_SIGNING_SECRET: SECRET });
    expect(variablesAtFault(withSecret)).toEqual(['SLACK_BOT_TOKEN']);
    expect(withSecret.message).toMatch(/SLACK_BOT_TOKEN: required when SLACK_SIGNING_SECRET is set/);

    const withAppToken = configError({ SLACK_APP_TOKEN: APP });
    expect(variablesAtFault(withAppToken)).toContain('SLACK_BOT_TOKEN');
    expect(withAppToken.message).toMatch(/SLACK_BOT_TOKEN: required for Socket Mode together with SLACK_APP_TOKEN/);
  });
});

describe('loadConfig MFA_ADMINS', () => {
  it.each([
    ['U012AB3CD', ['U012AB3CD']],
    ['U012AB3CD,U045EF6GH', ['U012AB3CD', 'U045EF6GH']],
    [' U012AB3CD , W045EF6GH ', ['U012AB3CD', 'W045EF6GH']],
    ['U012AB3CD,,U045EF6GH,', ['U012AB3CD', 'U045EF6GH']],
    [',', []],
    ['', []],
  ])('parses %j', (value, expected) => {
    expect(loadConfig({ MFA_ADMINS: value }).MFA_ADMINS).toEqual(expected);
  });

  it('rejects anything that is not a Slack user ID', () => {
    for (const value of ['alice', 'U012AB3CD,alice', 'u012ab3cd', 'C012AB3CD']) {
      const error = configError({ MFA_ADMINS: value });
      expect(variablesAtFault(error)).toEqual(['MFA_ADMINS']);
      expect(error.message).toContain('expected comma-separated Slack user IDs');
    }
  });
});

describe('loadConfig errors', () => {
  it.each([
    ['PORT', 'abc', 'expected a TCP port number'],
    ['PORT', '70000', 'expected a TCP port number (0-65535)'],
    ['TZ', 'Mars/Base', 'expected an IANA time zone'],
    ['SUMMARY_CRON', 'every day', 'expected a cron expression for the daily summary'],
    ['SYNC_CRON', 'hourly', 'expected a cron expression for the Graph sync'],
    ['MFA_ADMINS', 'alice', 'expected comma-separated Slack user IDs'],
    ['DATABASE_URL', 'mysql://x', 'expected a postgres:// or postgresql:// URL, or memory://'],
    ['RETENTION_DAYS', '0', 'expected a positive whole number (days of sign-ins to keep)'],
    ['RETENTION_DAYS', 'forever', 'expected a whole number (days of sign-ins to keep)'],
    ['RETENTION_DAYS', '1.5', 'expected a whole number (days of sign-ins to keep)'],
    ['SLACK_API_URL', 'not a url', 'expected the Slack Web API base URL'],
    ['FRAUD_ALERT_CHANNEL', '#security', 'expected a Slack channel ID'],
    ['MFA_ADMIN_GROUP', 'admins', 'expected a Slack user group ID'],
    ['FRAUD_ESCALATE_MINUTES', '0', 'expected a positive whole number (minutes before an unacknowledged fraud alert is escalated)'],
    ['FRAUD_ESCALATE_MENTION', '@secops', 'expected a Slack user group ID (e.g. "S0123ABCD") or user ID (e.g. "U0123ABCD")'],
    ['FRAUD_THREAD_HOURS', 'day', "expected a whole number (hours during which repeated reports of a user go into the first alert's thread)"],
    ['FRAUD_ALERT_MAX_AGE_HOURS', '-1', 'expected a positive whole number (hours: reports older than this when they reach the store are recorded, not posted)'],
    ['MFA_FATIGUE_PROMPTS', '1', 'expected a whole number of at least 2 (push prompts that make an MFA fatigue alert)'],
    ['MFA_FATIGUE_MINUTES', '2.5', 'expected a whole number (minutes within which the MFA fatigue prompts are counted)'],
    ['SERVER_SILENT_MINUTES', 'never', 'expected a whole number (minutes an on-premises MFA host may be silent before an alert)'],
    ['ANSWERS_AT_ONCE', '0', 'expected a positive whole number (/mfa questions one bot works on at once)'],
    ['ANSWERS_WAITING', '-1', 'expected a whole number of at least 0 (/mfa questions that may wait for a place before "busy, try again")'],
    ['ANSWER_CACHE_MB', 'lots', 'expected a whole number (megabytes of answers kept to give again within their minute; 0 keeps none)'],
  ])('names %s=%j and what it expects', (name, value, expects) => {
    const error = configError({ [name]: value });
    expect(variablesAtFault(error)).toEqual([name]);
    expect(error.message).toContain(`  - ${name}: ${expects}`);
  });

  it('requires the signing secret with a bot token', () => {
    const error = configError({ SLACK_BOT_TOKEN: BOT });
    expect(variablesAtFault(error)).toEqual(['SLACK_SIGNING_SECRET']);
    expect(error.message).toContain('SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set');
  });

  it('names each missing part of a partial Graph app registration', () => {
    const error = configError({ GRAPH_TENANT_ID: 'contoso.onmicrosoft.com' });
    expect(variablesAtFault(error).sort()).toEqual(['GRAPH_CLIENT_ID', 'GRAPH_CLIENT_SECRET']);
    expect(error.message).toMatch(/GRAPH_CLIENT_ID: required: .*tenant ID, client ID and client secret together/);

    const onlySecretMissing = configError({ GRAPH_TENANT_ID: 't', GRAPH_CLIENT_ID: 'c' });
    expect(variablesAtFault(onlySecretMissing)).toEqual(['GRAPH_CLIENT_SECRET']);
  });

  it('accepts a complete Graph app registration', () => {
    const config = loadConfig({ GRAPH_TENANT_ID: 't', GRAPH_CLIENT_ID: 'c', GRAPH_CLIENT_SECRET: 's' });
    expect(config.GRAPH_CLIENT_SECRET).toBe('s');
  });

  it('reports every bad variable in one ConfigError, cross-variable checks included', () => {
    const error = configError({
      PORT: 'abc',
      TZ: 'Mars/Base',
      SUMMARY_CRON: 'every day',
      SLACK_BOT_TOKEN: BOT,
      MFA_ADMINS: 'alice',
      DATABASE_URL: 'mysql://x',
      RETENTION_DAYS: '0',
      GRAPH_TENANT_ID: 'contoso.onmicrosoft.com',
    });
    expect(error.name).toBe('ConfigError');
    expect(variablesAtFault(error).sort()).toEqual(
      [
        'DATABASE_URL',
        'GRAPH_CLIENT_ID',
        'GRAPH_CLIENT_SECRET',
        'MFA_ADMINS',
        'PORT',
        'RETENTION_DAYS',
        'SLACK_SIGNING_SECRET',
        'SUMMARY_CRON',
        'TZ',
      ].sort(),
    );
    expect(error.message.split('\n')[0]).toBe('Invalid configuration:');
    for (const expected of [
      'PORT: expected a TCP port number',
      'TZ: expected an IANA time zone, e.g. "Europe/Berlin" or "UTC"',
      'SUMMARY_CRON: expected a cron expression for the daily summary, e.g. "0 8 * * *"',
      'SLACK_SIGNING_SECRET: required when SLACK_BOT_TOKEN is set',
      'MFA_ADMINS: expected comma-separated Slack user IDs, e.g. "U012AB3CD,U045EF6GH"',
      'DATABASE_URL: expected a postgres:// or postgresql:// URL, or memory:// for an in-memory store',
      'RETENTION_DAYS: expected a positive whole number (days of sign-ins to keep)',
      'GRAPH_CLIENT_ID: required: the Graph app registration needs tenant ID, client ID and client secret together',
      'GRAPH_CLIENT_SECRET: required: the Graph app registration needs tenant ID, client ID and client secret together',
    ]) {
      expect(error.message).toContain(`\n  - ${expected}`);
    }
  });

  it('does not echo secret values in the message', () => {
    const error = configError({ SLACK_BOT_TOKEN: 'xoxp-user-token-TOPSECRET', SLACK_SIGNING_SECRET: 'short' });
    expect(variablesAtFault(error).sort()).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
    expect(error.message).toContain('SLACK_BOT_TOKEN: expected a bot token starting with "xoxb-"');
    expect(error.message).not.toContain('TOPSECRET');
    expect(error.message).not.toContain('short');
  });
});
