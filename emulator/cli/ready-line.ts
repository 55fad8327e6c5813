import { isIP } from 'node:net';
import type { RunningEmulator } from './startup.js';
import type { CliOptions } from './args.js';

export interface ReadyLine {
  readonly serviceConnectionString: string;
  readonly caCertificatePath: string;
  readonly hostName: string;
  readonly httpsPort: number;
  readonly mqttPort: number;
  /** AMQP over TLS: the service SDK's `Client` dials `<hostName>:5671` (a HostName with another port changes its token audience). */
  readonly amqpPort: number;
  /** The built-in endpoint's Event Hub-compatible connection string (`Endpoint=sb://<hostName>[:<amqpPort>]/;...;EntityPath=<hub>`), for `EventHubConsumerClient`. */
  readonly eventHubsConnectionString: string;
  /** With --amqp-plain-port: the plain loopback AMQP listener's port, and the connection string with `UseDevelopmentEmulator=true` for it. */
  readonly amqpPlainPort?: number;
  readonly eventHubsDevelopmentConnectionString?: string;
  /** The Device Provisioning Service: the host devices and ProvisioningServiceClient dial (port 443), its ID scope, and its provisioningserviceowner connection string. */
  readonly provisioningHost: string;
  readonly idScope: string;
  readonly provisioningServiceConnectionString: string;
  /** What azure-iot-provisioning-device-mqtt takes as provisioningHost: DPS's MQTT listener, `<host>:<port>` unless the port is 8883. */
  readonly provisioningMqttHost: string;
  /** Set when the MQTT port is not 8883: put it in module connection strings (wire notes §1.1). */
  readonly gatewayHostName?: string;
  readonly controlPlaneUrl?: string;
}

/** The one JSON line printed on stdout once both listeners accept connections. */
export function readyLine(running: RunningEmulator, options: CliOptions): ReadyLine {
  const { emulator } = running;
  const httpsPort = emulator.httpsPort ?? options.httpsPort;
  const urlHost = urlHostFor(options.host, options.hostName);
  return {
    serviceConnectionString: emulator.getServiceConnectionString(),
    caCertificatePath: running.caCertificatePath,
    hostName: emulator.hostName,
    httpsPort,
    mqttPort: emulator.mqttPort,
    amqpPort: emulator.amqpPort,
    eventHubsConnectionString: emulator.getEventHubsConnectionString(),
    ...(emulator.amqpPlainPort === undefined
      ? {}
      : { amqpPlainPort: emulator.amqpPlainPort, eventHubsDevelopmentConnectionString: emulator.getEventHubsConnectionString({ developmentEmulator: true }) }),
    provisioningHost: emulator.provisioningHost,
    idScope: emulator.idScope,
    provisioningServiceConnectionString: emulator.provisioningServiceConnectionString,
    provisioningMqttHost: emulator.provisioningMqttHost,
    ...(emulator.mqttPort === 8883 ? {} : { gatewayHostName: `${emulator.hostName}:${emulator.mqttPort}` }),
    ...(options.controlPlane ? { controlPlaneUrl: `https://${urlHost}:${httpsPort}/_emulator` } : {}),
  };
}

/** A host for URLs: the host name unless the bind address is a specific non-loopback one. */
function urlHostFor(bindAddress: string, hostName: string): string {
  if (bindAddress === '0.0.0.0' || bindAddress === '::' || bindAddress.startsWith('127.') || bindAddress === '::1') return hostName;
  return isIP(bindAddress) === 6 ? `[${bindAddress}]` : bindAddress;
}
