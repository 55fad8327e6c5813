import { hubErrors } from '../errors.js';
import type { Clock } from './clock.js';
import { ifMatchSatisfied, etagForVersion } from './etag.js';
import { assertValidDeviceId, assertValidModuleId } from './ids.js';
import { NEVER, type DeviceRecord, type IdentityRecord, type IdentityRef, type ModuleRecord } from './identity.js';
import { resolveSymmetricKeys, type KeyGenerator, type SymmetricKeys } from './keys.js';
import { applyReportedPatch, applyServicePatch, newTwin, type DesiredChange, type ServicePatch, type TwinState } from './twin.js';

export interface RegistryDependencies {
  readonly clock: Clock;
  readonly generateKey: KeyGenerator;
  /** Opaque, unique per created identity (the hub uses it to tell a re-created id from the old one). */
  readonly generateGenerationId: () => string;
}

interface DeviceEntry {
  device: DeviceRecord;
  readonly modules: Map<string, ModuleRecord>;
}

/**
 * The identity registry and the twins it owns: pure state, no I/O. Every write either completes or
 * throws a HubError before anything is stored (records are replaced, never mutated in place).
 */
export class IdentityRegistry {
  private readonly devices = new Map<string, DeviceEntry>();

  constructor(private readonly deps: RegistryDependencies) {}

  createDevice(deviceId: string, requestedKeys: Partial<SymmetricKeys> | undefined): DeviceRecord {
    assertValidDeviceId(deviceId);
    if (this.devices.has(deviceId)) throw hubErrors.deviceAlreadyExists(deviceId);
    const device: DeviceRecord = {
      ...this.newIdentity(deviceId, requestedKeys),
      status: 'enabled',
      statusReason: null,
      statusUpdatedTime: NEVER,
      iotEdge: false,
    };
    this.devices.set(deviceId, { device, modules: new Map() });
    return device;
  }

  getDevice(deviceId: string): DeviceRecord {
    return this.entry(deviceId).device;
  }

  deleteDevice(deviceId: string, ifMatch: string | undefined): DeviceRecord {
    const { device } = this.entry(deviceId);
    if (!ifMatchSatisfied(ifMatch, etagForVersion(device.revision))) {
      throw hubErrors.preconditionFailed(`The device etag ${ifMatch ?? ''} does not match.`);
    }
    this.devices.delete(deviceId);
    return device;
  }

  createModule(deviceId: string, moduleId: string, requestedKeys: Partial<SymmetricKeys> | undefined): ModuleRecord {
    assertValidModuleId(moduleId);
    const entry = this.entry(deviceId);
    if (entry.modules.has(moduleId)) throw hubErrors.moduleAlreadyExists(deviceId, moduleId);
    const module: ModuleRecord = { ...this.newIdentity(deviceId, requestedKeys), moduleId, managedBy: null };
    entry.modules.set(moduleId, module);
    return module;
  }

  getModule(deviceId: string, moduleId: string): ModuleRecord {
    const module = this.entry(deviceId).modules.get(moduleId);
    if (module === undefined) throw hubErrors.moduleNotFound(deviceId, moduleId);
    return module;
  }

  listModules(deviceId: string): ModuleRecord[] {
    return [...this.entry(deviceId).modules.values()];
  }

  deleteModule(deviceId: string, moduleId: string, ifMatch: string | undefined): ModuleRecord {
    const module = this.getModule(deviceId, moduleId);
    if (!ifMatchSatisfied(ifMatch, etagForVersion(module.revision))) {
      throw hubErrors.preconditionFailed(`The module etag ${ifMatch ?? ''} does not match.`);
    }
    this.entry(deviceId).modules.delete(moduleId);
    return module;
  }

  /** Looks an identity up for authentication; undefined rather than an error, so callers choose the answer. */
  findIdentity(ref: IdentityRef): IdentityRecord | undefined {
    const entry = this.devices.get(ref.deviceId);
    if (entry === undefined) return undefined;
    return ref.moduleId === undefined ? entry.device : entry.modules.get(ref.moduleId);
  }

  getTwin(ref: IdentityRef): TwinState {
    return this.identity(ref).twin;
  }

  patchTwin(ref: IdentityRef, patch: ServicePatch, ifMatch: string | undefined): DesiredChange {
    const change = applyServicePatch(this.identity(ref).twin, patch, ifMatch, this.deps.clock.now());
    this.replaceTwin(ref, change.twin);
    return change;
  }

  patchReported(ref: IdentityRef, patch: unknown): TwinState {
    const twin = applyReportedPatch(this.identity(ref).twin, patch, this.deps.clock.now());
    this.replaceTwin(ref, twin);
    return twin;
  }

  setConnectionState(ref: IdentityRef, connected: boolean): void {
    const current = this.findIdentity(ref);
    if (current === undefined) return;
    const now = this.deps.clock.now().toISOString();
    this.replaceIdentity(ref, {
      ...current,
      connectionState: connected ? 'Connected' : 'Disconnected',
      connectionStateUpdatedTime: now,
      lastActivityTime: now,
    });
  }

  /** Control plane: forget everything (the hub has no such operation). */
  clear(): void {
    this.devices.clear();
  }

  deviceCount(): number {
    return this.devices.size;
  }

  private newIdentity(deviceId: string, requestedKeys: Partial<SymmetricKeys> | undefined): IdentityRecord {
    return {
      deviceId,
      generationId: this.deps.generateGenerationId(),
      revision: 1,
      keys: resolveSymmetricKeys(requestedKeys, this.deps.generateKey),
      connectionState: 'Disconnected',
      connectionStateUpdatedTime: NEVER,
      lastActivityTime: NEVER,
      twin: newTwin(this.deps.clock.now()),
    };
  }

  private entry(deviceId: string): DeviceEntry {
    const entry = this.devices.get(deviceId);
    if (entry === undefined) throw hubErrors.deviceNotFound(deviceId);
    return entry;
  }

  private identity(ref: IdentityRef): IdentityRecord {
    return ref.moduleId === undefined ? this.getDevice(ref.deviceId) : this.getModule(ref.deviceId, ref.moduleId);
  }

  private replaceTwin(ref: IdentityRef, twin: TwinState): void {
    this.replaceIdentity(ref, { ...this.identity(ref), twin });
  }

  private replaceIdentity(ref: IdentityRef, record: IdentityRecord): void {
    const entry = this.entry(ref.deviceId);
    if (ref.moduleId === undefined) entry.device = record as DeviceRecord;
    else entry.modules.set(ref.moduleId, record as ModuleRecord);
  }
}
