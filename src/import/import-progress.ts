// Progress of a long import on stderr. On a terminal: one line redrawn in place (a bar, records,
// records/s, and an ETA from the bytes read against the file size). Anywhere else (a log file,
// CI, a pipe): a plain line every few seconds, so the log shows the import is alive without a
// line per record.
import { basename } from 'node:path';
import type { ImportProgress } from './import-file.js';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressDisplay {
  start(file: string): void;
  update(progress: ImportProgress): void;
  /** Clears the bar (a terminal) before the file's summary is printed. */
  done(): void;
}

export interface ProgressOptions {
  /** Seconds between plain lines when not on a terminal (default 5). */
  plainEverySeconds?: number;
  now?: () => number;
}

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export function createProgressDisplay(out: ProgressOutput, options: ProgressOptions = {}): ProgressDisplay {
  const now = options.now ?? Date.now;
  const tty = Boolean(out.isTTY);
  const every = tty ? REDRAW_MS : (options.plainEverySeconds ?? 5) * 1000;
  let name = '';
  let started = 0;
  let last = 0;
  let drawn = false;
  return {
    start(file) {
      name = basename(file);
      started = now();
      last = started;
      drawn = false;
    },
    update(progress) {
      const t = now();
      if (t - last < every) return;
      last = t;
      const line = describe(name, progress, (t - started) / 1000, tty);
      if (tty) {
        out.write(`\r\x1b[2K${line}`);
        drawn = true;
      } else {
        out.write(`${line}\n`);
      }
    },
    done() {
      if (tty && drawn) out.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

function describe(name: string, p: ImportProgress, seconds: number, bar: boolean): string {
  const fraction = p.size > 0 ? Math.min(1, p.bytesRead / p.size) : 0;
  const rate = seconds > 0 ? Math.round(p.records / seconds) : 0;
  const eta = fraction > 0 && fraction < 1 ? formatDuration((seconds * (1 - fraction)) / fraction) : fraction >= 1 ? 'finishing' : '?';
  const percent = `${Math.floor(fraction * 100)}%`;
  const counts = `${p.records.toLocaleString('en-US')} records, ${rate.toLocaleString('en-US')} records/s, ETA ${eta}`;
  if (!bar) return `${name}: ${percent} read, ${counts}`;
  const filled = Math.round(fraction * BAR_WIDTH);
  return `${name} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${percent.padStart(4)}  ${counts}`;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
