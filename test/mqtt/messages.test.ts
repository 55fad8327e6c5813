import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Message as MessageType, ModuleClient as ModuleClientType } from 'azure-iot-device';
import { sendModuleOutput, sendTelemetry } from '../../src/flows/device-messaging.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

describe('device-to-cloud telemetry, module outputs, module inputs and cloud-to-device messages', { timeout: 60_000 }, () => {
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

  it('keeps telemetry with its properties once the hub has acknowledged it', async () => {
    const session = await DeviceTwinSession.open(await hub.client(device));
    try {
      await sendTelemetry(session.client, '{"temperature":21.5}', { alert: 'false' });
      const [message] = hub.emulator.control.telemetry(device);
      assert.equal(message?.body.toString(), '{"temperature":21.5}');
      assert.equal(message.applicationProperties.alert, 'false');
      assert.equal(message.outputName, undefined);
      assert.deepEqual(hub.emulator.control.telemetry(module), []);
    } finally {
      await session.close();
    }
  });

  it('tags a module output with its output name', async () => {
    const session = await DeviceTwinSession.open(await hub.client(module));
    try {
      await sendModuleOutput(session.client as ModuleClientType, 'output1', 'filtered');
      const [message] = hub.emulator.control.telemetry(module);
      assert.equal(message?.outputName, 'output1');
      assert.equal(message.body.toString(), 'filtered');
      hub.emulator.control.clearTelemetry();
      assert.deepEqual(hub.emulator.control.telemetry(), []);
    } finally {
      await session.close();
    }
  });

  it('delivers an input message to a module that listens for inputs, and only then', async () => {
    const session = await DeviceTwinSession.open(await hub.client(module));
    const client = session.client as ModuleClientType;
    try {
      assert.equal(await hub.emulator.control.sendInputMessage(module, 'input1', { body: 'early' }), false);
      const received = once(client, 'inputMessage') as Promise<[string, MessageType]>;
      await session.refreshTwin(); // a round trip on the same connection: the inputs SUBSCRIBE went first
      assert.equal(await hub.emulator.control.sendInputMessage(module, 'input1', { body: 'hello', properties: { application: { k: 'v' } } }), true);
      const [inputName, message] = await received;
      assert.equal(inputName, 'input1');
      assert.equal(String(message.data), 'hello');
      assert.equal(message.properties.getValue('k'), 'v');
    } finally {
      await session.close();
    }
  });

  it('delivers a cloud-to-device message driven from the control plane to a listening device', async () => {
    const session = await DeviceTwinSession.open(await hub.client(device));
    try {
      const received = once(session.client, 'message') as Promise<[MessageType]>;
      await session.refreshTwin();
      assert.equal(await hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'reboot', properties: { system: { mid: 'm-1' } } }), true);
      const [message] = await received;
      assert.equal(String(message.data), 'reboot');
      assert.equal(message.messageId, 'm-1');
    } finally {
      await session.close();
    }
  });
});
