import { TelemetryReader, type ReadMessage } from '../flows/read-telemetry.js';
import type { ModuleSide } from './module-side.js';
import type { RegistrySide } from './registry-side.js';
import { PROPAGATION_TIMEOUT_MS, type ScenarioScope } from './scenario-scope.js';

/** Attaching a receiver to every partition takes a connection, a token per partition and a first (empty) batch. */
const READER_START_TIMEOUT_MS = 20_000;

/**
 * The back end reading device-to-cloud messages in the steps' words, from the hub's built-in
 * Event Hub-compatible endpoint (the target's `eventHubsConnectionString`; on a real hub
 * IOTHUB_EVENTHUB_CONNECTION_STRING). A device or module is named as the scenario named it.
 */
export class TelemetrySide {
  private reader: TelemetryReader | undefined;
  /** The message the last Then step found, for the steps that look at it more closely. */
  lastRead: ReadMessage | undefined;

  constructor(
    private readonly scope: ScenarioScope,
    private readonly devices: RegistrySide,
    private readonly modules: ModuleSide,
  ) {}

  async startReading(): Promise<void> {
    const connectionString = this.scope.target.eventHubsConnectionString;
    if (connectionString === undefined) {
      throw new Error(
        'Reading telemetry needs the hub\'s Event Hub-compatible connection string: set IOTHUB_EVENTHUB_CONNECTION_STRING ' +
          '(portal: the hub > Built-in endpoints > Event Hub-compatible endpoint).',
      );
    }
    this.reader = this.scope.cleanup.close(await TelemetryReader.open(connectionString, READER_START_TIMEOUT_MS));
  }

  /** Every message read from the device itself (not its modules) with this body; waits for the first. */
  async fromDevice(deviceName: string, body: string): Promise<ReadMessage[]> {
    const deviceId = this.devices.deviceId(deviceName);
    return this.found(await this.started().readWhere(
      (message) => message.deviceId === deviceId && message.moduleId === undefined && sameBody(message.body, body),
      `the back end to read ${body} from device ${deviceId}`,
      PROPAGATION_TIMEOUT_MS,
    ));
  }

  async fromModule(moduleName: string, body: string): Promise<ReadMessage[]> {
    const { deviceId, moduleId } = this.modules.identity(moduleName);
    return this.found(await this.started().readWhere(
      (message) => message.deviceId === deviceId && message.moduleId === moduleId && sameBody(message.body, body),
      `the back end to read ${body} from module ${moduleId} of device ${deviceId}`,
      PROPAGATION_TIMEOUT_MS,
    ));
  }

  private found(messages: ReadMessage[]): ReadMessage[] {
    this.lastRead = messages[0];
    return messages;
  }

  private started(): TelemetryReader {
    if (this.reader === undefined) throw new Error('The back end is not reading telemetry in this scenario: add "Given the back end is reading the hub\'s telemetry".');
    return this.reader;
  }
}

/** Bodies compare as JSON when both are JSON (the SDK parses a JSON body), as text otherwise. */
function sameBody(read: string, expected: string): boolean {
  return read === expected || canonical(read) === canonical(expected);
}

function canonical(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text));
  } catch {
    return text;
  }
}
