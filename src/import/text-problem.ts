// What makes a record's text unloadable whatever its format: a U+FFFD, which the decoder puts
// where the file's bytes were not valid UTF-8 (a line saved as Latin-1 in a UTF-8 export), and a
// NUL character, raw (binary data inside a text file) or, in JSON, as the escape \u0000 (Postgres
// text cannot hold one). Such a record is quarantined with this reason; the rest of the file loads.
// A genuine U+FFFD in an export means its text was already lost before the export, so it is
// quarantined the same way.

/** A JSON \u0000 escape: after an even number of backslashes (an escaped backslash is text). */
const JSON_NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;

/** `format` 'json': the text is JSON source, whose \u0000 escapes are NULs too. */
export function textProblem(text: string, format: 'json' | 'text'): string | null {
  if (text.includes('\uFFFD')) return 'bytes that are not valid UTF-8 (shown as "\uFFFD"), in a file read as UTF-8: save the export as UTF-8';
  if (text.includes('\u0000') || (format === 'json' && JSON_NUL_ESCAPE.test(text))) return 'a NUL character (binary data), which is not text';
  return null;
}

/** NUL as a visible stand-in (␀), so the raw text of a quarantined record can be stored. */
export const storableText = (text: string): string => (text.includes('\u0000') ? text.replace(/\u0000/g, '\u2400') : text);
