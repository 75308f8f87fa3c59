// Headers are matched by alias, ignoring case, spaces, hyphens and punctuation; a repeated header
// reads its first non-blank column.
import { describe, expect, it } from 'vitest';
import { camelCaseKey, camelCaseKeys } from '../../src/import/camel-case-keys.js';
import { CsvColumns, headerKey } from '../../src/import/csv-columns.js';
import { sniffDelimiter } from '../../src/import/read-csv-export.js';

describe('CsvColumns', () => {
  it('matches header spellings by key', () => {
    expect(headerKey('Multi-factor authentication result')).toBe(headerKey('Multifactor Authentication Result'));
    expect(headerKey('Date (UTC)')).toBe('dateutc');
    const columns = new CsvColumns(['Date (UTC)', 'Incoming token type', 'USER NAME', 'Incoming token type'], {
      date: ['Date (UTC)'],
      upn: ['Username'],
      token: ['Incoming token type'],
      missing: ['Nope'],
    });
    const row = ['2025-06-11T00:00:00Z', ' ', ' bob@contoso.com ', 'primaryRefreshToken'];
    expect(columns.get(row, 'upn')).toBe('bob@contoso.com');
    expect(columns.get(row, 'token')).toBe('primaryRefreshToken');
    expect(columns.has('missing')).toBe(false);
    expect(columns.get(row, 'missing')).toBeNull();
  });

  it('picks the delimiter the header line uses', () => {
    expect(sniffDelimiter('a,b,"c;d"\n1;2;3;4;5')).toBe(',');
    expect(sniffDelimiter('a;b;"c,d,e"\n')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n')).toBe('\t');
  });
});

describe('camelCaseKeys', () => {
  it('turns PascalCase Graph names into Graph camelCase, recursively', () => {
    expect(['CreatedDateTime', 'IPAddress', 'ID', 'MfaDetail', 'id', 'riskEventTypes_v2'].map(camelCaseKey)).toEqual([
      'createdDateTime',
      'ipAddress',
      'id',
      'mfaDetail',
      'id',
      'riskEventTypes_v2',
    ]);
    expect(camelCaseKeys({ Status: { ErrorCode: 0 }, AuthenticationDetails: [{ Succeeded: true }] })).toEqual({
      status: { errorCode: 0 },
      authenticationDetails: [{ succeeded: true }],
    });
  });
});
