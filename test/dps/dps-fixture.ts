import { createHmac, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import provisioningDevice from 'azure-iot-provisioning-device';
import provisioningHttp from 'azure-iot-provisioning-device-http';
import provisioningMqtt from 'azure-iot-provisioning-device-mqtt';
import provisioningService from 'azure-iot-provisioning-service';
import symmetricKey from 'azure-iot-security-symmetric-key';
import type { RegistrationResult } from 'azure-iot-provisioning-device/dist/interfaces.js';
import { IotHubEmulator, type StartedIotHubEmulator } from '../../emulator/index.js';
import { DeviceClient, Mqtt, Registry } from '../../src/sdk.js';

/** The official packages are CommonJS: imported whole, as src/sdk.ts does for the hub's. */
export const { ProvisioningDeviceClient } = provisioningDevice;
export const { ProvisioningServiceClient } = provisioningService;
export const { SymmetricKeySecurityClient } = symmetricKey;

export type DpsTransport = 'http' | 'mqtt';

/**
 * A device key derived from a group key as the DPS docs compute it ("Symmetric key attestation"),
 * written here independently of the emulator's own derivation so that a wrong one there fails.
 */
export function deriveDeviceKey(groupKey: string, registrationId: string): string {
  return createHmac('sha256', Buffer.from(groupKey, 'base64')).update(registrationId).digest('base64');
}

/** A device token as azure-iot-security-symmetric-key writes it (wire notes §4): sr raw, skn=registration. */
export function deviceToken(idScope: string, registrationId: string, key: string): string {
  const sr = `${idScope}/registrations/${registrationId}`;
  const se = Math.ceil(Date.now() / 1000) + 3600;
  const sig = createHmac('sha256', Buffer.from(key, 'base64')).update(`${sr}\n${se}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&skn=registration&se=${se}`;
}

export const newKey = (): string => randomBytes(32).toString('base64');

export const newId = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

/** An embedded emulator (its own hub name: the in-process route is per host name) with the provisioning service client on it. */
export class DpsFixture {
  private constructor(readonly emulator: StartedIotHubEmulator) {}

  static async start(configure: (builder: IotHubEmulator) => IotHubEmulator = (builder) => builder): Promise<DpsFixture> {
    return new DpsFixture(await configure(new IotHubEmulator().withHubName(newId('dps-test'))).start());
  }

  serviceClient(connectionString = this.emulator.provisioningServiceConnectionString): InstanceType<typeof ProvisioningServiceClient> {
    return ProvisioningServiceClient.fromConnectionString(connectionString);
  }

  hubRegistry(): ReturnType<typeof Registry.fromConnectionString> {
    return Registry.fromConnectionString(this.emulator.getServiceConnectionString());
  }

  /**
   * `register()` of the official device client over `transport`, with a symmetric key. Over MQTT it
   * dials `provisioningMqttHost`; the emulator's CA goes in through the transport's MqttBase, the one
   * way the provisioning transports take a CA besides NODE_EXTRA_CA_CERTS (wire notes §2.6).
   */
  register(registrationId: string, key: string, transport: DpsTransport = 'http'): Promise<RegistrationResult | undefined> {
    const host = transport === 'http' ? this.emulator.provisioningHost : this.emulator.provisioningMqttHost;
    const protocol = transport === 'http' ? new provisioningHttp.Http() : new provisioningMqtt.Mqtt(mqttBaseTrusting(this.emulator.caCertificate));
    // The packages each bundle their own azure-iot-common, whose SharedAccessSignature types differ by a private field only.
    const security = new SymmetricKeySecurityClient(registrationId, key) as unknown as Parameters<typeof ProvisioningDeviceClient.create>[3];
    return ProvisioningDeviceClient.create(host, this.emulator.idScope, protocol, security).register() as Promise<RegistrationResult | undefined>;
  }

  /** A hub device client for what DPS returned: HostName is the assigned hub, the MQTT listener via GatewayHostName. */
  async hubDevice(result: RegistrationResult, key: string): Promise<InstanceType<typeof DeviceClient>> {
    const connectionString = `HostName=${result.assignedHub};DeviceId=${result.deviceId};SharedAccessKey=${key};GatewayHostName=${this.emulator.mqttGatewayHostName}`;
    const client = DeviceClient.fromConnectionString(connectionString, Mqtt);
    await client.setOptions({ ca: this.emulator.caCertificate });
    return client;
  }

  stop(): Promise<void> {
    return this.emulator.stop();
  }
}

/** The azure-iot-mqtt-base copy that azure-iot-provisioning-device-mqtt bundles, trusting `ca`. */
export function mqttBaseTrusting(ca: string): ConstructorParameters<typeof provisioningMqtt.Mqtt>[0] {
  const fromTransport = createRequire(createRequire(import.meta.url).resolve('azure-iot-provisioning-device-mqtt'));
  const { MqttBase } = fromTransport('azure-iot-mqtt-base') as { MqttBase: new () => { setOptions(options: { ca: string }): void } };
  const base = new MqttBase();
  base.setOptions({ ca });
  return base as unknown as ConstructorParameters<typeof provisioningMqtt.Mqtt>[0];
}

export function symmetricKeyGroup(enrollmentGroupId: string, groupKey: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { enrollmentGroupId, attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: groupKey, secondaryKey: newKey() } }, ...extra };
}
