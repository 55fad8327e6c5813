import { After, AfterAll, Before, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { startTarget } from '../../src/target/start-target.js';
import { currentTarget, setCurrentTarget } from './target.js';
import type { HubWorld } from './world.js';

// A first MQTT connection takes ~200 ms (user-agent lookup and TLS); a real hub is slower still.
setDefaultTimeout(20_000);

BeforeAll(async function startHubTarget() {
  setCurrentTarget(await startTarget(process.env));
});

AfterAll(async function stopHubTarget() {
  await currentTarget().stop();
  setCurrentTarget(undefined);
});

/** Scenarios that steer the emulator cannot run on a real hub; cucumber.js leaves them out there too. */
Before({ tags: '@emulator-only' }, function requireEmulator(this: HubWorld) {
  if (this.scenario.target.control === undefined) {
    throw new Error('This scenario needs the emulator control plane: run it on the embedded, process or container target (docs/targets.md).');
  }
});

/** The one teardown: closes the scenario's clients, then deletes its identities (the cleanup stack, last pushed first). */
After(async function cleanUpScenario(this: HubWorld) {
  await this.scenario.cleanUp();
});
