import { EventEmitter } from 'node:events';
import { promisify } from 'node:util';
import type { Twin } from 'azure-iot-device';
import { NoRetry } from '../sdk.js';
import { waitFor } from '../wait-for.js';
import type { DeviceSideClient } from './device-client-factory.js';
import type { JsonObject } from './twin-snapshot.js';

/** The device SDK's five transports (IOTHUB_DEVICE_TRANSPORT): azure-iot-device-mqtt, -amqp and -http. */
export type DeviceTransport = 'mqtt' | 'mqtt-ws' | 'amqp' | 'amqp-ws' | 'http';

export const DEVICE_TRANSPORTS: readonly DeviceTransport[] = ['mqtt', 'mqtt-ws', 'amqp', 'amqp-ws', 'http'];

export interface ReceivedPatch {
  readonly version: number;
  readonly patch: JsonObject;
}

export interface TwinSessionOptions {
  /** PEM of a CA to trust (the emulator's); not needed for a real hub. */
  readonly ca?: string;
  /** Short-lived tokens, to see the SDK renew them (wire notes §1.2). */
  readonly tokenRenewal?: { readonly tokenValidTimeInSeconds: number; readonly tokenRenewalMarginInSeconds: number };
  /** False gives the client the SDK's NoRetry policy: it does not reconnect after a disconnect. */
  readonly reconnect?: boolean;
  /**
   * False opens the client without reading its twin: over HTTP the hub offers no twin (and the SDK
   * throws NotImplementedError for getTwin), so an HTTP device app only sends and polls messages.
   */
  readonly twin?: boolean;
  /** More SDK options for this transport, set in the same `setOptions` call as the CA. */
  readonly transportOptions?: Readonly<Record<string, unknown>>;
}

interface ReportedProperties {
  update(patch: JsonObject, done: (error?: Error) => void): void;
}

/**
 * A device's or a module's client kept open: it reads its twin, records each desired-properties
 * patch, reports properties, and counts the disconnects the SDK tells it about.
 */
export class DeviceTwinSession {
  readonly received: ReceivedPatch[] = [];
  /** Emits `change` when a patch arrives or the client is disconnected. */
  readonly changes = new EventEmitter();
  private disconnectCount = 0;

  private constructor(
    readonly client: DeviceSideClient,
    private readonly deviceTwin: Twin | undefined,
  ) {}

  static async open(client: DeviceSideClient, options: TwinSessionOptions = {}): Promise<DeviceTwinSession> {
    try {
      const settings = {
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        ...(options.tokenRenewal === undefined ? {} : { tokenRenewal: options.tokenRenewal }),
        ...options.transportOptions,
      };
      if (Object.keys(settings).length > 0) await client.setOptions(settings);
      if (options.reconnect === false) client.setRetryPolicy(new NoRetry());
      await client.open();
      const session = new DeviceTwinSession(client, options.twin === false ? undefined : await client.getTwin());
      client.on('disconnect', () => session.disconnected());
      if (options.twin !== false) await session.listenForDesiredPatches();
      return session;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** The twin as the SDK keeps it; a session opened without one (HTTP) has none to offer. */
  private get twin(): Twin {
    if (this.deviceTwin === undefined) throw new Error('This device app was opened without its twin (the HTTP transport has none).');
    return this.deviceTwin;
  }

  get desired(): JsonObject {
    return structuredClone(this.twin.properties.desired);
  }

  get reported(): JsonObject {
    return structuredClone(this.twin.properties.reported);
  }

  get disconnects(): number {
    return this.disconnectCount;
  }

  private disconnected(): void {
    this.disconnectCount += 1;
    this.changes.emit('change');
  }

  /** Records patches only after the SUBACK: adding the listener re-emits the whole document (wire notes P7). */
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
    let seen = this.received.length;
    this.changes.on('change', () => {
      for (; seen < this.received.length; seen += 1) {
        const received = this.received[seen];
        if (received !== undefined) listener(received);
      }
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

  async waitForDisconnect(timeoutMs: number): Promise<number> {
    return waitFor(() => (this.disconnectCount > 0 ? this.disconnectCount : undefined), {
      description: 'the client to be told it was disconnected',
      timeoutMs,
      changes: this.changes,
    });
  }

  /** Reported properties: the SDK's update is callback-only (wire notes §2.3). */
  async reportProperties(patch: JsonObject): Promise<void> {
    const reported = this.twin.properties.reported as ReportedProperties;
    await promisify((done: (error?: Error) => void) => {
      reported.update(patch, done);
    })();
  }

  /**
   * One request/response on the app's connection, so that what the app asked for before it (a C2D
   * subscription) has reached the hub. Over HTTP there is no connection: each poll is its own request.
   */
  async roundTrip(): Promise<void> {
    if (this.deviceTwin !== undefined) await this.client.getTwin();
  }

  async refreshTwin(): Promise<JsonObject> {
    await this.client.getTwin();
    return this.desired;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
