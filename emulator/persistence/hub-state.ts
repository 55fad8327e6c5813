import { randomBytes, randomUUID } from 'node:crypto';
import { SessionTable } from '../mqtt/sessions.js';
import { generateTlsMaterial, type TlsMaterial } from '../servers/certificate.js';
import type { Clock } from '../state/clock.js';
import { defaultPolicies, type SharedAccessPolicy } from '../state/policies.js';
import { IdentityRegistry } from '../state/registry.js';
import { openAedesLevelStore, type AedesLevelStore } from './aedes-level.js';
import { persistentRegistry } from './persistent-registry.js';
import { persistentSessions } from './persistent-sessions.js';
import { SqliteStore } from './sqlite-store.js';

export interface HubStateInit {
  /** Where the state is kept; in memory only when absent (the default). */
  readonly dataDirectory: string | undefined;
  readonly hostName: string;
  readonly clock: Clock;
  readonly ownerKey: string | undefined;
  readonly tls: TlsMaterial | undefined;
}

/** The hub's state: registry and twins, policies, TLS material, MQTT sessions. */
export interface HubState {
  readonly registry: IdentityRegistry;
  readonly policies: readonly SharedAccessPolicy[];
  readonly tls: TlsMaterial;
  readonly sessions: SessionTable;
  /** aedes's session store; undefined means aedes's in-memory default. */
  readonly aedesPersistence: unknown;
  close(): Promise<void>;
}

const generateSymmetricKey = (): string => randomBytes(32).toString('base64');

/**
 * Builds the hub's state, from the data directory when there is one. A restarted emulator keeps its
 * policies' keys and its certificate too, so that connection strings and trusted CAs stay valid.
 */
export async function openHubState(init: HubStateInit): Promise<HubState> {
  const registry = new IdentityRegistry({ clock: init.clock, generateKey: generateSymmetricKey, generateGenerationId: () => randomUUID() });
  if (init.dataDirectory === undefined) {
    const tls = init.tls ?? (await generateTlsMaterial(init.hostName));
    const policies = defaultPolicies(generateSymmetricKey, init.ownerKey);
    return { registry, policies, tls, sessions: new SessionTable(), aedesPersistence: undefined, close: () => Promise.resolve() };
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
    const tls = init.tls ?? saved?.tls ?? (await generateTlsMaterial(init.hostName));
    store.saveHubMaterial({ policies, tls });
    return {
      registry: persistentRegistry(registry, store),
      policies,
      tls,
      sessions: persistentSessions(new SessionTable(), store),
      aedesPersistence: opened.persistence,
      close: async () => {
        store.close();
        await opened.close();
      },
    };
  } catch (error) {
    store.close();
    await aedesStore?.close();
    throw error;
  }
}
