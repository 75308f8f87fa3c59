// Splits a Graph page into records that pass the zod schema and quarantine entries for those that
// do not, so one bad record never costs the rest of its page.
import type { z } from 'zod';
import type { QuarantineEntry } from '../ingest/quarantine.js';

export interface ValidatedPage<T> {
  valid: T[];
  rejected: QuarantineEntry[];
}

/** "status.errorCode: Invalid input: expected number, received string; id: …" */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(record)'}: ${issue.message}`).join('; ');
}

export function validatePage<T>(records: ReadonlyArray<unknown>, schema: z.ZodType<T>, source: string, locator: string): ValidatedPage<T> {
  const valid: T[] = [];
  const rejected: QuarantineEntry[] = [];
  for (const record of records) {
    const parsed = schema.safeParse(record);
    if (parsed.success) {
      valid.push(parsed.data);
      continue;
    }
    const id = typeof record === 'object' && record !== null && typeof (record as { id?: unknown }).id === 'string' ? (record as { id: string }).id : null;
    rejected.push({
      source,
      locator,
      reason: `${id ? `record ${id}: ` : ''}${describeIssues(parsed.error)}`,
      raw: JSON.stringify(record) ?? String(record),
    });
  }
  return { valid, rejected };
}
