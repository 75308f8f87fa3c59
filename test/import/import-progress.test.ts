// The progress display: one line redrawn in place on a terminal, a plain line every few seconds
// elsewhere, with records/s and an ETA from the bytes read.
import { describe, expect, it } from 'vitest';
import { createProgressDisplay, formatDuration } from '../../src/import/import-progress.js';

function harness(isTTY: boolean) {
  const written: string[] = [];
  let now = 1_000_000;
  const display = createProgressDisplay({ isTTY, write: (text: string) => written.push(text) }, { now: () => now, plainEverySeconds: 5 });
  return { written, display, advance: (ms: number) => (now += ms) };
}

describe('createProgressDisplay', () => {
  it('redraws a bar with records/s and an ETA on a terminal, and clears it when done', () => {
    const { written, display, advance } = harness(true);
    display.start('/exports/signins.ndjson');
    advance(50);
    display.update({ records: 10, bytesRead: 1, size: 100 }); // too soon to redraw
    advance(9_950);
    display.update({ records: 20_000, bytesRead: 25, size: 100 });
    display.done();
    expect(written).toEqual(['\r\x1b[2Ksignins.ndjson [######------------------]  25%  20,000 records, 2,000 records/s, ETA 0:30', '\r\x1b[2K']);
  });

  it('prints a plain line every few seconds elsewhere', () => {
    const { written, display, advance } = harness(false);
    display.start('big.json');
    for (let i = 1; i <= 12; i++) {
      advance(1_000);
      display.update({ records: i * 1_000, bytesRead: i, size: 12 });
    }
    display.done();
    expect(written).toEqual(['big.json: 41% read, 5,000 records, 1,000 records/s, ETA 0:07\n', 'big.json: 83% read, 10,000 records, 1,000 records/s, ETA 0:02\n']);
  });

  it('formats durations', () => {
    expect([formatDuration(0), formatDuration(75), formatDuration(3725)]).toEqual(['0:00', '1:15', '1:02:05']);
  });
});
