// Which reader a file needs, judged from its first characters, never from its name:
//   "[" …                        → JSON (a bare array)
//   "{" and a whole JSON object on the first line, that is not a list response → NDJSON
//   "{" otherwise                → JSON (a list response, or one pretty-printed object)
//   anything else                → CSV (its header row then says which export it is, or refuses it)
// NDJSON is read line by line so one broken line costs one record; JSON is read by the
// incremental tokenizer, which handles list responses of any size on one line or many.

export type ExportFormat = 'json' | 'ndjson' | 'csv';

export function sniffFormat(head: string): ExportFormat {
  const text = head.replace(/^[\s\uFEFF]+/, '');
  if (text.startsWith('[')) return 'json';
  if (!text.startsWith('{')) return 'csv';
  const lines = completeLines(text);
  const [first, second] = lines.filter((line) => line.trim() !== '').map(parsesAsObject);
  if (first === 'record') return 'ndjson';
  if (first === 'list') return 'json';
  // A broken first NDJSON line still leaves a well-formed second one.
  if (first === 'invalid' && second === 'record') return 'ndjson';
  return 'json';
}

/** The lines of `head` that end inside it (the last one may be cut short). */
function completeLines(text: string): string[] {
  const lastNewline = text.lastIndexOf('\n');
  if (lastNewline === -1) return [];
  return text.slice(0, lastNewline).split('\n').slice(0, 2);
}

function parsesAsObject(line: string): 'record' | 'list' | 'invalid' {
  try {
    const value: unknown = JSON.parse(line);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'invalid';
    return Array.isArray((value as { value?: unknown }).value) ? 'list' : 'record';
  } catch {
    return 'invalid';
  }
}
