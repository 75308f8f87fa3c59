// The block builders' text cuts: typed text and long values are shortened on a character
// boundary, so a reply never carries half of a surrogate pair (which Slack cannot take as UTF-8).
import { describe, expect, it } from 'vitest';
import { clip, shorten } from '../../src/views/blocks.js';

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

describe('shorten and clip', () => {
  it('leave short text alone and mark a cut', () => {
    expect(shorten('summary')).toBe('summary');
    expect(shorten('x'.repeat(41))).toBe(`${'x'.repeat(40)}…`);
    expect(clip('x'.repeat(3001), 3000)).toBe(`${'x'.repeat(2999)}…`);
  });

  it('cut before an emoji rather than inside it', () => {
    // "x" then emoji of two UTF-16 units each: the 40th unit is the first half of an emoji.
    const typed = `x${'😀'.repeat(30)}`;
    expect(shorten(typed)).toBe(`x${'😀'.repeat(19)}…`);
    expect(clip(typed, 41)).toBe(`x${'😀'.repeat(19)}…`);
    for (let max = 2; max < typed.length; max += 1) {
      expect(LONE_SURROGATE.test(shorten(typed, max)), `shorten at ${max}`).toBe(false);
      expect(LONE_SURROGATE.test(clip(typed, max)), `clip at ${max}`).toBe(false);
    }
  });
});
