// The logger never prints a Slack token of any kind, a secret it was given, or a phone number.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function logged(message: string, secrets: string[] = []): string {
  const lines: string[] = [];
  createLogger({ secrets, sink: (line) => lines.push(line) }).info(message);
  return lines.join('\n');
}

describe('createLogger', () => {
  it('redacts every kind of Slack token, keeping its kind', () => {
    const line = logged('bot xoxb-1-a user xoxp-2-b app xapp-1-A1-c refresh xoxe-1-d rotated xoxe.xoxp-1-e config xoxe.xoxb-1-f legacy xoxa-2-g');
    expect(line).toContain(
      'bot xoxb-[redacted] user xoxp-[redacted] app xapp-[redacted] refresh xoxe-[redacted] rotated xoxe.xoxp-[redacted] config xoxe.xoxb-[redacted] legacy xoxa-[redacted]',
    );
  });

  it('redacts the secrets it is given and scrubs phone numbers', () => {
    const line = logged('signed with test-secret-value-1 for +1 (425) 555-0164', ['test-secret-value-1']);
    expect(line).toContain('signed with [redacted] for +X XXXXXXXX64');
  });
});
