import { AmqpEndpoint } from './amqp/amqp-endpoint.js';
import { ActivityFeed } from './state/activity.js';
import { deviceEndpoints } from './amqp/devices/device-endpoints.js';
import { eventHubEndpoint } from './amqp/event-hubs/event-hub-endpoint.js';
import type { LinkService } from './amqp/link-routes.js';
import { serviceMessaging } from './amqp/service-messaging.js';
import { scheduleCloudToDeviceDeadlines } from './c2d-deadlines.js';
import type { TransportConnections } from './control/control-plane.js';
import type { DeviceEndpoints } from './amqp/devices/device-endpoints.js';
import { identityFromClientId } from './state/identity.js';
import type { TelemetryBuffer } from './state/telemetry.js';
import { invokerAcrossTransports } from './methods/invoker-across-transports.js';
import { EmulatorControl } from './control/control-plane.js';
import type { EmulatorSettings } from './emulator-settings.js';
import { createHubBroker, type HubBroker } from './mqtt/broker.js';
import { openHubState, type HubState } from './persistence/hub-state.js';
import { openProvisioning, type ProvisioningCore } from './provisioning-core.js';
import { RestApi } from './rest/router.js';
import { HubMetrics } from './observe/hub-metrics.js';
import { generateTlsMaterial } from './servers/certificate.js';
import { CertificateAuthorities } from './state/certificate-authorities.js';
import type { CloudToDeviceQueues } from './state/cloud-to-device.js';
import { routeTelemetryToEventHub } from './state/event-hub-intake.js';
import type { EventHubStore } from './state/event-hub-store.js';

/** The hub's state and every protocol adapter over it, before any listener is opened. */
export interface HubCore {
  readonly hostName: string;
  readonly state: HubState;
  readonly cloudToDevice: CloudToDeviceQueues;
  readonly broker: HubBroker;
  readonly amqp: AmqpEndpoint;
  /** The built-in Event Hub-compatible endpoint: its name (the hub's, the EntityPath) and its events. */
  readonly eventHub: { readonly name: string; readonly store: EventHubStore };
  readonly rest: RestApi;
  readonly control: EmulatorControl;
  /** The CA certificates the hub trusts for certificateAuthority identities (`--x509-ca`, the builder, the control plane). */
  readonly certificateAuthorities: CertificateAuthorities;
  /** The Device Provisioning Service, its one linked hub this one (provisioning-core.ts). */
  readonly provisioning: ProvisioningCore;
  /** What the adapters did (requests, connections, refusals, telemetry, deliveries): the log, metrics and inspector read it. */
  readonly activity: ActivityFeed;
  /** The Prometheus metrics over the activity feed and the registry's changes (`GET /_emulator/metrics`). */
  readonly metrics: HubMetrics;
  /** Ends every client connection and subscription (before the listeners close: they wait for connections). */
  closeAdapters(): Promise<void>;
  /** Then the state (the data directory's files). */
  closeState(): Promise<void>;
}

/**
 * Assembles the core: the state first (persistence subscribes to it before anyone else), then the
 * adapters, each subscribing to the state's changes (MQTT, AMQP) or only calling it (REST).
 */
