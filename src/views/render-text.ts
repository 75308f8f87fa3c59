/**
 * Render a Slack message (Block Kit blocks, or its fallback `text`) as plain terminal text.
 * Best effort and defensive: input is `unknown` JSON as recorded from the wire; unknown
 * blocks and elements are skipped.
 */

export interface RenderTextOptions {
  /** Add ANSI bold (headers, *bold*) and dim (context). Default false. */
  color?: boolean | undefined;
  /** Line width used for wrapping and columns. Default 80. */
  width?: number | undefined;
}

export interface RenderableMessage {
  text?: string | undefined;
  blocks?: unknown[] | undefined;
  /** Legacy attachments: rendered after the blocks, each line prefixed with `│ `. */
  attachments?: unknown[] | undefined;
}

const DEFAULT_WIDTH = 80;
const DIVIDER = '─'.repeat(40);
const COLUMN_GAP = 2;

interface Ctx {
  color: boolean;
  width: number;
}

type Json = Record<string, unknown>;

export function renderMessageAsText(message: RenderableMessage, options: RenderTextOptions = {}): string {
  const ctx: Ctx = { color: options.color ?? false, width: Math.max(20, options.width ?? DEFAULT_WIDTH) };
  const lines: string[] = [];

  const blocks = Array.isArray(message.blocks) ? message.blocks : [];
  for (const block of blocks) lines.push(...renderBlock(block, ctx));
  if (lines.length === 0 && typeof message.text === 'string' && message.text !== '') {
    lines.push(...wrapText(mrkdwnToText(message.text, ctx), ctx.width));
  }

  const attachments = Array.isArray(message.attachments) ? message.attachments : [];
  for (const attachment of attachments) {
    const inner = renderAttachment(attachment, { ...ctx, width: ctx.width - 2 });
    if (inner.length > 0) lines.push(...inner.map((line) => `│ ${line}`));
  }

  return lines.map((line) => line.replace(/\s+$/, '')).join('\n');
}

/**
 * Convert Slack mrkdwn to plain text: `*bold*` loses its asterisks (ANSI bold with color),
 * `<url|label>` → `label (url)`, `<@U1>` → `@U1`, `<#C1|name>` → `#name`, `<!here>` → `@here`,
 * HTML entities decoded. `_italic_`, `~strike~` and `code` are kept as typed.
 */
export function mrkdwnToText(text: string, options: RenderTextOptions = {}): string {
  const color = options.color ?? false;
  let out = text.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, (_m, pre: string, inner: string) => pre + bold(inner, color));
  out = out.replace(/<([^<>\n]+)>/g, (_m, inner: string) => renderAngle(inner));
  return decodeEntities(out);
}

// ── blocks ───────────────────────────────────────────────────────────────────

function renderBlock(raw: unknown, ctx: Ctx): string[] {
  const block = asObject(raw);
  if (!block) return [];
  switch (block.type) {
    case 'header': {
      const text = textOf(block.text, ctx);
      if (!text) return [];
      const width = Math.min(visibleLength(text), ctx.width);
      return [...wrapText(ctx.color ? bold(text, true) : text, ctx.width), '='.repeat(width)];
    }
    case 'section':
      return renderSection(block, ctx);
    case 'context': {
      const parts = asArray(block.elements)
        .map((element) => contextElement(element, ctx))
        .filter((part) => part !== '');
      if (parts.length === 0) return [];
      return wrapText(parts.join(' · '), ctx.width - 2).map((line) => `  ${ctx.color ? dim(line) : line}`);
    }
    case 'divider':
      return [DIVIDER];
    case 'actions': {
      const parts = asArray(block.elements)
        .map((element) => interactiveElement(element, ctx))
        .filter((part) => part !== '');
      return parts.length ? wrapText(parts.join(' '), ctx.width) : [];
    }
    case 'image':
      return [imageText(block)];
    case 'rich_text':
      return renderRichText(block, ctx);
    case 'markdown':
      return typeof block.text === 'string' ? wrapText(block.text, ctx.width) : [];
    case 'table':
      return renderTable(block, ctx);
    default:
      return [];
  }
}

function renderSection(block: Json, ctx: Ctx): string[] {
  const lines: string[] = [];
  const text = textOf(block.text, ctx);
  if (text) lines.push(...wrapText(text, ctx.width));

  const fields = asArray(block.fields).map((field) => textOf(field, ctx));
  if (fields.length > 0) {
    const columnWidth = Math.floor((ctx.width - COLUMN_GAP) / 2);
    for (let i = 0; i < fields.length; i += 2) {
      const left = wrapText(fields[i] ?? '', columnWidth);
      const right = i + 1 < fields.length ? wrapText(fields[i + 1] ?? '', columnWidth) : [];
      const rows = Math.max(left.length, right.length);
      for (let row = 0; row < rows; row += 1) {
        const l = left[row] ?? '';
        const r = right[row] ?? '';
        lines.push(r ? padVisible(l, columnWidth) + ' '.repeat(COLUMN_GAP) + r : l);
      }
    }
  }

  const accessory = asObject(block.accessory);
  if (accessory) {
    const rendered = accessory.type === 'image' ? imageText(accessory) : interactiveElement(accessory, ctx);
    if (rendered) lines.push(rendered);
  }
  return lines;
}

