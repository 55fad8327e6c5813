import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import { ScenarioContext } from '../../src/harness/scenario-context.js';
import { currentTarget } from './target.js';

/** The typed World: one ScenarioContext per scenario, on the target the run was started against. */
export class HubWorld extends World {
  readonly scenario: ScenarioContext;

  constructor(options: IWorldOptions) {
    super(options);
    this.scenario = new ScenarioContext(currentTarget());
  }
}

setWorldConstructor(HubWorld);
