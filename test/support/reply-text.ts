// Reads a Block Kit reply as plain lines: every text and field of every block, in order, with
// mrkdwn bold/italic markers removed, so tests assert on what an admin reads.
interface AnyBlock {
  type: string;
  text?: { text?: string };
  fields?: Array<{ text?: string }>;
  elements?: Array<{ text?: string | { text?: string } }>;
}

function plain(text: string): string {
  return text.replace(/\*([^*\n]+)\*/g, '$1').replace(/(^|\s)_([^_\n]+)_/g, '$1$2');
}

export function replyText(reply: { text?: string; blocks?: unknown[] } | null | undefined): string {
  if (!reply) throw new Error('no reply');
  const out: string[] = [];
  for (const block of (reply.blocks ?? []) as AnyBlock[]) {
    if (block.text?.text) out.push(plain(block.text.text));
    for (const field of block.fields ?? []) if (field.text) out.push(plain(field.text));
    for (const element of block.elements ?? []) {
      const text = typeof element.text === 'string' ? element.text : element.text?.text;
      if (text) out.push(plain(text));
    }
  }
  return out.join('\n');
}
