// MFA fatigue detection: N denied or unanswered prompts for one user within M minutes is an
// attack, and the attack is the whole run of prompts chained within M minutes of each other.
import { describe, expect, it } from 'vitest';
import { findFatigueAttacks, type PushPrompt } from '../../src/fraud/detect-mfa-fatigue.js';

const T0 = Date.parse('2026-11-27T09:00:00Z');
const prompt = (upn: string, minute: number, id = `${upn}-${minute}`): PushPrompt => ({
  signinId: id,
  at: new Date(T0 + minute * 60_000),
  upn,
  userId: null,
  ipAddress: null,
  city: null,
  countryOrRegion: null,
  appDisplayName: null,
});
const policy = { prompts: 5, minutes: 10 };

describe('findFatigueAttacks', () => {
  it('finds five prompts within ten minutes', () => {
    const attacks = findFatigueAttacks([0, 1, 2, 3, 9].map((m) => prompt('eve@contoso.com', m)), policy);
    expect(attacks).toHaveLength(1);
    expect(attacks[0]!.prompts.map((p) => p.signinId)).toEqual(['eve@contoso.com-0', 'eve@contoso.com-1', 'eve@contoso.com-2', 'eve@contoso.com-3', 'eve@contoso.com-9']);
  });

  it('ignores four prompts, and five spread over more than ten minutes', () => {
    expect(findFatigueAttacks([0, 1, 2, 3].map((m) => prompt('a@contoso.com', m)), policy)).toEqual([]);
    expect(findFatigueAttacks([0, 3, 6, 9, 12].map((m) => prompt('b@contoso.com', m)), policy)).toEqual([]);
  });

  it('keeps users apart and takes the whole chained run as one attack', () => {
    const prompts = [
      ...[0, 1, 2, 3, 4, 12, 20].map((m) => prompt('c@contoso.com', m)),
      ...[0, 1, 2, 3].map((m) => prompt('d@contoso.com', m)),
      // 45 minutes later: a run of its own (too short).
      ...[65, 66].map((m) => prompt('c@contoso.com', m)),
    ];
    const attacks = findFatigueAttacks(prompts.reverse(), policy);
    expect(attacks.map((a) => [a.upn, a.prompts.length])).toEqual([['c@contoso.com', 7]]);
  });

  it('follows the configured numbers', () => {
    expect(findFatigueAttacks([0, 1, 2].map((m) => prompt('f@contoso.com', m)), { prompts: 3, minutes: 2 })).toHaveLength(1);
    expect(findFatigueAttacks([0, 2, 4].map((m) => prompt('f@contoso.com', m)), { prompts: 3, minutes: 2 })).toHaveLength(0);
  });
});
