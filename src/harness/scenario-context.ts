import type { Registry } from 'azure-iothub';
import { createModuleIdentity, type ModuleIdentity } from '../flows/create-module-identity.js';
import { ModuleTwinSession, type ReceivedPatch } from '../flows/module-twin-session.js';
import type { JsonObject, TwinSnapshot } from '../flows/twin-snapshot.js';
import { readModuleTwin, updateModuleTwinDesiredProperties, type DesiredUpdateResult } from '../flows/update-module-twin.js';
import { moduleConnectionString, openRegistry, type HubTarget } from '../target/hub-target.js';
import type { ModuleUnderTest } from './module-under-test.js';
import { ScenarioIds } from './scenario-ids.js';

/** How long a scenario waits for something the hub does asynchronously (a patch to arrive). */
export const PROPAGATION_TIMEOUT_MS = 5_000;

/**
 * Everything one scenario does through the official SDKs, in the words the steps use. Steps stay
 * one-liners; what they drive lives here, in src/, where it can be reused and type-checked.
 */
export class ScenarioContext {
  readonly ids = new ScenarioIds();
  readonly registry: Registry;
  private readonly modules = new Map<string, ModuleUnderTest>();
  private readonly devicesToDelete = new Set<string>();
  /** Every registration result, in order, so a step can compare a repeat with the first. */
  readonly registrations: ModuleIdentity[] = [];
  lastUpdate?: DesiredUpdateResult;
  lastRead?: TwinSnapshot;
  lastReport?: { before: TwinSnapshot; after: TwinSnapshot };
  lastError?: unknown;

  constructor(readonly target: HubTarget) {
    this.registry = openRegistry(target);
  }

  async registerModule(deviceName: string, moduleName: string): Promise<ModuleUnderTest> {
    const deviceId = this.ids.idFor(deviceName);
    this.devicesToDelete.add(deviceId);
    const identity = await createModuleIdentity(this.registry, { deviceId, moduleId: this.ids.idFor(moduleName) });
    const module: ModuleUnderTest = { name: moduleName, identity };
    this.modules.set(moduleName, module);
    this.registrations.push(identity);
    return module;
  }

  /** The module the scenario registered last: what the steps mean by "the module". */
  get currentModule(): string {
    const identity = this.registrations.at(-1);
    if (identity === undefined) throw new Error('The scenario has not registered a module yet.');
    return [...this.modules.values()].find((module) => module.identity.moduleId === identity.moduleId)?.name ?? identity.moduleId;
  }

  module(moduleName: string): ModuleUnderTest {
    const module = this.modules.get(moduleName);
    if (module === undefined) throw new Error(`The scenario has not registered module '${moduleName}' yet.`);
    return module;
  }

  /** Connects the module's app; `reconnect: false` turns off the SDK's automatic reconnects. */
  async connectModule(moduleName: string, options: { sharedAccessKey?: string; reconnect?: boolean } = {}): Promise<ModuleTwinSession> {
    const module = this.module(moduleName);
    module.session = await this.openSession(module, options);
    return module.session;
  }

  /** Another app connecting with the same module identity (the hub keeps one connection per identity). */
  async connectSecondApp(moduleName: string): Promise<ModuleTwinSession> {
    const module = this.module(moduleName);
    module.secondApp = await this.openSession(module, {});
    return module.secondApp;
  }

  secondApp(moduleName: string): ModuleTwinSession {
    const secondApp = this.module(moduleName).secondApp;
    if (secondApp === undefined) throw new Error(`No second app has connected as module '${moduleName}'.`);
    return secondApp;
  }

  private async openSession(module: ModuleUnderTest, options: { sharedAccessKey?: string; reconnect?: boolean }): Promise<ModuleTwinSession> {
    const identity = options.sharedAccessKey === undefined ? module.identity : { ...module.identity, primaryKey: options.sharedAccessKey };
    return ModuleTwinSession.open({
      connectionString: moduleConnectionString(this.target, identity),
      transport: this.target.deviceTransport,
      reconnect: options.reconnect ?? true,
      ...(this.target.ca === undefined ? {} : { ca: this.target.ca }),
    });
  }

  async attempt(action: () => Promise<unknown>): Promise<void> {
    this.lastError = undefined;
    try {
      await action();
    } catch (error) {
      this.lastError = error;
    }
  }

  async setDesired(moduleName: string, desired: JsonObject, etag?: string): Promise<DesiredUpdateResult> {
    const { deviceId, moduleId } = this.module(moduleName).identity;
    this.lastUpdate = await updateModuleTwinDesiredProperties(this.registry, { deviceId, moduleId, desired, ...(etag === undefined ? {} : { etag }) });
    return this.lastUpdate;
  }

  /** Reports from the module and returns the twin as the back end saw it before and after. */
  async reportProperties(moduleName: string, patch: JsonObject): Promise<{ before: TwinSnapshot; after: TwinSnapshot }> {
    const before = await this.readTwin(moduleName);
    await this.session(moduleName).reportProperties(patch);
    return { before, after: await this.readTwin(moduleName) };
  }

  lastUpdateOrFail(): DesiredUpdateResult {
    if (this.lastUpdate === undefined) throw new Error('No desired-properties update was made in this scenario.');
    return this.lastUpdate;
  }

  lastReportOrFail(): { before: TwinSnapshot; after: TwinSnapshot } {
    if (this.lastReport === undefined) throw new Error('The module has not reported properties in this scenario.');
    return this.lastReport;
  }

  async readTwin(moduleName: string): Promise<TwinSnapshot> {
    this.lastRead = await readModuleTwin(this.registry, this.module(moduleName).identity);
    return this.lastRead;
  }

  session(moduleName: string): ModuleTwinSession {
    const session = this.module(moduleName).session;
    if (session === undefined) throw new Error(`Module '${moduleName}' is not connected in this scenario.`);
    return session;
  }

  async waitForPatch(moduleName: string, version: number): Promise<ReceivedPatch> {
    return this.session(moduleName).waitForPatch(version, PROPAGATION_TIMEOUT_MS);
  }

  /**
   * Fault injection through the emulator's control plane (in-process or over HTTP): the connection is
   * cut as a network failure would cut it, and the step returns once the SDK has reconnected on its own.
   */
  async dropConnectionAndAwaitReconnect(moduleName: string): Promise<void> {
    const control = this.target.control;
    if (control === undefined) throw new Error('Dropping a connection needs the emulator control plane.');
    const { deviceId, moduleId } = this.module(moduleName).identity;
    const before = await control.connectionStatus({ deviceId, moduleId });
    if (!(await control.dropConnection({ deviceId, moduleId }))) throw new Error(`Module '${moduleName}' was not connected.`);
    await control.waitForConnection({ deviceId, moduleId }, { minConnectionCount: before.connectionCount + 1, timeoutMs: PROPAGATION_TIMEOUT_MS });
  }

  /** Closes every module client and deletes the devices the scenario made (their modules go with them). */
  async cleanUp(): Promise<void> {
    const sessions = [...this.modules.values()].flatMap((module) => [module.session, module.secondApp].filter((session) => session !== undefined));
    await Promise.allSettled(sessions.map((session) => session.close()));
    await Promise.allSettled([...this.devicesToDelete].map((deviceId) => this.registry.delete(deviceId)));
  }
}
