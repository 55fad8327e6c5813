import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, it } from 'node:test';
import type { MqttClient } from 'mqtt';
import { invokeDirectMethod } from '../../src/flows/invoke-direct-method.js';
import { withDeadline } from '../../src/wait-for.js';
import { credentialsFor, rawConnect, subscribeGranted } from './raw-mqtt.js';
import { HubFixture, newId } from './hub-fixture.js';

/**
 * MQTT support doc: twin responses, desired-property notifications and method requests go at QoS 0
 * (the hub keeps no retained messages). Seen on the wire with a raw client, which reads the flags the
 * SDKs do not show.
 */
interface Flags {
  readonly qos: number;
  readonly retain: boolean;
  readonly dup: boolean;
}

let hub: HubFixture;
before(async () => {
  hub = await HubFixture.start();
});
after(async () => hub.stop());

async function nextPublish(client: MqttClient, topicStart: string, trigger: () => unknown): Promise<{ topic: string; body: string; flags: Flags }> {
  const received = new Promise<{ topic: string; body: string; flags: Flags }>((resolve) => {
    const onMessage = (topic: string, payload: Buffer, packet: Flags): void => {
      if (!topic.startsWith(topicStart)) return;
      client.off('message', onMessage);
      resolve({ topic, body: payload.toString(), flags: { qos: packet.qos, retain: packet.retain, dup: packet.dup } });
    };
    client.on('message', onMessage);
  });
  await trigger();
  return withDeadline(received, 5_000, `a PUBLISH on ${topicStart}`);
}

void it('sends twin responses, desired patches and method requests at QoS 0, neither retained nor duplicate', { timeout: 15_000 }, async () => {
  const device = await hub.createDevice(newId('flags'));
  const { client } = await rawConnect(hub, credentialsFor(hub, device));
  try {
    for (const topic of ['$iothub/twin/res/#', '$iothub/twin/PATCH/properties/desired/#', '$iothub/methods/POST/#']) assert.equal(await subscribeGranted(client, topic, 1), 1);
    const plain: Flags = { qos: 0, retain: false, dup: false };
    const response = await nextPublish(client, '$iothub/twin/res/', () => client.publish('$iothub/twin/GET/?$rid=7', ''));
    assert.deepEqual([response.topic, response.flags], ['$iothub/twin/res/200/?$rid=7', plain]);
    const patch = await nextPublish(client, '$iothub/twin/PATCH/', () => hub.registry.updateTwin(device.deviceId, { properties: { desired: { x: 1 } } }, '*'));
    assert.deepEqual([JSON.parse(patch.body), patch.flags], [{ x: 1, $version: 2 }, plain]);
    const call = invokeDirectMethod(hub.serviceConnectionString, { deviceId: device.deviceId, methodName: 'ping', payload: { n: 1 }, responseTimeoutInSeconds: 5 });
    const request = await nextPublish(client, '$iothub/methods/POST/', () => undefined);
    assert.deepEqual([request.topic.split('/')[3], JSON.parse(request.body), request.flags], ['ping', { n: 1 }, plain]);
    const requestId = /\$rid=(\w+)/.exec(request.topic)?.[1] ?? '';
    client.publish(`$iothub/methods/res/200/?$rid=${requestId}`, '{"pong":true}');
    assert.deepEqual(await call, { status: 200, payload: { pong: true } });
  } finally {
    client.end(true);
    await once(client, 'close');
  }
});
