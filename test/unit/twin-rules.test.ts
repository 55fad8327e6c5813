import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../emulator/state/json.js';
import { assertSectionSize, assertValidTwinPatch, TWIN_LIMITS, twinSize } from '../../emulator/state/twin-rules.js';
import { expectHubError } from './fixtures.js';

function refused(patch: unknown, section: 'tags' | 'desired' | 'reported' = 'desired'): string {
  return expectHubError(() => assertValidTwinPatch(section, patch), 400, 'ArgumentInvalid').message;
}

function accepted(patch: unknown, section: 'tags' | 'desired' | 'reported' = 'desired'): void {
  assert.doesNotThrow(() => assertValidTwinPatch(section, patch));
}

/** The section root with `levels` objects nested below it, the innermost holding a leaf. */
function nestedBelowRoot(levels: number): JsonObject {
  let value: JsonObject = { leaf: 1 };
  for (let level = levels; level >= 1; level--) value = { [`l${level}`]: value };
  return value;
}

void describe('twin patch shape', () => {
  void it('accepts booleans, numbers, strings, objects, arrays and null (delete)', () => {
    accepted({ b: true, n: 1.5, s: 'x', o: { p: 1 }, a: [1, 'two', { three: 3 }], gone: null });
  });

  void it('refuses a patch that is not a JSON object', () => {
    for (const patch of [null, undefined, 42, 'text', true, [{ a: 1 }]]) refused(patch);
  });
});

void describe('twin property names', () => {
  const forbidden: Record<string, string> = {
    'a dot': 'a.b',
    'a dollar': '$version',
    'a space': 'a b',
    'a C0 control character': 'a\u0001b',
    'a newline': 'a\nb',
    'DEL': 'a\u007fb',
    'a C1 control character': 'a\u0085b',
    'nothing (empty name)': '',
  };
  for (const [what, key] of Object.entries(forbidden)) {
    void it(`refuses a name containing ${what}, at top level and nested`, () => {
      refused({ [key]: 1 });
      refused({ outer: { [key]: 1 } }, 'tags');
      refused({ list: [{ [key]: 1 }] }, 'reported');
    });
  }

  void it('accepts names with other punctuation and non-ASCII letters', () => {
    accepted({ 'a-b_c:d#e@f': 1, 'température': 2, 'Case': 1, 'case': 2 });
  });

  void it('accepts a 1 KB name and refuses one byte more (counted in UTF-8 bytes)', () => {
    accepted({ ['k'.repeat(TWIN_LIMITS.maxKeyBytes)]: 1 });
    refused({ ['k'.repeat(TWIN_LIMITS.maxKeyBytes + 1)]: 1 });
    refused({ ['é'.repeat(TWIN_LIMITS.maxKeyBytes / 2 + 1)]: 1 });
  });
});

void describe('twin values', () => {
  void it('accepts a 4 KB string and refuses one byte more (counted in UTF-8 bytes)', () => {
    accepted({ s: 'x'.repeat(TWIN_LIMITS.maxStringBytes) });
    refused({ s: 'x'.repeat(TWIN_LIMITS.maxStringBytes + 1) });
    refused({ s: 'é'.repeat(TWIN_LIMITS.maxStringBytes / 2 + 1) });
    refused({ deep: { list: ['x'.repeat(TWIN_LIMITS.maxStringBytes + 1)] } });
  });

  void it('accepts integers at the documented bounds and refuses beyond them', () => {
    accepted({ min: -4503599627370496, max: 4503599627370495 });
    refused({ big: 4503599627370496 });
    refused({ small: -4503599627370497 });
    refused({ nested: { list: [2 ** 60] } });
  });

  void it('accepts large non-integer numbers (the range rule is for integers)', () => {
    accepted({ f: 1.5e3, tiny: 1e-300 });
  });

  void it('refuses numbers JSON cannot carry', () => {
    refused({ n: Number.NaN });
    refused({ n: Number.POSITIVE_INFINITY });
  });
});

void describe('twin depth', () => {
  // Docs, "Tags and properties format": the valid example nests tags.one ... ten.property.
  void it(`accepts ${TWIN_LIMITS.maxDepth} levels of objects below the section and refuses ${TWIN_LIMITS.maxDepth + 1}`, () => {
    accepted(nestedBelowRoot(TWIN_LIMITS.maxDepth));
    refused(nestedBelowRoot(TWIN_LIMITS.maxDepth + 1));
    refused(nestedBelowRoot(TWIN_LIMITS.maxDepth + 1), 'tags');
    refused(nestedBelowRoot(TWIN_LIMITS.maxDepth + 1), 'reported');
  });

  void it('counts an array as a level, so arrays cannot hide nesting', () => {
    accepted({ wrap: nestedBelowRoot(TWIN_LIMITS.maxDepth - 1) });
    refused({ list: [nestedBelowRoot(TWIN_LIMITS.maxDepth - 1)] });
    accepted({ list: [nestedBelowRoot(TWIN_LIMITS.maxDepth - 2)] });
  });

  void it('refuses arrays nested deeper than the limit even with only numbers at the bottom', () => {
    const arrays = (levels: number): unknown => (levels === 0 ? 1 : [arrays(levels - 1)]);
    accepted({ list: arrays(TWIN_LIMITS.maxDepth) as never });
    refused({ list: arrays(TWIN_LIMITS.maxDepth + 1) as never });
  });
});

void describe('twin section sizes', () => {
  void it('measure keys and strings in UTF-8 bytes without control characters, numbers as 8, booleans as 4', () => {
    assert.equal(twinSize({ ab: 'xyz' }), 5);
    assert.equal(twinSize({ n: 1, b: true }), 1 + 8 + 1 + 4);
    assert.equal(twinSize({ é: 'é\n' }), 2 + 2);
    assert.equal(twinSize({ o: { k: 'v' }, a: ['xy', 1] }), 1 + 2 + 1 + 2 + 8);
  });

  /** A section of exactly `bytes` by the docs' measure. */
  const sized = (bytes: number): JsonObject => ({ p: 'x'.repeat(bytes - 1) });

  for (const [section, limit] of [['tags', 8 * 1024], ['desired', 32 * 1024], ['reported', 32 * 1024]] as const) {
    void it(`allow ${section} up to ${limit} bytes and refuse more`, () => {
      assert.equal(TWIN_LIMITS.maxSectionBytes[section], limit);
      assert.equal(twinSize(sized(limit)), limit);
      assert.doesNotThrow(() => assertSectionSize(section, sized(limit)));
      expectHubError(() => assertSectionSize(section, sized(limit + 1)), 400, 'ArgumentInvalid');
    });
  }
});
