import { hubErrors } from '../errors.js';
import type { Clock } from './clock.js';
import { assertEtag, newDeviceRecord, updatedDeviceRecord, updatedModuleRecord } from './device-records.js';
import { resolveScopes, type ResolvedScopes } from './edge-scope.js';
import { ifMatchSatisfied, etagForVersion } from './etag.js';
import { assertValidDeviceId, assertValidModuleId } from './ids.js';
import type { JsonObject } from './json.js';
import { identityRef, NEVER, type DeviceRecord, type IdentityRecord, type IdentityRef, type ModuleRecord } from './identity.js';
import { resolveAuthentication, type AuthenticationSpec, type DeviceSpec, type ModuleSpec } from './identity-spec.js';
import type { KeyGenerator, SymmetricKeys } from './keys.js';
import { ChangeFeed } from './change-feed.js';
import type { RegistryChange } from './registry-changes.js';
import { applyReportedPatch, applyServicePatch, applyServiceReplace, newTwin, type DesiredChange, type ServicePatch, type TwinState } from './twin.js';

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

/** Module twins doc ("Understand and use module twins"): up to 50 module identities per device. */
export const MAX_MODULES_PER_DEVICE = 50;

/** `GET /devices?top=`: values outside 1-1000 mean 1000 (swagger, Devices_GetDevices). */
export const MAX_LIST_TOP = 1000;

function sasSpec(keys: Partial<SymmetricKeys> | undefined): AuthenticationSpec {
  return keys === undefined ? { type: 'sas' } : { type: 'sas', symmetricKey: keys };
}

/**
 * The identity registry and the twins it owns: pure state, no I/O. Every write either completes or
 * throws a HubError before anything is stored (records are replaced, never mutated in place), and
 * every completed write that changed something is announced on `changes` (registry-changes.ts):
 * protocol adapters and persistence subscribe there, so no writer has to tell them.
 */
export class IdentityRegistry {
  private readonly devices = new Map<string, DeviceEntry>();
  readonly changes = new ChangeFeed<RegistryChange>();

  constructor(private readonly deps: RegistryDependencies) {}

  /** SAS device with given or generated keys (kept for callers that only need that). */
  createDevice(deviceId: string, requestedKeys: Partial<SymmetricKeys> | undefined): DeviceRecord {
    return this.addDevice({ deviceId, authentication: sasSpec(requestedKeys) });
  }

  addDevice(spec: DeviceSpec): DeviceRecord {
    assertValidDeviceId(spec.deviceId);
    if (this.devices.has(spec.deviceId)) throw hubErrors.deviceAlreadyExists(spec.deviceId);
    const base = this.newIdentity(spec.deviceId, spec.authentication);
    const scopes = this.scopesFor(spec, base.generationId, undefined);
    const device = newDeviceRecord(base, spec, scopes, this.now());
    this.devices.set(spec.deviceId, { device, modules: new Map() });
    this.changes.announce({ type: 'identity-created', identity: { deviceId: device.deviceId }, record: device });
    return device;
  }

  updateDevice(spec: DeviceSpec, ifMatch: string | undefined): DeviceRecord {
    const entry = this.entry(spec.deviceId);
    const current = entry.device;
    assertEtag(ifMatchSatisfied(ifMatch, etagForVersion(current.revision)), 'device', ifMatch);
    const auth = resolveAuthentication(spec.authentication, this.deps.generateKey, current);
    const scopes = this.scopesFor({ ...spec, iotEdge: spec.iotEdge ?? current.iotEdge }, current.generationId, current.deviceScope);
    const device = updatedDeviceRecord(current, { spec, auth, scopes, now: this.now() });
    entry.device = device;
    const identity = { deviceId: device.deviceId };
    if (device.status === 'disabled' && current.status !== 'disabled') {
      this.changes.announce({ type: 'identity-disabled', identity, record: device, moduleIds: [...entry.modules.keys()] });
    } else {
      this.changes.announce({ type: 'identity-updated', identity, record: device });
    }
    return device;
  }

  getDevice(deviceId: string): DeviceRecord {
    return this.entry(deviceId).device;
  }

