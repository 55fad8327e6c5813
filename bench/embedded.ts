import { IotHubEmulator } from '../emulator/index.js';
import type { HubEndpoint } from './endpoint.js';

/**
 * The in-process emulator (the default `routed` REST front end unless `nock` is asked for, MQTT over
 * TLS on loopback). Imported only where it is measured.
 */
export async function startEmbedded(restFrontEnd: 'routed' | 'nock' = 'routed'): Promise<HubEndpoint> {
  const emulator = await new IotHubEmulator().withRestFrontEnd(restFrontEnd).start();
  return {
    label: restFrontEnd === 'routed' ? 'embedded' : `embedded-${restFrontEnd}`,
    serviceConnectionString: emulator.getServiceConnectionString(),
    hostName: emulator.hostName,
    gatewayHostName: emulator.mqttGatewayHostName,
    ca: emulator.caCertificate,
    stop: () => emulator.stop(),
  };
}

export async function onEmbedded<T>(work: (endpoint: HubEndpoint) => Promise<T>, restFrontEnd: 'routed' | 'nock' = 'routed'): Promise<T> {
  const endpoint = await startEmbedded(restFrontEnd);
  try {
    return await work(endpoint);
  } finally {
    await endpoint.stop();
  }
}
