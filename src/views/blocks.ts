// Small typed Block Kit builders that enforce Slack's limits as they build, so no view can produce
// a message Slack rejects (invalid_blocks) or silently truncates.
import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { scrubPhoneNumbers } from '../ingest/scrub.js';

export const LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  fieldsPerSection: 10,
  fieldText: 2000,
  contextElements: 10,
  fallbackText: 3000,
} as const;

export interface Reply {
  /** Notification and accessibility fallback. */
  text: string;
  blocks: KnownBlock[];
}

/**
 * The first `length` UTF-16 units of `text`, one fewer when the cut would keep only the first half
 * of a surrogate pair (an emoji, a rare CJK character): half a character cannot be sent as UTF-8.
 */
function head(text: string, length: number): string {
  const last = text.charCodeAt(length - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

/** Cuts `text` to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${head(text, max - 1)}…`;
}

/** Typed text repeated in a reply: a 10 kB paste comes back as its first `max` characters and a mark. */
export function shorten(text: string, max = 40): string {
  return text.length > max ? `${head(text, max)}…` : text;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clip(text, LIMITS.headerText), emoji: true } };
}

export function section(markdown: string): SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(markdown, LIMITS.sectionText) } };
}

export function fields(items: string[]): SectionBlock[] {
  const blocks: SectionBlock[] = [];
  for (let i = 0; i < items.length; i += LIMITS.fieldsPerSection) {
    blocks.push({
      type: 'section',
      fields: items.slice(i, i + LIMITS.fieldsPerSection).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, LIMITS.fieldText) })),
    });
  }
  return blocks;
}

/**
 * Lines packed into as few sections as fit (3,000 characters each), never splitting a line; the
 * heading, if any, starts the first section.
 */
export function lineSections(lines: string[], heading?: string): SectionBlock[] {
  const sections: SectionBlock[] = [];
  let current = heading ?? '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > LIMITS.sectionText && current) {
      sections.push(section(current));
      current = line;
    } else current = next;
  }
  if (current) sections.push(section(current));
  return sections;
}

export function context(...items: string[]): ContextBlock {
  return {
    type: 'context',
    elements: items.slice(0, LIMITS.contextElements).map((text) => ({ type: 'mrkdwn' as const, text: clip(text, LIMITS.sectionText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(label: string, actionId: string, value: string): Button {
  return { type: 'button', text: { type: 'plain_text', text: clip(label, 75) }, action_id: actionId, value: clip(value, 2000) };
}

export function actions(...elements: Button[]): ActionsBlock {
  return { type: 'actions', elements: elements.slice(0, 25) };
}

/**
 * The one way a view becomes a reply: caps the block count (keeping the final context line, which
 * carries "data as of"), clips the fallback text and scrubs phone numbers from everything.
 */
export function reply(text: string, blocks: KnownBlock[]): Reply {
  let kept = blocks;
  if (blocks.length > LIMITS.blocksPerMessage) {
    const last = blocks[blocks.length - 1]!;
    kept = [...blocks.slice(0, LIMITS.blocksPerMessage - 2), section('_…more than fits in one message._'), last];
  }
  return JSON.parse(scrubPhoneNumbers(JSON.stringify({ text: clip(text, LIMITS.fallbackText), blocks: kept }))) as Reply;
}

/** A context line added to a reply before its closing line (which carries "data as of"). */
export function withNote(original: Reply, note: string): Reply {
  const blocks = [...original.blocks];
  const closing = blocks.pop();
  return reply(original.text, [...blocks, context(note), ...(closing ? [closing] : [])]);
}
