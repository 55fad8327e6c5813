import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { earliestEventPosition } from '@azure/event-hubs';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { clientFromConnectionString, type DeviceSideClient } from '../../src/flows/device-client-factory.js';
import { Registry } from '../../src/sdk.js';
import { EventReader, type ReadEvent } from '../amqp/event-hub-fixture.js';
import type { IdentityKeys } from '../mqtt/hub-fixture.js';

export function dataDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** What identifies an event for a reader: where it is, when it was enqueued, what it holds. */
export interface EventPlace {
  readonly partitionId: string;
  readonly sequenceNumber: number;
  readonly offset: string;
  readonly enqueuedTimeUtc: string;
  readonly deviceId: string;
  readonly body: string;
}

/**
 * An emulator on a data directory under a fixed hub name (the Event Hub-compatible EntityPath and the
 * in-process route both follow it, so a restart is reached by the same connection strings).
 */
export class PersistentHub {
  private constructor(readonly emulator: StartedIotHubEmulator) {}

  static async start(directory: string, hubName: string, configure: (builder: IotHubEmulator) => IotHubEmulator = (builder) => builder): Promise<PersistentHub> {
    return new PersistentHub(await configure(new IotHubEmulator().withHubName(hubName).withDataDirectory(directory)).start());
  }

  get registry(): ReturnType<typeof Registry.fromConnectionString> {
    return Registry.fromConnectionString(this.emulator.getServiceConnectionString());
  }

  async createDevice(deviceId: string): Promise<IdentityKeys> {
    const { responseBody } = await this.registry.create({ deviceId });
    return { deviceId, primaryKey: responseBody.authentication?.symmetricKey?.primaryKey ?? '' };
  }

  /** An official device client (MQTT, not yet open) trusting the emulator's certificate. */
  async client(identity: IdentityKeys): Promise<DeviceSideClient> {
    const connectionString = `HostName=${this.emulator.hostName};DeviceId=${identity.deviceId};SharedAccessKey=${identity.primaryKey};GatewayHostName=${this.emulator.mqttGatewayHostName}`;
    const client = clientFromConnectionString(connectionString, false);
    await client.setOptions({ ca: this.emulator.caCertificate });
    return client;
  }

  /** Every event from the start of every partition, read with the official consumer; waits for `count`. */
  async readAll(count: number): Promise<EventPlace[]> {
    const reader = new EventReader(this.emulator.getEventHubsConnectionString(), { startPosition: earliestEventPosition });
    try {
      const events = await reader.eventsWhere(() => true, count, 'every event from the earliest position');
      return events.map(placeOf).sort(byPlace);
    } finally {
      await reader.close();
    }
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

export function placeOf(event: ReadEvent): EventPlace {
  return {
    partitionId: event.partitionId,
    sequenceNumber: event.sequenceNumber,
    offset: event.offset,
    enqueuedTimeUtc: event.enqueuedTimeUtc.toISOString(),
    deviceId: String(event.systemProperties?.['iothub-connection-device-id']),
    body: bodyText(event.body),
  };
}

export const byPlace = (a: EventPlace, b: EventPlace): number => a.partitionId.localeCompare(b.partitionId) || a.sequenceNumber - b.sequenceNumber;

function bodyText(body: unknown): string {
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return typeof body === 'string' ? body : JSON.stringify(body);
}
