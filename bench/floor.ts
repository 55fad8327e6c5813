import { once } from 'node:events';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { generateTlsMaterial } from '../emulator/servers/certificate.js';
import { listenMqttOverTls } from '../emulator/servers/mqtt-tls-server.js';
import { withDeadline } from '../src/wait-for.js';
import { PatchTracker } from './patch-tracker.js';
import { openRestHopFloor } from './rest-hop-floor.js';
import { mapLimit } from './stats.js';

export interface FloorRig {
  /** Times `count` sequential publish -> deliver round trips (ms each). */
  sample(count: number): Promise<number[]>;
  /** Times `count` HTTPS request -> publish -> deliver round trips through the same broker (rest-hop-floor.ts). */
  sampleRestHop(count: number): Promise<number[]>;
  close(): Promise<void>;
}

/**
 * The floor: a bare MQTT publish -> deliver round trip through aedes over the same TLS loopback, with
 * no IoT Hub logic. The broker and listener are made exactly as the emulator makes them (EC P-256
 * certificate, listenMqttOverTls); the clients are the `mqtt` package the device SDK itself uses.
 * `connectedClients` subscribers are connected, as many as there are module clients in the comparison.
 */
export async function openFloor(connectedClients: number): Promise<FloorRig> {
  const aedes = await Aedes.createBroker();
  const tls = await generateTlsMaterial('floor.azure-devices.net');
  const server = await listenMqttOverTls({ aedes, tls, host: '127.0.0.1', port: 0 });
  const connect = async (clientId: string): Promise<MqttClient> => {
    const client = mqtt.connect(`mqtts://127.0.0.1:${server.port}`, { ca: tls.cert, clientId, clean: false, keepalive: 180, reconnectPeriod: 0 });
    await withDeadline(once(client, 'connect'), 10_000, `the floor client ${clientId} to connect`);
    return client;
  };
  const tracker = new PatchTracker();
  const subscribers = await mapLimit(Array.from({ length: connectedClients }, (_unused, index) => index), 20, async (index) => {
    const client = await connect(`floor-sub-${index}`);
    client.on('message', (_topic, payload) => tracker.arrived((JSON.parse(payload.toString()) as { bench: number }).bench, performance.now()));
    await new Promise<void>((resolve, reject) => client.subscribe(`floor/${index}/#`, { qos: 0 }, (error: unknown) => (error instanceof Error ? reject(error) : resolve())));
    return client;
  });
  const publisher = await connect('floor-pub');
  const restHop = await openRestHopFloor({ aedes, tls, tracker, subscribers: connectedClients });
  let published = 0;
  return {
    async sample(count) {
      const samples: number[] = [];
      for (let index = 0; index < count; index++, published++) {
        const token = tracker.token();
        const arrival = tracker.expect(token);
        const started = performance.now();
        // The same shape and size as a desired-properties notification.
        publisher.publish(`floor/${published % connectedClients}/x`, JSON.stringify({ bench: token, $version: published + 2 }), { qos: 0 });
        samples.push((await withDeadline(arrival, 10_000, 'a floor message')) - started);
      }
      return samples;
    },
    sampleRestHop: (count) => restHop.sample(count),
    async close() {
      await restHop.close();
      for (const client of [publisher, ...subscribers]) client.end(true);
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await server.close();
    },
  };
}
