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

/** Keys at the rules' edges: '.', '$', space, control characters (C0, DEL, C1), an allowed no-break space, 1 KB and just over (in UTF-8 bytes). */
const edgeKey = fc.constantFrom('', '$version', 'a.b', 'a b', '\u0000', '\u007f', '\u0085', '\u00a0', '$metadata', 'k'.repeat(1024), 'k'.repeat(1025), 'é'.repeat(513));

/** Twin-looking keys: legal ones, edge cases, and any short string. */
export const twinKey = fc.oneof(fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/), edgeKey, fc.string({ maxLength: 6 }));

/** Keys that are mostly legal, so that a section's values get checked too, not only its first key. */
const mostlyLegalKey = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/), weight: 12 }, { arbitrary: twinKey, weight: 1 });

/** JSON values with these keys, nested up to 14 levels (past the hub's 10). */
function jsonWith(key: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 14 },
      // Both sides of the integer range, and strings on both sides of 4 KB.
      fc.constantFrom(null, true, false, 0, -1, 1.5, 4503599627370495, 4503599627370496, -4503599627370496, -4503599627370497, 9007199254740993),
      fc.double(),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('x'.repeat(4096), 'x'.repeat(4097)),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
}

/** JSON values with twin-looking keys, nested up to 14 levels (past the hub's 10). */
export const twinValue: fc.Arbitrary<unknown> = jsonWith(twinKey);

/** Objects and arrays nested 9 to 12 levels deep, around the hub's limit of 10, ending in a leaf value. */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(fc.array(fc.tuple(fc.boolean(), mostlyLegalKey), { minLength: 9, maxLength: 12 }), fc.constantFrom(1, 'leaf', {}, []))
  .map(([levels, leaf]) => levels.reduceRight<unknown>((inner, [asArray, key]) => (asArray ? [inner] : { [key]: inner }), leaf));

/** 1 to 9 strings of 4000 bytes: around the section sizes (tags 8 KB, desired and reported 32 KB). */
const bulkySection = fc.uniqueArray(fc.stringMatching(/^[a-z]{1,6}$/), { minLength: 1, maxLength: 9 }).map((keys) => Object.fromEntries(keys.map((key) => [key, 'x'.repeat(4000)])));

/** A twin section patch: an object with mostly legal keys, some values nested deep, some sections near their size limit. */
export const sectionPatch: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { arbitrary: fc.dictionary(mostlyLegalKey, fc.oneof(jsonWith(mostlyLegalKey), deepValue), { maxKeys: 4 }), weight: 3 },
  { arbitrary: bulkySection, weight: 1 },
  // One edge-case key among legal ones: the section stands or falls by that key alone.
  { arbitrary: fc.tuple(fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), fc.integer(), { maxKeys: 3 }), edgeKey).map(([legal, key]) => ({ ...legal, [key]: 1 })), weight: 1 },
);

/** Bodies a client could send as a twin PATCH: twin-shaped documents, any JSON, and non-JSON text. */
export const patchBody: fc.Arbitrary<string> = fc.oneof(
  fc.record({ tags: twinValue, properties: fc.record({ desired: twinValue }, { requiredKeys: [] }) }, { requiredKeys: [] }).map((body) => JSON.stringify(body)),
  { arbitrary: fc.record({ tags: sectionPatch, properties: fc.record({ desired: sectionPatch }) }, { requiredKeys: [] }).map((body) => JSON.stringify(body)), weight: 4 },
  fc.record({ properties: fc.dictionary(fc.constantFrom('desired', 'reported', 'other'), twinValue, { maxKeys: 2 }) }).map((body) => JSON.stringify(body)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 40 }),
);