function contextElement(raw: unknown, ctx: Ctx): string {
  const element = asObject(raw);
  if (!element) return '';
  if (element.type === 'image') return imageText(element);
  return textOf(element, ctx);
}

/** Buttons and other interactive elements, as a one-line `[…]` token. */
function interactiveElement(raw: unknown, ctx: Ctx): string {
  const element = asObject(raw);
  if (!element || typeof element.type !== 'string') return '';
  const label = (value: unknown): string => textOf(value, { ...ctx, color: false });
  switch (element.type) {
    case 'button':
    case 'workflow_button':
      return `[${label(element.text) || 'Button'}]`;
    case 'overflow':
      return '[⋯]';
    case 'datepicker':
      return `[date: ${typeof element.initial_date === 'string' ? element.initial_date : label(element.placeholder) || 'pick'}]`;
    case 'timepicker':
      return `[time: ${typeof element.initial_time === 'string' ? element.initial_time : label(element.placeholder) || 'pick'}]`;
    case 'checkboxes':
    case 'radio_buttons': {
      const selected = new Set(
        [...asArray(element.initial_options), element.initial_option].map((o) => asObject(o)?.value).filter(Boolean),
      );
      const mark = element.type === 'checkboxes' ? ['☐', '☑'] : ['○', '●'];
      return asArray(element.options)
        .map((o) => asObject(o))
        .filter((o): o is Json => o !== undefined)
        .map((o) => `${selected.has(o.value) ? mark[1] : mark[0]} ${label(o.text)}`)
        .join('  ');
    }
    default: {
      if (element.type.endsWith('_select')) {
        const initial = asObject(element.initial_option);
        const shown = initial ? label(initial.text) : label(element.placeholder) || 'select';
        return `[${shown} ▾]`;
      }
      return '';
    }
  }
}

function imageText(element: Json): string {
  const alt = typeof element.alt_text === 'string' ? element.alt_text : 'image';
  return `[image: ${alt}]`;
}

function renderAttachment(raw: unknown, ctx: Ctx): string[] {
  const attachment = asObject(raw);
  if (!attachment) return [];
  const lines: string[] = [];
  const push = (value: unknown, transform: (s: string) => string = (s) => s): void => {
    if (typeof value === 'string' && value !== '') lines.push(...wrapText(transform(mrkdwnToText(value, ctx)), ctx.width));
  };
  push(attachment.pretext);
  push(attachment.title, (s) => (ctx.color ? bold(s, true) : s));
  for (const block of asArray(attachment.blocks)) lines.push(...renderBlock(block, ctx));
  push(attachment.text);
  for (const field of asArray(attachment.fields)) {
    const f = asObject(field);
    if (f) push(`${typeof f.title === 'string' ? `${f.title}: ` : ''}${typeof f.value === 'string' ? f.value : ''}`);
  }
  push(attachment.footer, (s) => `  ${s}`);
  if (lines.length === 0) push(attachment.fallback);
  return lines;
}

// ── rich text ────────────────────────────────────────────────────────────────

function renderRichText(block: Json, ctx: Ctx): string[] {
  const lines: string[] = [];
  for (const raw of asArray(block.elements)) {
    const element = asObject(raw);
    if (!element) continue;
    switch (element.type) {
      case 'rich_text_section':
        lines.push(...wrapText(inlineRichText(element.elements, ctx), ctx.width));
        break;
      case 'rich_text_list': {
        const indent = '  '.repeat(typeof element.indent === 'number' ? element.indent : 0);
        const start = typeof element.offset === 'number' ? element.offset : 0;
        asArray(element.elements).forEach((item, index) => {
          const marker = element.style === 'ordered' ? `${start + index + 1}. ` : '• ';
          const text = inlineRichText(asObject(item)?.elements, ctx);
          const wrapped = wrapText(text, ctx.width - indent.length - marker.length);
          wrapped.forEach((line, i) => lines.push(`${indent}${i === 0 ? marker : ' '.repeat(marker.length)}${line}`));
        });
        break;
      }
      case 'rich_text_preformatted':
        for (const line of inlineRichText(element.elements, { ...ctx, color: false }).split('\n')) lines.push(`    ${line}`);
        break;
      case 'rich_text_quote':
        for (const line of wrapText(inlineRichText(element.elements, ctx), ctx.width - 2)) lines.push(`> ${line}`);
        break;
      default:
        break;
    }
  }
  return lines;
}

