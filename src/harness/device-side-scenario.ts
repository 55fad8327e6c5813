import type { ModuleClient as ModuleClientType } from 'azure-iot-device';
import { createModuleIdentity, type ModuleIdentity } from '../flows/create-module-identity.js';
import { clientFromConnectionString, clientFromOwnToken, makeDeviceToken, type DeviceSideClient } from '../flows/device-client-factory.js';
import { handleMethod, sendModuleOutput, sendTelemetry, type MethodAnswer } from '../flows/device-messaging.js';
import { DeviceTwinSession, type TwinSessionOptions } from '../flows/device-twin-session.js';
import { invokeDirectMethod, type DirectMethodResult } from '../flows/invoke-direct-method.js';
import { moduleConnectionString } from '../target/hub-target.js';
import { registryScenarioOf } from './registry-scenario.js';
import type { ScenarioContext } from './scenario-context.js';

/** Seconds an app-made token stays valid in the scenarios; an expired one is this far in the past. */
const OWN_TOKEN_SECONDS = 600;
/** A renewal happens half-way through a token's life; this leaves room for a slow machine. */
const RENEWAL_TIMEOUT_MS = 15_000;

/**
 * What a scenario does from the device side beyond twins (direct methods, telemetry, module outputs,
 * tokens the application made), in the steps' words. Devices come from the registry side of the
 * scenario; modules that need a full ModuleClient (methods, outputs) are connected here.
 */
export class DeviceSideScenario {
  private readonly modules = new Map<string, DeviceTwinSession>();
  private readonly ownTokenSessions: DeviceTwinSession[] = [];
  private readonly renewing = new Map<string, DeviceTwinSession>();
  private readonly moduleIdentities = new Map<string, ModuleIdentity>();
  private readonly devicesToDelete = new Set<string>();
  lastResult?: DirectMethodResult;
  lastError?: unknown;

  constructor(private readonly scenario: ScenarioContext) {}

  private get devices() {
    return registryScenarioOf(this.scenario);
  }

  private sessionOptions(extra: TwinSessionOptions = {}): TwinSessionOptions {
    const { target } = this.scenario;
    return {
      ...(target.ca === undefined ? {} : { ca: target.ca }),
      ...extra,
    };
  }

  /**
   * Registers the module here, not through ScenarioContext, so that this scenario closes the client
   * before its device is deleted: a deleted identity's client would otherwise be cut off and retry.
   */
  async connectModule(moduleName: string, deviceName: string): Promise<DeviceTwinSession> {
    const ids = { deviceId: this.scenario.ids.idFor(deviceName), moduleId: this.scenario.ids.idFor(moduleName) };
    this.devicesToDelete.add(ids.deviceId);
    const identity = await createModuleIdentity(this.scenario.registry, ids);
    this.moduleIdentities.set(moduleName, identity);
    const client = clientFromConnectionString(moduleConnectionString(this.scenario.target, identity), true, this.scenario.target.deviceTransport);
    const session = await DeviceTwinSession.open(client, this.sessionOptions());
    this.modules.set(moduleName, session);
    return session;
  }

  /** A named device (connected through the registry side) or a module connected here. */
  private client(name: string): DeviceSideClient {
    return this.modules.get(name)?.client ?? this.devices.session(name).client;
  }

  private target(name: string): { deviceId: string; moduleId?: string } {
    if (!this.modules.has(name)) return { deviceId: this.devices.deviceId(name) };
    const identity = this.moduleIdentities.get(name);
    if (identity === undefined) throw new Error(`Module '${name}' is not running in this scenario.`);
    return { deviceId: identity.deviceId, moduleId: identity.moduleId };
  }

  /**
   * Registers the handler, then makes one twin round trip on the same connection: the SDK subscribes
   * to method requests without a completion signal, and the hub handles a connection's packets in order.
   */
  async listenForMethod(name: string, methodName: string, answer: MethodAnswer | 'never'): Promise<void> {
    handleMethod(this.client(name), methodName, () => (answer === 'never' ? undefined : answer));
    await this.session(name).refreshTwin();
  }

  async invoke(name: string, methodName: string, options: { payload?: unknown; responseTimeoutInSeconds?: number } = {}): Promise<void> {
    this.lastResult = undefined;
    this.lastError = undefined;
    try {
      this.lastResult = await invokeDirectMethod(this.scenario.target.serviceConnectionString, { ...this.target(name), methodName, ...options });
    } catch (error) {
      this.lastError = error;
    }
  }

  private session(name: string): DeviceTwinSession {
    return this.modules.get(name) ?? this.devices.session(name);
  }

  /** Reports from the device or module; a refusal is kept in `lastError`. */
  async report(name: string, patch: Record<string, unknown>): Promise<void> {
    await this.attempt(() => this.session(name).reportProperties(patch));
  }

  /** The reported properties as the back end reads them, without `$metadata` and `$version`. */
  async reportedAsBackEndSees(name: string): Promise<Record<string, unknown>> {
    const { deviceId, moduleId } = this.target(name);
    const twin = moduleId === undefined ? await this.scenario.registry.getTwin(deviceId) : await this.scenario.registry.getModuleTwin(deviceId, moduleId);
    const { $metadata: _metadata, $version: _version, ...reported } = twin.responseBody.properties.reported as Record<string, unknown>;
    return reported;
  }

