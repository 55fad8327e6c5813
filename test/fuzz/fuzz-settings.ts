import fc from 'fast-check';

/**
 * Bounded, reproducible property runs: a fixed seed (override with FUZZ_SEED) and a fixed number of
 * runs (FUZZ_RUNS). fast-check's failure message carries the seed and the shrunk counterexample; the
 * seed is repeated here so that a CI log says how to replay it.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261126);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 400);

export function assertProperty(property: fc.IProperty<unknown> | fc.IAsyncProperty<unknown>, runs = FUZZ_RUNS): Promise<void> | void {
  const parameters = { seed: FUZZ_SEED, numRuns: runs };
  const replay = (error: unknown): never => {
    throw new Error(`Property failed (replay with FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${runs}): ${(error as Error).message}`);
  };
  try {
    const result = fc.assert(property as fc.IAsyncProperty<unknown>, parameters) as Promise<void> | undefined;
    return result?.catch(replay);
  } catch (error) {
    return replay(error);
  }
}

/** Twin-looking keys: mostly legal, sometimes with the characters the hub forbids. */
export const twinKey = fc.oneof(
  fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/),
  fc.constantFrom('', '$version', 'a.b', 'a b', '\u0000', '\u0085', '$metadata', 'k'.repeat(1025)),
  fc.string({ maxLength: 6 }),
);

/** JSON values with twin-looking keys, nested up to 14 levels (past the hub's 10). */
export const twinValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 14 },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 4503599627370496, -4503599627370497, 9007199254740993),
    fc.double(),
    fc.string({ maxLength: 12 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(twinKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Bodies a client could send as a twin PATCH: twin-shaped documents, any JSON, and non-JSON text. */
export const patchBody: fc.Arbitrary<string> = fc.oneof(
  fc.record({ tags: twinValue, properties: fc.record({ desired: twinValue }, { requiredKeys: [] }) }, { requiredKeys: [] }).map((body) => JSON.stringify(body)),
  fc.record({ properties: fc.dictionary(fc.constantFrom('desired', 'reported', 'other'), twinValue, { maxKeys: 2 }) }).map((body) => JSON.stringify(body)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 40 }),
);
