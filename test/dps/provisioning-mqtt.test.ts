import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import mqtt from 'mqtt';
import { DpsFixture, deriveDeviceKey, deviceToken, newId, newKey, symmetricKeyGroup } from './dps-fixture.js';

function subscribe(client: mqtt.MqttClient, filter: string): Promise<void> {
  return new Promise((resolve, reject) => client.subscribe(filter, { qos: 1 }, (error: Error | null) => (error === null ? resolve() : reject(error))));
}

function publish(client: mqtt.MqttClient, topic: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => client.publish(topic, body, { qos: 1 }, (error) => (error ? reject(error) : resolve())));
}

/** Device registration over MQTT (azure-iot-provisioning-device-mqtt), on DPS's own listener. */
void describe('device provisioning over MQTT', () => {
  let dps: DpsFixture;
  const groupKey = newKey();

  before(async () => {
    dps = await DpsFixture.start();
    await dps.serviceClient().createOrUpdateEnrollmentGroup(symmetricKeyGroup(newId('grp'), groupKey, { initialTwin: { properties: { desired: { mode: 'eco' } } } }) as never);
  });
  after(() => dps.stop());

  void it('provisions a group device, which then reads its initial desired properties from the hub', async () => {
    const registrationId = newId('mqtt-dev');
    const key = deriveDeviceKey(groupKey, registrationId);
    const result = await dps.register(registrationId, key, 'mqtt');
    assert.ok(result !== undefined);
    assert.equal(result.assignedHub, dps.emulator.hostName);
    const client = await dps.hubDevice(result, key);
    try {
      await client.open();
      const twin = await client.getTwin();
      assert.equal((twin.properties.desired as Record<string, unknown>).mode, 'eco');
    } finally {
      await client.close();
    }
  });

  void it('answers a wrong key with 401 on the response topic (UnauthorizedError), creating nothing', async () => {
    const registrationId = newId('mqtt-wrong');
    await assert.rejects(dps.register(registrationId, newKey(), 'mqtt'), (error: Error) => error.name === 'UnauthorizedError');
    await assert.rejects(dps.hubRegistry().get(registrationId), (error: Error) => error.name === 'DeviceNotFoundError');
  });

  void it('refuses a CONNECT whose username is not a DPS registration one (CONNACK 5)', async () => {
    const client = mqtt.connect(`mqtts://${dps.emulator.provisioningMqttHost}`, { clientId: 'dev-x', username: 'hub/dev-x/?api-version=2021-04-12', ca: dps.emulator.caCertificate, reconnectPeriod: 0 });
    const refusal = await new Promise<Error>((resolve) => client.once('error', resolve));
    client.end(true);
    assert.match(refusal.message, /Not authorized/);
  });

  void it('answers a malformed payload with 400 and a poll of an unknown operation with 404, each as a DPS error body, creating nothing', async () => {
    const registrationId = newId('mqtt-bad');
    const client = mqtt.connect(`mqtts://${dps.emulator.provisioningMqttHost}`, {
      clientId: registrationId, username: `${dps.emulator.idScope}/registrations/${registrationId}/api-version=2019-03-31`,
      password: deviceToken(dps.emulator.idScope, registrationId, deriveDeviceKey(groupKey, registrationId)), ca: dps.emulator.caCertificate, reconnectPeriod: 0,
    });
    try {
      await subscribe(client, '$dps/registrations/res/#');
      const answers: Array<{ topic: string; body: { errorCode?: number } }> = [];
      const two = new Promise<void>((resolve) => client.on('message', (topic, payload) => {
        answers.push({ topic, body: JSON.parse(payload.toString()) as { errorCode?: number } });
        if (answers.length === 2) resolve();
      }));
      await publish(client, '$dps/registrations/PUT/iotdps-register/?$rid=bad-json', '{"registrationId":');
      await publish(client, '$dps/registrations/GET/iotdps-get-operationstatus/?$rid=no-op&operationId=4.0000000000000000.none', ' ');
      await two;
      assert.deepEqual(answers.map(({ topic, body }) => [topic, body.errorCode]), [
        ['$dps/registrations/res/400/?$rid=bad-json', 400004],
        ['$dps/registrations/res/404/?$rid=no-op', 404204],
      ]);
    } finally {
      client.end(true);
    }
    await assert.rejects(dps.hubRegistry().get(registrationId), (error: Error) => error.name === 'DeviceNotFoundError');
  });

  void it('answers each request on the connection that made it only', async () => {
    const open = (registrationId: string) => mqtt.connect(`mqtts://${dps.emulator.provisioningMqttHost}`, {
      clientId: registrationId, username: `${dps.emulator.idScope}/registrations/${registrationId}/api-version=2019-03-31`, password: 'not-a-token', ca: dps.emulator.caCertificate, reconnectPeriod: 0,
    });
    const [first, second] = [open('dev-a'), open('dev-b')];
    try {
      const heardBySecond: string[] = [];
      second.on('message', (topic) => heardBySecond.push(topic));
      await Promise.all([first, second].map((client) => subscribe(client, '$dps/registrations/res/#')));
      const firstAnswer = new Promise<string>((resolve) => first.once('message', (topic) => resolve(topic)));
      await publish(first, '$dps/registrations/PUT/iotdps-register/?$rid=from-a', JSON.stringify({ registrationId: 'dev-a' }));
      assert.equal(await firstAnswer, '$dps/registrations/res/401/?$rid=from-a');
      // The second connection's own answer arrives after anything sent to it for the first one.
      const secondAnswer = new Promise<string>((resolve) => second.once('message', (topic) => resolve(topic)));
      await publish(second, '$dps/registrations/PUT/iotdps-register/?$rid=from-b', JSON.stringify({ registrationId: 'dev-b' }));
      assert.equal(await secondAnswer, '$dps/registrations/res/401/?$rid=from-b');
      assert.deepEqual(heardBySecond, ['$dps/registrations/res/401/?$rid=from-b']);
    } finally {
      first.end(true);
      second.end(true);
    }
  });
});

void describe('device provisioning over MQTT on a provisioning host of its own', () => {
  let dps: DpsFixture;
  const provisioningHost = `${newId('dps')}.azure-devices-provisioning.net`;

  before(async () => {
    dps = await DpsFixture.start((builder) => builder.withProvisioning({ hostName: provisioningHost }));
  });
  after(() => dps.stop());

  void it('dials mqtts://<provisioning host> (its 8883 routed in process) and is assigned to the hub', async () => {
    assert.equal(dps.emulator.provisioningMqttHost, provisioningHost);
    const groupKey = newKey();
    await dps.serviceClient().createOrUpdateEnrollmentGroup(symmetricKeyGroup(newId('grp'), groupKey) as never);
    const registrationId = newId('routed');
    const result = await dps.register(registrationId, deriveDeviceKey(groupKey, registrationId), 'mqtt');
    assert.equal(result?.deviceId, registrationId);
    const { responseBody: device } = await dps.hubRegistry().get(registrationId);
    assert.equal(device.deviceId, registrationId);
  });
});
