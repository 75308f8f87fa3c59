// The worker thread of an NDJSON import (started by judge-lines-thread.ts): each message is a list
// of lines, answered with their verdicts in the same order. Parsing, checking and preparing
// sign-ins is most of an import's CPU time; here it runs beside the thread that feeds Postgres.
import { parentPort } from 'node:worker_threads';
import { judgeText } from './judge-record.js';

const port = parentPort;
if (!port) throw new Error('judge-lines-worker.ts runs as a worker thread');
port.on('message', (lines: string[]) => port.postMessage(lines.map((line) => judgeText(line))));
