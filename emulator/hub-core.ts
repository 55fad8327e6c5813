import { randomUUID } from 'node:crypto';
import { AmqpEndpoint } from './amqp/amqp-endpoint.js';
import { eventHubEndpoint } from './amqp/event-hubs/event-hub-endpoint.js';
import type { LinkService } from './amqp/link-routes.js';
import { serviceMessaging } from './amqp/service-messaging.js';
import { scheduleCloudToDeviceDeadlines } from './c2d-deadlines.js';
import { EmulatorControl } from './control/control-plane.js';
import type { EmulatorSettings } from './emulator-settings.js';
import { createHubBroker, type HubBroker } from './mqtt/broker.js';
import { openHubState, type HubState } from './persistence/hub-state.js';
import { openProvisioning, type ProvisioningCore } from './provisioning-core.js';
import { RestApi } from './rest/router.js';
import { generateTlsMaterial } from './servers/certificate.js';
import { CloudToDeviceQueues } from './state/cloud-to-device.js';
import { routeTelemetryToEventHub } from './state/event-hub-intake.js';
import { DEFAULT_EVENT_HUB_OPTIONS, EventHubStore } from './state/event-hub-store.js';

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
  /** The Device Provisioning Service, its one linked hub this one (provisioning-core.ts). */
  readonly provisioning: ProvisioningCore;
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
  const state = await openHubState({
    dataDirectory: settings.dataDirectory, clock, ownerKey: settings.ownerKey, tls: settings.tls, generateTls: () => generateTlsMaterial(hostName, settings.provisioning?.hostName === undefined ? [] : [settings.provisioning.hostName]),
  });
  const { registry, policies } = state;
  const cloudToDevice = new CloudToDeviceQueues({ clock, registry, generateLockToken: randomUUID });
  const stops = [
    scheduleCloudToDeviceDeadlines(cloudToDevice, clock),
    // A deleted device's messages go with it, as its twin does.
    registry.changes.subscribe((change) => {
      if (change.type === 'identity-deleted' && change.identity.moduleId === undefined) cloudToDevice.dropDevice(change.identity.deviceId);
    }),
  ];
  const broker = await createHubBroker({ hostName, registry, policies, clock, sessions: state.sessions, aedesPersistence: state.aedesPersistence, cloudToDevice });
  const policyMap = new Map(policies.map((policy) => [policy.name, policy]));
  const eventHubStore = new EventHubStore(settings.eventHub ?? DEFAULT_EVENT_HUB_OPTIONS, clock);
  stops.push(routeTelemetryToEventHub(broker.telemetry, registry, eventHubStore));
  const eventHub = eventHubEndpoint({ hubName: settings.hubName, store: eventHubStore, policies: policyMap, clock });
  const amqp = new AmqpEndpoint({
    cbs: { hostName, registry, policies: policyMap, otherAudiences: [eventHub.verifyAudience] },
    nowMs: () => clock.now().getTime(),
    services: [serviceMessaging({ hubName: settings.hubName, clock, queues: cloudToDevice }), eventHub.service, ...extraAmqpServices],
  });
  const rest = new RestApi({ hostName, registry, policies, methods: broker.methods, clock, cloudToDevice });
  const control = new EmulatorControl({ registry, broker, queues: cloudToDevice, clock });
  const provisioning = await openProvisioning(settings.provisioning ?? {}, { hostName, registry, clock, maxPayloadBytes: settings.maxRequestBodyBytes, dataDirectory: settings.dataDirectory }).catch(async (error: unknown) => {
    // DPS's store may refuse the data directory: what is already open closes before the error goes up.
    amqp.closeAll();
    stops.forEach((stop) => stop());
    await broker.close();
    await state.close();
    throw error;
  });
  const closeAdapters = async (): Promise<void> => {
    amqp.closeAll();
    stops.forEach((stop) => stop());
    await Promise.all([broker.close(), provisioning.close()]);
  };
  return { hostName, state, cloudToDevice, broker, amqp, eventHub: { name: settings.hubName, store: eventHubStore }, rest, control, provisioning, closeAdapters, closeState: () => state.close() };
}
