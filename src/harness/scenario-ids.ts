import { randomBytes } from 'node:crypto';

/**
 * Scenarios name identities in business words ("myFirstDevice"); each scenario gets its own real ids
 * so that scenarios are independent, can run in any order, and never collide on a shared real hub.
 */
export class ScenarioIds {
  private static readonly runId = randomBytes(3).toString('hex');
  private static counter = 0;
  private readonly suffix: string;
  private readonly assigned = new Map<string, string>();

  constructor() {
    ScenarioIds.counter += 1;
    this.suffix = `${ScenarioIds.runId}-${ScenarioIds.counter}`;
  }

  /** The same name always maps to the same id within one scenario. */
  idFor(name: string): string {
    let id = this.assigned.get(name);
    if (id === undefined) {
      id = `${name}-${this.suffix}`;
      this.assigned.set(name, id);
    }
    return id;
  }
}
