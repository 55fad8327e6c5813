import { promisify } from 'node:util';
import type { ModuleClient as ModuleClientType, Twin } from 'azure-iot-device';
import { ModuleClient, Mqtt } from '../../src/sdk.js';

/**
 * One module under load: the official ModuleClient over MQTT/TLS, recording the `$version` of every
 * desired-properties patch it receives (after the subscription is acknowledged, so that the SDK's
 * re-emission of the whole document on listener registration, wire notes P7, is not counted).
 */
export class LoadModule {
  readonly received: number[] = [];
  /** Off before the final getTwin(), whose merge re-fires the whole document as an event. */
  private recording = true;

  private constructor(private readonly client: ModuleClientType) {}

  static async open(connectionString: string, ca: string, onPatch: () => void): Promise<LoadModule> {
    const client = ModuleClient.fromConnectionString(connectionString, Mqtt);
    const module = new LoadModule(client);
    try {
      await client.setOptions({ ca });
      await client.open();
      const twin: Twin = await client.getTwin();
      let subscribed = false;
      twin.on('properties.desired', (patch: { $version?: unknown }) => {
        if (!subscribed || !module.recording) return;
        module.received.push(typeof patch.$version === 'number' ? patch.$version : Number.NaN);
        onPatch();
      });
      await promisify((done: (error?: Error) => void) => twin.enableTwinDesiredPropertiesUpdates(done))();
      subscribed = true;
      return module;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** The twin as the module reads it now (`getTwin()`), without `$metadata`. */
  async desired(): Promise<Record<string, unknown>> {
    this.recording = false;
    const twin = await this.client.getTwin();
    const { $metadata: _metadata, ...desired } = twin.properties.desired as Record<string, unknown>;
    return desired;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
