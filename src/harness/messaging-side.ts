import type { ModuleClient } from 'azure-iot-device';
import type { ControlIdentity } from '../control/emulator-control-client.js';
import { handleMethod, sendModuleOutput, sendTelemetry, type MethodAnswer } from '../flows/device-messaging.js';
import type { DeviceTwinSession } from '../flows/device-twin-session.js';
import { invokeDirectMethod, type DirectMethodResult } from '../flows/invoke-direct-method.js';
import type { DeviceSide } from './device-side.js';
import type { ModuleSide } from './module-side.js';
import type { ScenarioScope } from './scenario-scope.js';

/**
 * What passes between the back end and a named device or module app, in the steps' words: direct
 * methods, telemetry, module outputs and reported properties. A name is a module's when the
 * scenario registered a module by that name, and a device's otherwise.
 */
export class MessagingSide {
  constructor(
    private readonly scope: ScenarioScope,
    private readonly devices: DeviceSide,
    private readonly modules: ModuleSide,
  ) {}

  private app(name: string): DeviceTwinSession {
    return this.modules.has(name) ? this.modules.app(name) : this.devices.app(name);
  }

  private identity(name: string): ControlIdentity {
    if (!this.modules.has(name)) return { deviceId: this.scope.ids.idFor(name) };
    const { deviceId, moduleId } = this.modules.identity(name);
    return { deviceId, moduleId };
  }

  /**
   * Registers the handler, then makes one twin round trip on the same connection: the SDK subscribes
   * to method requests without a completion signal, and the hub handles a connection's packets in order.
   */
  async listenForMethod(name: string, methodName: string, answer: MethodAnswer | 'never'): Promise<void> {
    handleMethod(this.app(name).client, methodName, () => (answer === 'never' ? undefined : answer));
    await this.app(name).refreshTwin();
  }

  async invoke(name: string, methodName: string, options: { payload?: unknown; responseTimeoutInSeconds?: number } = {}): Promise<DirectMethodResult> {
    return invokeDirectMethod(this.scope.target.serviceConnectionString, { ...this.identity(name), methodName, ...options });
  }

  async report(name: string, patch: Record<string, unknown>): Promise<void> {
    await this.app(name).reportProperties(patch);
  }

  /** The reported properties as the back end reads them, without `$metadata` and `$version`. */
  async reportedAsBackEndSees(name: string): Promise<Record<string, unknown>> {
    const { deviceId, moduleId } = this.identity(name);
    const { registry } = this.scope;
    const twin = moduleId === undefined ? await registry.getTwin(deviceId) : await registry.getModuleTwin(deviceId, moduleId);
    const { $metadata: _metadata, $version: _version, ...reported } = twin.responseBody.properties.reported as Record<string, unknown>;
    return reported;
  }

  async sendTelemetry(name: string, body: string, properties: Record<string, string> = {}): Promise<void> {
    await sendTelemetry(this.app(name).client, body, properties);
  }

  async sendOutput(moduleName: string, outputName: string, body: string): Promise<void> {
    await sendModuleOutput(this.modules.app(moduleName).client as ModuleClient, outputName, body);
  }
}
