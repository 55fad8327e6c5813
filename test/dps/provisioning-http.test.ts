import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DpsFixture, deriveDeviceKey, newId, newKey, symmetricKeyGroup } from './dps-fixture.js';

/** The device registration API over HTTPS and the service API, with the official packages only (issue 13). */
void describe('device provisioning over HTTPS', () => {
  let dps: DpsFixture;
  const groupKey = newKey();
  const groupId = newId('grp');

  before(async () => {
    dps = await DpsFixture.start();
    await dps.serviceClient().createOrUpdateEnrollmentGroup(symmetricKeyGroup(groupId, groupKey, {
      initialTwin: { tags: { site: 'plant-7' }, properties: { desired: { rate: 5 } } },
    }) as never);
  });
  after(() => dps.stop());

  void it('provisions a group device, which then connects to the assigned hub with its derived key and reads its initial desired properties', async () => {
    const registrationId = newId('dev');
    const key = deriveDeviceKey(groupKey, registrationId);
    const result = await dps.register(registrationId, key);
    assert.ok(result !== undefined);
    assert.equal(result.assignedHub, dps.emulator.hostName);
    assert.equal(result.deviceId, registrationId);
    const client = await dps.hubDevice(result, key);
    try {
      await client.open();
      const twin = await client.getTwin();
      assert.equal((twin.properties.desired as Record<string, unknown>).rate, 5);
    } finally {
      await client.close();
    }
    const { responseBody: hubTwin } = await dps.hubRegistry().getTwin(registrationId);
    assert.deepEqual(hubTwin.tags, { site: 'plant-7' });
  });

  void it('registering again returns the same device, and the back end sees the registration state', async () => {
    const registrationId = newId('again');
    const key = deriveDeviceKey(groupKey, registrationId);
    const first = await dps.register(registrationId, key);
    const { responseBody: device } = await dps.hubRegistry().get(registrationId);
    const second = await dps.register(registrationId, key);
    assert.deepEqual([second?.deviceId, second?.assignedHub], [first?.deviceId, first?.assignedHub]);
    const { responseBody: sameDevice } = await dps.hubRegistry().get(registrationId);
    assert.equal(sameDevice.generationId, device.generationId);
    const { responseBody: state } = await dps.serviceClient().getDeviceRegistrationState(registrationId);
    assert.equal(state.status, 'assigned');
    assert.equal(state.assignedHub, dps.emulator.hostName);
    assert.equal(state.deviceId, registrationId);
  });

  void it('refuses a device with a wrong key (401) and creates nothing', async () => {
    const registrationId = newId('wrong');
    await assert.rejects(dps.register(registrationId, newKey()), (error: Error) => error.name === 'UnauthorizedError');
    await assert.rejects(dps.hubRegistry().get(registrationId), (error: Error) => error.name === 'DeviceNotFoundError');
    await assert.rejects(dps.serviceClient().getDeviceRegistrationState(registrationId), /Not found/);
  });

  void it('answers a device of a disabled enrollment with status disabled, and the hub gains no device', async () => {
    const disabledKey = newKey();
    await dps.serviceClient().createOrUpdateEnrollmentGroup(symmetricKeyGroup(newId('off'), disabledKey, { provisioningStatus: 'disabled' }) as never);
    const registrationId = newId('off-dev');
    await assert.rejects(dps.register(registrationId, deriveDeviceKey(disabledKey, registrationId)), /status is disabled/);
    await assert.rejects(dps.hubRegistry().get(registrationId), (error: Error) => error.name === 'DeviceNotFoundError');
  });

  void it('refuses the service API with a wrong policy key (401)', async () => {
    const wrong = `HostName=${dps.emulator.provisioningHost};SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=${newKey()}`;
    await assert.rejects(dps.serviceClient(wrong).getEnrollmentGroup(groupId), (error: Error) => error.name === 'UnauthorizedError');
    const { responseBody: group } = await dps.serviceClient().getEnrollmentGroup(groupId);
    assert.equal(group.attestation.type, 'symmetricKey');
  });
});

void describe('a provisioning host of its own', () => {
  let dps: DpsFixture;
  const provisioningHost = `${newId('dps')}.azure-devices-provisioning.net`;

  before(async () => {
    dps = await DpsFixture.start((builder) => builder.withProvisioning({ hostName: provisioningHost, idScope: '0ne00C0FFEE' }));
  });
  after(() => dps.stop());

  void it('serves devices and the service SDK there (routed in process, in the certificate), and the hub stays the assigned hub', async () => {
    assert.equal(dps.emulator.provisioningHost, provisioningHost);
    assert.equal(dps.emulator.idScope, '0ne00C0FFEE');
    assert.match(dps.emulator.provisioningServiceConnectionString, new RegExp(`^HostName=${provisioningHost.replace(/\./g, '\\.')};SharedAccessKeyName=provisioningserviceowner;`));
    const groupKey = newKey();
    await dps.serviceClient().createOrUpdateEnrollmentGroup(symmetricKeyGroup(newId('grp'), groupKey) as never);
    const registrationId = newId('own-host');
    const result = await dps.register(registrationId, deriveDeviceKey(groupKey, registrationId));
    assert.equal(result?.assignedHub, dps.emulator.hostName);
  });
});
