import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unquoteEtag } from '../../emulator/state/etag.js';
import { resolveAuthentication } from '../../emulator/state/identity-spec.js';
import { clientIdOf, describeIdentity } from '../../emulator/state/identity.js';
import { assertValidDeviceId, assertValidModuleId } from '../../emulator/state/ids.js';
import { assertValidSymmetricKey } from '../../emulator/state/keys.js';
import { expectHubError, keyFromSeed, sequentialKeys } from './fixtures.js';

/** What the registry takes as ids, keys, thumbprints and If-Match values, and the wording of its refusals. */
const SHA1 = 'ab'.repeat(20);
const SHA256 = 'CD'.repeat(32);

void describe('identity inputs', () => {
  void it('quotes at most 140 characters of an invalid id, naming which id it is', () => {
    const long = `${'x'.repeat(150)} `;
    const device = expectHubError(() => assertValidDeviceId(long), 400, 'ArgumentInvalid').message;
    assert.ok(device.startsWith(`DeviceId '${'x'.repeat(140)}' is invalid: use 1-128 ASCII letters`), device);
    const module = expectHubError(() => assertValidModuleId('bad id'), 400, 'ArgumentInvalid').message;
    assert.equal(module, "ModuleId 'bad id' is invalid: use 1-128 ASCII letters, digits or - . % _ * ? ! ( ) , : = @ $ '");
  });

  void it('names which key is not base64 of 16 to 64 bytes', () => {
    assert.equal(expectHubError(() => assertValidSymmetricKey('short', 'secondary key'), 400, 'ArgumentInvalid').message, 'The secondary key must be a base64 string of 16 to 64 bytes.');
  });

  void it('takes SHA-1 and SHA-256 thumbprints in either case, stores them upper-case, and names the one it refuses', () => {
    const generate = sequentialKeys(1);
    const resolved = resolveAuthentication({ type: 'selfSigned', x509Thumbprint: { primaryThumbprint: SHA1, secondaryThumbprint: SHA256.toLowerCase() } }, generate);
    assert.deepEqual(resolved.authentication, { type: 'selfSigned', thumbprints: { primaryThumbprint: SHA1.toUpperCase(), secondaryThumbprint: SHA256 } });
    assert.deepEqual(resolved.keys, { primaryKey: keyFromSeed(1), secondaryKey: keyFromSeed(2) }, 'keys nobody is told');
    for (const [which, value] of [['primary', `x${SHA1}`], ['primary', `${SHA1}0`], ['secondary', SHA1.slice(1)]] as const) {
      const x509Thumbprint = which === 'primary' ? { primaryThumbprint: value } : { primaryThumbprint: SHA1, secondaryThumbprint: value };
      assert.equal(expectHubError(() => resolveAuthentication({ type: 'selfSigned', x509Thumbprint }, generate), 400, 'ArgumentInvalid').message, `The ${which} thumbprint must be 40 or 64 hexadecimal digits.`);
    }
    const message = expectHubError(() => resolveAuthentication({ type: 'selfSigned', x509Thumbprint: { primaryThumbprint: '' } }, generate), 400, 'ArgumentInvalid').message;
    assert.equal(message, 'A selfSigned identity needs at least a primary X.509 thumbprint.');
    assert.deepEqual(resolveAuthentication({ type: 'certificateAuthority' }, generate).authentication.thumbprints, { primaryThumbprint: null, secondaryThumbprint: null });
  });

  void it('keeps a SAS identity\'s keys on an update that names none, but not an X.509 identity\'s', () => {
    const generate = sequentialKeys(10);
    const sas = resolveAuthentication(undefined, generate);
    assert.deepEqual(resolveAuthentication({ type: 'sas' }, generate, sas).keys, sas.keys);
    assert.deepEqual(resolveAuthentication(undefined, generate, sas).authentication, { type: 'sas', thumbprints: { primaryThumbprint: null, secondaryThumbprint: null } });
    const x509 = resolveAuthentication({ type: 'certificateAuthority' }, generate);
    assert.notDeepEqual(resolveAuthentication({ type: 'sas' }, generate, x509).keys, x509.keys, 'switching to SAS gives keys someone is told');
  });

  void it('reads If-Match values with or without their quotes and spaces', () => {
    assert.deepEqual(['"abc"', ' "abc" ', 'abc', '"', '""', '"abc', 'abc"'].map(unquoteEtag), ['abc', 'abc', 'abc', '"', '', '"abc', 'abc"']);
  });

  void it('names identities as client ids and in sentences', () => {
    assert.deepEqual([clientIdOf({ deviceId: 'd1' }), clientIdOf({ deviceId: 'd1', moduleId: 'm1' })], ['d1', 'd1/m1']);
    assert.deepEqual([describeIdentity({ deviceId: 'd1' }), describeIdentity({ deviceId: 'd1', moduleId: 'm1' })], ["device 'd1'", "module 'm1' of device 'd1'"]);
  });
});