export async function openHubCore(settings: EmulatorSettings, hostName: string, extraAmqpServices: readonly LinkService[] = []): Promise<HubCore> {
  const { clock } = settings;
  // First, so that every adapter announces on it from its first connection.
  const activity = new ActivityFeed();
  const state = await openHubState({
    dataDirectory: settings.dataDirectory, clock, ownerKey: settings.ownerKey, tls: settings.tls, generateTls: () => generateTlsMaterial(hostName, settings.provisioning?.hostName === undefined ? [] : [settings.provisioning.hostName]),
    ...(settings.eventHub === undefined ? {} : { eventHub: settings.eventHub }),
  });
  const { registry, policies, cloudToDevice, eventHubStore } = state;
  const stops = [
    scheduleCloudToDeviceDeadlines(cloudToDevice, clock),
    // A deleted device's messages go with it, as its twin does.
    registry.changes.subscribe((change) => {
      if (change.type === 'identity-deleted' && change.identity.moduleId === undefined) cloudToDevice.dropDevice(change.identity.deviceId);
    }),
  ];
  const certificateAuthorities = trustedAuthorities(settings.x509CertificateAuthorities);
  const broker = await createHubBroker({
    hostName, registry, policies, clock, sessions: state.sessions, aedesPersistence: state.aedesPersistence, cloudToDevice, certificateAuthorities, activity,
  });
  stops.push(routeTelemetryToEventHub(broker.telemetry, registry, eventHubStore));
  const { amqp, devices } = openAmqpSide({ settings, hostName, state, telemetry: broker.telemetry, authorities: certificateAuthorities, extraAmqpServices, activity });
  stops.push(() => devices.close());
  // The HTTPS device API's telemetry goes where MQTT and AMQP telemetry go (and on to the built-in endpoint).
  const methods = invokerAcrossTransports([broker.methods, devices.methods]);
  const rest = new RestApi({ hostName, registry, policies, methods, clock, cloudToDevice, telemetry: broker.telemetry, activity });
  const control = new EmulatorControl({ registry, broker, queues: cloudToDevice, clock, certificateAuthorities, otherConnections: [amqpConnections(devices)], methods, activity });
  const provisioning = await openProvisioning(settings.provisioning ?? {}, { hostName, registry, clock, maxPayloadBytes: settings.maxRequestBodyBytes, dataDirectory: settings.dataDirectory, authorities: certificateAuthorities }).catch(async (error: unknown) => {
    // DPS's store may refuse the data directory: what is already open closes before the error goes up.
    amqp.closeAll();
    stops.forEach((stop) => stop());
    await broker.close();
    await state.close();
    throw error;
  });
  const metrics = new HubMetrics({ activity, registryChanges: registry.changes });
  stops.push(() => metrics.stop());
  const closeAdapters = async (): Promise<void> => {
    amqp.closeAll();
    stops.forEach((stop) => stop());
    await Promise.all([broker.close(), provisioning.close()]);
  };
  return { hostName, state, cloudToDevice, broker, amqp, eventHub: { name: settings.hubName, store: eventHubStore }, rest, control, certificateAuthorities, provisioning, activity, metrics, closeAdapters, closeState: () => state.close() };
}

/** A CA that cannot be trusted (not PEM, not a CA certificate) stops the start with the reason. */
function trustedAuthorities(pems: readonly string[] = []): CertificateAuthorities {
  const authorities = new CertificateAuthorities();
  for (const pem of pems) authorities.add(pem);
  return authorities;
}

/** The AMQP endpoint and what it serves: service messaging, the Event Hub-compatible endpoint, the device side. */
function openAmqpSide(parts: {
  settings: EmulatorSettings;
  hostName: string;
  state: HubState;
  telemetry: TelemetryBuffer;
  authorities: CertificateAuthorities;
  extraAmqpServices: readonly LinkService[];
  activity: ActivityFeed;
}): { amqp: AmqpEndpoint; devices: DeviceEndpoints } {
  const { settings, hostName, state, telemetry, activity } = parts;
  const { registry, cloudToDevice: queues, eventHubStore: store } = state;
  const { clock } = settings;
  const policies = new Map(state.policies.map((policy) => [policy.name, policy]));
  const eventHub = eventHubEndpoint({ hubName: settings.hubName, store, policies, clock, activity });
  const devices = deviceEndpoints({ registry, telemetry, queues, clock, authorities: parts.authorities, activity });
  const amqp = new AmqpEndpoint({
    cbs: { hostName, registry, policies, otherAudiences: [eventHub.verifyAudience] },
    nowMs: () => clock.now().getTime(),
    services: [serviceMessaging({ hubName: settings.hubName, clock, queues }), eventHub.service, devices.service, ...parts.extraAmqpServices],
    activity,
  });
  return { amqp, devices };
}

/** The AMQP device side as the control plane sees connections (by client id). */
function amqpConnections(devices: DeviceEndpoints): TransportConnections {
  const { presence } = devices;
  return {
    isConnected: (clientId) => presence.isConnected(clientId),
    connectionCount: (clientId) => presence.connectionCount(clientId),
    connectedIds: () => presence.connectedIds(),
    listensForDesired(clientId) {
      const identity = identityFromClientId(clientId);
      return identity !== undefined && devices.listensForDesired(identity);
    },
    drop: (clientId) => presence.drop(clientId),
    changes: presence.changes,
  };
}