function inlineRichText(elements: unknown, ctx: Ctx): string {
  return asArray(elements)
    .map((raw) => {
      const element = asObject(raw);
      if (!element) return '';
      const style = asObject(element.style) ?? {};
      let text: string;
      switch (element.type) {
        case 'text':
          text = typeof element.text === 'string' ? element.text : '';
          break;
        case 'link': {
          const url = typeof element.url === 'string' ? element.url : '';
          const label = typeof element.text === 'string' && element.text !== '' ? element.text : '';
          text = label && label !== url ? `${label} (${url})` : url;
          break;
        }
        case 'user':
          text = `@${String(element.user_id ?? '')}`;
          break;
        case 'usergroup':
          text = `@${String(element.usergroup_id ?? '')}`;
          break;
        case 'team':
          text = `@${String(element.team_id ?? '')}`;
          break;
        case 'channel':
          text = `#${String(element.channel_id ?? '')}`;
          break;
        case 'broadcast':
          text = `@${String(element.range ?? 'here')}`;
          break;
        case 'emoji':
          text = emojiText(element);
          break;
        case 'date':
          text =
            typeof element.fallback === 'string'
              ? element.fallback
              : typeof element.timestamp === 'number'
                ? new Date(element.timestamp * 1000).toISOString().slice(0, 10)
                : '';
          break;
        case 'color':
          text = String(element.value ?? '');
          break;
        default:
          text = '';
      }
      if (style.code === true) text = `\`${text}\``;
      if (style.bold === true && ctx.color) text = bold(text, true);
      return text;
    })
    .join('');
}

function emojiText(element: Json): string {
  if (typeof element.unicode === 'string' && /^[0-9a-f]+(-[0-9a-f]+)*$/i.test(element.unicode)) {
    try {
      return String.fromCodePoint(...element.unicode.split('-').map((hex) => Number.parseInt(hex, 16)));
    } catch {
      // fall through to the shortcode
    }
  }
  return `:${String(element.name ?? '')}:`;
}

// ── table ────────────────────────────────────────────────────────────────────

function renderTable(block: Json, ctx: Ctx): string[] {
  const settings = asArray(block.column_settings).map((s) => asObject(s));
  const rows = asArray(block.rows).map((row) =>
    asArray(row).map((raw) => {
      const cell = asObject(raw);
      if (!cell) return { text: '', numeric: false };
      if (cell.type === 'raw_number') {
        return { text: typeof cell.text === 'string' ? cell.text : String(cell.value ?? ''), numeric: true };
      }
      if (cell.type === 'raw_text') return { text: typeof cell.text === 'string' ? cell.text : '', numeric: false };
      if (cell.type === 'rich_text') {
        const text = asArray(cell.elements)
          .map((e) => inlineRichText(asObject(e)?.elements, ctx))
          .join(' ');
        return { text, numeric: false };
      }
      return { text: '', numeric: false };
    }),
  );
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...rows.map((row) => visibleLength(row[c]?.text ?? ''))));
  return rows.map((row) =>
    row
      .map((cell, c) => {
        const align = settings[c]?.align ?? (cell.numeric ? 'right' : 'left');
        const width = widths[c] ?? 0;
        return align === 'right' ? padStartVisible(cell.text, width) : padVisible(cell.text, width);
      })
      .join('  '),
  );
}

// ── text helpers ─────────────────────────────────────────────────────────────

/** A composition text object (`plain_text` / `mrkdwn`), or a bare string, as text. */
function textOf(raw: unknown, ctx: Ctx): string {
  if (typeof raw === 'string') return mrkdwnToText(raw, ctx);
  const object = asObject(raw);
  if (!object || typeof object.text !== 'string') return '';
  return object.type === 'plain_text' ? object.text : mrkdwnToText(object.text, ctx);
}

function renderAngle(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
  if (target.startsWith('#')) return label ? `#${label.replace(/^#/, '')}` : target;
  if (target.startsWith('!')) {
    if (label) return label;
    const keyword = target.slice(1);
    if (keyword.startsWith('subteam^')) return `@${keyword.slice('subteam^'.length)}`;
    if (keyword.startsWith('date^')) return keyword.split('^')[1] ?? keyword;
    return `@${keyword}`;
  }
  if (!label || label === target) return target;
  if (target === `mailto:${label}`) return label;
  return `${label} (${target})`;
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function bold(text: string, color: boolean): string {
  return color ? `\x1b[1m${text}\x1b[22m` : text;
}

function dim(text: string): string {
  return `\x1b[2m${text}\x1b[22m`;
}

const ANSI = /\x1b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

function padVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

function padStartVisible(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleLength(text))) + text;
}

/** Greedy word wrap per line; keeps leading indentation; over-long words stay whole. */
function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (visibleLength(line) <= width) {
      out.push(line);
      continue;
    }
    const indent = /^\s*/.exec(line)?.[0] ?? '';
    const words = line.slice(indent.length).split(/ +/);
    let current = indent;
    for (const word of words) {
      const candidate = current.trim() === '' ? indent + word : `${current} ${word}`;
      if (visibleLength(candidate) <= width || current.trim() === '') {
        current = candidate;
      } else {
        out.push(current);
        current = indent + word;
      }
    }
    out.push(current);
  }
  return out;
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
