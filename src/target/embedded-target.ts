import { IotHubEmulator } from '../../emulator/index.js';
import { InProcessControl } from '../control/in-process-control.js';
import type { DeviceTransport } from '../flows/module-twin-session.js';
import type { HubTarget } from './hub-target.js';
import { WebSocketRedirectAgent } from './websocket-redirect-agent.js';

/**
 * The default target: the emulator in this process, REST served through nock, MQTT over TLS on an
 * ephemeral loopback port. For MqttWs it also serves WSS from an HTTPS listener on an ephemeral port,
 * reached through the SDK's public webSocketAgent option (wire notes §1.1 workaround (a)).
 */
export async function startEmbeddedTarget(deviceTransport: DeviceTransport): Promise<HubTarget> {
  const builder = new IotHubEmulator();
  if (deviceTransport === 'mqtt-ws') builder.withRestFrontEnd('nock', 'https');
  const emulator = await builder.start();
  const webSocketPort = emulator.httpsPort;
  return {
    kind: 'embedded',
    serviceConnectionString: emulator.getServiceConnectionString(),
    hostName: emulator.hostName,
    deviceTransport,
    // MqttWs dials `wss://<GatewayHostName>:443`: a port there would break the URL, and the hub's own
    // host name is nock's, so it gets plain `localhost` and the agent supplies the port.
    gatewayHostName: deviceTransport === 'mqtt' ? emulator.mqttGatewayHostName : 'localhost',
    ...(webSocketPort === undefined ? {} : { webSocketAgent: new WebSocketRedirectAgent({ host: '127.0.0.1', port: webSocketPort }) }),
    ca: emulator.caCertificate,
    control: new InProcessControl(emulator.control),
    stop: () => emulator.stop(),
  };
}
