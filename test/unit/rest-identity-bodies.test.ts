import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HubErrorCode } from '../../emulator/errors.js';
import { readDeviceSpec, readModuleSpec } from '../../emulator/rest/identity-body.js';
import { expectHubError } from './fixtures.js';

/**
 * Device and module bodies as `PUT /devices/{id}` and `PUT /devices/{id}/modules/{mid}` read them
 * (rest/identity-body.ts; swagger Device and Module): what each field must be, null as absent.
 */
describe('identity bodies', () => {
  const refusedDevices: [string, unknown, number, HubErrorCode, RegExp][] = [
    ['a body that is not an object', [], 400, 'ArgumentInvalid', /^The device must be a JSON object\.$/],
    ['an unknown status', { status: 'paused' }, 400, 'ArgumentInvalid', /^status must be 'enabled' or 'disabled', not "paused"\.$/],
    ['parentScopes that are not an array', { parentScopes: 'scope' }, 400, 'ArgumentInvalid', /^parentScopes must be an array of strings\.$/],
    ['parentScopes that are not all strings', { parentScopes: ['a', 1] }, 400, 'ArgumentInvalid', /^parentScopes must be an array of strings\.$/],
    ['an iotEdge that is not a boolean', { capabilities: { iotEdge: 'yes' } }, 400, 'ArgumentInvalid', /^capabilities\.iotEdge must be a boolean\.$/],
    ["the authentication type 'none'", { authentication: { type: 'none' } }, 501, 'NotImplemented', /^Authentication type 'none' is not emulated/],
    ['an unknown authentication type', { authentication: { type: 'password' } }, 400, 'ArgumentInvalid', /^Unknown authentication type "password"\.$/],
    ['an authentication type that is not a string', { authentication: { type: 7 } }, 400, 'ArgumentInvalid', /^Unknown authentication type 7\.$/],
    ['authentication that is not an object', { authentication: 'sas' }, 400, 'ArgumentInvalid', /^authentication must be an object\.$/],
    ['symmetric keys that are not an object', { authentication: { symmetricKey: 'k' } }, 400, 'ArgumentInvalid', /^authentication\.symmetricKey must be an object\.$/],
    ['a key that is not a string', { authentication: { symmetricKey: { primaryKey: 1 } } }, 400, 'ArgumentInvalid', /^primaryKey must be a string\.$/],
    ['a secondary key that is not a string', { authentication: { symmetricKey: { secondaryKey: true } } }, 400, 'ArgumentInvalid', /^secondaryKey must be a string\.$/],
    ['thumbprints that are not an object', { authentication: { type: 'selfSigned', x509Thumbprint: [] } }, 400, 'ArgumentInvalid', /^authentication\.x509Thumbprint must be an object\.$/],
    ['a thumbprint that is not a string', { authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 5 } } }, 400, 'ArgumentInvalid', /^primaryThumbprint must be a string\.$/],
    ['a secondary thumbprint that is not a string', { authentication: { type: 'selfSigned', x509Thumbprint: { secondaryThumbprint: 5 } } }, 400, 'ArgumentInvalid', /^secondaryThumbprint must be a string\.$/],
    ['capabilities that are not an object', { capabilities: true }, 400, 'ArgumentInvalid', /^capabilities must be an object\.$/],
    ['a statusReason that is not a string', { statusReason: 5 }, 400, 'ArgumentInvalid', /^statusReason must be a string\.$/],
    ['a deviceScope that is not a string', { deviceScope: 5 }, 400, 'ArgumentInvalid', /^deviceScope must be a string\.$/],
    ['another deviceId', { deviceId: 'd2' }, 400, 'ArgumentInvalid', /^The deviceId in the body \("d2"\) differs from the one in the path \('d1'\)\.$/],
    ['a field the hub does not define', { colour: 'red' }, 400, 'ArgumentInvalid', /^The device has a field the hub does not define: "colour"\. Known fields: deviceId, generationId, etag, connectionState, status, statusReason, connectionStateUpdatedTime, statusUpdatedTime, lastActivityTime, cloudToDeviceMessageCount, authentication, capabilities, deviceScope, parentScopes\.$/],
    ['an unknown authentication field', { authentication: { kind: 'sas' } }, 400, 'ArgumentInvalid', /^authentication has a field the hub does not define: "kind"\. Known fields: symmetricKey, x509Thumbprint, type\.$/],
    ['an unknown key field', { authentication: { symmetricKey: { tertiaryKey: '' } } }, 400, 'ArgumentInvalid', /^authentication\.symmetricKey has a field .*"tertiaryKey"\. Known fields: primaryKey, secondaryKey\.$/],
    ['an unknown thumbprint field', { authentication: { x509Thumbprint: { thirdThumbprint: '' } } }, 400, 'ArgumentInvalid', /^authentication\.x509Thumbprint has a field .*"thirdThumbprint"\. Known fields: primaryThumbprint, secondaryThumbprint\.$/],
    ['an unknown capability', { capabilities: { iotEdge: true, flying: true } }, 400, 'ArgumentInvalid', /^capabilities has a field .*"flying"\. Known fields: iotEdge\.$/],
  ];
  for (const [what, body, status, code, message] of refusedDevices) {
    it(`refuses a device with ${what}`, () => {
      assert.match(expectHubError(() => readDeviceSpec(body, 'd1'), status, code).message, message);
    });
  }

  it('reads null status, scopes and capabilities as absent, and keeps the values it is given', () => {
    const absent = readDeviceSpec({ status: null, parentScopes: null, capabilities: { iotEdge: null }, statusReason: null }, 'd1');
    assert.deepEqual([absent.status, absent.parentScopes, absent.iotEdge, absent.statusReason], [undefined, undefined, undefined, null]);
    const given = readDeviceSpec({ status: 'disabled', parentScopes: ['p'], capabilities: { iotEdge: true }, statusReason: 'maintenance' }, 'd1');
    assert.deepEqual([given.status, given.parentScopes, given.iotEdge, given.statusReason], ['disabled', ['p'], true, 'maintenance']);
  });

  it('reads authentication as sent: sas by default, keys and thumbprints as given, null thumbprints as none', () => {
    assert.deepEqual(readDeviceSpec({ authentication: { symmetricKey: { primaryKey: 'p', secondaryKey: null } } }, 'd1').authentication, { type: 'sas', symmetricKey: { primaryKey: 'p', secondaryKey: undefined } });
    assert.deepEqual(readDeviceSpec({ authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'AB', secondaryThumbprint: null } } }, 'd1').authentication, {
      type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'AB', secondaryThumbprint: null },
    });
    assert.deepEqual(readDeviceSpec({ authentication: { Type: 'sas', SymmetricKey: {} } }, 'd1').authentication, { type: 'sas' }, 'field names in any case, as the SDKs before 1.16 send them');
    assert.equal(readDeviceSpec({ authentication: null }, 'd1').authentication, undefined);
  });

  it('refuses a module body that names another module or an unknown field', () => {
    assert.match(expectHubError(() => readModuleSpec({ moduleId: 'm2' }, 'd1', 'm1'), 400, 'ArgumentInvalid').message, /^The moduleId in the body \("m2"\) differs from the one in the path \('m1'\)\.$/);
    assert.match(expectHubError(() => readModuleSpec({ status: 'enabled' }, 'd1', 'm1'), 400, 'ArgumentInvalid').message, /^The module has a field the hub does not define: "status"\. Known fields: moduleId, managedBy, deviceId, generationId, etag, connectionState, connectionStateUpdatedTime, lastActivityTime, cloudToDeviceMessageCount, authentication\.$/);
    assert.match(expectHubError(() => readModuleSpec({ managedBy: 3 }, 'd1', 'm1'), 400, 'ArgumentInvalid').message, /^managedBy must be a string\.$/);
    assert.deepEqual(readModuleSpec({ managedBy: 'edge', authentication: { type: 'sas' } }, 'd1', 'm1'), { deviceId: 'd1', moduleId: 'm1', authentication: { type: 'sas' }, managedBy: 'edge' });
  });

  it('refuses a module body that is not an object, and reads one without authentication or managedBy as such', () => {
    assert.match(expectHubError(() => readModuleSpec('m', 'd1', 'm1'), 400, 'ArgumentInvalid').message, /^The module must be a JSON object\.$/);
    assert.deepEqual(readModuleSpec({}, 'd1', 'm1'), { deviceId: 'd1', moduleId: 'm1' });
    assert.deepEqual(readModuleSpec({ managedBy: null }, 'd1', 'm1'), { deviceId: 'd1', moduleId: 'm1', managedBy: null });
  });
});
