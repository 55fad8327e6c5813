import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModuleClient as ModuleClientType } from 'azure-iot-device';
import { HttpControl } from '../../src/control/http-control.js';
import { sendModuleOutput, sendTelemetry } from '../../src/flows/device-messaging.js';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { checkCloudToDeviceDelivery, checkInputDelivery } from './device-bound-checks.js';
import { httpsText, type TextReply } from '../support/https-text.js';
import { HubFixture, newId, type IdentityKeys } from './hub-fixture.js';

/** Raw requests, for the refusals the typed client never sends. */
function send(hub: HubFixture, method: string, path: string, body?: string): Promise<TextReply> {
  return httpsText({ url: `${hub.controlPlaneUrl}${path}`, method, ca: hub.emulator.caCertificate }, body);
}

describe('messages through the HTTP control plane (emulator in another process or a container)', { timeout: 60_000 }, () => {
  let hub: HubFixture;
  let control: HttpControl;
  let device: IdentityKeys;
  let module: IdentityKeys;
  before(async () => {
    hub = await HubFixture.start({ controlPlane: true });
    control = new HttpControl({ baseUrl: hub.controlPlaneUrl, ca: hub.emulator.caCertificate });
    device = await hub.createDevice(newId('dev'));
    module = await hub.createModule(device.deviceId, newId('mod'));
  });
  after(async () => {
    await hub.stop();
  });

  it('reads telemetry and module outputs per identity, with their properties, and clears them', async () => {
    const deviceSession = await DeviceTwinSession.open(await hub.client(device));
    const moduleSession = await DeviceTwinSession.open(await hub.client(module));
    try {
      await sendTelemetry(deviceSession.client, '{"temperature":21.5}', { alert: 'false' });
      await sendModuleOutput(moduleSession.client as ModuleClientType, 'output1', 'filtered');
      const [reading] = await control.telemetry({ deviceId: device.deviceId });
      assert.equal(reading?.bodyText, '{"temperature":21.5}');
      assert.equal(Buffer.from(reading.bodyBase64, 'base64').toString(), '{"temperature":21.5}');
      assert.equal(reading.applicationProperties.alert, 'false');
      const [output] = await control.telemetry({ deviceId: module.deviceId, moduleId: module.moduleId ?? '' });
      assert.equal(output?.outputName, 'output1');
      assert.equal((await control.telemetry()).length, 2);
      await control.clearTelemetry();
      assert.deepEqual(await control.telemetry(), []);
    } finally {
      await Promise.all([deviceSession.close(), moduleSession.close()]);
    }
  });

  it('queues a cloud-to-device message in the device\'s hub queue, delivered when it listens; an unknown device is refused', async () => {
    const message = { bodyBase64: Buffer.from('reboot').toString('base64'), properties: { system: { mid: 'm-1' } } };
    assert.equal(await control.sendCloudToDeviceMessage(device.deviceId, message), true, 'queued while the device is offline');
    await checkCloudToDeviceDelivery(hub, device, () => Promise.resolve(true));
    const refused = await send(hub, 'POST', '/devices/no-such-device/messages', JSON.stringify({ bodyText: 'x' }));
    assert.equal(refused.status, 404, refused.text);
    assert.match(refused.text, /DeviceNotFound/);
  });

  it('delivers an input message to a module that listens for inputs', async () => {
    const target = { deviceId: module.deviceId, moduleId: module.moduleId ?? '' };
    await checkInputDelivery(hub, module, () => control.sendInputMessage(target, 'input1', { bodyText: 'hello', properties: { application: { k: 'v' } } }));
  });

  it('refuses malformed messages with 400 and says why', async () => {
    const path = `/devices/${device.deviceId}/messages`;
    const refusals: Array<[string, RegExp]> = [
      ['not json', /not valid JSON/],
      ['{}', /exactly one of bodyText or bodyBase64/],
      ['{"bodyText":"a","bodyBase64":"YQ=="}', /exactly one of/],
      ['{"bodyBase64":"not base64!"}', /not valid base64/],
      ['{"bodyText":"a","properties":{"application":{"k":1}}}', /properties.application must map names to strings/],
    ];
    for (const [body, reason] of refusals) {
      const answer = await send(hub, 'POST', path, body);
      assert.equal(answer.status, 400, `${body} -> ${answer.status} ${answer.text}`);
      assert.match(answer.text, reason);
    }
    const tooLarge = await send(hub, 'POST', path, JSON.stringify({ bodyText: 'x'.repeat(300 * 1024) }));
    assert.equal(tooLarge.status, 413, tooLarge.text);
    assert.equal((await send(hub, 'GET', '/telemetry?moduleId=m')).status, 400);
  });
});
