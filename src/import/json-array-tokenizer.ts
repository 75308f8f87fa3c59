// An incremental splitter for big JSON exports: text goes in chunk by chunk, complete top-level
// records come out one at a time as text, so a 1 GB list response never sits in memory whole.
//
// It understands just enough JSON to find record boundaries — strings (with escapes), nesting
// depth, and the members of a top-level object — and leaves real parsing to JSON.parse, one
// record at a time. Accepted shapes, possibly several one after another:
//   [ {…}, {…} ]                                   a bare array: every element is a record
//   { "@odata.context": "…", "value": [ {…} ], … }  a Graph list response: the elements of `value`
//   { … }                                          any other object: the object itself is a record
// A record that is itself malformed (`{"a": tru}`) is still delimited correctly and fails later,
// in JSON.parse, on its own. Broken structure (a stray character between top-level values) stops
// the tokenizer with a `JsonStructureError` in `failure`, after handing over the records completed
// before it: the caller decides whether that refuses the file or ends it early.

export interface JsonRecordText {
  /** 1-based position of the record in the file. */
  index: number;
  /** 1-based line on which the record starts. */
  line: number;
  text: string;
}

export class JsonStructureError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'JsonStructureError';
  }
}

export interface TokenizerEnd {
  /** The record the input ended inside, as far as it got (a truncated file). */
  partial: JsonRecordText | null;
  /** The input ended before a top-level array or object was closed. */
  unclosed: boolean;
}

/** Bigger than any real record: past this, the structure is broken (an unterminated string). */
export const MAX_RECORD_CHARS = 64 * 1024 * 1024;

