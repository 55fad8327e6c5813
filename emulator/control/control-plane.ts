import { EventEmitter } from 'node:events';
import type { HubBroker } from '../mqtt/broker.js';
import { deliverDeviceBound, type DeviceBoundMessage } from '../mqtt/device-bound.js';
import { DESIRED_NOTIFICATIONS } from '../mqtt/topics.js';
import type { TelemetryMessage } from '../state/telemetry.js';
import { clientIdOf, type IdentityRef } from '../state/identity.js';
import type { IdentityRegistry } from '../state/registry.js';
import type { TwinState } from '../state/twin.js';
import type { Clock } from '../state/clock.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import type { CertificateAuthorities, TrustedCertificateAuthority } from '../state/certificate-authorities.js';
import { commandFrom } from './control-commands.js';
import { waitForConnectionStatus, type ConnectionStatus, type ConnectionWaitOptions } from './connection-wait.js';
import type { ActivityFeed } from '../state/activity.js';
import type { DirectMethodInvoker } from '../methods/method-invoker.js';
import type { EventSources } from './event-stream.js';
import { HubInspection } from './inspection.js';

/**
 * The test control plane: what a test may do to the emulator that no one may do to a hub (reset,
 * look inside, inject faults). It is a separate object from the hub's API, never reachable through
 * the hub's REST routes or MQTT topics.
 */
/** One transport's view of its device connections, by client id (`device` or `device/module`). */
export interface TransportConnections {
  isConnected(clientId: string): boolean;
  connectionCount(clientId: string): number;
  connectedIds(): string[];
  listensForDesired(clientId: string): boolean;
  /** Cuts the connection as a network failure would; false when the client is not connected. */
  drop(clientId: string): boolean;
  /** Emits `change` whenever a client connects or disconnects. */
  readonly changes: EventEmitter;
}

export interface EmulatorControlParts {
  readonly registry: IdentityRegistry;
  readonly broker: HubBroker;
  readonly queues: CloudToDeviceQueues;
  readonly clock: Clock;
  readonly certificateAuthorities: CertificateAuthorities;
  /** Device connections on the transports other than MQTT (AMQP). */
  readonly otherConnections?: readonly TransportConnections[];
  /** For the web inspector: the service API's method invoker, and the adapters' activity feed. */
  readonly methods?: DirectMethodInvoker;
  readonly activity?: ActivityFeed;
}

export class EmulatorControl {
  private readonly registry: IdentityRegistry;
  private readonly broker: HubBroker;
  private readonly transports: readonly TransportConnections[];
  private readonly changes = new EventEmitter().setMaxListeners(0);
  /** The hub as the web inspector sees it (docs/inspector.md): identity states, twins, methods. */
  readonly inspection: HubInspection;

  constructor(private readonly parts: EmulatorControlParts) {
    this.registry = parts.registry;
    this.broker = parts.broker;
    this.transports = [mqttConnections(parts.broker), ...(parts.otherConnections ?? [])];
    for (const transport of this.transports) transport.changes.on('change', () => this.changes.emit('change'));
    const { registry, clock, methods } = parts;
    this.inspection = new HubInspection({ registry, clock, connectionStatus: (clientId) => this.connectionStatus(clientId), ...(methods === undefined ? {} : { methods }) });
  }

  /** The change feeds the inspector's live event stream is made of. */
  get eventSources(): EventSources {
    const { registry, broker, activity } = this.parts;
    return { registry: registry.changes, telemetry: broker.telemetry.changes, connections: this.changes, connectedClientIds: () => this.connectedClientIds(), ...(activity === undefined ? {} : { activity }) };
  }

  /**
   * Forgets every identity and twin, the telemetry and the cloud-to-device and feedback queues; the
   * MQTT side, told by the registry, closes every connection and forgets every session.
   */
  reset(): void {
    this.broker.telemetry.clear();
    this.parts.queues.clear();
    this.registry.clear();
  }

  /** Device-to-cloud messages the identity sent (its own, not its modules'), oldest first; all without a ref. */
  telemetry(identity?: IdentityRef): TelemetryMessage[] {
    return this.broker.telemetry.list(identity);
  }

  clearTelemetry(): void {
    this.broker.telemetry.clear();
  }

