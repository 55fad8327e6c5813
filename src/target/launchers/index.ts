import type { LaunchedEmulator } from './launched-emulator.js';
import { launchProcessEmulator } from './process-launcher.js';

export type LaunchedTargetKind = 'process' | 'container';

/**
 * Hook for the container target: a module at this path exporting
 * `launchContainerEmulator(logTo): Promise<LaunchedEmulator>` (testcontainers; built separately).
 * Imported by a computed path so that this file compiles before that module exists.
 */
const CONTAINER_LAUNCHER_MODULE = './container-launcher.js';

interface ContainerLauncherModule {
  launchContainerEmulator(logTo: NodeJS.WritableStream): Promise<LaunchedEmulator>;
}

export async function launchEmulator(kind: LaunchedTargetKind, logTo: NodeJS.WritableStream = process.stderr): Promise<LaunchedEmulator> {
  if (kind === 'process') return launchProcessEmulator(logTo);
  let module: ContainerLauncherModule;
  try {
    module = (await import(CONTAINER_LAUNCHER_MODULE)) as ContainerLauncherModule;
  } catch (error) {
    throw new Error(
      'The container target is not available: src/target/launchers/container-launcher.ts (exporting ' +
        `launchContainerEmulator) could not be loaded (${error instanceof Error ? error.message : String(error)}). See docs/targets.md.`,
    );
  }
  return module.launchContainerEmulator(logTo);
}
