import type { EmulatorControl } from 'iothub-emulator';
import { clientIdOf, type ConnectionStatus, type ConnectionWait, type ControlIdentity, type EmulatorControlClient } from './emulator-control-client.js';

/** The embedded target's control: direct calls on the emulator running in this process. */
export class InProcessControl implements EmulatorControlClient {
  constructor(private readonly control: EmulatorControl) {}

  reset(): Promise<void> {
    this.control.reset();
    return Promise.resolve();
  }

  connectionStatus(identity: ControlIdentity): Promise<ConnectionStatus> {
    return Promise.resolve(this.control.connectionStatus(clientIdOf(identity)));
  }

  dropConnection(identity: ControlIdentity): Promise<boolean> {
    return Promise.resolve(this.control.dropClient(clientIdOf(identity)));
  }

  waitForConnection(identity: ControlIdentity, wait: ConnectionWait): Promise<ConnectionStatus> {
    return this.control.waitForConnection(clientIdOf(identity), wait);
  }
}
