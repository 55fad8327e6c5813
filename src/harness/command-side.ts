import type { Message as DeviceMessage } from 'azure-iot-device';
import { CommandSender, ReceivedCommands, type CommandOptions, type FeedbackRecord } from '../flows/cloud-to-device.js';
import type { DeviceSide } from './device-side.js';
import type { RegistrySide } from './registry-side.js';
import { PROPAGATION_TIMEOUT_MS, type ScenarioScope } from './scenario-scope.js';

/**
 * How long feedback may take: the emulator sends it at once, the hub collects it for up to 15 s
 * (C2D doc, "Message feedback") and notices an expiry on its own schedule.
 */
export const FEEDBACK_TIMEOUT_MS = 40_000;

/**
 * Cloud-to-device commands in the steps' words: the back end sends them with the official service
 * `Client` and reads the hub's feedback; device apps listen and read them in order. A command is
 * named by its body; its message id is the scenario's id for that name, so feedback is matched to it.
 */
export class CommandSide {
  private sender: CommandSender | undefined;
  private readonly listening = new Map<string, { received: ReceivedCommands; read: number }>();

  constructor(
    private readonly scope: ScenarioScope,
    private readonly devices: RegistrySide,
    private readonly deviceApps: DeviceSide,
  ) {}

  private async backEnd(): Promise<CommandSender> {
    this.sender ??= this.scope.cleanup.close(await CommandSender.open(this.scope.target.serviceConnectionString));
    return this.sender;
  }

  private messageId(command: string): string {
    return this.scope.ids.idFor(`command-${command}`);
  }

  async send(deviceName: string, command: string, options: Omit<CommandOptions, 'messageId'> = {}): Promise<void> {
    await (await this.backEnd()).send(this.devices.deviceId(deviceName), command, { ...options, messageId: this.messageId(command) });
  }

  /** Connects the device's app and listens; one round trip makes sure the C2D subscription went first. */
  async listen(deviceName: string): Promise<void> {
    const app = await this.deviceApps.connect(deviceName);
    this.listening.set(deviceName, { received: new ReceivedCommands(app.client), read: 0 });
    await app.roundTrip();
  }

  /** The next command the device has not been asked about yet, waiting for it. */
  async nextReceived(deviceName: string): Promise<DeviceMessage> {
    const device = this.listening.get(deviceName);
    if (device === undefined) throw new Error(`Device '${deviceName}' is not listening for commands in this scenario.`);
    device.read += 1;
    return device.received.nth(device.read, PROPAGATION_TIMEOUT_MS);
  }

  async feedbackFor(command: string): Promise<FeedbackRecord> {
    return (await this.backEnd()).feedbackFor(this.messageId(command), FEEDBACK_TIMEOUT_MS);
  }

  /** `cloudToDeviceMessageCount` as the back end reads it from the registry. */
  async pendingFor(deviceName: string): Promise<number> {
    return Number((await this.scope.registry.get(this.devices.deviceId(deviceName))).responseBody.cloudToDeviceMessageCount);
  }
}
