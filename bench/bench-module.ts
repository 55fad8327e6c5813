import { promisify } from 'node:util';
import type { ModuleClient as ModuleClientType, Twin } from 'azure-iot-device';
import { ModuleClient, Mqtt } from '../src/sdk.js';

export type PatchListener = (token: number, arrivedAt: number) => void;

/** The SDK types `properties.reported` as any; this is the part used here. */
interface ReportedProperties {
  update(patch: object, done: (error?: Error) => void): void;
}

/**
 * One official ModuleClient over MQTT/TLS, opened the way the tutorial's receiver does (open, getTwin,
 * listen for desired patches), reduced to what the benchmark times: patch arrival, twin GET, reported patch.
 * The flows' ModuleTwinSession deep-copies every patch for assertions, which a benchmark should not pay for.
 */
export class BenchModule {
  private constructor(
    private readonly client: ModuleClientType,
    private readonly twin: Twin,
  ) {}

  static async open(connectionString: string, ca: string, onPatch: PatchListener): Promise<BenchModule> {
    const client = ModuleClient.fromConnectionString(connectionString, Mqtt);
    try {
      await client.setOptions({ ca });
      await client.open();
      const twin = await client.getTwin();
      let subscribed = false;
      twin.on('properties.desired', (patch: { bench?: unknown }) => {
        if (subscribed && typeof patch.bench === 'number') onPatch(patch.bench, performance.now());
      });
      await promisify((done: (error?: Error) => void) => twin.enableTwinDesiredPropertiesUpdates(done))();
      subscribed = true;
      return new BenchModule(client, twin);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** A full twin GET over MQTT (`$iothub/twin/GET`), as every later `client.getTwin()` sends. */
  async getTwin(): Promise<void> {
    await this.client.getTwin();
  }

  async report(patch: object): Promise<void> {
    const reported = this.twin.properties.reported as ReportedProperties;
    await promisify((done: (error?: Error) => void) => reported.update(patch, done))();
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }
}
