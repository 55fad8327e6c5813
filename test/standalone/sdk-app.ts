/**
 * An app written only against the official SDKs (issue 4, "Done when"): given a service connection
 * string (argv[2]) and, through NODE_EXTRA_CA_CERTS, the emulator's CA, it creates a device and a
 * module, connects the module (argv[3]: mqtt | mqtt-ws), updates the module twin's desired properties
 * and prints the desired patch the module received as one JSON line. No emulator code is imported.
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import iothub from 'azure-iothub';
import deviceSdk from 'azure-iot-device';
import deviceMqtt from 'azure-iot-device-mqtt';

const [connectionString, transportName = 'mqtt'] = process.argv.slice(2);
if (connectionString === undefined) throw new Error('usage: sdk-app <service connection string> [mqtt|mqtt-ws]');
const hostName = /HostName=([^;]+)/.exec(connectionString)?.[1] ?? '';
const deviceId = `sdk-app-${randomUUID().slice(0, 8)}`;
const moduleId = 'sdkModule';

const registry = iothub.Registry.fromConnectionString(connectionString);
await registry.create({ deviceId });
const created = await registry.addModule({ deviceId, moduleId });
const module = created.responseBody as { authentication?: { symmetricKey?: { primaryKey?: string } } };
const moduleKey = module.authentication?.symmetricKey?.primaryKey ?? '';
const moduleConnectionString = `HostName=${hostName};DeviceId=${deviceId};ModuleId=${moduleId};SharedAccessKey=${moduleKey}`;
const client = deviceSdk.ModuleClient.fromConnectionString(moduleConnectionString, transportName === 'mqtt-ws' ? deviceMqtt.MqttWs : deviceMqtt.Mqtt);
try {
  await client.open();
  const twin = await client.getTwin();
  const patch = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('No desired patch with telemetryInterval=122 within 10 s')), 10_000);
    twin.on('properties.desired', (received: Record<string, unknown>) => {
      if (received.telemetryInterval !== 122) return;
      clearTimeout(timer);
      resolve(structuredClone(received));
    });
  });
  await promisify((done: (error?: Error) => void) => twin.enableTwinDesiredPropertiesUpdates(done))();
  await registry.updateModuleTwin(deviceId, moduleId, { properties: { desired: { telemetryInterval: 122 } } }, '*');
  process.stdout.write(`${JSON.stringify({ deviceId, moduleId, transport: transportName, patch: await patch })}\n`);
} finally {
  await client.close();
  await registry.delete(deviceId);
}
