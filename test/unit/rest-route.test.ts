import assert from 'node:assert/strict';
import { it } from 'node:test';
import { pathParam } from '../../emulator/rest/route.js';

// A route reads its path segments through pathParam: a segment its template lacks is the emulator's
// own mistake, so it fails loudly (a 500) rather than reading as an empty id (a misleading 404).
void it('reads a path segment the route matched, and fails loudly on one its template lacks', () => {
  assert.equal(pathParam({ id: 'd1', mid: 'm1' }, 'mid'), 'm1');
  assert.throws(() => pathParam({ id: 'd1' }, 'mid'), /The route's path template has no \{mid\} segment\./);
});
