import { DeviceTwinSession } from '../../src/flows/device-twin-session.js';
import { CommandSender, ReceivedCommands } from '../../src/flows/cloud-to-device.js';
import type { Message as DeviceMessage } from 'azure-iot-device';
import { withDeadline } from '../../src/wait-for.js';
import type { HubFixture, IdentityKeys } from '../mqtt/hub-fixture.js';

export const TIMEOUT_MS = 5_000;

/** The harness's back end (src/flows/cloud-to-device.ts), waiting the tests' deadline for feedback. */
export class BackEnd {
  private constructor(readonly sender: CommandSender) {}

  static async open(connectionString: string, transport: 'amqp' | 'amqp-ws' = 'amqp'): Promise<BackEnd> {
    return new BackEnd(await CommandSender.open(connectionString, transport));
  }

  get feedbackContentTypes(): readonly string[] {
    return this.sender.feedbackContentTypes;
  }

  send(...args: Parameters<CommandSender['send']>): Promise<void> {
    return this.sender.send(...args);
  }

  feedbackFor(messageId: string): ReturnType<CommandSender['feedbackFor']> {
    return this.sender.feedbackFor(messageId, TIMEOUT_MS);
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

/** A device app listening for cloud-to-device messages over MQTT. */
export class ListeningDevice {
  private constructor(
    private readonly session: DeviceTwinSession,
    private readonly commands: ReceivedCommands,
  ) {}

  static async connect(hub: Pick<HubFixture, 'client'>, identity: IdentityKeys): Promise<ListeningDevice> {
    const session = await DeviceTwinSession.open(await hub.client(identity));
    const device = new ListeningDevice(session, new ReceivedCommands(session.client));
    // A round trip on the same connection: the C2D SUBSCRIBE went before it.
    await session.refreshTwin();
    return device;
  }

  nextMessage(count?: number): Promise<DeviceMessage> {
    return this.commands.nth(count ?? this.commands.messages.length + 1, TIMEOUT_MS);
  }

  async close(): Promise<void> {
    await withDeadline(this.session.close(), TIMEOUT_MS, 'the device client to close');
  }
}
