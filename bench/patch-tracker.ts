/**
 * Matches desired patches arriving at module clients with the updates that caused them. Each update
 * carries a unique integer token (`desired.bench`); the SDK also re-emits the whole desired document
 * (wire notes P7), whose old token is no longer awaited and is ignored.
 */
export class PatchTracker {
  private readonly waiting = new Map<number, (arrivedAt: number) => void>();
  private nextToken = 1;

  token(): number {
    return this.nextToken++;
  }

  /** Resolves with the performance.now() reading at which the patch carrying `token` arrived. */
  expect(token: number): Promise<number> {
    return new Promise((resolve) => this.waiting.set(token, resolve));
  }

  arrived(token: number, arrivedAt: number): void {
    const resolve = this.waiting.get(token);
    if (resolve === undefined) return;
    this.waiting.delete(token);
    resolve(arrivedAt);
  }

  get pending(): number {
    return this.waiting.size;
  }

  /** Drops everything still awaited (after a deadline: those patches are counted as lost). */
  abandon(): number {
    const lost = this.waiting.size;
    this.waiting.clear();
    return lost;
  }
}
