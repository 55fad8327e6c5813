import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { clientFromOwnToken, makeDeviceToken } from '../../src/flows/device-client-factory.js';
import { InProcessControl } from '../../src/control/in-process-control.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { awaitTokenRenewal } from '../../src/flows/token-renewal.js';
import { credentialsFor, rawConnect, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

const TIMEOUT_MS = 15_000;
const clientIdOf = (identity: IdentityKeys): string => (identity.moduleId === undefined ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`);

describe('MQTT sessions: one connection per identity, token renewal, tokens the app made', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => {
    await hub.stop();
  });

  it('a second connection with the same identity takes over and the first is disconnected', async () => {
    const device = await hub.createDevice(newId('dup'));
    const { client: first } = await rawConnect(hub, credentialsFor(hub, device));
    const firstClosed = once(first, 'close');
    const disconnects = hub.recordDisconnectReasons(device.deviceId);
    const second = await DeviceTwinSession.open(await hub.client(device));
    try {
      await firstClosed;
      const status = await hub.emulator.control.waitForConnection(clientIdOf(device), { minConnectionCount: 2, timeoutMs: TIMEOUT_MS });
      assert.equal(status.connected, true);
      // The first connection's end is told as a takeover, not as a lost connection (docs/observability.md).
      assert.deepEqual(disconnects.reasons, ['taken-over']);
      await second.reportProperties({ owner: 'second' });
      assert.equal(hub.emulator.control.twinOf(device).reported.values.owner, 'second');
    } finally {
      disconnects.stop();
      await second.close();
      first.end(true);
    }
  });

  it('a client that renews its SAS token reconnects with the same session and keeps receiving patches', async () => {
    const device = await hub.createDevice(newId('renew'));
    for (const identity of [device, await hub.createModule(device.deviceId, newId('m'))]) {
      const lifetime = { tokenValidTimeInSeconds: 6, tokenRenewalMarginInSeconds: 3 };
      const since = Date.now();
      const session = await DeviceTwinSession.open(await hub.client(identity), { ca: hub.emulator.caCertificate, tokenRenewal: lifetime });
      try {
        const { connectionCount } = hub.emulator.control.connectionStatus(clientIdOf(identity));
        // A renewal, not a reconnect after the hub closed the connection (early, or at expiry).
        await awaitTokenRenewal(new InProcessControl(hub.emulator.control), { identity, lifetime, since, connectionCount });
        const patch = { properties: { desired: { renewed: true } } };
        const twin = identity.moduleId === undefined
          ? (await hub.registry.updateTwin(identity.deviceId, patch, '*')).responseBody
          : (await hub.registry.updateModuleTwin(identity.deviceId, identity.moduleId, patch, '*')).responseBody;
        const received = await session.waitForPatch(twin.properties.desired.$version as number, TIMEOUT_MS);
        assert.equal(received.patch.renewed, true);
      } finally {
        await session.close();
      }
    }
  });

  it('keeps a session across reconnects, but a deleted and re-created identity starts without it', async () => {
    const deviceId = newId('reborn');
    const connectAndClose = async (identity: IdentityKeys, subscribe: boolean): Promise<boolean> => {
      const { client, returnCode, sessionPresent } = await rawConnect(hub, credentialsFor(hub, identity));
      assert.equal(returnCode, 0);
      if (subscribe) assert.equal(await subscribeGranted(client, '$iothub/twin/PATCH/properties/desired/#'), 0);
      await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
      return sessionPresent;
    };
    const first = await hub.createDevice(deviceId);
    assert.equal(await connectAndClose(first, true), false);
    assert.equal(await connectAndClose(first, false), true, 'a clean=false reconnect finds its session');
    await hub.registry.delete(deviceId);
    const reborn = await hub.createDevice(deviceId);
    assert.equal(await connectAndClose(reborn, false), false, 'the re-created device must not inherit the deleted one\'s session');
  });

  it('accepts a valid token the application made itself, for a device and for a module', async () => {
    const device = await hub.createDevice(newId('own'));
    const module = await hub.createModule(device.deviceId, newId('m'));
    for (const identity of [device, module]) {
      const token = makeDeviceToken({ hostName: hub.emulator.hostName, ...identity }, identity.primaryKey, Math.floor(Date.now() / 1000) + 600);
      const client = clientFromOwnToken({ identity: { hostName: hub.emulator.hostName, ...identity }, token, gatewayHostName: hub.emulator.mqttGatewayHostName });
      await client.setOptions({ ca: hub.emulator.caCertificate });
      const session = await DeviceTwinSession.open(client);
      try {
        await session.reportProperties({ selfSigned: true });
        assert.equal(hub.emulator.control.twinOf(identity).reported.values.selfSigned, true);
      } finally {
        await session.close();
      }
    }
  });

  it('closes a connection when its token expires, as the hub does, and not before', async () => {
    const device = await hub.createDevice(newId('expiring'));
    const expiresAtSeconds = Math.floor(Date.now() / 1000) + 3;
    const token = makeDeviceToken({ hostName: hub.emulator.hostName, ...device }, device.primaryKey, expiresAtSeconds);
    const client = clientFromOwnToken({ identity: { hostName: hub.emulator.hostName, ...device }, token, gatewayHostName: hub.emulator.mqttGatewayHostName });
    await client.setOptions({ ca: hub.emulator.caCertificate });
    // NoRetry: the app's token cannot be renewed, so the SDK must not retry with it.
    const session = await DeviceTwinSession.open(client, { reconnect: false });
    const disconnects = hub.recordDisconnectReasons(device.deviceId);
    try {
      await session.waitForDisconnect(TIMEOUT_MS);
      const early = expiresAtSeconds * 1000 - Date.now();
      assert.ok(early <= 0, `the connection was closed ${early} ms before its token expired`);
      assert.equal(hub.emulator.control.connectionStatus(device.deviceId).connected, false);
      assert.deepEqual(disconnects.reasons, ['token-expired']);
    } finally {
      disconnects.stop();
      await session.close();
    }
  });

  it('refuses an application-made token that has expired', async () => {
    const device = await hub.createDevice(newId('expired'));
    const token = makeDeviceToken({ hostName: hub.emulator.hostName, ...device }, device.primaryKey, Math.floor(Date.now() / 1000) - 5);
    const client = clientFromOwnToken({ identity: { hostName: hub.emulator.hostName, ...device }, token, gatewayHostName: hub.emulator.mqttGatewayHostName });
    await client.setOptions({ ca: hub.emulator.caCertificate });
    await assert.rejects(client.open(), (error: Error) => error.name === 'UnauthorizedError');
  });
});
