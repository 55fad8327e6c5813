import type { Client as DeviceClientType } from 'azure-iot-device';
import { DeviceClient, Message, Mqtt } from '../../src/sdk.js';

/**
 * One device under load: the official DeviceClient over MQTT/TLS, sending numbered readings one at
 * a time and recording which the hub acknowledged (sendEvent resolved: the PUBACK came) and which
 * it did not (sendEvent failed, e.g. across a dropped connection).
 */
export class TelemetryDevice {
  readonly acknowledged: number[] = [];
  readonly unacknowledged: number[] = [];

  private constructor(
    readonly deviceId: string,
    private readonly client: DeviceClientType,
  ) {}

  static async open(deviceId: string, connectionString: string, ca: string): Promise<TelemetryDevice> {
    const client = DeviceClient.fromConnectionString(connectionString, Mqtt);
    try {
      await client.setOptions({ ca });
      await client.open();
      return new TelemetryDevice(deviceId, client);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  /** Sends reading `n` (the body names the device and the reading, so that a reader can check both). */
  async send(n: number): Promise<void> {
    try {
      await this.client.sendEvent(new Message(readingBody(this.deviceId, n)));
      this.acknowledged.push(n);
    } catch {
      this.unacknowledged.push(n);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export const readingBody = (deviceId: string, n: number): string => `${deviceId}:${n}`;

export function parseReading(body: unknown): { deviceId: string; n: number } | undefined {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : undefined;
  const match = text === undefined ? null : /^(.+):(\d+)$/.exec(text);
  return match === null ? undefined : { deviceId: match[1] ?? '', n: Number(match[2]) };
}
