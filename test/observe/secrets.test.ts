import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { Client as DeviceClientType, Twin } from 'azure-iot-device';
import { Message, Registry, ServiceClient, ServiceMessage } from '../../src/sdk.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { CapturedLogs, scrape } from './observe-fixture.js';

const BODY = 'telemetry-body-4f1e9c-do-not-log';
const C2D_BODY = 'c2d-body-77aa21-do-not-log';
const POLICIES = ['iothubowner', 'service', 'device', 'registryRead', 'registryReadWrite'];
const WRONG_KEY = Buffer.from('a-wrong-key-that-must-not-be-logged!').toString('base64');

/** A key in every spelling a leak could take: as is, URL-encoded. */
function spellings(secret: string): string[] {
  return [secret, encodeURIComponent(secret)];
}

/**
 * The guard of issue 15: at every level and in both formats, with SAS-key devices, a wrong key and a
 * whole session (connect, twin, desired patch, telemetry with a body, C2D, a direct method, refused
 * connects over MQTT and AMQP, a REST refusal), no device key, policy key, token signature or
 * message body appears in the log or in the metrics.
 */
void describe('no key, token or body in the request log or the metrics', () => {
  let hub: HubFixture;
  let logs: CapturedLogs;
  let device: IdentityKeys;
  let secondaryKey: string;

  before(async () => {
    hub = await HubFixture.start({ controlPlane: true });
    logs = new CapturedLogs(hub);
    device = await hub.createDevice(newId('secret'));
    const registry = Registry.fromConnectionString(hub.serviceConnectionString);
    secondaryKey = (await registry.get(device.deviceId)).responseBody.authentication?.symmetricKey?.secondaryKey ?? '';
    await runSession(hub, device);
  });
  after(async () => hub.stop());

  void it('logged the session at info (so there was something to leak)', () => {
    const info = logs.of('info', 'text').join('');
    assert.match(info, new RegExp(`${device.deviceId} connected over mqtt`));
    assert.match(info, /refused over mqtt: wrong-key/);
    assert.match(logs.of('debug', 'json').join(''), /"event":"telemetry"/);
  });

  void it('holds no key, signature or body at any level, in either format, nor in the metrics', async () => {
    const policyKeys = POLICIES.map((name) => /SharedAccessKey=(.*)$/.exec(hub.emulator.getServiceConnectionString(name))?.[1] ?? '');
    const secrets = [device.primaryKey, secondaryKey, WRONG_KEY, ...policyKeys].flatMap(spellings);
    const texts: [string, string][] = [...logs.all(), ['metrics', (await scrape(hub)).text]];
    for (const [name, text] of texts) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `${name} holds a key`);
      assert.doesNotMatch(text, /sig=(?!\[redacted\])[^&\s"]/i, `${name} holds a token signature`);
      assert.doesNotMatch(text, /SharedAccessSignature sr/i, `${name} holds a token`);
      assert.ok(!text.includes(BODY) && !text.includes(C2D_BODY), `${name} holds a message body`);
    }
  });
});

async function runSession(hub: HubFixture, device: IdentityKeys): Promise<void> {
  for (const transport of ['mqtt', 'amqp'] as const) {
    const refused = await hub.client({ ...device, primaryKey: WRONG_KEY }, transport);
    await assert.rejects(refused.open());
    await refused.close().catch(() => undefined);
  }
  const badRegistry = Registry.fromConnectionString(`HostName=${hub.emulator.hostName};SharedAccessKeyName=iothubowner;SharedAccessKey=${WRONG_KEY}`);
  await assert.rejects(badRegistry.get(device.deviceId));
  const client = (await hub.client(device)) as DeviceClientType;
  await client.open();
  try {
    await twinAndPatch(hub, client, device);
    await client.sendEvent(new Message(BODY));
    await cloudToDeviceAndMethod(hub, client, device);
  } finally {
    await client.close();
  }
}

async function twinAndPatch(hub: HubFixture, client: DeviceClientType, device: IdentityKeys): Promise<void> {
  const twin: Twin = await client.getTwin();
  const patched = new Promise<void>((resolve) => twin.on('properties.desired', (desired: { mode?: string }) => desired.mode === 'eco' && resolve()));
  await hub.registry.updateTwin(device.deviceId, { properties: { desired: { mode: 'eco' } } }, '*');
  await patched;
}

async function cloudToDeviceAndMethod(hub: HubFixture, client: DeviceClientType, device: IdentityKeys): Promise<void> {
  client.onDeviceMethod('reboot', (_request, response) => void response.send(200, { ok: true }));
  const received = once(client, 'message') as Promise<[{ data: Buffer }]>;
  const service = ServiceClient.fromConnectionString(hub.serviceConnectionString);
  await service.open();
  try {
    await service.send(device.deviceId, new ServiceMessage(C2D_BODY));
    const [message] = await received;
    assert.equal(String(message.data), C2D_BODY);
    const response: { result: unknown } = await service.invokeDeviceMethod(device.deviceId, { methodName: 'reboot', payload: { secret: BODY }, responseTimeoutInSeconds: 10, connectTimeoutInSeconds: 10 });
    assert.deepEqual(response.result, { status: 200, payload: { ok: true } });
  } finally {
    await service.close();
  }
}
