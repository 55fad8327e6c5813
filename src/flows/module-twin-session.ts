import { EventEmitter } from 'node:events';
import { promisify } from 'node:util';
import type { ModuleClient as ModuleClientType, Twin } from 'azure-iot-device';
import { ModuleClient, Mqtt, MqttWs } from '../sdk.js';
import { waitFor } from '../wait-for.js';
import type { JsonObject } from './twin-snapshot.js';

export type DeviceTransport = 'mqtt' | 'mqtt-ws';

export interface ModuleSessionOptions {
  readonly connectionString: string;
  readonly transport?: DeviceTransport;
  /** PEM of a CA to trust (the emulator's); not needed for a real hub. */
  readonly ca?: string;
}

/** The SDK types `properties.reported` as any; this is the part of it used here. */
interface ReportedProperties {
  update(patch: JsonObject, done: (error?: Error) => void): void;
}

export interface ReceivedPatch {
  readonly version: number;
  readonly patch: JsonObject;
}

/**
 * The tutorial's ReceiveModuleTwinDesiredPropertiesPatch app, kept open: a ModuleClient that reads its
 * twin and records every desired-properties patch it receives afterwards.
 */
export class ModuleTwinSession {
  readonly received: ReceivedPatch[] = [];
  private readonly changes = new EventEmitter();

  private constructor(
    private readonly client: ModuleClientType,
    private readonly twin: Twin,
  ) {}

  static async open(options: ModuleSessionOptions): Promise<ModuleTwinSession> {
    const client = ModuleClient.fromConnectionString(options.connectionString, options.transport === 'mqtt-ws' ? MqttWs : Mqtt);
    try {
      if (options.ca !== undefined) await client.setOptions({ ca: options.ca });
      await client.open();
      const session = new ModuleTwinSession(client, await client.getTwin());
      await session.listenForDesiredPatches();
      return session;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** The desired properties as the module last read or merged them (`twin.properties.desired`). */
  get desired(): JsonObject {
    return structuredClone(this.twin.properties.desired);
  }

  /**
   * Adding the listener makes the SDK re-emit the whole desired document (wire notes, P7), so events
   * are recorded only once the desired-patch subscription is acknowledged; the SDK's events carry a
   * live object, hence the copy.
   */
  private async listenForDesiredPatches(): Promise<void> {
    let subscribed = false;
    this.twin.on('properties.desired', (patch: JsonObject) => {
      if (!subscribed) return;
      const version = typeof patch.$version === 'number' ? patch.$version : Number.NaN;
      this.received.push({ version, patch: structuredClone(patch) });
      this.changes.emit('change');
    });
    await promisify((done: (error?: Error) => void) => this.twin.enableTwinDesiredPropertiesUpdates(done))();
    subscribed = true;
  }

  /** Calls the listener for every desired patch received from now on. */
  onDesiredPatch(listener: (received: ReceivedPatch) => void): void {
    this.changes.on('change', () => {
      const latest = this.received.at(-1);
      if (latest !== undefined) listener(latest);
    });
  }

  async waitForPatch(version: number, timeoutMs: number): Promise<ReceivedPatch> {
    return waitFor(() => this.received.find((received) => received.version === version), {
      description: `the desired-properties patch with $version ${version}`,
      timeoutMs,
      changes: this.changes,
      seen: () => JSON.stringify(this.received.map((received) => received.patch)),
    });
  }

  /** Reported properties: the SDK's update is callback-only (wire notes §2.3). */
  async reportProperties(patch: JsonObject): Promise<void> {
    const reported = this.twin.properties.reported as ReportedProperties;
    await promisify((done: (error?: Error) => void) => { reported.update(patch, done); })();
  }

  async refreshTwin(): Promise<JsonObject> {
    await this.client.getTwin();
    return this.desired;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
