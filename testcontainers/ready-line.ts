/**
 * The JSON line the emulator CLI prints on stdout once it serves (docs/standalone-emulator.md,
 * "Ready line"). This module reads it from the container's logs and depends on nothing else of the
 * emulator: the image is its only contract. test/package/ready-line-contract.ts checks at compile
 * time that this type and the one the emulator prints (iothub-emulator's ReadyLine) stay the same.
 */
export interface ReadyLine {
  readonly serviceConnectionString: string;
  readonly caCertificatePath: string;
  readonly hostName: string;
  readonly httpsPort: number;
  readonly mqttPort: number;
  /** AMQP over TLS (the service SDK's `Client` dials `<hostName>:5671`). */
  readonly amqpPort: number;
  /** The built-in endpoint's Event Hub-compatible connection string, for `EventHubConsumerClient`. */
  readonly eventHubsConnectionString: string;
  /**
   * With --amqp-plain-port: the plain AMQP listener for `UseDevelopmentEmulator=true` and its string.
   * It is bound to the container's own loopback, so it cannot be mapped out of the container: this
   * module does not use it.
   */
  readonly amqpPlainPort?: number;
  readonly eventHubsDevelopmentConnectionString?: string;
  /** The Device Provisioning Service: the host devices and ProvisioningServiceClient dial (port 443), its ID scope, and its provisioningserviceowner connection string. */
  readonly provisioningHost: string;
  readonly idScope: string;
  readonly provisioningServiceConnectionString: string;
  /** What azure-iot-provisioning-device-mqtt takes as provisioningHost: DPS's MQTT listener, `<host>:<port>` unless the port is 8883. */
  readonly provisioningMqttHost: string;
  /** Set when the MQTT port is not 8883: what module and device connection strings need as GatewayHostName. */
  readonly gatewayHostName?: string;
  /** Set when the control plane is on, e.g. https://localhost:443/_emulator. */
  readonly controlPlaneUrl?: string;
}

const REQUIRED_FIELDS = ['serviceConnectionString', 'caCertificatePath', 'hostName', 'httpsPort', 'mqttPort', 'amqpPort', 'eventHubsConnectionString', 'provisioningHost', 'idScope', 'provisioningServiceConnectionString', 'provisioningMqttHost'] as const;

export function parseReadyLine(line: string): ReadyLine {
  const parsed = JSON.parse(line) as Partial<ReadyLine>;
  for (const field of REQUIRED_FIELDS) {
    if (parsed[field] === undefined) throw new Error(`The emulator's ready line has no '${field}'.`);
  }
  return parsed as ReadyLine;
}
