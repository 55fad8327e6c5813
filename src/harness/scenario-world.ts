import type { Registry } from 'azure-iothub';
import { openRegistry, type HubTarget } from '../target/hub-target.js';
import { CertificateSide } from './certificate-side.js';
import { CleanupStack } from './cleanup-stack.js';
import { CommandSide } from './command-side.js';
import { DeviceSide } from './device-side.js';
import { LastAttempt } from './last-attempt.js';
import { MessagingSide } from './messaging-side.js';
import { ModuleSide } from './module-side.js';
import { ProvisioningSide } from './provisioning-side.js';
import { QuerySide } from './query-side.js';
import { RegistrySide } from './registry-side.js';
import type { ScenarioScope } from './scenario-scope.js';
import { ScenarioIds } from './scenario-ids.js';
import { TelemetrySide } from './telemetry-side.js';

/**
 * Everything one scenario does through the official SDKs, in the words the steps use: one object
 * per scenario, made by the cucumber World. It owns the scenario's ids, its target, the back end's
 * registry, the one record of the last attempt and the one cleanup stack; its sides share them.
 */
export class ScenarioWorld implements ScenarioScope {
  readonly ids = new ScenarioIds();
  readonly registry: Registry;
  readonly cleanup: CleanupStack;
  readonly last = new LastAttempt();
  /** The back end on device identities, device twins and queries. */
  readonly devices: RegistrySide;
  /** Device apps and how they connect. */
  readonly deviceApps: DeviceSide;
  /** Module identities, module apps and module twins. */
  readonly modules: ModuleSide;
  /** Methods, telemetry, outputs and reports between the back end and a named device or module. */
  readonly messaging: MessagingSide;
  /** The back end finding, counting and listing its devices (queries, Registry.list, statistics). */
  readonly queries: QuerySide;
  /** Cloud-to-device commands: the back end sends them and reads their feedback; device apps receive them. */
  readonly commands: CommandSide;
  /** The back end reading what devices and modules send, from the hub's Event Hub-compatible endpoint. */
  readonly telemetry: TelemetrySide;
  /** Devices that authenticate with X.509 certificates. */
  readonly certificates: CertificateSide;
  /** Devices that provision themselves through the Device Provisioning Service. */
  readonly provisioning: ProvisioningSide;

  constructor(readonly target: HubTarget) {
    this.registry = openRegistry(target);
    this.cleanup = new CleanupStack(this.registry);
    this.devices = new RegistrySide(this);
    this.deviceApps = new DeviceSide(this, this.devices);
    this.modules = new ModuleSide(this);
    this.messaging = new MessagingSide(this, this.deviceApps, this.modules);
    this.queries = new QuerySide(this, this.devices);
    this.commands = new CommandSide(this, this.devices, this.deviceApps);
    this.telemetry = new TelemetrySide(this, this.devices, this.modules);
    this.certificates = new CertificateSide(this, this.devices, this.deviceApps);
    this.provisioning = new ProvisioningSide(this, this.devices);
  }

  /** Tries something that may fail; `last` keeps its result or its error for the Then steps. */
  async attempt(action: () => Promise<unknown>): Promise<void> {
    await this.last.run(action);
  }

  /** Closes every client, then deletes the identities they used: the cleanup stack, last pushed first. */
  async cleanUp(): Promise<void> {
    await this.cleanup.unwind();
  }
}
