import { randomBytes, randomUUID } from 'node:crypto';
import { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import { DEFAULT_EVENT_HUB_OPTIONS, EventHubStore, type EventHubOptions } from '../state/event-hub-store.js';
import type { TlsMaterial } from '../state/tls-material.js';
import type { Clock } from '../state/clock.js';
import { defaultPolicies, type SharedAccessPolicy } from '../state/policies.js';
import { IdentityRegistry } from '../state/registry.js';
import { DeviceSessions } from '../state/sessions.js';
import { openAedesLevelStore, type AedesLevelStore } from './aedes-level.js';
import { persistCloudToDevice, persistEventHub } from './persistent-messaging.js';
import { persistRegistry } from './persistent-registry.js';
import { persistSessions } from './persistent-sessions.js';
import { SqliteStore } from './sqlite-store.js';

export interface HubStateInit {
  /** Where the state is kept; in memory only when absent (the default). */
  readonly dataDirectory: string | undefined;
  readonly clock: Clock;
  readonly ownerKey: string | undefined;
  /** The certificate to serve: given, else the one kept in the data directory, else a new one from `generateTls`. */
  readonly tls: TlsMaterial | undefined;
  readonly generateTls: () => Promise<TlsMaterial>;
  /** The built-in Event Hub-compatible endpoint's partitions, consumer groups and retention (DEFAULT_EVENT_HUB_OPTIONS when absent). */
  readonly eventHub?: EventHubOptions;
}

/** The hub's state: registry and twins, policies, TLS material, MQTT sessions, C2D queues, the Event Hub-compatible endpoint's events. */
export interface HubState {
  readonly registry: IdentityRegistry;
  readonly cloudToDevice: CloudToDeviceQueues;
  readonly eventHubStore: EventHubStore;
  readonly policies: readonly SharedAccessPolicy[];
  readonly tls: TlsMaterial;
  readonly sessions: DeviceSessions;
  /** aedes's session store; undefined means aedes's in-memory default. */
  readonly aedesPersistence: unknown;
  close(): Promise<void>;
}

/** The hub's key generator: 32 random bytes, base64, as the hub's own keys are. */
export const generateSymmetricKey = (): string => randomBytes(32).toString('base64');

/**
 * Builds the hub's state, from the data directory when there is one. A restarted emulator keeps its
 * policies' keys and its certificate too, so that connection strings and trusted CAs stay valid.
 * Persistence subscribes to the state's changes before anything else does, so a change is stored
 * before any adapter reacts to it.
 */
export async function openHubState(init: HubStateInit): Promise<HubState> {
  const registry = new IdentityRegistry({ clock: init.clock, generateKey: generateSymmetricKey, generateGenerationId: () => randomUUID() });
  const sessions = new DeviceSessions();
  const cloudToDevice = new CloudToDeviceQueues({ clock: init.clock, registry, generateLockToken: randomUUID });
  const eventHubStore = new EventHubStore(init.eventHub ?? DEFAULT_EVENT_HUB_OPTIONS, init.clock);
  const parts = { registry, sessions, cloudToDevice, eventHubStore };
  if (init.dataDirectory === undefined) {
    const tls = init.tls ?? (await init.generateTls());
    const policies = defaultPolicies(generateSymmetricKey, init.ownerKey);
    return { ...parts, policies, tls, aedesPersistence: undefined, close: () => Promise.resolve() };
  }
  const store = await SqliteStore.open(init.dataDirectory);
  let aedesStore: AedesLevelStore | undefined;
  try {
    aedesStore = await openAedesLevelStore(init.dataDirectory);
    const opened = aedesStore;
    const saved = store.loadHubMaterial();
    // An owner key given on the command line wins over the stored one (the operator changed it).
    const policies = saved === undefined
      ? defaultPolicies(generateSymmetricKey, init.ownerKey)
      : saved.policies.map((policy) => (policy.name === 'iothubowner' && init.ownerKey !== undefined ? { ...policy, primaryKey: init.ownerKey } : policy));
    const tls = init.tls ?? saved?.tls ?? (await init.generateTls());
    store.saveHubMaterial({ policies, tls });
    // The registry first: the queues put back only messages of devices that still exist.
    const unsubscribe = [persistRegistry(registry, store), persistSessions(sessions, store)];
    unsubscribe.push(persistCloudToDevice(cloudToDevice, store.messaging), persistEventHub(eventHubStore, store.messaging));
    const close = async (): Promise<void> => {
      unsubscribe.forEach((stop) => stop());
      store.close();
      await opened.close();
    };
    return { ...parts, policies, tls, aedesPersistence: opened.persistence, close };
  } catch (error) {
    store.close();
    await aedesStore?.close();
    throw error;
  }
}
