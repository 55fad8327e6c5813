import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSasToken } from '../../emulator/state/sas.js';
import {
  API_VERSION, assertStillServing, connect, end, resourceOf, startMqttBench, twinSnapshot, validCredentials,
  type Credentials, type MqttBench,
} from './mqtt-fixture.js';

/** CONNACK 5 "not authorized": what the hub answers to every failed authentication (MQTT 3.1.1 §3.2.2.3). */
const NOT_AUTHORIZED = 5;
const FOREIGN_KEY = Buffer.alloc(32, 250).toString('base64');
const inAnHour = (): number => Math.floor(Date.now() / 1000) + 3600;

interface ConnectCase {
  readonly name: string;
  readonly credentials: (bench: MqttBench) => Credentials;
}

const signed = (bench: MqttBench, init: { resource?: string; key?: string; expiry?: number; keyName?: string }): string =>
  createSasToken({
    resourceUri: init.resource ?? resourceOf(bench.emulator.hostName, bench.m1),
    base64Key: init.key ?? bench.m1.key,
    expiry: init.expiry ?? inAnHour(),
    ...(init.keyName === undefined ? {} : { keyName: init.keyName }),
  });

const policyKey = (bench: MqttBench, name: string): string => {
  const match = /SharedAccessKey=([^;]+)/.exec(bench.emulator.getServiceConnectionString(name));
  return match?.[1] ?? '';
};

const cases: ConnectCase[] = [
  { name: 'client id does not match the username', credentials: (b) => ({ ...validCredentials(b, b.m1), username: `${b.emulator.hostName}/d1/m2/?api-version=${API_VERSION}` }) },
  { name: 'client id of another module with m1 credentials', credentials: (b) => ({ ...validCredentials(b, b.m1), clientId: 'd1/m2' }) },
  { name: 'client id with three segments', credentials: (b) => ({ ...validCredentials(b, b.m1), clientId: 'd1/m1/x', username: `${b.emulator.hostName}/d1/m1/x/?api-version=${API_VERSION}` }) },
  { name: 'username naming another hub', credentials: (b) => ({ ...validCredentials(b, b.m1), username: `other-hub.azure-devices.net/d1/m1/?api-version=${API_VERSION}` }) },
  { name: 'username without api-version', credentials: (b) => ({ ...validCredentials(b, b.m1), username: `${b.emulator.hostName}/d1/m1/` }) },
  { name: 'username without the host name', credentials: (b) => ({ ...validCredentials(b, b.m1), username: `d1/m1/?api-version=${API_VERSION}` }) },
  { name: 'no password', credentials: (b) => ({ clientId: 'd1/m1', username: validCredentials(b, b.m1).username ?? '' }) },
  { name: 'password is not a SAS token', credentials: (b) => ({ ...validCredentials(b, b.m1), password: 'hunter2' }) },
  { name: 'SAS token with a non-numeric expiry', credentials: (b) => ({ ...validCredentials(b, b.m1), password: `SharedAccessSignature sr=x&sig=y&se=later` }) },
  { name: 'forged token (foreign key)', credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, { key: FOREIGN_KEY }) }) },
  { name: 'token signed with another module key', credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, { key: b.m2.key }) }) },
  { name: 'token for another module', credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, { resource: resourceOf(b.emulator.hostName, b.m2), key: b.m2.key }) }) },
  { name: 'token for another device', credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, { resource: resourceOf(b.emulator.hostName, b.d2), key: b.d2.key }) }) },
  { name: 'token for another hub', credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, { resource: 'other-hub.azure-devices.net/devices/d1/modules/m1' }) }) },
  { name: 'expired token', credentials: (b) => validCredentials(b, b.m1, Math.floor(Date.now() / 1000) - 5) },
  { name: 'tampered expiry', credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, {}).replace(/se=\d+/, `se=${inAnHour() + 99}`) }) },
  { name: 'unregistered module', credentials: (b) => validCredentials(b, { deviceId: 'd1', moduleId: 'ghost', key: b.m1.key }) },
  { name: 'unregistered device', credentials: (b) => validCredentials(b, { deviceId: 'ghost', key: b.m1.key }) },
  {
    name: 'policy token from a policy without DeviceConnect',
    credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, { key: policyKey(b, 'service'), keyName: 'service' }) }),
  },
  { name: 'policy token naming an unknown policy', credentials: (b) => ({ ...validCredentials(b, b.m1), password: signed(b, { key: FOREIGN_KEY, keyName: 'ghost' }) }) },
];

void describe('bad MQTT inputs: CONNECT', () => {
  let bench: MqttBench;
  before(async () => {
    bench = await startMqttBench();
  });
  after(async () => {
    await bench.emulator.stop();
  });

  for (const testCase of cases) {
    void it(`refuses: ${testCase.name}`, async () => {
      const before = twinSnapshot(bench);
      const { returnCode, client } = await connect(bench, testCase.credentials(bench));
      await end(client);
      assert.equal(returnCode, NOT_AUTHORIZED, 'CONNACK return code');
      assert.deepEqual(bench.emulator.control.connectedClientIds(), [], 'no connection was admitted');
      assert.equal(twinSnapshot(bench), before, 'the twins are unchanged');
      await assertStillServing(bench);
    });
  }
});
