// Judges an NDJSON file's lines on a worker thread (judge-lines-worker.ts): the main thread hands
// over the file's bytes and gets back verdicts, so it only reads the file and talks to the store.
// On two cores, Node's parsing and Postgres's writing overlap instead of taking turns, and the
// lines' text (all of the file) never passes through the main thread's heap. Answers come back in
// the order the chunks were sent.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Verdict } from './judge-record.js';
import type { Encoding } from './open-export.js';

export type ToJudge = { type: 'start'; encoding: Encoding } | { type: 'bytes'; bytes: Uint8Array } | { type: 'end' };

export interface JudgedLine {
  line: number;
  /** null: the line is longer than MAX_LINE_CHARS, and `raw` only its beginning. */
  verdict: Verdict | null;
  /** The line's text, when it is not a record to load (it may be quarantined); else null. */
  raw: string | null;
  /** The line's length in characters. */
  length: number;
}

interface Waiting {
  resolve: (lines: JudgedLine[]) => void;
  reject: (error: Error) => void;
}

/**
 * The worker runs TypeScript like the rest of the app, through tsx's tsImport: a plain
 * `new Worker(file.ts)` only works when the parent process was itself started by tsx, not under
 * vitest. tsx's ESM API module sits next to the CommonJS one that require.resolve finds.
 */
function workerSource(): string {
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./judge-lines-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
}

export class LineJudgeThread {
  // The worker allocates the file's text over and over (decoded chunks, lines, parsed records),
  // all short-lived: a small young generation keeps its heap, and the import's peak memory, down
  // by some 40 MB at no measurable cost in speed.
  private readonly worker = new Worker(workerSource(), { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
  private readonly waiting: Waiting[] = [];
  private failure: Error | null = null;

  constructor(encoding: Encoding) {
    this.worker.on('message', (lines: JudgedLine[]) => this.waiting.shift()?.resolve(lines));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the import's worker thread stopped (exit code ${code})`)));
    this.worker.postMessage({ type: 'start', encoding } satisfies ToJudge);
  }

  /** The lines this chunk of the file completes, judged. */
  judge(bytes: Uint8Array): Promise<JudgedLine[]> {
    return this.send({ type: 'bytes', bytes });
  }

  /** The file's last line, when it does not end with a newline. */
  end(): Promise<JudgedLine[]> {
    return this.send({ type: 'end' });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('closed');
    await this.worker.terminate();
  }

  private send(message: ToJudge): Promise<JudgedLine[]> {
    if (this.failure) return Promise.reject(this.failure);
    const answer = new Promise<JudgedLine[]>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.worker.postMessage(message);
    return answer;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
