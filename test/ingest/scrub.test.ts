import { describe, expect, it } from 'vitest';
import { scrubDeep, scrubOptional, scrubPhoneNumbers } from '../../src/ingest/scrub.js';

describe('scrubPhoneNumbers', () => {
  it.each([
    ['+1 425 555 0164', '+X XXXXXXXX64'],
    ['+44 20 7946 0958', '+X XXXXXXXX58'],
    ['+4915112345678', '+X XXXXXXXX78'],
    ['+1 (425) 555-0164', '+X XXXXXXXX64'],
    ['+1-425-555-0164', '+X XXXXXXXX64'],
    ['+49 (0)151 1234 5678', '+X XXXXXXXX78'],
    ['(425) 555-0164', '+X XXXXXXXX64'],
    ['(425)555-0164', '+X XXXXXXXX64'],
    ['425-555-0164', '+X XXXXXXXX64'],
    ['425.555.0164', '+X XXXXXXXX64'],
    ['425 555 0164', '+X XXXXXXXX64'],
    ['1-425-555-0164', '+X XXXXXXXX64'],
    ['4255550164', '+X XXXXXXXX64'],
    ['14255550164', '+X XXXXXXXX64'],
    ['020 7946 0958', '+X XXXXXXXX58'],
    ['0151-1234-5678', '+X XXXXXXXX78'],
  ])('masks %s', (input, expected) => {
    expect(scrubPhoneNumbers(input)).toBe(expected);
  });

  it('masks numbers inside text and keeps the surrounding text', () => {
    expect(scrubPhoneNumbers('Call to +1 425 555 0164 went to voicemail.')).toBe(
      'Call to +X XXXXXXXX64 went to voicemail.',
    );
    expect(scrubPhoneNumbers('sms (425) 555-0164, backup 425.555.0199')).toBe(
      'sms +X XXXXXXXX64, backup +X XXXXXXXX99',
    );
    expect(scrubPhoneNumbers('phone:4255550164')).toBe('phone:+X XXXXXXXX64');
  });

  it.each([
    '+X XXXXXXXX64',
    '2026-11-01T10:00:00Z',
    '2026-11-01..2026-11-07',
    '2019-03-12T16:02:15.5522137+00:00',
    '20261101T100000Z',
    '10.0.0.1',
    '192.168.100.200 and 203.0.113.254',
    '3f9a2c1e-4b5d-4e6f-8a7b-1234567890ab',
    '00000000-0000-0000-0000-000000000000',
    '12345678-1234-1234-1234-123456789012',
    'error 500121',
    'errors 50074, 50076 and 53003',
    '1,234 sign-ins',
    '1,234,567,890 events',
    'U0123456789 <@U012AB3CD> C0123456789 T0123456789',
    '1712345678.123456',
    '1762000000',
    '1762000000123',
    '10:00:00',
    'v10.0.19045.1234',
  ])('leaves %s alone', (input) => {
    expect(scrubPhoneNumbers(input)).toBe(input);
  });

  it('is idempotent', () => {
    const once = scrubPhoneNumbers('+44 20 7946 0958 / (425) 555-0164 on 2026-11-01');
    expect(scrubPhoneNumbers(once)).toBe(once);
    expect(once).toBe('+X XXXXXXXX58 / +X XXXXXXXX64 on 2026-11-01');
  });

  it('never leaves more than the last two digits of a number', () => {
    const out = scrubPhoneNumbers('+1 425 555 0164');
    expect(out).not.toMatch(/425|555|01/);
  });
});

describe('scrubOptional', () => {
  it('maps null, undefined and blank to null', () => {
    expect(scrubOptional(null)).toBeNull();
    expect(scrubOptional(undefined)).toBeNull();
    expect(scrubOptional('   ')).toBeNull();
    expect(scrubOptional(' +1 425 555 0164 ')).toBe('+X XXXXXXXX64');
  });
});

describe('scrubDeep', () => {
  it('scrubs every string in a JSON-like value and keeps everything else', () => {
    const when = new Date('2026-11-01T00:00:00Z');
    const input = {
      id: '3f9a2c1e-4b5d-4e6f-8a7b-1234567890ab',
      count: 4255550164,
      ok: true,
      none: null,
      when,
      steps: [{ detail: '+1 425 555 0164' }, 'call (425) 555-0164', 7],
      nested: { deeper: { text: 'x 425-555-0164 y' } },
    };
    const out = scrubDeep(input);
    expect(out).toEqual({
      id: '3f9a2c1e-4b5d-4e6f-8a7b-1234567890ab',
      count: 4255550164, // numbers are not strings; callers stringify before storing
      ok: true,
      none: null,
      when,
      steps: [{ detail: '+X XXXXXXXX64' }, 'call +X XXXXXXXX64', 7],
      nested: { deeper: { text: 'x +X XXXXXXXX64 y' } },
    });
    expect(out.when).toBe(when);
    // The input is not mutated.
    expect(input.steps[0]).toEqual({ detail: '+1 425 555 0164' });
  });

  it('handles bare strings', () => {
    expect(scrubDeep('+4915112345678')).toBe('+X XXXXXXXX78');
  });
});
