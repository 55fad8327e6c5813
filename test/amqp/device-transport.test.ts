import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ModuleClient as ModuleClientType } from 'azure-iot-device';
import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { ReceivedCommands, type CommandSettlement } from '../../src/flows/cloud-to-device.js';
import { handleMethod, sendModuleOutput, sendTelemetry } from '../../src/flows/device-messaging.js';
import type { DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { invokeDirectMethod } from '../../src/flows/invoke-direct-method.js';
import { Message } from '../../src/sdk.js';
import { withDeadline } from '../../src/wait-for.js';
import { HubFixture, newId, type IdentityKeys } from '../mqtt/hub-fixture.js';
import { BackEnd, TIMEOUT_MS } from './c2d-fixture.js';

const TRANSPORTS = ['amqp', 'amqp-ws'] as const;

/**
 * The device side of the hub's AMQP endpoint (wire notes §4) with the official azure-iot-device-amqp
 * clients, over AMQPS and AMQP over WebSockets: telemetry, twin, direct methods and C2D settlement,
 * and the refusals that keep one identity's links to itself.
 */
describe('devices and modules over AMQP', { timeout: 90_000 }, () => {
  let hub: HubFixture;
  let backEnd: BackEnd;
  const clients: DeviceSideClient[] = [];
  before(async () => {
    hub = await HubFixture.start();
    backEnd = await BackEnd.open(hub.serviceConnectionString);
  });
  after(async () => {
    await Promise.all(clients.map((client) => withDeadline(client.close(), TIMEOUT_MS, 'a device client to close').catch(() => undefined)));
    await backEnd.close();
    await hub.stop();
  });
  const open = async (identity: IdentityKeys, transport: (typeof TRANSPORTS)[number]): Promise<DeviceSideClient> => {
    const client = await hub.client(identity, transport);
    clients.push(client);
    await client.open();
    return client;
  };

  for (const transport of TRANSPORTS) {
    it(`${transport}: telemetry and module outputs reach the hub with their properties; an oversized message is refused and not kept`, async () => {
      const [device, module] = await hub.createDeviceAndModule(`tel-${transport}`);
      const deviceClient = await open(device, transport);
      const message = new Message('{"t":21}');
      message.messageId = 'm-1';
      message.contentType = 'application/json';
      message.properties.add('unit', 'C');
      await deviceClient.sendEvent(message);
      const moduleClient = (await open(module, transport)) as ModuleClientType;
      await sendModuleOutput(moduleClient, 'alerts', 'hot');
      const [sent] = hub.emulator.control.telemetry({ deviceId: device.deviceId });
      assert.deepEqual(
        [String(sent?.body), sent?.systemProperties.mid, sent?.systemProperties.ct, sent?.applicationProperties.unit],
        ['{"t":21}', 'm-1', 'application/json', 'C'],
      );
      const [output] = hub.emulator.control.telemetry(module);
      assert.deepEqual([String(output?.body), output?.outputName, output?.applicationProperties['iothub-outputname']], ['hot', 'alerts', undefined]);
      await assert.rejects(sendTelemetry(deviceClient, 'x'.repeat(256 * 1024 + 1)), 'the hub refuses a message over 256 KiB');
      assert.equal(hub.emulator.control.telemetry({ deviceId: device.deviceId }).length, 1, 'the oversized message was not kept');
    });

    it(`${transport}: a device reads its twin, reports properties and receives desired patches`, async () => {
      const device = await hub.createDevice(newId(`twin-${transport}`));
      const client = await hub.client(device, transport);
      const session = await DeviceTwinSession.open(client);
      clients.push(client);
      await session.reportProperties({ firmware: '2.0' });
      const serviceTwin = (await hub.registry.getTwin(device.deviceId)).responseBody;
      assert.equal(serviceTwin.properties.reported.firmware, '2.0');
      await serviceTwin.update({ properties: { desired: { interval: 30 } } });
      assert.deepEqual((await session.waitForPatch(2, TIMEOUT_MS)).patch, { interval: 30, $version: 2 });
    });

    it(`${transport}: a direct method reaches the device and its answer reaches the back end`, async () => {
      const [device, module] = await hub.createDeviceAndModule(`meth-${transport}`);
      const deviceCalls = handleMethod(await open(device, transport), 'reboot', (payload) => ({ status: 200, payload: { echoed: payload } }));
      const moduleCalls = handleMethod(await open(module, transport), 'ping', () => ({ status: 201, payload: 'pong' }));
      const call = { methodName: 'reboot', payload: { delay: 5 }, responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 5 };
      assert.deepEqual(await invokeDirectMethod(hub.serviceConnectionString, { deviceId: device.deviceId, ...call }), { status: 200, payload: { echoed: { delay: 5 } } });
      const moduleResult = await invokeDirectMethod(hub.serviceConnectionString, { ...module, ...call, methodName: 'ping' });
      assert.deepEqual(moduleResult, { status: 201, payload: 'pong' });
      assert.deepEqual([deviceCalls.length, moduleCalls.length], [1, 1], 'each target got exactly its own call');
    });
  }

  const settleCase = async (settlement: CommandSettlement): Promise<{ statuses: string[]; pending: number; received: number }> => {
    const device = await hub.createDevice(newId(`c2d-${settlement}`));
    const commands = new ReceivedCommands(await open(device, 'amqp'), () => settlement);
    const messageId = newId('cmd');
    await backEnd.send(device.deviceId, 'reboot', { messageId, ack: 'full' });
    await commands.nth(1, TIMEOUT_MS);
    if (settlement === 'abandon') await commands.nth(2, TIMEOUT_MS);
    const statuses = settlement === 'abandon' ? [] : [(await backEnd.feedbackFor(messageId)).statusCode];
    const pending = Number((await hub.registry.get(device.deviceId)).responseBody.cloudToDeviceMessageCount);
    return { statuses, pending, received: commands.messages.length };
  };

  it('a completed command gives Success feedback and leaves the queue', async () => {
    assert.deepEqual(await settleCase('complete'), { statuses: ['Success'], pending: 0, received: 1 });
  });

  it('a rejected command gives Rejected feedback and is not delivered again', async () => {
    assert.deepEqual(await settleCase('reject'), { statuses: ['Rejected'], pending: 0, received: 1 });
  });

  it('an abandoned command comes back to the device with its delivery count up', async () => {
    const outcome = await settleCase('abandon');
    assert.equal(outcome.pending, 1, 'the abandoned command stays queued');
    assert.ok(outcome.received >= 2, 'the device got the command again');
  });
});
