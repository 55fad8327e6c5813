/**
 * The standalone emulator's Device Provisioning Service: the ready line's DPS fields, the service API
 * on the HTTPS port and device registration over MQTT on DPS's own port, from another process.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import provisioningDevice from 'azure-iot-provisioning-device';
import provisioningMqtt from 'azure-iot-provisioning-device-mqtt';
import symmetricKey from 'azure-iot-security-symmetric-key';
import { httpsText } from '../support/https-text.js';
import { spawnEmulatorCli } from '../../src/target/launchers/spawn-emulator-cli.js';

const EPHEMERAL = ['--https-port', '0', '--mqtt-port', '0', '--amqp-port', '0'];

/** A service token as azure-iot-common signs it: sr = the provisioning host, skn = the policy. */
function serviceToken(connectionString: string): string {
  const fields = new Map(connectionString.split(';').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]));
  const sr = encodeURIComponent(fields.get('HostName') ?? '');
  const se = Math.ceil(Date.now() / 1000) + 3600;
  const sig = createHmac('sha256', Buffer.from(fields.get('SharedAccessKey') ?? '', 'base64')).update(`${sr}\n${se}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${se}&skn=${fields.get('SharedAccessKeyName') ?? ''}`;
}

function mqttTransportTrusting(ca: string): InstanceType<typeof provisioningMqtt.Mqtt> {
  const fromTransport = createRequire(createRequire(import.meta.url).resolve('azure-iot-provisioning-device-mqtt'));
  const { MqttBase } = fromTransport('azure-iot-mqtt-base') as { MqttBase: new () => { setOptions(options: { ca: string }): void } };
  const base = new MqttBase();
  base.setOptions({ ca });
  return new provisioningMqtt.Mqtt(base as never);
}

void test('prints the DPS fields in the ready line, serves the service API and registers a device over MQTT', async () => {
  const cli = await spawnEmulatorCli([...EPHEMERAL, '--dps-id-scope', '0ne00ABC123']);
  try {
    const { ready } = cli;
    assert.equal(ready.idScope, '0ne00ABC123');
    assert.equal(ready.provisioningHost, 'localhost');
    assert.match(ready.provisioningServiceConnectionString, /^HostName=localhost;SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=/);
    assert.match(ready.provisioningMqttHost, /^localhost:\d+$/);
    const ca = readFileSync(ready.caCertificatePath, 'utf8');
    const registrationId = `standalone-${randomBytes(4).toString('hex')}`;
    const key = randomBytes(32).toString('base64');
    const enrollment = JSON.stringify({ registrationId, attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: key, secondaryKey: key } } });
    const headers = { authorization: serviceToken(ready.provisioningServiceConnectionString), 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(enrollment)) };
    const put = await httpsText({ url: `https://localhost:${ready.httpsPort}/enrollments/${registrationId}?api-version=2021-10-01`, method: 'PUT', headers, ca }, enrollment);
    assert.equal(put.status, 200, put.text);
    const security = new symmetricKey.SymmetricKeySecurityClient(registrationId, key) as unknown as Parameters<typeof provisioningDevice.ProvisioningDeviceClient.create>[3];
    const result = await provisioningDevice.ProvisioningDeviceClient.create(ready.provisioningMqttHost, ready.idScope, mqttTransportTrusting(ca), security).register();
    assert.equal(result?.assignedHub, 'localhost');
    assert.equal(result.deviceId, registrationId);
  } finally {
    assert.equal(await cli.stop(), 0);
  }
});
