import { once } from 'node:events';
import { Agent } from 'node:https';
import mqtt, { type MqttClient } from 'mqtt';
import type { Registry } from 'azure-iothub';
import { createSasToken } from '../emulator/state/sas.js';
import { createModuleIdentity } from '../src/flows/create-module-identity.js';
import { httpsText } from '../test/support/https-text.js';
import { serviceTokenFor } from '../test/support/service-token.js';
import type { HubEndpoint, ModuleRef } from './endpoint.js';
import { withDeadline } from '../src/wait-for.js';
import { PatchTracker } from './patch-tracker.js';

export interface BarePath {
  /** Times `count` sequential PATCH -> desired patch at the module round trips (ms each). */
  sample(count: number): Promise<number[]>;
  /** One PATCH carrying a fresh token; resolves once its patch has reached the module. */
  updateAndAwaitDelivery(): Promise<void>;
  close(): Promise<void>;
}

const API_VERSION = '2021-04-12';
const TOKEN_LIFETIME_S = 3600;
const expiry = (): number => Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;

/**
 * The update path through the emulator with the SDKs taken out: the same bare clients as the
 * same-transport floor (an https.request on a keep-alive agent, an mqtt.js subscriber), speaking IoT
 * Hub's protocol to the emulator (SAS tokens, PATCH /twins/{id}/modules/{mid}, the desired-properties
 * topic; wire notes §1-§3). Against that floor it isolates what the hub logic costs.
 */
export async function openBarePath(endpoint: HubEndpoint, registry: Registry, ref: ModuleRef): Promise<BarePath> {
  const identity = await createModuleIdentity(registry, ref);
  const tracker = new PatchTracker();
  const subscriber = await subscribeToDesired(endpoint, ref, identity.primaryKey, tracker);
  const agent = new Agent({ keepAlive: true });
  const patch = patchSender(endpoint, ref, agent);
  const timedUpdate = async (): Promise<number> => {
    const token = tracker.token();
    const arrival = tracker.expect(token);
    const started = performance.now();
    await patch(token);
    return (await withDeadline(arrival, 10_000, `the bare desired patch ${token}`)) - started;
  };
  return {
    async sample(count) {
      const samples: number[] = [];
      for (let index = 0; index < count; index++) samples.push(await timedUpdate());
      return samples;
    },
    updateAndAwaitDelivery: async () => {
      await timedUpdate();
    },
    async close() {
      agent.destroy();
      await new Promise<void>((resolve) => subscriber.end(true, {}, () => resolve()));
    },
  };
}

/** An mqtt.js client as the module, authenticated the hub's way, reporting each desired patch's token. */
async function subscribeToDesired(endpoint: HubEndpoint, ref: ModuleRef, moduleKey: string, tracker: PatchTracker): Promise<MqttClient> {
  const { hostName } = endpoint;
  const subscriber = mqtt.connect(`mqtts://${endpoint.gatewayHostName}`, {
    ca: endpoint.ca,
    clientId: `${ref.deviceId}/${ref.moduleId}`,
    username: `${hostName}/${ref.deviceId}/${ref.moduleId}/?api-version=${API_VERSION}`,
    password: createSasToken({ resourceUri: `${hostName}/devices/${ref.deviceId}/modules/${ref.moduleId}`, base64Key: moduleKey, expiry: expiry() }),
    protocolVersion: 4,
    keepalive: 180,
    reconnectPeriod: 0,
  });
  await withDeadline(once(subscriber, 'connect'), 10_000, 'the bare MQTT module client to connect');
  await new Promise<void>((resolve, reject) =>
    subscriber.subscribe('$iothub/twin/PATCH/properties/desired/#', { qos: 0 }, (error: unknown) => (error instanceof Error ? reject(error) : resolve())),
  );
  subscriber.on('message', (_topic, payload) => tracker.arrived((JSON.parse(payload.toString()) as { bench: number }).bench, performance.now()));
  return subscriber;
}

/** `PATCH /twins/{id}/modules/{mid}` with the service policy's SAS token, as the Registry sends it. */
function patchSender(endpoint: HubEndpoint, ref: ModuleRef, agent: Agent): (token: number) => Promise<void> {
  const authorization = serviceTokenFor(endpoint.serviceConnectionString, TOKEN_LIFETIME_S);
  const path = `/twins/${encodeURIComponent(ref.deviceId)}/modules/${encodeURIComponent(ref.moduleId)}?api-version=${API_VERSION}`;
  return async (token) => {
    const body = JSON.stringify({ properties: { desired: { bench: token } } });
    const headers = { authorization, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'if-match': '*' };
    const reply = await httpsText({ host: endpoint.hostName, method: 'PATCH', path, headers, agent }, body);
    if (reply.status !== 200) throw new Error(`The bare PATCH got ${reply.status}: ${reply.text}`);
  };
}
