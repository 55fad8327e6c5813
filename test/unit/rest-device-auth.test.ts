import assert from 'node:assert/strict';
import { it } from 'node:test';
import { authorizeDeviceRequest } from '../../emulator/rest/device-auth.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { expectHubError, HOST, newPolicies, newRegistry, START_SECONDS } from './fixtures.js';

/**
 * The HTTPS device API's check (rest/device-auth.ts): every refusal is 401 IotHubUnauthorizedAccess,
 * says which device and why, and never quotes a key.
 */
function deviceHub() {
  const { registry } = newRegistry();
  const device = registry.createDevice('d1', undefined);
  const context = { hostName: HOST, registry, policies: new Map(newPolicies().map((policy) => [policy.name, policy])), nowSeconds: START_SECONDS };
  const tokenFor = (deviceId: string) => createSasToken({ resourceUri: `${HOST}/devices/${deviceId}`, base64Key: device.keys.primaryKey, expiry: START_SECONDS + 60 });
  return { context, tokenFor, key: device.keys.primaryKey };
}

void it('accepts the device\'s own token for its own path', () => {
  const hub = deviceHub();
  assert.doesNotThrow(() => authorizeDeviceRequest(hub.tokenFor('d1'), 'd1', hub.context));
});

void it('refuses a request without a token, or with one for another device, saying why and quoting no key', () => {
  const hub = deviceHub();
  const missing = expectHubError(() => authorizeDeviceRequest(undefined, 'd1', hub.context), 401, 'IotHubUnauthorizedAccess');
  assert.equal(missing.message, 'The request has no Authorization header.');
  const other = expectHubError(() => authorizeDeviceRequest(hub.tokenFor('d1'), 'd2', hub.context), 401, 'IotHubUnauthorizedAccess');
  assert.match(other.message, /^The credentials for device 'd2' are refused: .+\.$/);
  assert.ok(!other.message.includes(hub.key));
});
