// When a cron expression fires on a given local day, without waiting for it: the daily summary's
// catch-up asks "when was the summary of day D due?" for the days the bot may have been down.
import cron from 'node-cron';
import { localParts, zonedDateTime } from '../time/zoned.js';

const numbers = (values: Array<number | string>) => values.filter((v): v is number => typeof v === 'number').sort((a, b) => a - b);

/**
 * The first time `expression` fires in `timeZone` on the local day that starts at `dayStart`, or
 * null when it does not fire that day. The earliest hour, minute and second of the expression
 * are the candidate; node-cron's own matcher decides whether the day qualifies.
 */
export function firstFireOnLocalDay(expression: string, timeZone: string, dayStart: Date): Date | null {
  const fields = cron.parse(expression);
  const [hour, minute, second] = [numbers(fields.hour)[0], numbers(fields.minute)[0], numbers(fields.second)[0] ?? 0];
  if (hour === undefined || minute === undefined) return null;
  const day = localParts(dayStart, timeZone);
  const at = zonedDateTime(day.year, day.month, day.day, hour, minute, second, timeZone);
  const matcher = cron.createTask(expression, () => {}, { timezone: timeZone, name: 'mfa-bot-cron-slot-probe' });
  try {
    return matcher.match(at) ? at : null;
  } finally {
    void matcher.destroy();
  }
}
