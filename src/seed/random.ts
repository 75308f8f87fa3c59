// A small, fast, seeded PRNG for the synthetic tenant. Pure: no global state, no Math.random.
//
// Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counter, 128-bit state, period >= 2^32 and
// about 2^127 on average), seeded through splitmix32 so that nearby seeds give unrelated streams.
// Independent streams are derived with `hashSeed(seed, 'signins', '2026-11-01')`.

/** Char codes of '0'..'f'. */
const HEXC: readonly number[] = Array.from({ length: 16 }, (_, i) => i.toString(16).charCodeAt(0));

/**
 * A 32-bit hash of the parts (FNV-1a over their string forms, a separator between parts, then the
 * murmur3 finaliser). Use it to derive an independent stream per purpose and per day.
 */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (let p = 0; p < parts.length; p++) {
    const s = String(parts[p]);
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    h ^= 0x1f; // unit separator: ('ab','c') and ('a','bc') differ
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 expands the 32-bit seed into the 128-bit state.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const a = this.a;
    const b = this.b;
    const c = this.c;
    const t = (((a + b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    this.c = ((c << 21) | (c >>> 11)) + t;
    this.c |= 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor((this.u32() / 4294967296) * (max - min + 1));
  }

  /** A uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + (this.u32() / 4294967296) * (max - min);
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  /** A uniformly chosen element (the array must not be empty). */
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor((this.u32() / 4294967296) * arr.length)] as T;
  }

  /** A value chosen with probability proportional to its weight. For hot paths prefer `WeightedTable`. */
  weighted<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (let i = 0; i < pairs.length; i++) total += (pairs[i] as readonly [T, number])[1];
    let x = this.next() * total;
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i] as readonly [T, number];
      x -= p[1];
      if (x < 0) return p[0];
    }
    return (pairs[pairs.length - 1] as readonly [T, number])[0];
  }

  /** A UUID-v4-shaped string drawn from the stream (deterministic, not cryptographic). Built flat: one heap string, no rope. */
  uuid(): string {
    const a = this.u32();
    const b = this.u32();
    const c = this.u32();
    const d = this.u32();
    const h = HEXC;
    return String.fromCharCode(
      h[a >>> 28]!, h[(a >>> 24) & 15]!, h[(a >>> 20) & 15]!, h[(a >>> 16) & 15]!,
      h[(a >>> 12) & 15]!, h[(a >>> 8) & 15]!, h[(a >>> 4) & 15]!, h[a & 15]!, 45,
      h[b >>> 28]!, h[(b >>> 24) & 15]!, h[(b >>> 20) & 15]!, h[(b >>> 16) & 15]!, 45,
      52, h[(b >>> 8) & 15]!, h[(b >>> 4) & 15]!, h[b & 15]!, 45,
      h[8 | ((c >>> 28) & 3)]!, h[(c >>> 24) & 15]!, h[(c >>> 20) & 15]!, h[(c >>> 16) & 15]!, 45,
      h[(c >>> 12) & 15]!, h[(c >>> 8) & 15]!, h[(c >>> 4) & 15]!, h[c & 15]!,
      h[d >>> 28]!, h[(d >>> 24) & 15]!, h[(d >>> 20) & 15]!, h[(d >>> 16) & 15]!,
      h[(d >>> 12) & 15]!, h[(d >>> 8) & 15]!, h[(d >>> 4) & 15]!, h[d & 15]!,
    );
  }

  /** A small Poisson-distributed count (Knuth; fine for lambda up to ~30). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    const l = Math.exp(-lambda);
    let k = 0;
    let p = 1;
    do {
      k++;
      p *= this.next();
    } while (p > l);
    return k - 1;
  }
}

/** Creates a stream from a seed (see `hashSeed` for deriving seeds). */
export function rng(seed: number): Rng {
  return new Rng(seed);
}

/** A UUID-v4-shaped string that is a pure function of the parts. */
export function uuidFrom(...parts: (string | number)[]): string {
  return new Rng(hashSeed(...parts)).uuid();
}

/**
 * A precomputed weighted choice: entries sorted by descending weight and a cumulative table, so
 * the common values are found after one or two comparisons.
 */
export class WeightedTable<T> {
  readonly values: readonly T[];
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(pairs: readonly (readonly [T, number])[]) {
    const sorted = pairs.filter((p) => p[1] > 0).sort((x, y) => y[1] - x[1]);
    if (sorted.length === 0) throw new Error('WeightedTable needs at least one positive weight');
    this.values = sorted.map((p) => p[0]);
    this.cumulative = new Float64Array(sorted.length);
    let acc = 0;
    for (let i = 0; i < sorted.length; i++) {
      acc += (sorted[i] as readonly [T, number])[1];
      this.cumulative[i] = acc;
    }
    this.total = acc;
  }

  pick(r: Rng): T {
    const x = r.next() * this.total;
    const cum = this.cumulative;
    const n = cum.length - 1;
    let i = 0;
    while (i < n && x >= cum[i]!) i++;
    return this.values[i] as T;
  }
}

/**
 * Walker's alias table over weights 0..n-1: O(1) sampling, used to pick the user of each sign-in.
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: readonly number[]) {
    const n = weights.length;
    if (n === 0) throw new Error('AliasTable needs at least one weight');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    let sum = 0;
    for (const w of weights) sum += w;
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = ((weights[i] as number) * n) / sum;
      if (scaled[i]! < 1) small.push(i);
      else large.push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const s = small.pop() as number;
      const l = large.pop() as number;
      this.prob[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) small.push(l);
      else large.push(l);
    }
    for (const i of large) this.prob[i] = 1;
    for (const i of small) this.prob[i] = 1;
  }

  sample(r: Rng): number {
    const i = Math.floor(r.next() * this.size);
    return r.next() < this.prob[i]! ? i : this.alias[i]!;
  }
}
