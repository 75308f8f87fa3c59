// The tokenizer must find the same records however the text is cut into chunks, and must not be
// fooled by brackets, commas and quotes inside strings.
import { describe, expect, it } from 'vitest';
import { JsonArrayTokenizer, JsonStructureError, type JsonRecordText } from '../../src/import/json-array-tokenizer.js';

function split(text: string, size: number) {
  const tokenizer = new JsonArrayTokenizer();
  const records: JsonRecordText[] = [];
  for (let i = 0; i < text.length; i += size) records.push(...tokenizer.push(text.slice(i, i + size)));
  return { records, end: tokenizer.end(), tokenizer };
}

const tricky = { id: 'a', s: 'brackets ] } [ { , and "quotes" and \\ backslash \\" and \u00e9', n: [1, { x: [2, 3] }], e: {} };
const listResponse = `{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
  "@odata.count": 3,
  "value": [
    ${JSON.stringify(tricky)},
    {"id": "b"}
    , 42 ,
    "text, with comma"
  ],
  "@odata.nextLink": "https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=x_1"
}
`;

describe('JsonArrayTokenizer', () => {
  it.each([1, 2, 3, 7, 64, 100_000])('splits a list response into its records in chunks of %i characters', (size) => {
    const { records, end, tokenizer } = split(listResponse, size);
    expect(records.map((r) => [r.index, r.line])).toEqual([
      [1, 5],
      [2, 6],
      [3, 7],
      [4, 8],
    ]);
    expect(records.map((r) => JSON.parse(r.text))).toEqual([tricky, { id: 'b' }, 42, 'text, with comma']);
    expect(end).toEqual({ partial: null, unclosed: false });
    expect(tokenizer.listResponse).toBe(true);
    expect(tokenizer.topLevel).toBe('object');
    expect(tokenizer.metadata).toEqual({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', '@odata.count': 3 });
  });

  it('reads a bare array, and an object without a value array as one record', () => {
    expect(split('[{"id":1},{"id":2}]', 5).records.map((r) => r.text)).toEqual(['{"id":1}', '{"id":2}']);
    const single = split('{\n  "id": "x",\n  "value": 3,\n  "list": [1, 2]\n}\n', 4);
    expect(single.records.map((r) => JSON.parse(r.text))).toEqual([{ id: 'x', value: 3, list: [1, 2] }]);
    expect(single.tokenizer.listResponse).toBe(false);
    expect(split('[]', 1).records).toEqual([]);
    expect(split('{"value": []}', 1).end).toEqual({ partial: null, unclosed: false });
  });

  it('reads several top-level values one after another (concatenated pages)', () => {
    const { records } = split('{"value":[{"id":1}]}\n{"value":[{"id":2}]}\n[{"id":3}]', 3);
    expect(records.map((r) => [r.index, r.text])).toEqual([
      [1, '{"id":1}'],
      [2, '{"id":2}'],
      [3, '{"id":3}'],
    ]);
  });

  it('hands a malformed record over as text, so only that record fails', () => {
    const { records } = split('[{"id": tru}, {"id": 2}]', 4);
    expect(records.map((r) => r.text)).toEqual(['{"id": tru}', '{"id": 2}']);
    expect(() => JSON.parse(records[0]!.text)).toThrow();
  });

  it('reports the record a truncated file ends in', () => {
    const { records, end } = split('[{"id": 1},\n {"id": 2, "s": "cut ] here', 6);
    expect(records.map((r) => r.text)).toEqual(['{"id": 1}']);
    expect(end).toEqual({ partial: { index: 2, line: 2, text: '{"id": 2, "s": "cut ] here' }, unclosed: true });
    expect(split('[{"id": 1}, ', 3).end).toEqual({ partial: null, unclosed: true });
    expect(split('{"value": [{"id": 1}]', 3).end).toEqual({ partial: null, unclosed: true });
    expect(split('{"id": "only", "a": [1,', 3).end.partial?.text).toBe('{"id": "only", "a": [1,');
  });

  it('stops with a JsonStructureError naming the line for text that is not JSON, keeping the records before it', () => {
    const tokenizer = new JsonArrayTokenizer();
    expect(tokenizer.push('[{"id":1}]\n\nnot json [{"id":2}]').map((r) => r.text)).toEqual(['{"id":1}']);
    expect(tokenizer.failure).toBeInstanceOf(JsonStructureError);
    expect(tokenizer.failure?.line).toBe(3);
    expect(tokenizer.failure?.message).toBe('unexpected "n" at line 3: expected "[" or "{"');
    expect(tokenizer.push('[{"id":3}]')).toEqual([]);
    const colon = new JsonArrayTokenizer();
    colon.push('{"a" 1}');
    expect(colon.failure?.message).toBe('unexpected "1" at line 1: expected ":"');
  });
});
