import { Given, Then, When } from '@cucumber/cucumber';
import { assertUnauthorized } from '../src/harness/error-expectations.js';
import type { HubWorld } from './support/world.js';

Given('device {string} is registered with a self-signed certificate', async function (this: HubWorld, device: string) {
  await this.scenario.certificates.registerSelfSigned(device, ['primary']);
});

Given('device {string} is registered with a primary and a secondary certificate', async function (this: HubWorld, device: string) {
  await this.scenario.certificates.registerSelfSigned(device, ['primary', 'secondary']);
});

Given('device {string} is registered to authenticate with certificates from a trusted CA', async function (this: HubWorld, device: string) {
  await this.scenario.certificates.registerForCertificateAuthority(device);
});

When('device {string} connects with its certificate', async function (this: HubWorld, device: string) {
  await this.scenario.certificates.connect(device, 'primary');
});

When('device {string} connects with a certificate from a CA the hub does not trust', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.certificates.connectWithUntrustedCertificate(device));
});

When('the back end retires the primary certificate of device {string}', async function (this: HubWorld, device: string) {
  await this.scenario.certificates.retirePrimary(device);
});

Then('device {string} connects with its secondary certificate', async function (this: HubWorld, device: string) {
  await this.scenario.certificates.connect(device, 'secondary');
});

Then('device {string} is refused with its primary certificate', async function (this: HubWorld, device: string) {
  await this.scenario.attempt(() => this.scenario.certificates.connect(device, 'primary'));
  assertUnauthorized(this.scenario.last.error);
});
