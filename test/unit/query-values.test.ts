import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComparisonOperator } from '../../emulator/query/ast.js';
import { compareValues, isPrimitive, lookup, orderPrimitives } from '../../emulator/query/values.js';

/** emulator/query/values.ts on its own: lookups, three-valued comparison, and MIN/MAX's type order. */
void describe('query values', () => {
  void it('looks properties up through objects only, by exact name first, then by case, and says the document\'s spelling', () => {
    const document = { properties: { reported: { Mode: 'eco', mode: 'exact' } }, tags: ['a'], count: 0 };
    assert.deepEqual(lookup(document, ['properties', 'reported', 'mode']), { value: 'exact', key: 'mode' });
    assert.deepEqual(lookup(document, ['PROPERTIES', 'Reported', 'MODE']), { value: 'eco', key: 'Mode' });
    assert.deepEqual(lookup(document, ['count']), { value: 0, key: 'count' });
    assert.deepEqual(lookup(document, ['tags', '0']), { value: undefined }, 'no array indexing');
    assert.deepEqual(lookup(document, ['count', 'x']), { value: undefined }, 'a number has no children');
    assert.deepEqual(lookup({ nothing: null }, ['nothing', 'x']), { value: undefined }, 'null has no children');
    assert.deepEqual(lookup(document, ['missing']), { value: undefined });
    assert.deepEqual(lookup(document, []), { value: document }, 'the empty path is the document, with no key');
    assert.equal(Object.hasOwn(lookup(document, ['missing']), 'key'), false);
  });

  void it('knows the primitives', () => {
    for (const value of [null, '', 'x', 0, 1.5, true, false]) assert.equal(isPrimitive(value), true, JSON.stringify(value));
    for (const value of [{}, [], undefined]) assert.equal(isPrimitive(value), false, JSON.stringify(value));
  });

  void it('compares primitives of one type, with the boundaries where they belong', () => {
    const table: readonly [ComparisonOperator, unknown, unknown, boolean][] = [
      ['=', 2, 2, true], ['=', 2, 3, false], ['!=', 2, 3, true], ['!=', 'a', 'a', false],
      ['<', 2, 3, true], ['<', 3, 3, false], ['>', 3, 2, true], ['>', 3, 3, false],
      ['<=', 3, 3, true], ['<=', 4, 3, false], ['>=', 3, 3, true], ['>=', 2, 3, false],
      ['<', 'B', 'a', true], ['=', true, true, true], ['<', false, true, true],
    ];
    for (const [operator, left, right, expected] of table) assert.equal(compareValues(operator, left as never, right as never), expected, `${JSON.stringify(left)} ${operator} ${JSON.stringify(right)}`);
  });

  void it('gives no answer across types, for objects and missing sides, and treats null as equal only to null', () => {
    assert.equal(compareValues('=', 1, '1'), undefined);
    assert.equal(compareValues('!=', true, 1), undefined);
    assert.equal(compareValues('=', { a: 1 }, { a: 1 }), undefined);
    assert.equal(compareValues('=', [1], [1]), undefined);
    assert.equal(compareValues('=', undefined, 1), undefined);
    assert.equal(compareValues('=', 1, undefined), undefined);
    assert.equal(compareValues('=', null, null), true);
    assert.equal(compareValues('!=', null, null), false);
    assert.equal(compareValues('<', null, null), undefined, 'null is not ordered');
    assert.equal(compareValues('=', null, 0), undefined);
    assert.equal(compareValues('!=', 'x', null), undefined);
  });

  void it('orders mixed values for MIN and MAX: null, false, true, numbers, strings', () => {
    const mixed = ['b', 10, true, null, 'a', false, -1];
    assert.deepEqual([...mixed].sort(orderPrimitives), [null, false, true, -1, 10, 'a', 'b']);
    assert.equal(orderPrimitives(null, null), 0);
    assert.equal(orderPrimitives(3, 3), 0);
    assert.equal(orderPrimitives('a', 'a'), 0);
    assert.equal(orderPrimitives(2, 3), -1);
    assert.equal(orderPrimitives(3, 2), 1);
    assert.equal(orderPrimitives(null, false), -1);
    assert.equal(orderPrimitives(true, null), 1);
  });
});
