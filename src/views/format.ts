// Number and share formatting shared by every view: counts with thousands separators, shares
// with one decimal, so every figure in a reply can be checked against the data.

const counts = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return counts.format(n);
}

/** "12.3%"; "0%" when the whole is zero. */
export function formatShare(part: number, whole: number): string {
  if (whole === 0) return '0%';
  // Tenths of a percent from integer arithmetic, rounded half up: 249 of 2,000 is 12.5%, not the
  // 12.4% that toFixed gives for the binary 12.4499….
  const tenths = Math.round((part * 1000) / whole);
  return `${(tenths / 10).toFixed(1).replace(/\.0$/, '')}%`;
}

/** "1,234 (12.3%)" */
export function countWithShare(part: number, whole: number): string {
  return `${formatCount(part)} (${formatShare(part, whole)})`;
}

/** "sign-in" or "sign-ins", for a count shown apart (e.g. in bold). */
export function noun(n: number, one: string, many = `${one}s`): string {
  return n === 1 ? one : many;
}

/** "1 sign-in", "1,234 sign-ins" */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${noun(n, one, many)}`;
}
