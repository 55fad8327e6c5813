import type { HubTarget } from '../../src/target/hub-target.js';

let target: HubTarget | undefined;

export function setCurrentTarget(value: HubTarget | undefined): void {
  target = value;
}

export function currentTarget(): HubTarget {
  if (target === undefined) throw new Error('No hub target: the BeforeAll hook did not start one.');
  return target;
}
