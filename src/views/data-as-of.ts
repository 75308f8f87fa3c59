// The closing line of every report: the period shown and how fresh the store is, in TZ.
import type { ContextBlock } from '@slack/types';
import { describePeriodBounds, type Period } from '../time/period.js';
import { formatLocalDateTime } from '../time/zoned.js';
import { context } from './blocks.js';

export function dataAsOfLine(dataAsOf: Date | null, timeZone: string): string {
  return dataAsOf ? `Data as of ${formatLocalDateTime(dataAsOf, timeZone)} (${timeZone})` : 'No sign-ins in the store yet';
}

export function periodContext(period: Period, dataAsOf: Date | null, timeZone: string): ContextBlock {
  return context(`Period: ${describePeriodBounds(period, timeZone)}`, dataAsOfLine(dataAsOf, timeZone));
}
