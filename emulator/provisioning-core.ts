import { randomBytes, randomUUID } from 'node:crypto';
import type { Aedes } from 'aedes';
import { ConnectionCertificates } from './mqtt/connection-certificates.js';
import type { CertificateAuthorities } from './state/certificate-authorities.js';
import { ProvisioningApi } from './provisioning/provisioning-api.js';
import { createProvisioningBroker } from './provisioning/mqtt-registration.js';
import type { Clock } from './state/clock.js';
import { newIdScope, newOperationId, ProvisioningService } from './state/dps/provisioning-service.js';
import type { IdentityRegistry } from './state/registry.js';
import { persistProvisioning } from './persistence/persistent-provisioning.js';
import { ProvisioningStore, type ProvisioningMaterial } from './persistence/provisioning-store.js';

/** The Device Provisioning Service served with the hub (issue 13): README, "Device Provisioning Service". */
export interface ProvisioningSettings {
  /** The ID scope; `0ne` and 8 random hex digits when absent, as DPS generates them. */
  readonly idScope?: string;
  /** The provisioningserviceowner policy's key; generated when absent. */
  readonly serviceKey?: string;
  /** The provisioning host devices and the service SDK dial; the hub's host name when absent. */
  readonly hostName?: string;
  /** The retry-after (seconds) a registering device is told before it polls. */
  readonly retryAfterSeconds?: number;
  /** Port of DPS's own MQTT over TLS listener; 0 (the default) picks a free one. */
  readonly mqttPort?: number;
}

/**
 * A second before the first poll: real DPS answers `retry-after: 3` [reported, azure-iot-sdk-node#721];
 * shorter keeps tests fast while the device still goes through its polling.
 */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface ProvisioningCore {
  readonly hostName: string;
  readonly service: ProvisioningService;
  readonly api: ProvisioningApi;
  /** Device registration over MQTT: its own broker (provisioning/mqtt-registration.ts). */
  readonly broker: { readonly aedes: Aedes; close(): Promise<void> };
  /** Where DPS's MQTT listener records each connection's TLS client certificate (X.509 attestation). */
  readonly certificates: ConnectionCertificates;
  /** Ends the MQTT clients and stops following the hub's registry. */
  close(): Promise<void>;
}

export interface LinkedHub {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly clock: Clock;
  readonly maxPayloadBytes: number;
  /** The hub's data directory: DPS keeps its state there too (provisioning.sqlite); in memory when absent. */
  readonly dataDirectory: string | undefined;
  /** The CAs the hub trusts: an X.509 group's `caReferences` name them by subject CN. */
  readonly authorities?: CertificateAuthorities;
}

export async function openProvisioning(settings: ProvisioningSettings, hub: LinkedHub): Promise<ProvisioningCore> {
  const hostName = settings.hostName ?? hub.hostName;
  const retryAfterSeconds = settings.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
  const store = hub.dataDirectory === undefined ? undefined : await ProvisioningStore.open(hub.dataDirectory);
  try {
    const material = resolveMaterial(settings, store);
    const service = new ProvisioningService({
      clock: hub.clock, registry: hub.registry, linkedHub: hub.hostName, ...material, retryAfterSeconds,
      generateKey: () => randomBytes(32).toString('base64'),
      generateOperationId: () => newOperationId(() => randomBytes(8).toString('hex'), randomUUID),
      caReference: (name) => hub.authorities?.withCommonName(name) ?? [],
    });
    // Persistence subscribes first, so a change is stored before anyone else reacts to it.
    const stops = store === undefined ? [] : [persistProvisioning(service, store)];
    const certificates = new ConnectionCertificates();
    const broker = await createProvisioningBroker({ desk: service.desk, retryAfterSeconds, maxPayloadBytes: hub.maxPayloadBytes, now: () => hub.clock.now(), certificates });
    // The control plane's reset forgets every identity (registry-cleared): DPS's enrollments and
    // registration states go with them, so the next scenario starts from an empty service too.
    stops.push(hub.registry.changes.subscribe((change) => {
      if (change.type === 'registry-cleared') service.clear();
    }));
    const close = async (): Promise<void> => {
      stops.forEach((stop) => stop());
      await broker.close();
      store?.close();
    };
    return { hostName, service, api: new ProvisioningApi({ service, hostName, retryAfterSeconds }), broker, certificates, close };
  } catch (error) {
    store?.close();
    throw error;
  }
}

/** Given values win over kept ones (the operator changed them), kept ones over new ones; the result is kept. */
function resolveMaterial(settings: ProvisioningSettings, store: ProvisioningStore | undefined): ProvisioningMaterial {
  const saved = store?.loadMaterial();
  const material = {
    idScope: settings.idScope ?? saved?.idScope ?? newIdScope(() => randomBytes(4).toString('hex')),
    serviceKey: settings.serviceKey ?? saved?.serviceKey ?? randomBytes(32).toString('base64'),
  };
  store?.saveMaterial(material);
  return material;
}
