import { once } from 'node:events';
import rhea, { type Connection, type Sender } from 'rhea';
import { IotHubEmulator, type StartedIotHubEmulator } from '../emulator/index.js';
import { createSasToken } from '../emulator/state/sas.js';
import { CommandSender, ReceivedCommands } from '../src/flows/cloud-to-device.js';
import { connectWithKey } from '../src/flows/device-connection.js';
import { Registry } from '../src/sdk.js';
import { withDeadline } from '../src/wait-for.js';
import { summarize, type LatencySummary } from './stats.js';
import { printTable } from './table.js';

const TIMEOUT_MS = 10_000;

/** Cloud-to-device latency on the embedded emulator, beside a floor measured through the same AMQP listener. */
export interface MessagingFigures {
  /** `Client.send` called -> the message event fired in the device client (MQTT). */
  readonly commandAtDevice: LatencySummary;
  /** A bare rhea transfer to `/messages/devicebound` -> its `accepted` disposition (the same listener, no SDK, no delivery). */
  readonly floor: LatencySummary;
  readonly ratioP50: number;
}

export async function measureMessaging(samples: number): Promise<MessagingFigures> {
  const emulator = await new IotHubEmulator().withHubName('bench-messaging').start();
  try {
    const deviceId = 'bench-device';
    const { responseBody } = await Registry.fromConnectionString(emulator.getServiceConnectionString()).create({ deviceId });
    const target = { hostName: emulator.hostName, deviceTransport: 'mqtt' as const, gatewayHostName: emulator.mqttGatewayHostName, ca: emulator.caCertificate };
    const device = await connectWithKey(target, { deviceId, sharedAccessKey: responseBody.authentication?.symmetricKey?.primaryKey ?? '' }, { reconnect: false });
    const received = new ReceivedCommands(device.client);
    await device.refreshTwin();
    const sender = await CommandSender.open(emulator.getServiceConnectionString());
    try {
      const commandAtDevice: number[] = [];
      for (let n = 1; n <= samples; n++) {
        const started = performance.now();
        await sender.send(deviceId, `command ${n}`);
        await received.nth(n, TIMEOUT_MS);
        commandAtDevice.push(performance.now() - started);
      }
      const floor = summarize(await bareTransfers(emulator, deviceId, samples));
      const atDevice = summarize(commandAtDevice);
      return { commandAtDevice: atDevice, floor, ratioP50: atDevice.p50 / floor.p50 };
    } finally {
      await Promise.allSettled([sender.close(), device.close()]);
    }
  } finally {
    await emulator.stop();
  }
}

/** `count` transfers from a bare rhea sender, each timed to its accepted disposition (the device keeps draining the queue). */
async function bareTransfers(emulator: StartedIotHubEmulator, deviceId: string, count: number): Promise<number[]> {
  const connection: Connection = rhea.create_container().connect({
    host: '127.0.0.1', port: emulator.amqpPort, transport: 'tls', ca: emulator.caCertificate, servername: emulator.hostName, hostname: emulator.hostName, reconnect: false,
  });
  try {
    await withDeadline(once(connection, 'connection_open'), TIMEOUT_MS, 'the bare AMQP connection to open');
    await putServiceToken(connection, emulator);
    const sender: Sender = connection.open_sender({ target: { address: '/messages/devicebound' } });
    await withDeadline(once(sender, 'sendable'), TIMEOUT_MS, 'credit on the bare sender');
    const times: number[] = [];
    for (let n = 0; n < count; n++) {
      const started = performance.now();
      const accepted = once(sender, 'accepted');
      // One data section, as the SDKs send a C2D body (AMQP wire notes §3.2).
      const body: unknown = rhea.message.data_section(Buffer.from(`floor ${n}`));
      sender.send({ to: `/devices/${deviceId}/messages/devicebound`, body });
      await withDeadline(accepted, TIMEOUT_MS, 'the accepted disposition of a bare transfer');
      times.push(performance.now() - started);
    }
    return times;
  } finally {
    connection.close();
  }
}

async function putServiceToken(connection: Connection, emulator: StartedIotHubEmulator): Promise<void> {
  const key = /SharedAccessKey=([^;]+)/.exec(emulator.getServiceConnectionString())?.[1] ?? '';
  const token = createSasToken({ resourceUri: emulator.hostName, base64Key: key, keyName: 'iothubowner', expiry: Math.floor(Date.now() / 1000) + 3600 });
  const replies = connection.open_receiver({ source: { address: '$cbs' } });
  const requests = connection.open_sender({ target: { address: '$cbs' } });
  await withDeadline(once(requests, 'sendable'), TIMEOUT_MS, 'credit on $cbs');
  const reply = once(replies, 'message');
  requests.send({ message_id: 'bench', reply_to: 'cbs', body: token, application_properties: { operation: 'put-token', type: 'servicebus.windows.net:sastoken', name: emulator.hostName } });
  await withDeadline(reply, TIMEOUT_MS, 'the put-token reply');
}

export function printMessaging(figures: MessagingFigures): void {
  const row = (path: string, summary: LatencySummary): (string | number)[] => [path, summary.count, summary.p50, summary.p90, summary.p99, summary.max];
  printTable('6. Cloud-to-device messages (embedded, AMQP service Client -> MQTT device, one at a time)', ['path', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], [
    row('Client.send -> message at device', figures.commandAtDevice),
    row('floor: bare AMQP transfer -> accepted (same listener)', figures.floor),
    [`ratio to floor (p50)`, '', `${figures.ratioP50.toFixed(1)}x`, '', '', ''],
  ]);
}
