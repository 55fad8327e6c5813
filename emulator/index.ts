export { IotHubEmulator, StartedIotHubEmulator } from './emulator.js';
export { EmulatorControl } from './control/control-plane.js';
export { HubError } from './errors.js';
export type { IdentityRef } from './state/identity.js';
export type { ReadyLine } from './cli/ready-line.js';
export type { EventHubsConnectionOptions } from './started-emulator.js';
export type { ProvisioningSettings } from './provisioning-core.js';
