// The reader is chosen from the content, never the file name.
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/import/sniff-format.js';

describe('sniffFormat', () => {
  it('tells JSON, NDJSON and CSV apart', () => {
    expect(sniffFormat('\uFEFF  [{"id": 1}]')).toBe('json');
    expect(sniffFormat('{\n  "@odata.context": "x",\n  "value": [\n')).toBe('json');
    expect(sniffFormat('{"@odata.context":"x","value":[{"id":1}]}\n')).toBe('json');
    expect(sniffFormat('{"id":"1","createdDateTime":"2025-06-01T00:00:00Z"}\n{"id":"2"}\n')).toBe('ndjson');
    expect(sniffFormat('{"id":"1"}')).toBe('json'); // one object, no newline: a single record either way
    expect(sniffFormat('{"id":"1", broken\n{"id":"2"}\n')).toBe('ndjson');
    expect(sniffFormat('{\n"id": "pretty"\n}\n')).toBe('json');
    expect(sniffFormat('Date (UTC),Request ID\n')).toBe('csv');
  });
});
