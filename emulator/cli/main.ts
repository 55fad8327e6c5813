import { parseCliArgs, UsageError } from './args.js';
import { HELP_TEXT } from './help.js';
import { readyLine } from './ready-line.js';
import { stopOnSignals } from './shutdown.js';
import { startStandaloneEmulator, StartupError } from './startup.js';

/** iothub-emulator: see HELP_TEXT and docs/standalone-emulator.md. */
const log = (line: string): void => {
  process.stderr.write(`[iothub-emulator] ${line}\n`);
};

async function main(): Promise<number> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  const running = await startStandaloneEmulator(options);
  stopOnSignals(running, log);
  const ready = readyLine(running, options);
  // Never the connection string here: stderr is a log, and the key is in it.
  log(`listening on ${options.host}: HTTPS ${ready.httpsPort} (REST, MQTT over WebSockets), MQTT/TLS ${ready.mqttPort}; HostName=${ready.hostName}`);
  log(`CA certificate: ${ready.caCertificatePath}${ready.controlPlaneUrl === undefined ? '' : `; control plane: ${ready.controlPlaneUrl}`}`);
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  return -1;
}

main().then(
  (exitCode) => {
    if (exitCode >= 0) process.exit(exitCode);
  },
  (error: unknown) => {
    if (error instanceof UsageError) log(`${error.message}\nRun 'iothub-emulator --help' for the options.`);
    else if (error instanceof StartupError) log(error.message);
    else log(`failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 64 : 2);
  },
);
