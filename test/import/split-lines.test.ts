// NDJSON lines with their numbers, across chunk boundaries, CRLF or LF, and a cap on runaway lines.
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/import/split-lines.js';

const chunks = (...parts: string[]) => parts;

async function collect(parts: string[], max?: number) {
  const splitter = new LineSplitter(max);
  return [...parts.flatMap((part) => splitter.push(part)), ...splitter.end()];
}

describe('LineSplitter', () => {
  it('numbers lines across chunks', async () => {
    expect(await collect(chunks('{"a"', ':1}\r\n\n{"b":2}', '\n{"c":3}'))).toEqual([
      { line: 1, text: '{"a":1}', truncated: false },
      { line: 2, text: '', truncated: false },
      { line: 3, text: '{"b":2}', truncated: false },
      { line: 4, text: '{"c":3}', truncated: false },
    ]);
  });

  it('cuts a line longer than the limit instead of holding it', async () => {
    const lines = await collect(chunks('x'.repeat(30), 'y'.repeat(30), 'z\nok\n'), 40);
    expect(lines.map((l) => [l.line, l.text.length, l.truncated])).toEqual([
      [1, 60, true],
      [2, 2, false],
    ]);
  });
});
