import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { buildModuleConnectionString } from '../../src/connection-string.js';
import { createModuleIdentity } from '../../src/flows/create-module-identity.js';
import { ModuleTwinSession } from '../../src/flows/module-twin-session.js';
import { readModuleTwin, updateModuleTwinDesiredProperties } from '../../src/flows/update-module-twin.js';
import { Registry } from '../../src/sdk.js';

/**
 * Issue 7, "Faults": the emulator is restarted with its data directory while a module is connected.
 * The SDK reconnects by itself (it has a desired-properties listener) to the same session, which the
 * SDK relies on because it never re-subscribes to twin topics (wire notes §2.2); patches then flow
 * again, and the registry and the twin are intact.
 */
const IDS = { deviceId: 'restart-dev', moduleId: 'restart-mod' };
const RECONNECT_DEADLINE_MS = 30_000;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const startOn = (directory: string, mqttPort: number): Promise<StartedIotHubEmulator> =>
  new IotHubEmulator().withDataDirectory(directory).withMqttPort(mqttPort).start();

void test('after a restart with --data, a connected module reconnects by itself and patches flow again', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'emulator-restart-'));
  const mqttPort = await freePort();
  let emulator = await startOn(directory, mqttPort);
  const identity = await createModuleIdentity(Registry.fromConnectionString(emulator.getServiceConnectionString()), IDS);
  const session = await ModuleTwinSession.open({
    connectionString: buildModuleConnectionString({ hostName: emulator.hostName, ...IDS, sharedAccessKey: identity.primaryKey, gatewayHostName: emulator.mqttGatewayHostName }),
    ca: emulator.caCertificate,
  });
  try {
    const first = await updateModuleTwinDesiredProperties(Registry.fromConnectionString(emulator.getServiceConnectionString()), { ...IDS, desired: { telemetryInterval: 10 } });
    await session.waitForPatch(first.after.desired.$version as number, 5_000);
    await emulator.stop();

    emulator = await startOn(directory, mqttPort);
    const registry = Registry.fromConnectionString(emulator.getServiceConnectionString());
    await emulator.control.waitForConnection(`${IDS.deviceId}/${IDS.moduleId}`, { minConnectionCount: 1, timeoutMs: RECONNECT_DEADLINE_MS });
    const intact = await readModuleTwin(registry, IDS);
    assert.deepEqual({ etag: intact.etag, version: intact.version, telemetryInterval: intact.desired.telemetryInterval }, { etag: first.after.etag, version: first.after.version, telemetryInterval: 10 });
    const keys = (await registry.getModule(IDS.deviceId, IDS.moduleId)).responseBody.authentication?.symmetricKey;
    assert.equal(keys?.primaryKey, identity.primaryKey, 'the module keeps its keys');

    const second = await updateModuleTwinDesiredProperties(registry, { ...IDS, desired: { telemetryInterval: 20 } });
    const received = await session.waitForPatch(second.after.desired.$version as number, 5_000);
    assert.equal(received.patch.telemetryInterval, 20);
  } finally {
    await session.close();
    await emulator.stop();
    rmSync(directory, { recursive: true, force: true });
  }
});
