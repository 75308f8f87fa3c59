// Export dates in the shapes Graph, the portal and spreadsheets write them, read as UTC.
import { describe, expect, it } from 'vitest';
import { parseExportDate } from '../../src/import/export-dates.js';

const iso = (text: string) => parseExportDate(text)?.toISOString() ?? null;

describe('parseExportDate', () => {
  it('reads ISO 8601 with and without an offset', () => {
    expect(iso('2025-06-11T09:15:02Z')).toBe('2025-06-11T09:15:02.000Z');
    expect(iso('2019-03-12T16:02:15.5522137+00:00')).toBe('2019-03-12T16:02:15.552Z');
    expect(iso('2025-06-11T09:15:02+02:00')).toBe('2025-06-11T07:15:02.000Z');
    expect(iso('2025-06-11 09:15')).toBe('2025-06-11T09:15:00.000Z');
    expect(iso('2025-06-11')).toBe('2025-06-11T00:00:00.000Z');
    expect(iso('2025/06/11 09:15:02 UTC')).toBe('2025-06-11T09:15:02.000Z');
  });

  it('reads locale dates: month first with "/", day first with "." or when the first number is over 12', () => {
    expect(iso('6/15/2025 9:00:00 AM')).toBe('2025-06-15T09:00:00.000Z');
    expect(iso('6/15/2025, 1:30:00 PM')).toBe('2025-06-15T13:30:00.000Z');
    expect(iso('12/01/2025 12:05 AM')).toBe('2025-12-01T00:05:00.000Z');
    expect(iso('25/12/2025 18:00')).toBe('2025-12-25T18:00:00.000Z');
    expect(iso('01.09.2024 10:00:00')).toBe('2024-09-01T10:00:00.000Z');
  });

  it('refuses what is not a date', () => {
    for (const text of ['', 'yesterday', '2025-02-30', '2025-13-01', '13/13/2025', '6/15/2025 13:00 PM', '2025-06-11T25:00:00Z']) {
      expect(parseExportDate(text), text).toBeNull();
    }
  });
});
