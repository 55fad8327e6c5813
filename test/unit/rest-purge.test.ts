import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudToDeviceMessage } from '../../emulator/state/c2d-message.js';
import { CloudToDeviceQueues } from '../../emulator/state/cloud-to-device.js';
import { policyNamed } from './fixtures.js';
import { call, expectErrorResponse, jsonBody, newRestApi, serviceToken } from './rest-fixtures.js';

/**
 * `DELETE /devices/{id}/commands` (swagger CloudToDeviceMessages_PurgeCloudToDeviceMessageQueue,
 * `Registry.purgeCommandQueue`) and the routes that answer 501 when the hub was built without the
 * part that serves them (rest/router.ts), never a fake success.
 */
function restWith(parts: { queues: boolean }) {
  let queues: CloudToDeviceQueues | undefined;
  const rest = newRestApi((fixture) => {
    queues = new CloudToDeviceQueues({ clock: fixture.clock, registry: fixture.registry, generateLockToken: () => 'lock' });
    return parts.queues ? { cloudToDevice: queues } : {};
  });
  assert.ok(queues !== undefined);
  const held = queues;
  rest.registry.createDevice('d1', undefined);
  const send = (messageId: string): void => held.enqueue({
    deviceId: 'd1', messageId, correlationId: undefined, userId: undefined, contentType: undefined, contentEncoding: undefined, ack: 'none',
    expiresAt: rest.clock.now().getTime() + 60_000, enqueuedTime: rest.clock.now().toISOString(), body: Buffer.from('x'), applicationProperties: {},
  } satisfies CloudToDeviceMessage);
  return { rest, queues: held, send };
}

describe('purging a device\'s cloud-to-device queue over the service API', () => {
  it('removes every waiting message, locked ones too, and says how many', async () => {
    const hub = restWith({ queues: true });
    hub.send('a');
    hub.send('b');
    hub.queues.lockNext('d1');
    const response = await call(hub.rest, 'DELETE', '/devices/d1/commands');
    assert.deepEqual([response.status, jsonBody(response)], [200, { totalMessagesPurged: 2, deviceId: 'd1' }]);
    assert.equal(hub.queues.pendingCount('d1'), 0);
  });

  it('answers 404 for an unknown device and 401 to a policy without ServiceConnect, purging nothing', async () => {
    const hub = restWith({ queues: true });
    hub.send('a');
    expectErrorResponse(await call(hub.rest, 'DELETE', '/devices/ghost/commands'), 404, 'DeviceNotFound');
    const registryWrite = serviceToken(policyNamed(hub.rest.policies, 'registryReadWrite'));
    expectErrorResponse(await call(hub.rest, 'DELETE', '/devices/d1/commands', { authorization: registryWrite }), 401, 'IotHubUnauthorizedAccess');
    assert.equal(hub.queues.pendingCount('d1'), 1);
  });

  it('answers 501 for a purge and a direct method on a hub built without queues or a device side', async () => {
    const hub = restWith({ queues: false });
    const purge = expectErrorResponse(await call(hub.rest, 'DELETE', '/devices/d1/commands'), 501, 'NotImplemented');
    assert.match(purge, /Cloud-to-device queues/);
    const method = expectErrorResponse(await call(hub.rest, 'POST', '/twins/d1/methods', { body: { methodName: 'm' } }), 501, 'NotImplemented');
    assert.match(method, /Direct methods/);
  });
});
