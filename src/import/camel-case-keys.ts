// Some portal JSON downloads (and tools that re-serialise them) write Graph's property names in
// PascalCase ("CreatedDateTime", "UserPrincipalName", "IPAddress"). Graph is camelCase, so such a
// record is renamed recursively and then read exactly like a Graph record.

/** Whether any top-level key of the record starts with a capital letter. */
export function hasPascalCaseKeys(record: Record<string, unknown>): boolean {
  for (const key of Object.keys(record)) if (/^[A-Z]/.test(key)) return true;
  return false;
}

/** "CreatedDateTime" → "createdDateTime", "IPAddress" → "ipAddress", "ID" → "id". */
export function camelCaseKey(key: string): string {
  const run = /^[A-Z]+/.exec(key)?.[0];
  if (!run) return key;
  if (run.length === key.length) return key.toLowerCase();
  // "IPAddress": the last capital of the run starts the next word.
  const keep = run.length > 1 && /[a-z]/.test(key[run.length] ?? '') ? run.length - 1 : run.length;
  return key.slice(0, keep).toLowerCase() + key.slice(keep);
}

export function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[camelCaseKey(key)] = camelCaseKeys(inner);
    return out;
  }
  return value;
}
