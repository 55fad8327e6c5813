import { IotHubEmulator } from 'iothub-emulator';
import { InProcessControl } from '../control/in-process-control.js';
import type { DeviceTransport } from '../flows/module-twin-session.js';
import type { HubTarget } from './hub-target.js';
import type { EmbeddedRestFrontEnd } from './start-target.js';

/**
 * The default target: the emulator in this process. Its HTTPS listener (REST, and MQTT over
 * WebSockets) is on an ephemeral loopback port that TLS connections to `<HostName>:443` are routed to
 * (emulator/servers/hub-host-route.ts), so the Registry and MqttWs clients use the hub's own host name
 * and port, as on Azure. MQTT over TLS is on another ephemeral port, given as GatewayHostName.
 * With the `nock` front end (IOTHUB_EMULATOR_REST_FRONT_END=nock) nock serves the REST API instead.
 */
export async function startEmbeddedTarget(deviceTransport: DeviceTransport, restFrontEnd: EmbeddedRestFrontEnd = 'routed'): Promise<HubTarget> {
  const emulator = await new IotHubEmulator().withRestFrontEnd(restFrontEnd).start();
  return {
    kind: 'embedded',
    serviceConnectionString: emulator.getServiceConnectionString(),
    // Endpoint=sb://<hostName>/: TLS connections to <hostName>:5671 are routed to the AMQP listener.
    eventHubsConnectionString: emulator.getEventHubsConnectionString(),
    hostName: emulator.hostName,
    deviceTransport,
    // MqttWs dials `wss://<GatewayHostName or HostName>:443` (wire notes §1.1): HostName:443 is routed.
    ...(deviceTransport === 'mqtt' ? { gatewayHostName: emulator.mqttGatewayHostName } : {}),
    ca: emulator.caCertificate,
    x509HostName: emulator.x509HostName,
    provisioning: { host: emulator.provisioningHost, idScope: emulator.idScope, serviceConnectionString: emulator.provisioningServiceConnectionString },
    control: new InProcessControl(emulator.control),
    stop: () => emulator.stop(),
  };
}
