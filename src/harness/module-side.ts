import { createModuleIdentity, type ModuleIdentity } from '../flows/create-module-identity.js';
import { connectWithKey } from '../flows/device-connection.js';
import type { DeviceTwinSession, ReceivedPatch } from '../flows/device-twin-session.js';
import { desiredVersionOf, type JsonObject, type TwinSnapshot } from '../flows/twin-snapshot.js';
import { readModuleTwin, updateModuleTwinDesiredProperties, type DesiredUpdateResult } from '../flows/update-module-twin.js';
import type { ModuleUnderTest } from './module-under-test.js';
import { PROPAGATION_TIMEOUT_MS, type ScenarioScope } from './scenario-scope.js';

type Report = { readonly before: TwinSnapshot; readonly after: TwinSnapshot };

/**
 * What the back end and the module apps do with modules, in the steps' words: register module
 * identities (as the tutorial's CreateModule app), connect their apps, and change and read module twins.
 */
export class ModuleSide {
  private readonly modules = new Map<string, ModuleUnderTest>();
  /** Every registration result, in order, so a step can compare a repeat with the first. */
  readonly registrations: ModuleIdentity[] = [];
  lastUpdate?: DesiredUpdateResult;
  lastRead?: TwinSnapshot;
  lastReport?: Report;

  constructor(private readonly scope: ScenarioScope) {}

  async register(deviceName: string, moduleName: string): Promise<ModuleUnderTest> {
    const deviceId = this.scope.ids.idFor(deviceName);
    this.scope.cleanup.deleteDevice(deviceId);
    const identity = await createModuleIdentity(this.scope.registry, { deviceId, moduleId: this.scope.ids.idFor(moduleName) });
    const module: ModuleUnderTest = { name: moduleName, identity };
    this.modules.set(moduleName, module);
    this.registrations.push(identity);
    return module;
  }

  /** The module the scenario registered last: what the steps mean by "the module". */
  get current(): string {
    const identity = this.registrations.at(-1);
    if (identity === undefined) throw new Error('The scenario has not registered a module yet.');
    return [...this.modules.values()].find((module) => module.identity.moduleId === identity.moduleId)?.name ?? identity.moduleId;
  }

  has(moduleName: string): boolean {
    return this.modules.has(moduleName);
  }

  identity(moduleName: string): ModuleIdentity {
    return this.module(moduleName).identity;
  }

  /** The back end reads the module's identity by name, registered in this scenario or not. */
  async readRegistration(deviceName: string, moduleName: string): Promise<unknown> {
    return (await this.scope.registry.getModule(this.scope.ids.idFor(deviceName), this.scope.ids.idFor(moduleName))).responseBody;
  }

  /** Connects the module's app; `reconnect: false` turns off the SDK's automatic reconnects. */
  async connect(moduleName: string, options: { sharedAccessKey?: string; reconnect?: boolean } = {}): Promise<DeviceTwinSession> {
    const module = this.module(moduleName);
    module.session = await this.open(module.identity, options);
    return module.session;
  }

  /** Another app connecting with the same module identity (the hub keeps one connection per identity). */
  async connectSecondApp(moduleName: string): Promise<DeviceTwinSession> {
    const module = this.module(moduleName);
    module.secondApp = await this.open(module.identity, {});
    return module.secondApp;
  }

  private async open(identity: ModuleIdentity, options: { sharedAccessKey?: string; reconnect?: boolean }): Promise<DeviceTwinSession> {
    const { deviceId, moduleId } = identity;
    const sharedAccessKey = options.sharedAccessKey ?? identity.primaryKey;
    return this.scope.cleanup.close(await connectWithKey(this.scope.target, { deviceId, moduleId, sharedAccessKey }, { reconnect: options.reconnect ?? true }));
  }

  private module(moduleName: string): ModuleUnderTest {
    const module = this.modules.get(moduleName);
    if (module === undefined) throw new Error(`The scenario has not registered module '${moduleName}' yet.`);
    return module;
  }

