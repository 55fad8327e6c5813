import { once, type EventEmitter } from 'node:events';

export interface ConnectionStatus {
  readonly connected: boolean;
  /** How many times the client id has connected since the emulator started (a reconnect raises it). */
  readonly connectionCount: number;
  /** Whether the client listens for desired-property patches now (MQTT subscription, AMQP twin PUT). */
  readonly listensForDesired: boolean;
}

export interface ConnectionWaitOptions {
  readonly minConnectionCount: number;
  readonly timeoutMs: number;
  /**
   * Also wait until the client listens for desired patches again: over AMQP the SDK re-subscribes
   * (a twin PUT) only after its reconnected links are back (wire notes AMQP §4.7).
   */
  readonly listeningForDesired?: boolean;
}

export class ConnectionWaitTimeout extends Error {
  constructor(clientId: string, options: ConnectionWaitOptions, seen: ConnectionStatus) {
    super(
      `Timed out after ${options.timeoutMs} ms waiting for client '${clientId}' to be connected with at least ` +
        `${options.minConnectionCount} connection(s)${options.listeningForDesired === true ? ' and listening for desired patches' : ''}; ` +
        `seen: connected=${seen.connected}, connectionCount=${seen.connectionCount}, listensForDesired=${seen.listensForDesired}`,
    );
    this.name = 'ConnectionWaitTimeout';
  }
}

/**
 * Resolves once the client is connected and has connected at least `minConnectionCount` times;
 * event-driven on the session table's `change` events, with a deadline (no polling).
 */
export async function waitForConnectionStatus(
  clientId: string,
  probe: () => ConnectionStatus,
  changes: EventEmitter,
  options: ConnectionWaitOptions,
): Promise<ConnectionStatus> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    for (;;) {
      const status = probe();
      const listening = options.listeningForDesired !== true || status.listensForDesired;
      if (status.connected && status.connectionCount >= options.minConnectionCount && listening) return status;
      try {
        await once(changes, 'change', { signal: controller.signal });
      } catch {
        throw new ConnectionWaitTimeout(clientId, options, probe());
      }
    }
  } finally {
    clearTimeout(timer);
  }
}
