import type { Registry } from 'azure-iothub';
import type { HubTarget } from '../target/hub-target.js';
import type { CleanupStack } from './cleanup-stack.js';
import type { ScenarioIds } from './scenario-ids.js';

/** How long a scenario waits for something the hub does asynchronously (a patch to arrive). */
export const PROPAGATION_TIMEOUT_MS = 5_000;

/** What every side of a scenario shares: its ids, the target (also the device endpoint), the back end's registry and the cleanup stack. */
export interface ScenarioScope {
  readonly ids: ScenarioIds;
  readonly target: HubTarget;
  readonly registry: Registry;
  readonly cleanup: CleanupStack;
}
