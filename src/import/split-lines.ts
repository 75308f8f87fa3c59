// Text chunks → lines, with their 1-based numbers, for NDJSON. Pull-based (an async generator), so
// the file is read only as fast as the lines are used: that is the backpressure. A line longer
// than `maxLineChars` (no newline in a broken file) is reported cut short instead of being held.

export interface TextLine {
  line: number;
  text: string;
  /** The line was longer than the limit: `text` is its beginning only. */
  truncated: boolean;
}

export const MAX_LINE_CHARS = 64 * 1024 * 1024;

export async function* splitLines(chunks: AsyncIterable<string>, maxLineChars = MAX_LINE_CHARS): AsyncGenerator<TextLine> {
  let parts: string[] = [];
  let partLength = 0;
  let line = 1;
  let overflow = false;
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf('\n', start); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      const text = overflow ? parts.join('') : parts.length === 0 ? piece : parts.join('') + piece;
      yield { line, text: stripCr(text), truncated: overflow };
      parts = [];
      partLength = 0;
      overflow = false;
      line++;
      start = nl + 1;
    }
    if (start < chunk.length && !overflow) {
      const rest = chunk.slice(start);
      parts.push(rest);
      partLength += rest.length;
      if (partLength > maxLineChars) {
        // Keep only a prefix for the quarantine record; drop the rest up to the next newline.
        parts = [parts.join('').slice(0, 4096)];
        overflow = true;
      }
    }
  }
  if (parts.length > 0) yield { line, text: stripCr(parts.join('')), truncated: overflow };
}

const stripCr = (text: string): string => (text.endsWith('\r') ? text.slice(0, -1) : text);
