import assert from 'node:assert/strict';

/**
 * Fails with the message itself: cucumber prints an `assert.ok` failure as a bare true/false diff,
 * which hides what was expected.
 */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition) assert.fail(message);
}
