// Text chunks → lines, with their 1-based numbers, for NDJSON (on the import's worker thread, which
// is handed the file chunk by chunk). A line longer than `maxLineChars` (no newline in a broken
// file) is reported cut short instead of being held.

export interface TextLine {
  line: number;
  text: string;
  /** The line was longer than the limit: `text` is its beginning only. */
  truncated: boolean;
}

export const MAX_LINE_CHARS = 64 * 1024 * 1024;

export class LineSplitter {
  private parts: string[] = [];
  private partLength = 0;
  private line = 1;
  private overflow = false;

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  /** The lines `chunk` completes. */
  push(chunk: string): TextLine[] {
    const lines: TextLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf('\n', start); nl !== -1; nl = chunk.indexOf('\n', start)) {
      const piece = chunk.slice(start, nl);
      const parts = this.parts;
      const text = this.overflow ? parts.join('') : parts.length === 0 ? piece : parts.join('') + piece;
      lines.push({ line: this.line, text: stripCr(text), truncated: this.overflow });
      this.parts = [];
      this.partLength = 0;
      this.overflow = false;
      this.line++;
      start = nl + 1;
    }
    if (start < chunk.length && !this.overflow) {
      const rest = chunk.slice(start);
      this.parts.push(rest);
      this.partLength += rest.length;
      if (this.partLength > this.maxLineChars) {
        // Keep only a prefix for the quarantine record; drop the rest up to the next newline.
        this.parts = [this.parts.join('').slice(0, 4096)];
        this.overflow = true;
      }
    }
    return lines;
  }

  /** The last line, when the text does not end with a newline. */
  end(): TextLine[] {
    return this.parts.length > 0 ? [{ line: this.line, text: stripCr(this.parts.join('')), truncated: this.overflow }] : [];
  }
}

const stripCr = (text: string): string => (text.endsWith('\r') ? text.slice(0, -1) : text);