  /** In creation order; `top` outside 1-1000 means 1000. */
  listDevices(top?: number): DeviceRecord[] {
    const limit = top === undefined || top < 1 || top > MAX_LIST_TOP ? MAX_LIST_TOP : top;
    return [...this.devices.values()].slice(0, limit).map((entry) => entry.device);
  }

  /** Deletes the device with its modules and twins; returns what was deleted (to disconnect it). */
  deleteDevice(deviceId: string, ifMatch: string | undefined): DeviceRecord {
    const { device, modules } = this.entry(deviceId);
    assertEtag(ifMatchSatisfied(ifMatch, etagForVersion(device.revision)), 'device', ifMatch);
    this.devices.delete(deviceId);
    this.changes.announce({ type: 'identity-deleted', identity: { deviceId }, moduleIds: [...modules.keys()] });
    return device;
  }

  createModule(deviceId: string, moduleId: string, requestedKeys: Partial<SymmetricKeys> | undefined): ModuleRecord {
    return this.addModule({ deviceId, moduleId, authentication: sasSpec(requestedKeys) });
  }

  addModule(spec: ModuleSpec): ModuleRecord {
    assertValidModuleId(spec.moduleId);
    const entry = this.entry(spec.deviceId);
    if (entry.modules.has(spec.moduleId)) throw hubErrors.moduleAlreadyExists(spec.deviceId, spec.moduleId);
    if (entry.modules.size >= MAX_MODULES_PER_DEVICE) throw hubErrors.tooManyModules(spec.deviceId, MAX_MODULES_PER_DEVICE);
    const module: ModuleRecord = { ...this.newIdentity(spec.deviceId, spec.authentication), moduleId: spec.moduleId, managedBy: spec.managedBy ?? null };
    entry.modules.set(spec.moduleId, module);
    this.changes.announce({ type: 'identity-created', identity: { deviceId: spec.deviceId, moduleId: spec.moduleId }, record: module });
    return module;
  }

