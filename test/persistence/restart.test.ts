import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { ModuleTwinSession } from '../../src/flows/module-twin-session.js';
import { buildModuleConnectionString } from '../../src/connection-string.js';
import { Registry } from '../../src/sdk.js';
import { closed, connect, deadline, end, twinRequest, validCredentials, type MqttBench } from '../bad-inputs/mqtt-fixture.js';

/**
 * Issue 7, "Persistence": with a data directory, a restarted emulator keeps the registry (keys),
 * the twins (versions, etags, values), its policies and certificate, and the MQTT sessions.
 */
const MODULE = { deviceId: 'p-dev', moduleId: 'p-mod' };
const directories: string[] = [];

function dataDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-data-'));
  directories.push(directory);
  return directory;
}

const start = (directory: string): Promise<StartedIotHubEmulator> => new IotHubEmulator().withDataDirectory(directory).start();

async function serviceTwin(emulator: StartedIotHubEmulator): Promise<Record<string, unknown>> {
  const twin = (await Registry.fromConnectionString(emulator.getServiceConnectionString()).getModuleTwin(MODULE.deviceId, MODULE.moduleId)).responseBody;
  const { deviceId, moduleId, etag, version, tags, properties } = twin as unknown as Record<string, unknown>;
  return { deviceId, moduleId, etag, version, tags, properties };
}

void describe('persistence: restart with the same data directory', () => {
  after(() => directories.forEach((directory) => rmSync(directory, { recursive: true, force: true })));

  void it('keeps identities, keys, twins (version, etag, reported) and connection strings', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const registry = Registry.fromConnectionString(first.getServiceConnectionString());
    await registry.create({ deviceId: MODULE.deviceId });
    const module = (await registry.addModule(MODULE)).responseBody as { authentication: { symmetricKey: { primaryKey: string } } };
    const key = module.authentication.symmetricKey.primaryKey;
    await registry.updateModuleTwin(MODULE.deviceId, MODULE.moduleId, { tags: { site: 'lab' }, properties: { desired: { speed: 3 } } }, '*');
    const session = await ModuleTwinSession.open({
      connectionString: buildModuleConnectionString({ hostName: first.hostName, ...MODULE, sharedAccessKey: key, gatewayHostName: first.mqttGatewayHostName }),
      ca: first.caCertificate,
    });
    await session.reportProperties({ firmware: '1.2.3' });
    await session.close();
    const before = await serviceTwin(first);
    const serviceConnectionString = first.getServiceConnectionString();
    const ca = first.caCertificate;
    await first.stop();

    const second = await start(directory);
    try {
      assert.equal(second.getServiceConnectionString(), serviceConnectionString, 'the policies and their keys survive');
      assert.equal(second.caCertificate, ca, 'the certificate survives, so clients still trust it');
      assert.deepEqual(await serviceTwin(second), before, 'the twin (version, etag, tags, desired, reported) survives');
      const again = await ModuleTwinSession.open({
        connectionString: buildModuleConnectionString({ hostName: second.hostName, ...MODULE, sharedAccessKey: key, gatewayHostName: second.mqttGatewayHostName }),
        ca: second.caCertificate,
      });
      assert.deepEqual(again.desired, { speed: 3, $version: 2 }, 'the module reads the twin it had, with its key');
      await again.close();
    } finally {
      await second.stop();
    }
  });

  void it('keeps an MQTT session: a client that does not re-subscribe still gets desired patches', async () => {
    const directory = dataDirectory();
    const first = await start(directory);
    const registry = Registry.fromConnectionString(first.getServiceConnectionString());
    await registry.create({ deviceId: MODULE.deviceId });
    const module = (await registry.addModule(MODULE)).responseBody as { authentication: { symmetricKey: { primaryKey: string } } };
    const identity = { ...MODULE, key: module.authentication.symmetricKey.primaryKey };
    const bench = (emulator: StartedIotHubEmulator): MqttBench => ({ emulator, m1: identity, m2: identity, d2: identity });
    const { client } = await connect(bench(first), validCredentials(bench(first), identity));
    await twinRequest(client, '$iothub/twin/GET/?$rid=1', '');
    await new Promise<void>((resolve, reject) => client.subscribe('$iothub/twin/PATCH/properties/desired/#', { qos: 0 }, (error: Error | null | undefined) => (error ? reject(error) : resolve())));
    await end(client);
    await first.stop();

    const second = await start(directory);
    try {
      const { returnCode, client: resumed, sessionPresent } = await connect(bench(second), validCredentials(bench(second), identity));
      assert.equal(returnCode, 0);
      assert.equal(sessionPresent, true, 'CONNACK says the session (kept by aedes-persistence-level) is present');
      const patch = new Promise<string>((resolve) => resumed.on('message', (topic: string, payload: Buffer) => {
        if (topic.startsWith('$iothub/twin/PATCH/properties/desired/')) resolve(payload.toString());
      }));
      await Registry.fromConnectionString(second.getServiceConnectionString()).updateModuleTwin(MODULE.deviceId, MODULE.moduleId, { properties: { desired: { after: 'restart' } } }, '*');
      assert.deepEqual(JSON.parse(await Promise.race([patch, deadline('the desired patch on the resumed session')])), { after: 'restart', $version: 2 });
      await end(resumed);
      await closed(resumed, 'the client to close');
    } finally {
      await second.stop();
    }
  });
});
