/** Who a control request is about: a device, or a module of a device. */
export interface ControlIdentity {
  readonly deviceId: string;
  readonly moduleId?: string;
}

export interface ConnectionStatus {
  readonly connected: boolean;
  /** How many times the identity has connected since the emulator started; a reconnect raises it. */
  readonly connectionCount: number;
}

export interface ConnectionWait {
  readonly minConnectionCount: number;
  readonly timeoutMs: number;
  /** Also wait until it listens for desired patches again (AMQP re-subscribes after its links). */
  readonly listeningForDesired?: boolean;
}

/**
 * What the harness may ask of an emulator (never of a real hub), the same whether the emulator runs
 * in this process (in-process-control.ts) or elsewhere behind its HTTP control plane (http-control.ts).
 */
export interface EmulatorControlClient {
  /** Forgets every identity and twin and disconnects every client. */
  reset(): Promise<void>;
  connectionStatus(identity: ControlIdentity): Promise<ConnectionStatus>;
  /** Cuts the identity's connection as a network failure would; false when it was not connected. */
  dropConnection(identity: ControlIdentity): Promise<boolean>;
  /** Resolves once the identity is connected with at least `minConnectionCount` connections; rejects on timeout saying what was seen. */
  waitForConnection(identity: ControlIdentity, wait: ConnectionWait): Promise<ConnectionStatus>;
}

/** The MQTT client id of an identity: `device` or `device/module` (wire notes §1.2). */
export function clientIdOf(identity: ControlIdentity): string {
  return identity.moduleId === undefined ? identity.deviceId : `${identity.deviceId}/${identity.moduleId}`;
}
