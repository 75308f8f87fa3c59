// Finding fields in a CSV by header name. Exports spell headers differently from version to version
// ("Multi-factor authentication result" / "Multifactor authentication result", "Date (UTC)",
// "IP Address" / "IP address"), so headers are compared by a key that ignores case, spaces, hyphens
// and punctuation, against a list of aliases per field. A header may also repeat (the portal writes
// "Incoming token type" twice): a field then reads the first non-blank of its columns.

/** "Multi-factor authentication result" → "multifactorauthenticationresult". */
export function headerKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[^a-z0-9]+/g, '');
}

export type ColumnAliases<F extends string> = Readonly<Record<F, readonly string[]>>;

export class CsvColumns<F extends string> {
  private readonly indexes = new Map<F, number[]>();

  constructor(
    readonly headers: readonly string[],
    aliases: ColumnAliases<F>,
  ) {
    const byKey = new Map<string, number[]>();
    headers.forEach((header, i) => {
      const key = headerKey(header);
      if (key) byKey.set(key, [...(byKey.get(key) ?? []), i]);
    });
    for (const [field, names] of Object.entries(aliases) as [F, readonly string[]][]) {
      const found = names.flatMap((name) => byKey.get(headerKey(name)) ?? []);
      if (found.length > 0) this.indexes.set(field, found);
    }
  }

  has(field: F): boolean {
    return this.indexes.has(field);
  }

  /** The field's value in a row, trimmed; null when the column is absent or blank. */
  get(row: readonly string[], field: F): string | null {
    for (const i of this.indexes.get(field) ?? []) {
      const value = row[i]?.trim();
      if (value) return value;
    }
    return null;
  }
}
