import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { etagForVersion, ifMatchSatisfied, unquoteEtag } from '../../emulator/state/etag.js';

void describe('twin etags', () => {
  void it('encode the version as 8 big-endian bytes in base64, as the hub does', () => {
    assert.equal(etagForVersion(1), 'AAAAAAAAAAE=');
    assert.equal(etagForVersion(256), 'AAAAAAAAAQA=');
  });

  void it('strip the quotes the SDK adds to If-Match', () => {
    assert.equal(unquoteEtag('"AAAAAAAAAAE="'), 'AAAAAAAAAAE=');
  });

  void it('treat an absent If-Match as unconditional and * as any etag', () => {
    assert.equal(ifMatchSatisfied(undefined, 'x'), true);
    assert.equal(ifMatchSatisfied('"*"', 'x'), true);
    assert.equal(ifMatchSatisfied('*', 'x'), true);
  });

  void it('refuse any other etag than the current one', () => {
    assert.equal(ifMatchSatisfied('"AAAAAAAAAAE="', 'AAAAAAAAAAI='), false);
    assert.equal(ifMatchSatisfied('"AAAAAAAAAAI="', 'AAAAAAAAAAI='), true);
  });
});
