// Long lists page: Previous / Next buttons re-run the same command at another offset, and Export
// CSV sends the whole result as a file. The buttons carry the command text, never data.
import type { ActionsBlock, Button } from '@slack/types';
import { z } from 'zod';
import { actions, button } from './blocks.js';
import { formatCount } from './format.js';

export const PAGE_ACTION = 'mfa_page';
export const EXPORT_ACTION = 'mfa_export';

export interface PageInfo {
  /** The command as typed (without `public`). */
  commandText: string;
  offset: number;
  pageSize: number;
  total: number;
}

const valueSchema = z.object({ t: z.string().max(600), o: z.number().int().min(0).max(10_000_000) });

export function encodePagerValue(commandText: string, offset: number): string {
  return JSON.stringify({ t: commandText, o: offset });
}

/** The command and offset a button carries; null when the value is not one of ours. */
export function decodePagerValue(value: string | undefined): { commandText: string; offset: number } | null {
  if (!value) return null;
  try {
    const parsed = valueSchema.safeParse(JSON.parse(value));
    return parsed.success ? { commandText: parsed.data.t, offset: parsed.data.o } : null;
  } catch {
    return null;
  }
}

/** "Showing 21–40 of 134" */
export function pageLine(page: PageInfo, shown: number): string {
  if (page.total === 0) return 'Nothing to show';
  const first = Math.min(page.offset + 1, page.total);
  const last = Math.min(page.offset + shown, page.total);
  return `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(page.total)}`;
}

/** The buttons under a list, or null when everything fits on one page and there is nothing to export. */
export function pagerBlock(page: PageInfo, options: { exportable: boolean }): ActionsBlock | null {
  const buttons: Button[] = [];
  if (page.offset > 0) buttons.push(button('Previous', PAGE_ACTION, encodePagerValue(page.commandText, Math.max(0, page.offset - page.pageSize))));
  if (page.offset + page.pageSize < page.total) buttons.push(button('Next', PAGE_ACTION, encodePagerValue(page.commandText, page.offset + page.pageSize)));
  if (options.exportable && page.total > 0) buttons.push(button('Export CSV', EXPORT_ACTION, encodePagerValue(page.commandText, 0)));
  if (buttons.length === 0) return null;
  // Slack wants distinct action_ids within a block; the two page buttons differ by their value only.
  return { ...actions(...buttons.map((b, i) => ({ ...b, action_id: `${b.action_id}:${i}` }))), block_id: 'mfa_pager' };
}
