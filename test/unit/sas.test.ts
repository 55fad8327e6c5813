import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import common from 'azure-iot-common';
import {
  computeSignature,
  createSasToken,
  encodeUriComponentStrict,
  parseSasToken,
  resourceCovers,
  signedWithOneOf,
} from '../../emulator/state/sas.js';
import { FOREIGN_KEY, HOST, keyFromSeed } from './fixtures.js';

const PRIMARY = keyFromSeed(1);
const SECONDARY = keyFromSeed(2);
const MODULE_URI = `${HOST}/devices/d1/modules/m1`;
const EXPIRY = 1_900_000_000;

function parsed(text: string) {
  const token = parseSasToken(text);
  assert.ok(token, `token parses: ${text.slice(0, 60)}`);
  return token;
}

void describe('SAS token creation and parsing', () => {
  void it('round-trips resource, expiry and policy name', () => {
    const token = parsed(createSasToken({ resourceUri: MODULE_URI, base64Key: PRIMARY, expiry: EXPIRY, keyName: 'iothubowner' }));
    assert.equal(token.resourceUri, MODULE_URI);
    assert.equal(token.signedResource, encodeURIComponent(MODULE_URI));
    assert.equal(token.expiry, EXPIRY);
    assert.equal(token.keyName, 'iothubowner');
    assert.equal(token.signature, computeSignature(token.signedResource, EXPIRY, PRIMARY));
  });

  void it('leaves keyName undefined when the token has no skn', () => {
    assert.equal(parsed(createSasToken({ resourceUri: HOST, base64Key: PRIMARY, expiry: EXPIRY })).keyName, undefined);
  });

  void it('accepts the fields in any order (the SDK writes sr, sig, skn, se)', () => {
    const sig = encodeUriComponentStrict(computeSignature(HOST, EXPIRY, PRIMARY));
    const token = parsed(`SharedAccessSignature se=${EXPIRY}&skn=service&sig=${sig}&sr=${HOST}`);
    assert.equal(token.keyName, 'service');
    assert.ok(signedWithOneOf(token, [PRIMARY]));
  });

  void it('encodes the RFC 3986 reserved characters the SDKs encode', () => {
    assert.equal(encodeUriComponentStrict("a!b'c(d)e*f/g"), 'a%21b%27c%28d%29e%2Af%2Fg');
  });
});

void describe('SAS signature verification', () => {
  const token = (key: string) => parsed(createSasToken({ resourceUri: MODULE_URI, base64Key: key, expiry: EXPIRY }));

  void it('accepts a token signed with the primary or the secondary key', () => {
    assert.equal(signedWithOneOf(token(PRIMARY), [PRIMARY, SECONDARY]), true);
    assert.equal(signedWithOneOf(token(SECONDARY), [PRIMARY, SECONDARY]), true);
  });

  void it('refuses a token signed with another key', () => {
    assert.equal(signedWithOneOf(token(FOREIGN_KEY), [PRIMARY, SECONDARY]), false);
    assert.equal(signedWithOneOf(token(PRIMARY), []), false);
  });

  void it('refuses a token whose expiry was changed after signing', () => {
    const text = createSasToken({ resourceUri: MODULE_URI, base64Key: PRIMARY, expiry: EXPIRY });
    const tampered = parsed(text.replace(`se=${EXPIRY}`, `se=${EXPIRY + 3600}`));
    assert.equal(signedWithOneOf(tampered, [PRIMARY]), false);
  });

  void it('verifies the signature over sr exactly as it appears in the token (percent-encoded)', () => {
    const encodedSr = 'unit-hub.azure-devices.net%2Fdevices%2Fd1%2Fmodules%2Fm1';
    const sig = encodeURIComponent(computeSignature(encodedSr, EXPIRY, PRIMARY));
    const token = parsed(`SharedAccessSignature sr=${encodedSr}&sig=${sig}&se=${EXPIRY}`);
    assert.equal(token.resourceUri, MODULE_URI);
    assert.equal(signedWithOneOf(token, [PRIMARY]), true);
    // Signed over the decoded URI instead: the hub would refuse it, and so must we.
    const decodedSig = encodeURIComponent(computeSignature(MODULE_URI, EXPIRY, PRIMARY));
    assert.equal(signedWithOneOf(parsed(`SharedAccessSignature sr=${encodedSr}&sig=${decodedSig}&se=${EXPIRY}`), [PRIMARY]), false);
  });

  void it('refuses a valid signature with characters appended (compared as the exact base64 text)', () => {
    const text = createSasToken({ resourceUri: MODULE_URI, base64Key: PRIMARY, expiry: EXPIRY });
    for (const junk of ['%21%21', '%20', 'A', '%3D']) {
      const padded = parsed(text.replace(/(sig=[^&]*)/, `$1${junk}`));
      assert.equal(signedWithOneOf(padded, [PRIMARY]), false, `sig with ${junk} appended`);
    }
  });

  void it('refuses a signature that is not base64 of the right length', () => {
    assert.equal(signedWithOneOf(parsed(`SharedAccessSignature sr=${HOST}&sig=abc&se=${EXPIRY}`), [PRIMARY]), false);
  });
});

