import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSasToken } from '../../emulator/state/sas.js';
import { VerifiedTokens } from '../../emulator/state/verified-tokens.js';
import { HOST, keyFromSeed } from './fixtures.js';

const PRIMARY = keyFromSeed(1);
const SECONDARY = keyFromSeed(2);
const ROTATED = keyFromSeed(3);

const tokenText = (key: string, expiry = 1_900_000_000): string => createSasToken({ resourceUri: HOST, base64Key: key, expiry, keyName: 'iothubowner' });

function check(cache: VerifiedTokens, text: string, keys: readonly string[]): boolean {
  const token = cache.parse(text);
  assert.ok(token, 'the token parses');
  return cache.signedWithOneOf(text, token, keys);
}

void describe('VerifiedTokens: the REST path remembers verified SAS signatures', () => {
  void it('accepts a token signed by either key, the first time and again', () => {
    const cache = new VerifiedTokens({ capacity: 4 });
    for (const key of [PRIMARY, SECONDARY]) {
      assert.equal(check(cache, tokenText(key), [PRIMARY, SECONDARY]), true);
      assert.equal(check(cache, tokenText(key), [PRIMARY, SECONDARY]), true);
    }
  });

  void it('refuses a remembered token once its key is no longer one of the policy\'s', () => {
    const cache = new VerifiedTokens({ capacity: 4 });
    const text = tokenText(PRIMARY);
    assert.equal(check(cache, text, [PRIMARY, SECONDARY]), true);
    assert.equal(check(cache, text, [ROTATED, SECONDARY]), false);
  });

  void it('never remembers a bad signature', () => {
    const cache = new VerifiedTokens({ capacity: 4 });
    const forged = tokenText(ROTATED);
    assert.equal(check(cache, forged, [PRIMARY, SECONDARY]), false);
    assert.equal(check(cache, forged, [PRIMARY, SECONDARY]), false);
  });

  void it('stays correct past its capacity (the oldest entries are dropped, then verified afresh)', () => {
    const cache = new VerifiedTokens({ capacity: 2 });
    const texts = [1, 2, 3, 4].map((offset) => tokenText(PRIMARY, 1_900_000_000 + offset));
    for (const text of [...texts, ...texts]) assert.equal(check(cache, text, [PRIMARY, SECONDARY]), true);
    assert.equal(check(cache, tokenText(ROTATED), [PRIMARY, SECONDARY]), false);
  });
});
