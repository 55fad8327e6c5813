/** Messages between the load test and the emulator host process (an IPC channel, one reply per request). */
export interface ModuleRef {
  readonly deviceId: string;
  readonly moduleId: string;
}

/** A device (its own connection) or a module. */
export interface IdentityRef {
  readonly deviceId: string;
  readonly moduleId?: string;
}

/** The messaging leg: the Event Hub-compatible endpoint's consumer groups besides $Default. */
export interface MessagingOptions {
  readonly consumerGroups: readonly string[];
}

/**
 * How a patch met its module: `connected` when the same connection was up before and after the
 * service's PATCH (it must arrive), `offline` when no connection was up throughout (it must not),
 * `changing` when a connection opened or closed meanwhile (it may arrive, at most once).
 */
export type Delivery = 'connected' | 'offline' | 'changing';

export interface SentPatch {
  readonly version: number;
  readonly delivery: Delivery;
}

export interface HostMemory {
  readonly heapUsed: number;
  readonly rss: number;
  /** The highest RSS sampled (every 10 ms) since the previous `memory` request. */
  readonly peakRss: number;
}

export type HostRequest =
  | { readonly op: 'start'; readonly messaging?: MessagingOptions }
  | { readonly op: 'registerDevices'; readonly deviceIds: readonly string[] }
  | { readonly op: 'register'; readonly ids: readonly ModuleRef[] }
  | { readonly op: 'patch'; readonly refs: readonly ModuleRef[]; readonly round: number }
  | { readonly op: 'drop'; readonly refs: readonly IdentityRef[] }
  | { readonly op: 'twins'; readonly refs: readonly ModuleRef[] }
  | { readonly op: 'waitConnected'; readonly count: number; readonly timeoutMs: number }
  | { readonly op: 'memory' }
  | { readonly op: 'stop' };

export interface HostStarted {
  readonly hostName: string;
  readonly gatewayHostName: string;
  readonly ca: string;
  readonly mqttPort: number;
  /** REST and MQTT over WebSockets. */
  readonly httpsPort: number;
  /** With `messaging`: the Event Hub-compatible string for the plain loopback listener (UseDevelopmentEmulator=true). */
  readonly eventHubsConnectionString?: string;
}
