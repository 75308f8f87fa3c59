// When a cron expression fires on a local day, including the days clocks change.
import { describe, expect, it } from 'vitest';
import { firstFireOnLocalDay } from '../../src/jobs/cron-slots.js';
import { startOfLocalDay } from '../../src/time/zoned.js';

const day = (iso: string, tz: string) => startOfLocalDay(new Date(iso), tz);

describe('firstFireOnLocalDay', () => {
  it('is 08:00 local in the zone, in winter and summer', () => {
    expect(firstFireOnLocalDay('0 8 * * *', 'Europe/Berlin', day('2026-11-27T12:00:00Z', 'Europe/Berlin'))?.toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(firstFireOnLocalDay('0 8 * * *', 'Europe/Berlin', day('2026-07-01T12:00:00Z', 'Europe/Berlin'))?.toISOString()).toBe('2026-07-01T06:00:00.000Z');
    expect(firstFireOnLocalDay('30 6 * * *', 'UTC', day('2026-11-27T12:00:00Z', 'UTC'))?.toISOString()).toBe('2026-11-27T06:30:00.000Z');
  });

  it('is right on the days the clocks change', () => {
    // Europe/Berlin: summer time starts 2026-03-29 and ends 2026-10-25.
    expect(firstFireOnLocalDay('0 8 * * *', 'Europe/Berlin', day('2026-03-29T12:00:00Z', 'Europe/Berlin'))?.toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(firstFireOnLocalDay('0 8 * * *', 'Europe/Berlin', day('2026-10-25T12:00:00Z', 'Europe/Berlin'))?.toISOString()).toBe('2026-10-25T07:00:00.000Z');
  });

  it('is null on a day the expression skips', () => {
    // Weekdays only; 2026-11-28 is a Saturday.
    expect(firstFireOnLocalDay('0 8 * * 1-5', 'UTC', day('2026-11-28T12:00:00Z', 'UTC'))).toBeNull();
    expect(firstFireOnLocalDay('0 8 * * 1-5', 'UTC', day('2026-11-27T12:00:00Z', 'UTC'))?.toISOString()).toBe('2026-11-27T08:00:00.000Z');
  });
});