  updateModule(spec: ModuleSpec, ifMatch: string | undefined): ModuleRecord {
    const current = this.getModule(spec.deviceId, spec.moduleId);
    assertEtag(ifMatchSatisfied(ifMatch, etagForVersion(current.revision)), 'module', ifMatch);
    const module = updatedModuleRecord(current, spec, resolveAuthentication(spec.authentication, this.deps.generateKey, current));
    this.entry(spec.deviceId).modules.set(spec.moduleId, module);
    this.changes.announce({ type: 'identity-updated', identity: { deviceId: spec.deviceId, moduleId: spec.moduleId }, record: module });
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

  /** Every device, in creation order, with no `top` cap (queries and statistics count them all). */
  allDevices(): DeviceRecord[] {
    return [...this.devices.values()].map((entry) => entry.device);
  }

  /** Every module of every device, in creation order (for `SELECT * FROM devices.modules`). */
  allModules(): ModuleRecord[] {
    return [...this.devices.values()].flatMap((entry) => [...entry.modules.values()]);
  }

  deleteModule(deviceId: string, moduleId: string, ifMatch: string | undefined): ModuleRecord {
    const module = this.getModule(deviceId, moduleId);
    assertEtag(ifMatchSatisfied(ifMatch, etagForVersion(module.revision)), 'module', ifMatch);
    this.entry(deviceId).modules.delete(moduleId);
    this.changes.announce({ type: 'identity-deleted', identity: { deviceId, moduleId }, moduleIds: [] });
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
    return this.applyServiceChange(ref, applyServicePatch(this.identity(ref).twin, patch, ifMatch, this.deps.clock.now()));
  }

  /** `PUT /twins/...`: tags and desired are replaced as a whole. */
  replaceTwinDocument(ref: IdentityRef, replacement: ServicePatch, ifMatch: string | undefined): DesiredChange {
    return this.applyServiceChange(ref, applyServiceReplace(this.identity(ref).twin, replacement, ifMatch, this.deps.clock.now()));
  }

  patchReported(ref: IdentityRef, patch: unknown): TwinState {
    const twin = applyReportedPatch(this.identity(ref).twin, patch, this.deps.clock.now());
    const record = this.replaceTwin(ref, twin);
    // applyReportedPatch has checked that the patch is a JSON object.
    this.changes.announce({ type: 'reported-properties-patched', identity: identityRef(ref), record, patch: patch as JsonObject, version: twin.reported.version });
    return twin;
  }

  setConnectionState(ref: IdentityRef, connected: boolean): void {
    const current = this.findIdentity(ref);
    if (current === undefined) return;
    const now = this.now();
    const record = this.replaceIdentity(ref, {
      ...current,
      connectionState: connected ? 'Connected' : 'Disconnected',
      connectionStateUpdatedTime: now,
      lastActivityTime: now,
    });
    this.changes.announce({ type: 'connection-state-changed', identity: identityRef(ref), record, connected });
  }

  /** Control plane: forget everything (the hub has no such operation). */
  clear(): void {
    this.devices.clear();
    this.changes.announce({ type: 'registry-cleared' });
  }

  deviceCount(): number {
    return this.devices.size;
  }

  /** Persistence (emulator/persistence): the device and its modules as stored; undefined when absent. */
  exportDevice(deviceId: string): { device: DeviceRecord; modules: ModuleRecord[] } | undefined {
    const entry = this.devices.get(deviceId);
    return entry === undefined ? undefined : { device: entry.device, modules: [...entry.modules.values()] };
  }

  /**
   * Persistence: puts back a device exported earlier, with its modules (replacing one with the same
   * id). Restoring is not a change: nothing is announced.
   */
  importDevice(snapshot: { device: DeviceRecord; modules: readonly ModuleRecord[] }): void {
    this.devices.set(snapshot.device.deviceId, { device: snapshot.device, modules: new Map(snapshot.modules.map((module) => [module.moduleId, module])) });
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }

  private scopesFor(spec: DeviceSpec, generationId: string, currentScope: string | undefined): ResolvedScopes {
    const request = {
      deviceId: spec.deviceId,
      iotEdge: spec.iotEdge ?? false,
      generationId,
      requestedScope: spec.deviceScope,
      requestedParents: spec.parentScopes,
      currentScope,
    };
    // Lazily: resolveScopes walks the devices only when a scope is named.
    return resolveScopes(request, mapIterable(this.devices.values(), (entry) => entry.device));
  }

  private newIdentity(deviceId: string, authentication: AuthenticationSpec | undefined): IdentityRecord {
    return {
      deviceId,
      generationId: this.deps.generateGenerationId(),
      revision: 1,
      ...resolveAuthentication(authentication, this.deps.generateKey),
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
    return ref.moduleId === undefined ? this.entry(ref.deviceId).device : this.getModule(ref.deviceId, ref.moduleId);
  }

  /** A PATCH or PUT from the service: stored and announced unless it changed nothing (an empty patch). */
  private applyServiceChange(ref: IdentityRef, change: DesiredChange): DesiredChange {
    if (change.twin === this.identity(ref).twin) return change;
    const record = this.replaceTwin(ref, change.twin);
    const { desiredPatch } = change;
    const identity = identityRef(ref);
    if (desiredPatch === undefined) this.changes.announce({ type: 'tags-updated', identity, record });
    else this.changes.announce({ type: 'desired-properties-patched', identity, record, patch: desiredPatch, version: change.twin.desired.version });
    return change;
  }

  private replaceTwin(ref: IdentityRef, twin: TwinState): IdentityRecord {
    return this.replaceIdentity(ref, { ...this.identity(ref), twin });
  }

  private replaceIdentity(ref: IdentityRef, record: IdentityRecord): IdentityRecord {
    const entry = this.entry(ref.deviceId);
    if (ref.moduleId === undefined) entry.device = record as DeviceRecord;
    else entry.modules.set(ref.moduleId, record as ModuleRecord);
    return record;
  }
}

function* mapIterable<T, R>(items: Iterable<T>, map: (item: T) => R): Iterable<R> {
  for (const item of items) yield map(item);
}