  /**
   * Sends a message to a module's input, as another module's output routed there would; resolves
   * false when the module is not connected and listening for inputs (nothing is queued).
   */
  sendInputMessage(module: IdentityRef, inputName: string, message: DeviceBoundMessage): Promise<boolean> {
    return deliverDeviceBound(this.broker.sessions, { module, inputName }, message);
  }

  /**
   * Queues a cloud-to-device message in the device's hub queue, as the service's `Client.send` does
   * (so the device gets it when it listens); throws the hub's error (unknown device, full queue).
   */
  sendCloudToDeviceMessage(deviceId: string, message: DeviceBoundMessage): Promise<boolean> {
    this.parts.queues.enqueue(commandFrom(deviceId, message, this.parts.clock.now()));
    return Promise.resolve(true);
  }

  twinOf(identity: IdentityRef): TwinState {
    return this.registry.getTwin(identity);
  }

  isConnected(identity: IdentityRef): boolean {
    return this.connectionStatus(clientIdOf(identity)).connected;
  }

  /** How many times the identity has connected, over any transport: a reconnect shows up as a higher count. */
  connectionCount(identity: IdentityRef): number {
    return this.connectionStatus(clientIdOf(identity)).connectionCount;
  }

  /** Emits `change` whenever any client connects or disconnects, over any transport. */
  get connectionChanges(): EventEmitter {
    return this.changes;
  }

  /** Connection state by client id (`device` or `device/module`), over every transport. */
  connectionStatus(clientId: string): ConnectionStatus {
    return {
      connected: this.transports.some((transport) => transport.isConnected(clientId)),
      connectionCount: this.transports.reduce((sum, transport) => sum + transport.connectionCount(clientId), 0),
      listensForDesired: this.transports.some((transport) => transport.isConnected(clientId) && transport.listensForDesired(clientId)),
    };
  }

  /** Waits until the client is connected with at least `minConnectionCount` connections (rejects on timeout). */
  waitForConnection(clientId: string, options: ConnectionWaitOptions): Promise<ConnectionStatus> {
    return waitForConnectionStatus(clientId, () => this.connectionStatus(clientId), this.changes, options);
  }

  /** Fault injection by client id, on whichever transport it is connected; false when it is not connected. */
  dropClient(clientId: string): boolean {
    return this.transports.some((transport) => transport.drop(clientId));
  }

  /**
   * Trusts a CA certificate (PEM) for certificateAuthority identities, as uploading and verifying it
   * on the hub would; throws the hub's ArgumentInvalid for text that is not a CA certificate. A reset
   * keeps the CAs, as it keeps the hub's policies: they are the hub's configuration, not its devices.
   */
  addCertificateAuthority(pem: string): TrustedCertificateAuthority[] {
    return this.parts.certificateAuthorities.add(pem);
  }

  certificateAuthorities(): TrustedCertificateAuthority[] {
    return this.parts.certificateAuthorities.list();
  }

  deviceCount(): number {
    return this.registry.deviceCount();
  }

  /** The registry's ids, for inspection; identities' keys never leave the emulator this way. */
  identityIds(): { deviceIds: string[]; moduleIds: string[] } {
    return {
      deviceIds: this.registry.listDevices().map((device) => device.deviceId),
      moduleIds: this.registry.allModules().map((module) => `${module.deviceId}/${module.moduleId}`),
    };
  }

  connectedClientIds(): string[] {
    return [...new Set(this.transports.flatMap((transport) => transport.connectedIds()))];
  }

  /** Fault injection: closes the identity's connection as a network failure would; its session stays. */
  dropConnection(identity: IdentityRef): boolean {
    return this.dropClient(clientIdOf(identity));
  }
}

function mqttConnections(broker: HubBroker): TransportConnections {
  const { sessions } = broker;
  return {
    isConnected: (clientId) => sessions.connection(clientId) !== undefined,
    connectionCount: (clientId) => sessions.connectionCount(clientId),
    connectedIds: () => sessions.connectedIds(),
    listensForDesired: (clientId) => sessions.isSubscribed(clientId, DESIRED_NOTIFICATIONS),
    drop(clientId) {
      const client = sessions.connection(clientId);
      client?.conn.destroy();
      return client !== undefined;
    },
    changes: sessions.changes,
  };
}
