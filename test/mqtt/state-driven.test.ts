import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHubBroker, type HubBroker } from '../../emulator/mqtt/broker.js';
import { openHubState, type HubState } from '../../emulator/persistence/hub-state.js';
import { generateTlsMaterial } from '../../emulator/servers/certificate.js';
import type { ListeningServer } from '../../emulator/servers/listening.js';
import { listenMqttOverTls } from '../../emulator/servers/mqtt-tls-server.js';
import { systemClock } from '../../emulator/state/clock.js';
import { buildModuleConnectionString } from '../../src/connection-string.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { ModuleClient, Mqtt, NoRetry } from '../../src/sdk.js';

const HOST = 'state-driven.azure-devices.net';
const TIMEOUT_MS = 5_000;

/**
 * The core's promise (issue 17): a write made through the state, by no REST handler and no
 * adapter-specific code, reaches a connected module through the MQTT side, which listens to the
 * registry's changes. Here the test itself is the writer, as a bulk import or a job would be.
 */
describe('a write through the state reaches connected devices, whoever made it', () => {
  let state: HubState;
  let broker: HubBroker;
  let mqtt: ListeningServer;

  before(async () => {
    state = await openHubState({ dataDirectory: undefined, clock: systemClock, ownerKey: undefined, tls: undefined, generateTls: () => generateTlsMaterial(HOST) });
    broker = await createHubBroker({ hostName: HOST, registry: state.registry, policies: state.policies, clock: systemClock, sessions: state.sessions });
    mqtt = await listenMqttOverTls({ aedes: broker.aedes, tls: state.tls, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await broker.close();
    await mqtt.close();
    await state.close();
  });

  async function connectedModule(deviceId: string, moduleId: string): Promise<DeviceTwinSession> {
    state.registry.createDevice(deviceId, undefined);
    const module = state.registry.createModule(deviceId, moduleId, undefined);
    const connectionString = buildModuleConnectionString({ hostName: HOST, deviceId, moduleId, sharedAccessKey: module.keys.primaryKey, gatewayHostName: `127.0.0.1:${mqtt.port}` });
    const client = ModuleClient.fromConnectionString(connectionString, Mqtt);
    client.setRetryPolicy(new NoRetry());
    await client.setOptions({ ca: state.tls.cert });
    return DeviceTwinSession.open(client);
  }

  it('pushes a desired patch written to the registry directly', async () => {
    const session = await connectedModule('direct-d', 'direct-m');
    try {
      const change = state.registry.patchTwin({ deviceId: 'direct-d', moduleId: 'direct-m' }, { desired: { interval: 9 }, tags: { untouched: true } }, undefined);
      const received = await session.waitForPatch(change.twin.desired.version, TIMEOUT_MS);
      assert.deepEqual(received.patch, { interval: 9, $version: change.twin.desired.version });
    } finally {
      await session.close();
    }
  });

  it('closes the connection of a module whose device is disabled in the registry directly, and shows it disconnected', async () => {
    const session = await connectedModule('disabled-d', 'disabled-m');
    try {
      const disconnectsBefore = session.disconnects;
      state.registry.updateDevice({ deviceId: 'disabled-d', status: 'disabled' }, '*');
      assert.equal(state.registry.getModule('disabled-d', 'disabled-m').connectionState, 'Disconnected', 'disconnected as soon as the write returns');
      assert.ok((await session.waitForDisconnect(TIMEOUT_MS)) > disconnectsBefore);
    } finally {
      await session.close();
    }
  });
});