  /** The module's app, as it last connected. */
  app(moduleName: string): DeviceTwinSession {
    const session = this.module(moduleName).session;
    if (session === undefined) throw new Error(`Module '${moduleName}' is not connected in this scenario.`);
    return session;
  }

  secondApp(moduleName: string): DeviceTwinSession {
    const secondApp = this.module(moduleName).secondApp;
    if (secondApp === undefined) throw new Error(`No second app has connected as module '${moduleName}'.`);
    return secondApp;
  }

  async setDesired(moduleName: string, desired: JsonObject, etag?: string): Promise<DesiredUpdateResult> {
    const { deviceId, moduleId } = this.identity(moduleName);
    this.lastUpdate = await updateModuleTwinDesiredProperties(this.scope.registry, { deviceId, moduleId, desired, etag });
    return this.lastUpdate;
  }

  /** Sets a desired property with the etag of the twin the back end read last (If-Match). */
  async setDesiredBasedOnLastRead(moduleName: string, desired: JsonObject): Promise<DesiredUpdateResult> {
    if (this.lastRead === undefined) throw new Error('The back end has not read the module twin in this scenario.');
    return this.setDesired(moduleName, desired, this.lastRead.etag);
  }

  async readTwin(moduleName: string): Promise<TwinSnapshot> {
    this.lastRead = await readModuleTwin(this.scope.registry, this.identity(moduleName));
    return this.lastRead;
  }

  /** Reports from the module and keeps the twin as the back end saw it before and after. */
  async report(moduleName: string, patch: JsonObject): Promise<Report> {
    const before = await this.readTwin(moduleName);
    await this.app(moduleName).reportProperties(patch);
    this.lastReport = { before, after: await this.readTwin(moduleName) };
    return this.lastReport;
  }

  lastUpdateOrFail(): DesiredUpdateResult {
    if (this.lastUpdate === undefined) throw new Error('No desired-properties update was made in this scenario.');
    return this.lastUpdate;
  }

  lastReportOrFail(): Report {
    if (this.lastReport === undefined) throw new Error('The module has not reported properties in this scenario.');
    return this.lastReport;
  }

  /** The patch that carries the back end's last update, as the module's (or its second) app receives it. */
  async desiredPatch(moduleName: string, app: 'first' | 'second' = 'first'): Promise<ReceivedPatch> {
    const session = app === 'first' ? this.app(moduleName) : this.secondApp(moduleName);
    return session.waitForPatch(desiredVersionOf(this.lastUpdateOrFail().after), PROPAGATION_TIMEOUT_MS);
  }

  /** Every patch the module's app received since it last connected, once the one carrying the back end's last update is among them. */
  async patchesUpToLastUpdate(moduleName: string): Promise<ReceivedPatch[]> {
    await this.desiredPatch(moduleName);
    return [...this.app(moduleName).received];
  }

  async waitForDisconnect(moduleName: string): Promise<void> {
    await this.app(moduleName).waitForDisconnect(PROPAGATION_TIMEOUT_MS);
  }

  /**
   * Fault injection through the emulator's control plane (in-process or over HTTP): the connection is
   * cut as a network failure would cut it, and the step returns once the SDK has reconnected on its own.
   */
  async dropConnectionAndAwaitReconnect(moduleName: string): Promise<void> {
    const control = this.scope.target.control;
    if (control === undefined) throw new Error('Dropping a connection needs the emulator control plane.');
    const { deviceId, moduleId } = this.identity(moduleName);
    const before = await control.connectionStatus({ deviceId, moduleId });
    if (!(await control.dropConnection({ deviceId, moduleId }))) throw new Error(`Module '${moduleName}' was not connected.`);
    await control.waitForConnection({ deviceId, moduleId }, { minConnectionCount: before.connectionCount + 1, timeoutMs: PROPAGATION_TIMEOUT_MS, listeningForDesired: true });
  }
}
