// The worker thread of an NDJSON import (started by judge-lines-thread.ts). It is handed the file's
// bytes chunk by chunk and answers each chunk with the lines it completed, judged: decoding,
// splitting, parsing, checking and preparing sign-ins are most of an import's CPU time and most
// of its garbage, and here they run beside the thread that feeds Postgres.
import { parentPort } from 'node:worker_threads';
import { judgeText } from './judge-record.js';
import type { JudgedLine, ToJudge } from './judge-lines-thread.js';
import { LineSplitter, type TextLine } from './split-lines.js';

const port = parentPort;
if (!port) throw new Error('judge-lines-worker.ts runs as a worker thread');

let decoder = new TextDecoder();
const splitter = new LineSplitter();

function judge(line: TextLine): JudgedLine {
  if (line.truncated) return { line: line.line, verdict: null, raw: line.text, length: line.text.length };
  const verdict = judgeText(line.text);
  // The text goes back only when the main thread may quarantine it.
  const loaded = verdict.type === 'checked' && verdict.checked.ok;
  return { line: line.line, verdict, raw: loaded ? null : line.text, length: line.text.length };
}

port.on('message', (message: ToJudge) => {
  if (message.type === 'start') {
    decoder = new TextDecoder(message.encoding);
    return;
  }
  const lines = message.type === 'bytes' ? splitter.push(decoder.decode(message.bytes, { stream: true })) : [...splitter.push(decoder.decode()), ...splitter.end()];
  port.postMessage(lines.filter((l) => l.truncated || l.text.trim() !== '').map(judge));
});
