// Deny by default, through the real request path: members of MFA_ADMIN_GROUP get answers, other
// users do not, and when Slack cannot list the group its members are refused (fail secure).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replyText } from '../support/reply-text.js';
import { startHarness, type Harness } from '../support/slack-harness.js';
import { openTestStore, type TestStore } from '../support/test-store.js';

const GROUP = 'S0MFAADMINS';
const MEMBER = 'UGROUPMEM1';
let store: TestStore;
let harness: Harness;

beforeAll(async () => {
  store = await openTestStore();
  harness = await startHarness({ store, admins: [], adminGroup: GROUP, groups: { [GROUP]: [MEMBER] } });
});
afterAll(async () => {
  await harness?.close();
  await store?.close();
});

describe('MFA_ADMIN_GROUP', () => {
  it('lets a member of the group ask', async () => {
    const text = replyText((await harness.command('summary 7d', { user: MEMBER })).reply);
    expect(text).toContain('MFA summary: the last 7 days');
    expect(harness.api.callsTo('usergroups.users.list')[0]!.body.usergroup).toBe(GROUP);
  });

  it('refuses everyone else', async () => {
    const text = replyText((await harness.command('summary 7d', { user: 'UNOTINGRP1' })).reply);
    expect(text).toContain('Sorry, /mfa answers only MFA administrators');
  });

  it('refuses when the group cannot be read, and says so in the log', async () => {
    // A fresh app with an unknown group: usergroups.users.list answers ok:false.
    const other = await startHarness({ store, admins: [], adminGroup: 'S0NOSUCHGRP', groups: {} });
    try {
      const text = replyText((await other.command('summary 7d', { user: MEMBER })).reply);
      expect(text).toContain('Sorry, /mfa answers only MFA administrators');
      expect(other.logLines.some((line) => line.includes('Could not read the members of MFA_ADMIN_GROUP S0NOSUCHGRP'))).toBe(true);
    } finally {
      await other.close();
    }
    const [row] = await store.rows<{ allowed: boolean }>(sql`select allowed from query_audit order by id desc limit 1`);
    expect(row!.allowed).toBe(false);
  });
});
