// The import's fast check may only pass what graphSignInSchema accepts, with the same content: it
// is tried on generated sign-ins and on every field of them set to values of every JSON type.
import { describe, expect, it } from 'vitest';
import { isPlainGraphSignIn } from '../../src/ingest/graph-signin-fast-check.js';
import { graphSignInSchema } from '../../src/ingest/graph-signin.js';
import { prepareSignin } from '../../src/ingest/prepare-signin.js';
import { demoSignins } from '../../src/seed/demo-tenant.js';

const VALUES: unknown[] = [
  undefined, null, '', 'x', '2025-07-01T10:00:00Z', '2025-07-01T10:00:00.1234567+00:00', '2025-07-01 10:00', '42', ' 7 ',
  0, -0, 1, 1.5, 2 ** 53, -1, Number.NaN, true, false, [], [null], ['a', null], [1], [{}], {}, { errorCode: 0 },
  { errorCode: '50126' }, { errorCode: 1.5 }, { city: 1 }, { id: 'p', result: 'success', enforcedGrantControls: ['Mfa'] },
  { authMethod: 1 }, { authMethod: 'Text message', authDetail: null }, [{ requirementProvider: 'user' }], [{ succeeded: 'yes' }],
];

/** Every object path of a record (a.b, a.0.c …) and the record with that path set to `value`. */
function* mutations(record: unknown, path: Array<string | number> = []): Generator<[string, unknown]> {
  if (record === null || typeof record !== 'object') return;
  // At the top, every field the schema names too, present in the sample or not.
  const keys = path.length === 0 ? new Set([...Object.keys(record), ...Object.keys(graphSignInSchema.shape)]) : Object.keys(record);
  for (const key of keys) {
    const child = (record as Record<string, unknown>)[key];
    for (const value of VALUES) yield [[...path, key].join('.'), setPath(ROOT, [...path, key], value)];
    yield* mutations(child, [...path, key]);
  }
}

let ROOT: unknown;
function setPath(root: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  if (value === undefined) delete at[path[path.length - 1]!];
  else at[path[path.length - 1]!] = value;
  return copy;
}

function agrees(record: unknown): void {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return;
  if (!isPlainGraphSignIn(record as Record<string, unknown>)) return; // zod decides those
  const parsed = graphSignInSchema.safeParse(record);
  expect(parsed.success ? 'accepted' : JSON.stringify(parsed.error.issues)).toBe('accepted');
  expect(prepareSignin(record as never, 'import:graph-beta')).toEqual(prepareSignin(parsed.data!, 'import:graph-beta'));
}

describe('isPlainGraphSignIn', () => {
  const samples = [...demoSignins({ users: 20, days: 2, seed: 3, now: new Date('2025-07-02T00:00:00Z'), signinsPerUserPerDay: 3 })].slice(0, 40);

  it('passes generated Graph sign-ins, as the schema does', () => {
    for (const sample of samples) {
      expect(isPlainGraphSignIn(sample as unknown as Record<string, unknown>)).toBe(true);
      agrees(sample);
    }
  });

  it('passes nothing the schema refuses or changes, whatever a field holds', () => {
    let tried = 0;
    for (const sample of samples.slice(0, 6)) {
      ROOT = sample;
      for (const [, mutated] of mutations(sample)) {
        agrees(mutated);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(1000);
  });
});
