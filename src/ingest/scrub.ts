// Phone-number scrubbing. Phone numbers may only ever be stored or shown the way the Entra
// portal shows them, "+X XXXXXXXX64": a fixed mask plus the last two digits, so an admin can
// tell numbers apart without the store holding personal data (graph-data.md §3.4, S13).
//
// The patterns are deliberately structural (a leading "+", a North American layout, a national
// trunk "0" prefix, or a bare run of digits that can be a phone number) rather than "any long run
// of digits", so ISO dates, IPv4 addresses, GUIDs, error codes, counts, Slack ids and Slack
// message timestamps pass through untouched.

/** The one shape a phone number may take after scrubbing (plus its last two digits). */
export const PHONE_MASK = '+X XXXXXXXX';

const mask = (matched: string): string => {
  const digits = matched.replace(/\D/g, '');
  return PHONE_MASK + digits.slice(-2);
};

const digitCount = (s: string): number => s.replace(/\D/g, '').length;

// International: "+" then a digit, then digits with at most two separators between them
// ("+1 (425) 555-0164", "+44 20 7946 0958", "+4915112345678"). Not preceded by a word character
// or "+" (so "a+1…" and "++" are left alone); the digit count is checked in the replacer.
const INTERNATIONAL = /(?<![\w+])\+\d(?:[ \u00a0().-]{0,2}\d){6,18}(?!\d)/g;

// Plain numbers without "+". Lookbehind: not inside a word (Slack ids, GUID hex), not after "." or
// "-" (IPv4 octets, GUID segments, ISO date parts, Slack "ts" fractions), not after "+" (handled
// above). Lookahead: not followed by more word characters, or by "."/"-" and a digit.
const PLAIN = new RegExp(
  String.raw`(?<![\w.+-])(?:` +
    [
      // (425) 555-0164, 1 (425) 555 0164
      String.raw`(?:1[ .-]?)?\(\d{3}\)[ .-]?\d{3}[ .-]\d{4}`,
      // 425-555-0164, 425.555.0164, 425 555 0164, 1-425-555-0164
      String.raw`(?:1[ .-])?\d{3}[ .-]\d{3}[ .-]\d{4}`,
      // National trunk prefix with separators: 020 7946 0958, 0151-1234-5678 (count checked)
      String.raw`0\d{1,4}(?:[ -]\d{2,5}){1,4}`,
      // Bare digits. 10 digits only in the North American layout (area code and exchange start
      // 2-9) so 10-digit epoch seconds ("17…") are not numbers; 11 with a leading country code 1;
      // a trunk "0" run; or 11-15 digits not starting with 1 (epoch milliseconds start with 1).
      String.raw`[2-9]\d{2}[2-9]\d{6}`,
      String.raw`1[2-9]\d{2}[2-9]\d{6}`,
      String.raw`0\d{9,14}`,
      String.raw`[2-9]\d{10,14}`,
    ].join('|') +
    String.raw`)(?!\w|[.-]\d)`,
  'g',
);

/**
 * Replace every phone number in `text` with "+X XXXXXXXX" and its last two digits.
 * Idempotent: already-scrubbed text is returned unchanged.
 */
export function scrubPhoneNumbers(text: string): string {
  if (!/\d{2}/.test(text)) return text; // fast path: nothing that could be a number
  return text
    .replace(INTERNATIONAL, (m) => {
      const n = digitCount(m);
      return n >= 8 && n <= 15 ? mask(m) : m; // E.164 allows at most 15 digits
    })
    .replace(PLAIN, (m) => {
      const n = digitCount(m);
      return n >= 10 && n <= 15 ? mask(m) : m;
    });
}

/** `scrubPhoneNumbers` for optional values; blank strings become null. */
export function scrubOptional(text: string | null | undefined): string | null {
  if (text == null) return null;
  const t = text.trim();
  return t === '' ? null : scrubPhoneNumbers(t);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Scrub every string inside a JSON-like value (arrays and plain objects, recursively). Keys are
 * kept as they are; non-plain objects (Date, Buffer, …) and other primitives are returned as is.
 * Used on raw records before they are quarantined or logged.
 */
export function scrubDeep<T>(value: T): T {
  if (typeof value === 'string') return scrubPhoneNumbers(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubDeep(v)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v);
    return out as T;
  }
  return value;
}
