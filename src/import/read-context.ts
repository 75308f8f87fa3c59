// What every export reader gets: the file's text, where its records go, and a progress tick.
import type { ImportBatches } from './import-batches.js';
import type { ExportText } from './open-export.js';

export interface ReadContext {
  /** The file as the user named it: locators read "<file>:<line>" / "<file>:record N". */
  file: string;
  text: ExportText;
  batches: ImportBatches;
  /** Call once per record read (it throttles itself). */
  tick(): void;
}

export interface ReadOutcome {
  /** The format recognised, in words ("Graph JSON list response", "Entra portal sign-in CSV" …). */
  format: string;
  /** Things the user should know that are not one record's fault (a truncated file …). */
  warnings: string[];
}

/**
 * The file is not an export we know. Thrown before anything of the file is written, so a refused
 * file leaves the store as it was.
 */
export class ImportRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}
