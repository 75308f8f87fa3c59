// Judges NDJSON lines on a worker thread (judge-lines-worker.ts), so the main thread only reads
// the file and talks to the store: on two cores, Node's parsing and Postgres's writing overlap
// instead of taking turns. Answers come back in the order the lines were sent.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Verdict } from './judge-record.js';

interface Waiting {
  resolve: (verdicts: Verdict[]) => void;
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
  private readonly worker = new Worker(workerSource(), { eval: true });
  private readonly waiting: Waiting[] = [];
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (verdicts: Verdict[]) => this.waiting.shift()?.resolve(verdicts));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the import's worker thread stopped (exit code ${code})`)));
  }

  judge(lines: string[]): Promise<Verdict[]> {
    if (this.failure) return Promise.reject(this.failure);
    const answer = new Promise<Verdict[]>((resolve, reject) => this.waiting.push({ resolve, reject }));
    this.worker.postMessage(lines);
    return answer;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('closed');
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
