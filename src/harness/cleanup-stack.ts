import type { Registry } from 'azure-iothub';

interface Closable {
  close(): Promise<unknown>;
}

/**
 * What a scenario undoes when it ends, last done first. A client is pushed when it connects, after
 * the identity it connects as was pushed, so every client is closed before its identity is deleted:
 * a deleted identity's client would otherwise be cut off and retry.
 */
export class CleanupStack {
  private readonly undos: (() => Promise<unknown>)[] = [];
  private readonly devices = new Set<string>();

  constructor(private readonly registry: Registry) {}

  /** Deletes the device (and its modules) at the end; pushed once, where the scenario first made it. */
  deleteDevice(deviceId: string): void {
    if (this.devices.has(deviceId)) return;
    this.devices.add(deviceId);
    this.undos.push(() => this.registry.delete(deviceId));
  }

  /** Closes the client at the end, before any identity pushed earlier is deleted. */
  close<T extends Closable>(client: T): T {
    this.undos.push(() => client.close());
    return client;
  }

  /** Runs `undo` at the end (an enrollment the scenario made, say), in the stack's order. */
  defer(undo: () => Promise<unknown>): void {
    this.undos.push(undo);
  }

  /**
   * Runs every undo, last pushed first, each after the one before has finished. A failure does not
   * stop the rest: the scenario may have deleted a device or closed a client itself.
   */
  async unwind(): Promise<void> {
    for (let undo = this.undos.pop(); undo !== undefined; undo = this.undos.pop()) {
      await undo().catch(() => undefined);
    }
    this.devices.clear();
  }
}
