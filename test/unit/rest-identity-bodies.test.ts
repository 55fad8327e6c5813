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

  it('refuses a module body that is not an object, and reads one without authentication or managedBy as such', () => {
    assert.match(expectHubError(() => readModuleSpec('m', 'd1', 'm1'), 400, 'ArgumentInvalid').message, /^The module must be a JSON object\.$/);
    assert.deepEqual(readModuleSpec({}, 'd1', 'm1'), { deviceId: 'd1', moduleId: 'm1' });
    assert.deepEqual(readModuleSpec({ managedBy: null }, 'd1', 'm1'), { deviceId: 'd1', moduleId: 'm1', managedBy: null });
  });
});
