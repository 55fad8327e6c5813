import { ChangeFeed } from './change-feed.js';

/**
 * What the emulator's adapters did, as they did it (issue 15): the one feed that the request log,
 * the Prometheus metrics and the web inspector read. Adapters announce; nothing in the state layer
 * logs or counts (the aedes rule: no logging in the core, policy through hooks).
 *
 * Events carry ids, routes, codes and sizes, never a key, a token, a password or a message body:
 * a listener cannot leak what it is never given. Packet-level detail (`packet`) carries only the
 * packet's kind and topic or address, for `--log-level debug`.
 */
export type ActivityEvent =
  | RestRequestActivity
  | ConnectedActivity
  | DisconnectedActivity
  | RefusedActivity
  | TelemetryActivity
  | DesiredDeliveredActivity
  | EventsReadActivity
  | PacketActivity;

/** The device transports and the service sides a connection or request comes in over. */
export type ActivityTransport = 'mqtt' | 'mqtt-ws' | 'amqp' | 'amqp-ws' | 'https' | 'dps-mqtt' | 'dps-https';

/** Why a connection, link or request was refused, in words an operator recognises. */
export type RefusalReason =
  | 'wrong-key'
  | 'expired-token'
  | 'malformed-token'
  | 'unknown-identity'
  | 'disabled-identity'
  | 'unknown-policy'
  | 'missing-permission'
  | 'forbidden-topic'
  | 'certificate-mismatch'
  /** An X.509 identity that sent a SAS token, or a SAS identity without one. */
  | 'wrong-authentication-type'
  /** A token whose resource (`sr`) or audience is not the one it is presented for. */
  | 'wrong-audience'
  | 'bad-request'
  | 'other';

/** One answered REST request (hub API, device API, DPS, control plane): the route pattern, not the raw query. */
export interface RestRequestActivity {
  readonly type: 'rest-request';
  readonly at: Date;
  readonly method: string;
  /** The path without its query string (the query may carry a SAS token: `sig=` is never logged). */
  readonly path: string;
  /** A low-cardinality route name for metrics, e.g. `GET /twins/{id}`. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  /** The hub's `ErrorCode` when the answer is an error. */
  readonly errorCode?: string;
}

export interface ConnectedActivity {
  readonly type: 'connected';
  readonly at: Date;
  readonly transport: ActivityTransport;
  /** `deviceId` or `deviceId/moduleId`. */
  readonly clientId: string;
  readonly authentication: 'sas' | 'x509';
}

export interface DisconnectedActivity {
  readonly type: 'disconnected';
  readonly at: Date;
  readonly transport: ActivityTransport;
  readonly clientId: string;
  /** e.g. `client-closed`, `token-expired`, `identity-disabled`, `taken-over`, `dropped-by-control-plane`. */
  readonly reason: string;
}

export interface RefusedActivity {
  readonly type: 'refused';
  readonly at: Date;
  readonly transport: ActivityTransport;
  /** Who asked, when it can be told (a client id, a policy name); never the credential itself. */
  readonly claimedBy?: string;
  readonly reason: RefusalReason;
  /** A short human explanation (the hub's error message or the MQTT return code name), secret-free. */
  readonly detail: string;
}

/** A device-to-cloud message taken in: its properties (application and system) and its size, not its body. */
export interface TelemetryActivity {
  readonly type: 'telemetry';
  readonly at: Date;
  readonly transport: ActivityTransport;
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly bodyBytes: number;
}

/** A desired-properties patch pushed to a connected device or module. */
export interface DesiredDeliveredActivity {
  readonly type: 'desired-delivered';
  readonly at: Date;
  readonly transport: ActivityTransport;
  readonly clientId: string;
  readonly version: number;
  /** From the twin update that caused it to the patch leaving the emulator. */
  readonly latencyMs: number;
}

/** Events handed to an Event Hub consumer by the built-in endpoint (telemetry out). */
export interface EventsReadActivity {
  readonly type: 'events-read';
  readonly at: Date;
  readonly consumerGroup: string;
  readonly partitionId: string;
  readonly count: number;
}

/** Packet-level detail for `--log-level debug`: kind and topic or address only. */
export interface PacketActivity {
  readonly type: 'packet';
  readonly at: Date;
  readonly transport: ActivityTransport;
  readonly clientId?: string;
  readonly direction: 'in' | 'out';
  /** e.g. `PUBLISH`, `SUBSCRIBE`, `attach`, `transfer`. */
  readonly kind: string;
  readonly topicOrAddress?: string;
  readonly bytes?: number;
}

/** The emulator's one activity feed (a `ChangeFeed`, synchronous and ordered). */
export class ActivityFeed extends ChangeFeed<ActivityEvent> {}
