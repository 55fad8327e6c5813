import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import common from 'azure-iot-common';
import { credentialsFor, rawConnect } from './raw-mqtt.js';
import { HubFixture, newId } from './hub-fixture.js';

const NOT_AUTHORIZED = 5;

/**
 * A device may connect with a token of a hub-level policy that has DeviceConnect (the `skn` names it),
 * as a gateway or field app does ("Control access to IoT Hub", "Security tokens", hub-level policies).
 */
describe('MQTT CONNECT with a hub policy token', { timeout: 30_000 }, () => {
  let hub: HubFixture;
  before(async () => {
    hub = await HubFixture.start();
  });
  after(async () => hub.stop());

  /** A token for the device's resource, signed with the named policy's key by azure-iot-common. */
  function policyToken(deviceId: string, policyName: string): string {
    const { SharedAccessKey: key } = common.ConnectionString.parse(hub.emulator.getServiceConnectionString(policyName));
    const resource = encodeURIComponent(`${hub.emulator.hostName}/devices/${deviceId}`);
    return common.SharedAccessSignature.create(resource, policyName, key ?? '', Math.floor(Date.now() / 1000) + 600).toString();
  }

  for (const [policy, returnCode] of [['device', 0], ['iothubowner', 0], ['service', NOT_AUTHORIZED], ['registryReadWrite', NOT_AUTHORIZED]] as const) {
    it(`${returnCode === 0 ? 'accepts' : 'refuses'} a token of the ${policy} policy`, async () => {
      const device = await hub.createDevice(newId(policy));
      const connected = await rawConnect(hub, credentialsFor(hub, device, { password: policyToken(device.deviceId, policy) }));
      connected.client.end(true);
      assert.equal(connected.returnCode, returnCode);
    });
  }
});
