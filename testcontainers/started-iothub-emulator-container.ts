import { AbstractStartedContainer, type StartedTestContainer } from 'testcontainers';
import type { ReadyLine } from './ready-line.js';

/** Prints a file's text: node is the one program every emulator image has (no cat in the offline base). */
const PRINT_FILE = "process.stdout.write(require('fs').readFileSync(process.argv[1], 'utf8'))";

interface StartedDetails {
  readonly ready: ReadyLine;
  readonly caCertificate: string;
}

/** A running emulator container: what clients need to reach it, read from its ready line. */
export class StartedIotHubEmulatorContainer extends AbstractStartedContainer {
  constructor(
    startedTestContainer: StartedTestContainer,
    private readonly details: StartedDetails,
  ) {
    super(startedTestContainer);
  }

  /** Reads a text file inside the container (the generated CA certificate). */
  static async readFileIn(container: StartedTestContainer, path: string): Promise<string> {
    const result = await container.exec(['node', '-e', PRINT_FILE, path]);
    if (result.exitCode !== 0) throw new Error(`Could not read ${path} in the emulator container: ${result.stderr.trim()}`);
    return result.stdout;
  }

  /** The iothubowner connection string: `HostName=...;SharedAccessKeyName=iothubowner;SharedAccessKey=...`. */
  getServiceConnectionString(): string {
    return this.details.ready.serviceConnectionString;
  }

  /** PEM of the certificate clients must trust (NODE_EXTRA_CA_CERTS, or the SDK's `ca` option). */
  getCaCertificate(): string {
    return this.details.caCertificate;
  }

  getHubHostName(): string {
    return this.details.ready.hostName;
  }

  getHttpsPort(): number {
    return this.details.ready.httpsPort;
  }

  getMqttPort(): number {
    return this.details.ready.mqttPort;
  }

  /** AMQP over TLS (the service SDK's `Client`: cloud-to-device messages and feedback). */
  getAmqpPort(): number {
    return this.details.ready.amqpPort;
  }

  /**
   * The hub's built-in Event Hub-compatible endpoint, as the portal shows it under Built-in endpoints:
   * `Endpoint=sb://<hostName>[:<amqpPort>]/;SharedAccessKeyName=iothubowner;SharedAccessKey=...;EntityPath=<hub>`,
   * for `EventHubConsumerClient` (which trusts the CA through NODE_EXTRA_CA_CERTS).
   */
  getEventHubsConnectionString(): string {
    return this.details.ready.eventHubsConnectionString;
  }

  /** The Device Provisioning Service's host (device registration over HTTPS and the service API dial it on 443). */
  getProvisioningHost(): string {
    return this.details.ready.provisioningHost;
  }

  getIdScope(): string {
    return this.details.ready.idScope;
  }

  /** `HostName=...;SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=...`, for ProvisioningServiceClient. */
  getProvisioningServiceConnectionString(): string {
    return this.details.ready.provisioningServiceConnectionString;
  }

  /** What azure-iot-provisioning-device-mqtt takes as provisioningHost (DPS's own MQTT listener, `host:port`). */
  getProvisioningMqttHost(): string {
    return this.details.ready.provisioningMqttHost;
  }

  /** `host:port` of MQTT over TLS when that is not HostName:8883; undefined otherwise (wire notes §1.1). */
  getGatewayHostName(): string | undefined {
    return this.details.ready.gatewayHostName;
  }

  /** Base URL of the test control plane (withControlPlane()), e.g. https://localhost:443/_emulator. */
  getControlPlaneUrl(): string {
    const url = this.details.ready.controlPlaneUrl;
    if (url === undefined) throw new Error('The emulator container serves no control plane: start it with withControlPlane().');
    return url;
  }

  /** A device connection string for the Mqtt transport (GatewayHostName names the MQTT port when it is not 8883). */
  getDeviceConnectionString(deviceId: string, sharedAccessKey: string): string {
    return `HostName=${this.getHubHostName()};DeviceId=${deviceId};SharedAccessKey=${sharedAccessKey}${this.gatewaySuffix()}`;
  }

  /** A module connection string for the Mqtt transport, as the portal shows it (plus GatewayHostName when needed). */
  getModuleConnectionString(deviceId: string, moduleId: string, sharedAccessKey: string): string {
    return `HostName=${this.getHubHostName()};DeviceId=${deviceId};ModuleId=${moduleId};SharedAccessKey=${sharedAccessKey}${this.gatewaySuffix()}`;
  }

  private gatewaySuffix(): string {
    const gatewayHostName = this.getGatewayHostName();
    return gatewayHostName === undefined ? '' : `;GatewayHostName=${gatewayHostName}`;
  }
}
