import { Given } from '@cucumber/cucumber';
import type { HubWorld } from './support/world.js';

Given('module {string} of device {string} is registered', async function (this: HubWorld, module: string, device: string) {
  await this.scenario.registerModule(device, module);
});

Given('module {string} of device {string} is connected', async function (this: HubWorld, module: string, device: string) {
  await this.scenario.registerModule(device, module);
  await this.scenario.connectModule(module);
});
