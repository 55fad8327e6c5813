import { IotHubEmulator } from '../emulator/index.js';
import type { HubEndpoint } from './endpoint.js';

/** The in-process emulator (the default `routed` REST front end, MQTT over TLS on loopback). Imported only where it is measured. */
export async function startEmbedded(): Promise<HubEndpoint> {
  const emulator = await new IotHubEmulator().start();
  return {
    label: 'embedded',
    serviceConnectionString: emulator.getServiceConnectionString(),
    hostName: emulator.hostName,
    gatewayHostName: emulator.mqttGatewayHostName,
    ca: emulator.caCertificate,
    stop: () => emulator.stop(),
  };
}

export async function onEmbedded<T>(work: (endpoint: HubEndpoint) => Promise<T>): Promise<T> {
  const endpoint = await startEmbedded();
  try {
    return await work(endpoint);
  } finally {
    await endpoint.stop();
  }
}