const enum State {
  Top,
  ArrayBetween,
  Element,
  ObjectKeyExpected,
  ObjectKey,
  ObjectColon,
  ObjectValueExpected,
  ObjectValueSkip,
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const NEWLINE = 0x0a;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff;

export class JsonArrayTokenizer {
  private state: State = State.Top;
  /** Whether the array being read belongs to a list response object (else it is top-level). */
  private arrayInObject = false;
  /** The current top-level object turned out to be a list response. */
  private inListResponse = false;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private key = '';
  private line = 1;
  private count = 0;
  private recordLine = 1;
  // The text being captured (a record, or a top-level object until it proves to be a list
  // response): finished chunk pieces plus the start index in the current chunk.
  private capturing = false;
  private captureParts: string[] = [];
  private captureLength = 0;
  private captureStart = 0;
  private meta: Record<string, unknown> = {};
  private sawListResponse = false;
  private firstValue: 'array' | 'object' | null = null;
  private error: JsonStructureError | null = null;

  /** Records completed so far. */
  get records(): number {
    return this.count;
  }

  /** Whether any top-level object so far was a list response (`{"value": [...]}`). */
  get listResponse(): boolean {
    return this.sawListResponse;
  }

  /** Why the tokenizer stopped, if the structure broke; it then accepts no more input. */
  get failure(): JsonStructureError | null {
    return this.error;
  }

  /** What the input's first top-level value was. */
  get topLevel(): 'array' | 'object' | null {
    return this.firstValue;
  }

  /** The list response's members before `value` (`@odata.context`, `@odata.count` …). */
  get metadata(): Readonly<Record<string, unknown>> {
    return this.meta;
  }

  /**
   * Feeds the next piece of text; returns the records it completed. When the structure breaks,
   * returns the records completed before the break and sets `failure`.
   */
  push(chunk: string): JsonRecordText[] {
    const out: JsonRecordText[] = [];
    if (this.error) return out;
    try {
      this.scan(chunk, out);
    } catch (error) {
      if (!(error instanceof JsonStructureError)) throw error;
      this.error = error;
    }
    return out;
  }

  private scan(chunk: string, out: JsonRecordText[]): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      const c = chunk.charCodeAt(i);
      switch (this.state) {
        case State.Top:
          if (c === NEWLINE) this.line++;
          if (isSpace(c)) {
            i++;
          } else if (c === OPEN_BRACKET) {
            this.firstValue ??= 'array';
            this.arrayInObject = false;
            this.state = State.ArrayBetween;
            i++;
          } else if (c === OPEN_BRACE) {
            this.firstValue ??= 'object';
            this.inListResponse = false;
            this.recordLine = this.line;
            this.beginCapture(i);
            this.state = State.ObjectKeyExpected;
            i++;
          } else {
            throw new JsonStructureError(`unexpected ${describeChar(chunk, i)} at line ${this.line}: expected "[" or "{"`, this.line);
          }
          break;

        case State.ArrayBetween:
          if (c === NEWLINE) this.line++;
          if (isSpace(c) || c === COMMA) {
            i++;
          } else if (c === CLOSE_BRACKET) {
            this.state = this.arrayInObject ? State.ObjectKeyExpected : State.Top;
            i++;
          } else {
            this.recordLine = this.line;
            this.depth = 0;
            this.inString = false;
            this.escaped = false;
            this.beginCapture(i);
            this.state = State.Element;
          }
          break;

        case State.Element:
        case State.ObjectValueSkip: {
          // The hot loop: scan a value to its end without building anything.
          let j = i;
          let ended = false;
          while (j < n) {
            const d = chunk.charCodeAt(j);
            if (d === NEWLINE) this.line++;
            if (this.inString) {
              if (this.escaped) this.escaped = false;
              else if (d === BACKSLASH) this.escaped = true;
              else if (d === QUOTE) this.inString = false;
            } else if (d === QUOTE) {
              this.inString = true;
            } else if (d === OPEN_BRACE || d === OPEN_BRACKET) {
              this.depth++;
            } else if (d === CLOSE_BRACE || d === CLOSE_BRACKET || d === COMMA) {
              if (this.depth === 0) {
                ended = true;
                break;
              }
              if (d !== COMMA) this.depth--;
            }
            j++;
          }
          if (!ended) {
            i = n;
            break;
          }
          // The value ends before chunk[j]; that character is the next state's to handle.
          if (this.state === State.Element) {
            const text = this.endCapture(chunk, j).trim();
            this.count++;
            out.push({ index: this.count, line: this.recordLine, text });
            this.state = State.ArrayBetween;
          } else {
            this.state = State.ObjectKeyExpected;
          }
          i = j;
          break;
        }

        case State.ObjectKeyExpected:
          if (c === NEWLINE) this.line++;
          if (isSpace(c) || c === COMMA) {
            i++;
          } else if (c === CLOSE_BRACE) {
            i++;
            if (!this.inListResponse) {
              // An object that is not a list response is a record in its own right.
              const text = this.endCapture(chunk, i);
              this.count++;
              out.push({ index: this.count, line: this.recordLine, text });
            }
            this.state = State.Top;
          } else if (c === QUOTE) {
            this.key = '';
            this.escaped = false;
            this.state = State.ObjectKey;
            i++;
          } else {
            throw new JsonStructureError(`unexpected ${describeChar(chunk, i)} at line ${this.line}: expected a member name`, this.line);
          }
          break;

        case State.ObjectKey:
          if (c === NEWLINE) this.line++;
          if (this.escaped) {
            this.escaped = false;
            this.key += chunk[i];
          } else if (c === BACKSLASH) {
            this.escaped = true;
            this.key += chunk[i];
          } else if (c === QUOTE) {
            this.state = State.ObjectColon;
          } else if (this.key.length < 256) {
            this.key += chunk[i];
          }
          i++;
          break;

        case State.ObjectColon:
          if (c === NEWLINE) this.line++;
          if (isSpace(c)) {
            i++;
          } else if (c === COLON) {
            this.state = State.ObjectValueExpected;
            i++;
          } else {
            throw new JsonStructureError(`unexpected ${describeChar(chunk, i)} at line ${this.line}: expected ":"`, this.line);
          }
          break;

        case State.ObjectValueExpected:
          if (c === NEWLINE) this.line++;
          if (isSpace(c)) {
            i++;
          } else if (c === OPEN_BRACKET && this.key === 'value' && !this.inListResponse) {
            // A list response: what came before `value` is its metadata; the records follow.
            this.meta = parseMetadata(this.endCapture(chunk, i));
            this.inListResponse = true;
            this.sawListResponse = true;
            this.arrayInObject = true;
            this.state = State.ArrayBetween;
            i++;
          } else {
            this.depth = 0;
            this.inString = false;
            this.escaped = false;
            this.state = State.ObjectValueSkip;
          }
          break;
      }
    }
    if (this.capturing) this.keepCapturedTail(chunk);
  }

  /** Call when the input is exhausted. */
  end(): TokenizerEnd {
    if (this.error) return { partial: null, unclosed: false };
    const state = this.state;
    if (state === State.Top) return { partial: null, unclosed: false };
    const capturedRecord = state === State.Element || (!this.inListResponse && state !== State.ArrayBetween);
    if (capturedRecord && this.capturing) {
      const text = this.captureParts.join('');
      this.capturing = false;
      this.captureParts = [];
      return { partial: { index: this.count + 1, line: this.recordLine, text }, unclosed: true };
    }
    return { partial: null, unclosed: true };
  }

  private beginCapture(at: number): void {
    this.capturing = true;
    this.captureParts = [];
    this.captureLength = 0;
    this.captureStart = at;
  }

  private endCapture(chunk: string, end: number): string {
    const last = chunk.slice(this.captureStart, end);
    const text = this.captureParts.length === 0 ? last : this.captureParts.join('') + last;
    this.capturing = false;
    this.captureParts = [];
    this.captureLength = 0;
    return text;
  }

  private keepCapturedTail(chunk: string): void {
    const tail = chunk.slice(this.captureStart);
    this.captureParts.push(tail);
    this.captureLength += tail.length;
    this.captureStart = 0;
    if (this.captureLength > MAX_RECORD_CHARS) {
      throw new JsonStructureError(
        `a record starting at line ${this.recordLine} is larger than ${MAX_RECORD_CHARS / 1024 / 1024} MB: the JSON structure is broken (an unterminated string?)`,
        this.recordLine,
      );
    }
  }
}

/** `{"@odata.context": "…", "value": ` → its members, when they parse; anything odd is ignored. */
function parseMetadata(prefix: string): Record<string, unknown> {
  try {
    const closed = `${prefix.replace(/"value"\s*:\s*$/, '').replace(/[\s,]+$/, '')}}`;
    const value: unknown = JSON.parse(closed);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function describeChar(chunk: string, i: number): string {
  const c = chunk[i] ?? '';
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `control character 0x${code.toString(16).padStart(2, '0')}` : `"${c}"`;
}
