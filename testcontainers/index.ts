export { DEFAULT_EMULATOR_IMAGE, IotHubEmulatorContainer, type TlsCertificate } from './iothub-emulator-container.js';
export { StartedIotHubEmulatorContainer } from './started-iothub-emulator-container.js';
export { ContainerRuntimeUnavailableError, TESTCONTAINERS_DEFAULTS, applyTestcontainersDefaults } from './docker-environment.js';
export type { ReadyLine } from './ready-line.js';
