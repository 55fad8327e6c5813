import { Given } from '@cucumber/cucumber';
import type { HubWorld } from './support/world.js';

Given('module {string} of device {string} is registered', async function (this: HubWorld, module: string, device: string) {
  await this.scenario.modules.register(device, module);
});

/** "Running" (direct methods, outputs, refused reports) and "connected" (twins) mean the same: the module's app is connected. */
Given(/^module "([^"]+)" of device "([^"]+)" is (?:connected|running)$/, async function (this: HubWorld, module: string, device: string) {
  await this.scenario.modules.register(device, module);
  await this.scenario.modules.connect(module);
});
