import type { EventHubStore } from './event-hub-store.js';
import type { IdentityRegistry } from './registry.js';
import type { TelemetryBuffer } from './telemetry.js';

/**
 * The hub's default route ("IoT Hub message routing", fallback route): every device-to-cloud message,
 * telemetry and module outputs alike, goes to the built-in endpoint. Each event records who sent it
 * as the registry knew the identity at that moment (generation id, authentication type). A reset of
 * the telemetry (the control plane's) empties the endpoint too. Returns the unsubscribe function.
 */
export function routeTelemetryToEventHub(telemetry: TelemetryBuffer, registry: IdentityRegistry, store: EventHubStore): () => void {
  return telemetry.changes.subscribe((change) => {
    if (change.type === 'telemetry-cleared') {
      store.evictAll();
      return;
    }
    const { deviceId, moduleId } = change.message;
    const record = registry.findIdentity(moduleId === undefined ? { deviceId } : { deviceId, moduleId });
    store.append(change.message, { generationId: record?.generationId, authenticationType: record?.authentication.type });
  });
}
