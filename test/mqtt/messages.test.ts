import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModuleClient as ModuleClientType } from 'azure-iot-device';
import { sendModuleOutput, sendTelemetry } from '../../src/flows/device-messaging.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { checkCloudToDeviceDelivery, checkInputDelivery } from './device-bound-checks.js';
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
    assert.equal(await hub.emulator.control.sendInputMessage(module, 'input1', { body: 'early' }), false);
    await checkInputDelivery(hub, module, () => hub.emulator.control.sendInputMessage(module, 'input1', { body: 'hello', properties: { application: { k: 'v' } } }));
  });

  it('delivers a cloud-to-device message driven from the control plane to a listening device', async () => {
    await checkCloudToDeviceDelivery(hub, device, () => hub.emulator.control.sendCloudToDeviceMessage(device.deviceId, { body: 'reboot', properties: { system: { mid: 'm-1' } } }));
  });
});
