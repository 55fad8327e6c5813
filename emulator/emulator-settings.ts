import { systemClock, type Clock } from './state/clock.js';
import type { EventHubOptions } from './state/event-hub-store.js';
import type { ProvisioningSettings } from './provisioning-core.js';
import type { RequestLogSettings } from './observe/log-settings.js';
import type { TlsMaterial } from './state/tls-material.js';

export interface EmulatorSettings {
  /** The hub's name; its host name is `<hubName>.azure-devices.net`, as on Azure. */
  readonly hubName: string;
  /** Address the MQTT/TLS listener binds to: loopback unless asked otherwise. */
  readonly bindAddress: string;
  /** 0 picks a free port. */
  readonly mqttPort: number;
  /** AMQP over TLS (the hub's 5671); 0 picks a free port. */
  readonly amqpPort: number;
  /**
   * Plain AMQP (no TLS) for clients that set `UseDevelopmentEmulator=true`, as the Event Hubs emulator
   * serves it; off when absent, 0 picks a free port. Bound to loopback only (127.0.0.1, or ::1 when
   * that is the bind address), whatever the bind address.
   */
  readonly amqpPlainPort?: number;
  /** The iothubowner policy's primary key; generated when absent. */
  readonly ownerKey?: string;
  readonly clock: Clock;
  /** Overrides `<hubName>.azure-devices.net`, e.g. `localhost` for a standalone emulator. */
  readonly hostName?: string;
  /** How the REST API is served (see RestFrontEnd); several may be combined. */
  readonly restFrontEnds: readonly RestFrontEnd[];
  /** Port of the HTTPS listener (REST, MQTT over WebSockets, control plane); 0 picks a free port. */
  readonly httpsPort: number;
  /** The TLS certificate and key of both listeners; generated when absent. */
  readonly tls?: TlsMaterial;
  /** Serves the control plane over HTTP under /_emulator/ (needs the HTTPS front end). */
  readonly controlPlane: boolean;
  /** The control plane on a non-loopback address must be asked for explicitly (issue 7, Security). */
  readonly allowRemoteControlPlane: boolean;
  readonly maxRequestBodyBytes: number;
  /** Keeps registry, twins, policies, certificate and MQTT sessions there (SQLite); in memory when absent. */
  readonly dataDirectory?: string;
  /** The built-in Event Hub-compatible endpoint: partitions, consumer groups, retention (DEFAULT_EVENT_HUB_OPTIONS when absent). */
  readonly eventHub?: EventHubOptions;
  /** PEM texts of the CA certificates the hub trusts for certificateAuthority identities (X.509 CA authentication). */
  readonly x509CertificateAuthorities?: readonly string[];
  /** The Device Provisioning Service: ID scope, service key, host name, retry-after (generated / defaults when absent). */
  readonly provisioning?: ProvisioningSettings;
  /** The request log (docs/observability.md): level, format, where lines go; no log when absent. */
  readonly requestLog?: RequestLogSettings;
}

/**
 * - `https`: a real HTTPS listener, reached by its address (the standalone emulator).
 * - `routed`: the same listener on loopback, plus an in-process route of `<hostName>:443` to it, so
 *   the unmodified Registry in this process reaches it by the connection string alone (the default).
 * - `nock`: nock intercepts `https://<hostName>` in this process and calls the REST API directly.
 */
export type RestFrontEnd = 'routed' | 'https' | 'nock';

export const servesListener = (settings: EmulatorSettings): boolean => settings.restFrontEnds.includes('https') || settings.restFrontEnds.includes('routed');

export const DEFAULT_SETTINGS: EmulatorSettings = {
  hubName: 'emulator-hub',
  bindAddress: '127.0.0.1',
  mqttPort: 0,
  amqpPort: 0,
  clock: systemClock,
  restFrontEnds: ['routed'],
  httpsPort: 0,
  controlPlane: false,
  allowRemoteControlPlane: false,
  // Registry and twin bodies are small (a twin section is capped at 32 KB); 256 KiB leaves headroom.
  maxRequestBodyBytes: 256 * 1024,
};

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

export function assertControlPlaneAllowed(settings: EmulatorSettings): void {
  if (settings.controlPlane && !servesListener(settings)) {
    throw new Error('The HTTP control plane is served by the HTTPS listener: add .withRestFrontEnd(\'https\') or \'routed\'.');
  }
  if (settings.controlPlane && !LOOPBACK.test(settings.bindAddress) && !settings.allowRemoteControlPlane) {
    throw new Error(
      `Refusing to serve the control plane on the non-loopback address ${settings.bindAddress}: anyone who can reach it ` +
        'could reset the emulator. Bind to 127.0.0.1, or allow it explicitly (--allow-remote-control-plane).',
    );
  }
}

