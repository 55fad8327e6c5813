import type { RunningEmulator } from './startup.js';

export type Log = (line: string) => void;

/** Stops the emulator on the first SIGINT or SIGTERM and exits 0; a second signal exits at once. */
export function stopOnSignals(running: RunningEmulator, log: Log): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    log(`${signal} received: stopping`);
    running.emulator.stop().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log(`error while stopping: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