  async sendTelemetry(name: string, body: string, properties: Record<string, string> = {}): Promise<void> {
    await this.attempt(() => sendTelemetry(this.client(name), body, properties));
  }

  async sendOutput(moduleName: string, outputName: string, body: string): Promise<void> {
    await this.attempt(() => sendModuleOutput(this.client(moduleName) as ModuleClientType, outputName, body));
  }

  /** Connects a registered device with a token the application signed itself, valid or expired. */
  async connectWithOwnToken(name: string, validity: 'valid' | 'expired', signedFor?: string): Promise<void> {
    const { target } = this.scenario;
    const keyOwner = signedFor ?? name;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const expiry = validity === 'valid' ? nowSeconds + OWN_TOKEN_SECONDS : nowSeconds - OWN_TOKEN_SECONDS;
    const signer = { hostName: target.hostName, deviceId: this.devices.deviceId(keyOwner) };
    const token = makeDeviceToken(signer, await this.primaryKeyOf(keyOwner), expiry);
    const identity = { hostName: target.hostName, deviceId: this.devices.deviceId(name) };
    await this.attempt(async () => {
      const client = clientFromOwnToken({ identity, token, ...(target.gatewayHostName === undefined ? {} : { gatewayHostName: target.gatewayHostName }), claimIdentity: signedFor !== undefined, transport: target.deviceTransport });
      this.ownTokenSessions.push(await DeviceTwinSession.open(client, this.sessionOptions()));
    });
  }

  private async primaryKeyOf(name: string): Promise<string> {
    const { responseBody } = await this.scenario.registry.get(this.devices.deviceId(name));
    const key = responseBody.authentication?.symmetricKey?.primaryKey;
    if (key === undefined) throw new Error(`Device '${name}' has no symmetric key.`);
    return key;
  }

  /** Connects with the device's key, asking the SDK for tokens that last `seconds` (renewed half-way). */
  async connectWithShortTokens(name: string, seconds: number): Promise<void> {
    await this.devices.register(name);
    const { target } = this.scenario;
    const gateway = target.gatewayHostName === undefined ? '' : `;GatewayHostName=${target.gatewayHostName}`;
    const connectionString = `HostName=${target.hostName};DeviceId=${this.devices.deviceId(name)};SharedAccessKey=${await this.primaryKeyOf(name)}${gateway}`;
    const client = clientFromConnectionString(connectionString, false, target.deviceTransport);
    const tokenRenewal = { tokenValidTimeInSeconds: seconds, tokenRenewalMarginInSeconds: Math.ceil(seconds / 2) };
    this.renewing.set(name, await DeviceTwinSession.open(client, this.sessionOptions({ tokenRenewal })));
  }

  /** Emulator only: waits until the hub has seen the device connect again (the SDK's renewal). */
  async awaitTokenRenewal(name: string): Promise<void> {
    const control = this.scenario.target.control;
    if (control === undefined) throw new Error('Seeing a token renewal needs the emulator control plane.');
    const device = { deviceId: this.devices.deviceId(name) };
    const { connectionCount } = await control.connectionStatus(device);
    await control.waitForConnection(device, { minConnectionCount: connectionCount + 1, timeoutMs: RENEWAL_TIMEOUT_MS });
  }

  renewingSession(name: string): DeviceTwinSession {
    const session = this.renewing.get(name);
    if (session === undefined) throw new Error(`Device '${name}' was not connected with short-lived tokens.`);
    return session;
  }

  /** The device reports through its app-made-token connection, and the back end reads the report back. */
  async reportThroughOwnToken(name: string): Promise<unknown> {
    const session = this.ownTokenSession();
    await session.reportProperties({ tokenCheck: 'ok' });
    return (await this.scenario.registry.getTwin(this.devices.deviceId(name))).responseBody.properties.reported.tokenCheck;
  }

  async receiveDesired(name: string, property: string): Promise<unknown> {
    const version = this.devices.lastDesiredVersion;
    if (version === undefined) throw new Error('The back end has not changed desired properties in this scenario.');
    return (await this.renewingSession(name).waitForPatch(version, RENEWAL_TIMEOUT_MS)).patch[property];
  }

  ownTokenSession(): DeviceTwinSession {
    const session = this.ownTokenSessions.at(-1);
    if (session === undefined) throw new Error('No device connected with a token it made itself in this scenario.');
    return session;
  }

  private async attempt(action: () => Promise<unknown>): Promise<void> {
    this.lastError = undefined;
    try {
      await action();
    } catch (error) {
      this.lastError = error;
    }
  }

  async cleanUp(): Promise<void> {
    await Promise.allSettled([...this.modules.values(), ...this.renewing.values(), ...this.ownTokenSessions].map((session) => session.close()));
    await Promise.allSettled([...this.devicesToDelete].map((deviceId) => this.scenario.registry.delete(deviceId)));
  }
}

const scenarios = new WeakMap<ScenarioContext, DeviceSideScenario>();

export function deviceSideOf(scenario: ScenarioContext): DeviceSideScenario {
  let deviceSide = scenarios.get(scenario);
  if (deviceSide === undefined) {
    deviceSide = new DeviceSideScenario(scenario);
    scenarios.set(scenario, deviceSide);
  }
  return deviceSide;
}

export async function cleanUpDeviceSide(scenario: ScenarioContext): Promise<void> {
  await scenarios.get(scenario)?.cleanUp();
}
