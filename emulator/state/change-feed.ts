/** A subscriber to a feed of changes; the returned function stops the subscription. */
export type ChangeListener<Change> = (change: Change) => void;

/**
 * Announces a piece of state's own writes, in order, to its subscribers (the emitter pattern of
 * aedes, typed). Delivery is synchronous: a subscriber that persists (emulator/persistence) has made
 * a write durable before the writer answers its client. A change announced while an earlier one is
 * being delivered (a subscriber that writes in turn, such as the MQTT side marking a closed
 * connection Disconnected) is queued behind it, so every subscriber sees every change in the same
 * order. Every subscriber is told of every change even when another one throws; the first error is
 * rethrown to the writer once the queue is empty, so a failed write-through is not silent.
 */
export class ChangeFeed<Change> {
  private readonly listeners = new Set<ChangeListener<Change>>();
  private readonly queue: Change[] = [];
  private delivering = false;

  subscribe(listener: ChangeListener<Change>): () => void {
    // A listener added twice would be told twice; wrap it so each subscription is its own.
    const subscription: ChangeListener<Change> = (change) => listener(change);
    this.listeners.add(subscription);
    return () => this.listeners.delete(subscription);
  }

  announce(change: Change): void {
    this.queue.push(change);
    if (this.delivering) return;
    this.delivering = true;
    const failures: unknown[] = [];
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) this.deliver(next, failures);
    } finally {
      this.delivering = false;
    }
    if (failures.length > 0) throw failures[0];
  }

  private deliver(change: Change, failures: unknown[]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        failures.push(error);
      }
    }
  }
}
