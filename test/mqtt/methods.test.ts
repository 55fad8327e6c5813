import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { handleMethod } from '../../src/flows/device-messaging.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { invokeDirectMethod } from '../../src/flows/invoke-direct-method.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

interface HttpError extends Error {
  readonly response?: { readonly statusCode?: number };
  readonly responseBody?: string;
}

function assertHubError(status: number, code: string): (error: HttpError) => boolean {
  return (error) => error.response?.statusCode === status && (error.responseBody ?? '').includes(`ErrorCode:${code}`);
}

describe('direct methods: service invoke -> device over MQTT -> response', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let device: IdentityKeys;
  let module: IdentityKeys;
  before(async () => {
    hub = await HubFixture.start();
    device = await hub.createDevice(newId('dev'));
    module = await hub.createModule(device.deviceId, newId('mod'));
  });
  after(async () => {
    await hub.stop();
  });

  it('delivers the call to the device or module and returns its status and payload', async () => {
    for (const identity of [device, module]) {
      const session = await DeviceTwinSession.open(await hub.client(identity));
      try {
        const calls = handleMethod(session.client, 'reboot', (payload) => ({ status: 201, payload: { echoed: payload } }));
        await session.refreshTwin(); // a round trip on the same connection: the method SUBSCRIBE went first
        const result = await invokeDirectMethod(hub.serviceConnectionString, { ...identity, methodName: 'reboot', payload: { delay: 3 } });
        assert.deepEqual(result, { status: 201, payload: { echoed: { delay: 3 } } });
        assert.deepEqual(calls, [{ methodName: 'reboot', payload: { delay: 3 } }]);
      } finally {
        await session.close();
      }
    }
  });

  it('answers 404 DeviceNotOnline when the target is not connected', async () => {
    for (const identity of [device, module]) {
      await assert.rejects(invokeDirectMethod(hub.serviceConnectionString, { ...identity, methodName: 'reboot' }), assertHubError(404, 'DeviceNotOnline'));
    }
  });

  it('answers 404 DeviceNotOnline when the target is connected but has never listened for methods', async () => {
    // A fresh identity: a session (clean=false) that once subscribed keeps the subscription.
    const quiet = await hub.createDevice(newId('quiet'));
    const session = await DeviceTwinSession.open(await hub.client(quiet));
    try {
      await assert.rejects(invokeDirectMethod(hub.serviceConnectionString, { ...quiet, methodName: 'reboot' }), assertHubError(404, 'DeviceNotOnline'));
    } finally {
      await session.close();
    }
  });

  it('waits up to the connect timeout for an offline target to come online and listen', async () => {
    const late = await hub.createDevice(newId('late'));
    const call = invokeDirectMethod(hub.serviceConnectionString, { ...late, methodName: 'wake', connectTimeoutInSeconds: 20 });
    const session = await DeviceTwinSession.open(await hub.client(late));
    try {
      handleMethod(session.client, 'wake', () => ({ status: 200, payload: 'awake' }));
      assert.deepEqual(await call, { status: 200, payload: 'awake' });
    } finally {
      await session.close();
    }
  });

  it('answers 404 DeviceNotFound for an identity that is not registered', async () => {
    await assert.rejects(invokeDirectMethod(hub.serviceConnectionString, { deviceId: newId('ghost'), methodName: 'reboot' }), assertHubError(404, 'DeviceNotFound'));
  });

  it('answers 400 to a response timeout outside 5..300 seconds', async () => {
    await assert.rejects(
      invokeDirectMethod(hub.serviceConnectionString, { ...device, methodName: 'reboot', responseTimeoutInSeconds: 301 }),
      assertHubError(400, 'ArgumentInvalid'),
    );
  });

  it('answers 504 GatewayTimeout when the device does not answer within the response timeout', async () => {
    const session = await DeviceTwinSession.open(await hub.client(module));
    try {
      const calls = handleMethod(session.client, 'hang', () => undefined);
      await session.refreshTwin();
      await assert.rejects(
        invokeDirectMethod(hub.serviceConnectionString, { ...module, methodName: 'hang', responseTimeoutInSeconds: 5 }),
        (error: HttpError) => error.name === 'GatewayTimeoutError' && assertHubError(504, 'GatewayTimeout')(error),
      );
      assert.equal(calls.length, 1);
    } finally {
      await session.close();
    }
  });
});
