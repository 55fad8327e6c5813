import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { ScenarioWorld } from '../../src/harness/scenario-world.js';
import { currentTarget } from './target.js';

/**
 * The typed World: one ScenarioWorld per scenario, on the target the run was started against. It
 * holds every side of the scenario (registry, device apps, modules, messaging), the one record of the
 * last attempt and the one cleanup stack, which the After hook in hooks.ts unwinds.
 */
export class HubWorld extends World {
  readonly scenario: ScenarioWorld;

  constructor(options: IWorldOptions) {
    super(options);
    this.scenario = new ScenarioWorld(currentTarget());
  }
}

setWorldConstructor(HubWorld);
