// One JSON record (from an array, a list response or an NDJSON line) → a validated ImportRecord in
// the batches, or a quarantine entry saying where it was and why it was not loaded.
//
// A file whose records are none of the kinds we know is refused rather than quarantined record by
// record: records of an unknown kind, or not JSON at all, are held back (at most
// UNKNOWN_BEFORE_REFUSAL of them) until the first recognised one; if none comes, nothing was
// written and the file is refused.
import { camelCaseKeys, hasPascalCaseKeys } from './camel-case-keys.js';
import { checkGraphRecord, type ImportSource } from './import-record.js';
import { ImportRefused, type ReadContext } from './read-context.js';
import { detectRecordKind, isBetaSignin, isPlainRecord } from './record-kind.js';

export const UNKNOWN_BEFORE_REFUSAL = 100;
const MAX_HELD_RAW = 64 * 1024;

const NOT_A_KNOWN_RECORD =
  'not a sign-in, registration, risk detection or directory audit (it has no createdDateTime with a user/app/status, isMfaRegistered, riskEventType, or activityDisplayName and activityDateTime)';

interface Held {
  locator: string;
  reason: string;
  raw: string;
}

export class GraphRecordHandler {
  private recognised = 0;
  private held: Held[] = [];
  /** Records arrived with PascalCase property names (a portal JSON download). */
  sawPortalJson = false;

  constructor(
    private readonly ctx: ReadContext,
    /** The list response's @odata.context, when there is one (it can say "beta"). */
    private readonly odataContext: () => unknown = () => undefined,
  ) {}

  async handleText(text: string, locator: string): Promise<void> {
    this.ctx.tick();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // Before the first good record, a file of unparsable lines counts towards refusing it.
      await this.unknown(locator, `not valid JSON: ${(error as Error).message}`, text);
      return;
    }
    await this.handleValue(value, locator, text);
  }

  private async handleValue(value: unknown, locator: string, raw: string): Promise<void> {
    if (!isPlainRecord(value)) return this.unknown(locator, 'not a JSON object', raw);
    let record = value;
    const portal = hasPascalCaseKeys(record);
    if (portal) {
      record = camelCaseKeys(record) as Record<string, unknown>;
      this.sawPortalJson = true;
    }
    const kind = detectRecordKind(record);
    if (!kind) return this.unknown(locator, NOT_A_KNOWN_RECORD, raw);
    if (this.recognised++ === 0) await this.releaseHeld();

    let source: ImportSource;
    if (portal) source = 'import:portal-json';
    else if (kind === 'signin') source = isBetaSignin(record, this.odataContext()) ? 'import:graph-beta' : 'import:graph-v1';
    else source = record.defaultMfaMethod !== undefined ? 'import:graph-beta' : 'import:graph-v1'; // beta-only field
    const checked = checkGraphRecord(kind, record, source);
    if (checked.ok) await this.ctx.batches.add(checked.value, raw.length);
    else await this.ctx.batches.quarantine(locator, checked.reason, raw);
  }

  /** Call at the end of the file: refuses it when no record was of a known kind. */
  finish(): void {
    if (this.recognised === 0 && this.held.length > 0) {
      const first = this.held[0]!;
      throw new ImportRefused(`no record in it is a sign-in, registration, risk detection or directory audit (${first.locator}: ${first.reason})`);
    }
  }

  private async unknown(locator: string, reason: string, raw: string): Promise<void> {
    if (this.recognised > 0) {
      await this.ctx.batches.quarantine(locator, reason, raw);
      return;
    }
    this.held.push({ locator, reason, raw: raw.length > MAX_HELD_RAW ? raw.slice(0, MAX_HELD_RAW) : raw });
    if (this.held.length >= UNKNOWN_BEFORE_REFUSAL) {
      throw new ImportRefused(`its first ${UNKNOWN_BEFORE_REFUSAL} records are none of the kinds accepted (${locator}: ${reason})`);
    }
  }

  private async releaseHeld(): Promise<void> {
    const held = this.held;
    this.held = [];
    for (const h of held) await this.ctx.batches.quarantine(h.locator, h.reason, h.raw);
  }
}
