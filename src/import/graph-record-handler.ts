// One JSON record (from an array, a list response or an NDJSON line) → a validated ImportRecord in
// the batches, or a quarantine entry saying where it was and why it was not loaded. Judging the
// record is judge-record.ts's job; this applies the verdicts in file order.
//
// A file whose records are none of the kinds we know is refused rather than quarantined record by
// record: records of an unknown kind, or not JSON at all, are held back (at most
// UNKNOWN_BEFORE_REFUSAL of them) until the first recognised one; if none comes, nothing was
// written and the file is refused.
import { judgeText, type Verdict } from './judge-record.js';
import { ImportRefused, type ReadContext } from './read-context.js';

export const UNKNOWN_BEFORE_REFUSAL = 100;
const MAX_HELD_RAW = 64 * 1024;

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
    await this.handleVerdict(judgeText(text, this.odataContext()), locator, text);
  }

  /**
   * A verdict on a record judged elsewhere (a worker thread): `raw` is its source text when it may
   * be quarantined (a loaded record's is not needed), `length` that text's length.
   */
  async handleVerdict(verdict: Verdict, locator: string, raw: string, length = raw.length): Promise<void> {
    this.ctx.tick();
    if (verdict.portal) this.sawPortalJson = true;
    // Before the first good record, a file of unknown or unparsable records counts towards refusing it.
    if (verdict.type === 'unknown') return this.unknown(locator, verdict.reason, raw);
    if (this.recognised++ === 0) await this.releaseHeld();
    const { checked } = verdict;
    if (checked.ok) await this.ctx.batches.add(checked.value, length);
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