void describe('malformed SAS tokens', () => {
  const good = createSasToken({ resourceUri: HOST, base64Key: PRIMARY, expiry: EXPIRY, keyName: 'service' });
  const cases: Record<string, string> = {
    'no SharedAccessSignature prefix': good.slice('SharedAccessSignature '.length),
    'empty text': '',
    'missing sr': good.replace(/sr=[^&]*&/, ''),
    'missing sig': good.replace(/sig=[^&]*&/, ''),
    'missing se': good.replace(/&se=\d+/, ''),
    'non-numeric se': good.replace(/se=\d+/, 'se=soon'),
    'negative se': good.replace(/se=\d+/, 'se=-5'),
    'fractional se': good.replace(/se=\d+/, 'se=1.5'),
    'a part without =': `${good}&junk`,
    'bad percent-encoding in sr': good.replace(/sr=[^&]*/, 'sr=hub%ZZ'),
    'bad percent-encoding in sig': good.replace(/sig=[^&]*/, 'sig=%E0%A4%A'),
    'bad percent-encoding in skn': good.replace(/skn=[^&]*/, 'skn=serv%G1ce'),
  };
  for (const [name, text] of Object.entries(cases)) {
    void it(`parses to undefined: ${name}`, () => {
      assert.equal(parseSasToken(text), undefined);
    });
  }
});

void describe('resourceCovers', () => {
  void it('covers the resource itself and anything below it', () => {
    assert.equal(resourceCovers(HOST, HOST), true);
    assert.equal(resourceCovers(HOST, MODULE_URI), true);
    assert.equal(resourceCovers(`${HOST}/devices/d1`, MODULE_URI), true);
    assert.equal(resourceCovers(`${HOST}/`, `${HOST}/devices/d1`), true);
  });

  void it('ignores case, as the hub compares resource URIs', () => {
    assert.equal(resourceCovers(HOST.toUpperCase(), `${HOST}/devices/d1`), true);
  });

  void it('only matches whole path segments', () => {
    assert.equal(resourceCovers(`${HOST}/devices/d1`, `${HOST}/devices/d10`), false);
    assert.equal(resourceCovers('unit-hub', HOST), false);
  });

  void it('does not let a narrower resource cover a broader one or a sibling', () => {
    assert.equal(resourceCovers(MODULE_URI, `${HOST}/devices/d1`), false);
    assert.equal(resourceCovers(`${HOST}/devices/d2`, `${HOST}/devices/d1`), false);
    assert.equal(resourceCovers('other-hub.azure-devices.net', HOST), false);
  });
});

void describe('tokens made by the real SDK (azure-iot-common)', () => {
  const sdkToken = (resource: string, keyName: string, key: string) =>
    parsed(common.SharedAccessSignature.create(resource, keyName, key, EXPIRY).toString());

  void it('are accepted for a service policy (sr = host name) with the right key only', () => {
    const token = sdkToken(HOST, 'iothubowner', PRIMARY);
    assert.equal(token.keyName, 'iothubowner');
    assert.equal(token.expiry, EXPIRY);
    assert.equal(resourceCovers(token.resourceUri, HOST), true);
    assert.equal(signedWithOneOf(token, [SECONDARY, PRIMARY]), true);
    assert.equal(signedWithOneOf(token, [FOREIGN_KEY]), false);
  });

  void it('are accepted for a module, signed over the percent-encoded sr the device SDK sends', () => {
    // The device SDK encodes the resource before signing (createWithSigningFunction), lower-case hex included.
    const token = sdkToken(common.encodeUriComponentStrict(MODULE_URI), '', SECONDARY);
    assert.equal(token.keyName, undefined);
    assert.equal(token.resourceUri, MODULE_URI);
    assert.equal(signedWithOneOf(token, [PRIMARY, SECONDARY]), true);
    assert.equal(signedWithOneOf(token, [PRIMARY, FOREIGN_KEY]), false);
  });

  void it('verify with the SDK signature for an id containing characters it escapes', () => {
    const uri = `${HOST}/devices/d(1)*/modules/m!'`;
    const token = sdkToken(common.encodeUriComponentStrict(uri), '', PRIMARY);
    assert.equal(token.resourceUri, uri);
    assert.equal(signedWithOneOf(token, [PRIMARY]), true);
  });

  void it('produce the same signature as ours for the same signed string', () => {
    const ours = parsed(createSasToken({ resourceUri: MODULE_URI, base64Key: PRIMARY, expiry: EXPIRY }));
    const theirs = sdkToken(encodeUriComponentStrict(MODULE_URI), '', PRIMARY);
    assert.equal(theirs.signature, ours.signature);
  });
});
