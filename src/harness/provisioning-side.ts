import { randomBytes } from 'node:crypto';
import { connectWithKey } from '../flows/device-connection.js';
import type { DeviceTwinSession } from '../flows/device-twin-session.js';
import { deriveDeviceKey, EnrollmentBackEnd, registerWithSymmetricKey, type ProvisioningEndpoint, type RegistrationResult, type RegistrationState } from '../flows/provisioning.js';
import type { RegistrySide } from './registry-side.js';
import type { ScenarioScope } from './scenario-scope.js';

const newKey = (): string => randomBytes(32).toString('base64');

/** A registration result, with the generation id the hub's device had right after it (a re-created device gets a new one). */
export type Registered = RegistrationResult & { readonly generationId: string | undefined };

/**
 * Devices that provision themselves through the Device Provisioning Service, in the steps' words:
 * the back end's one symmetric-key enrollment group per scenario, and devices registering with
 * keys derived from it (over HTTPS, whatever transport they then use with the hub). A device's
 * registration id is its scenario id, which DPS also makes its device id.
 */
export class ProvisioningSide {
  private group: { readonly id: string; readonly key: string; readonly secondaryKey: string } | undefined;
  private readonly results = new Map<string, Registered[]>();

  constructor(
    private readonly scope: ScenarioScope,
    private readonly devices: RegistrySide,
  ) {}

  async createGroup(desired: Record<string, unknown>): Promise<void> {
    const group = { id: this.scope.ids.idFor('enrollment-group'), key: newKey(), secondaryKey: newKey() };
    const backEnd = this.backEnd();
    await backEnd.createSymmetricKeyGroup({ id: group.id, primaryKey: group.key, secondaryKey: group.secondaryKey, desired });
    this.scope.cleanup.defer(() => backEnd.deleteGroup(group.id));
    this.group = group;
  }

  async disableGroup(): Promise<void> {
    const { id, key, secondaryKey } = this.currentGroup();
    await this.backEnd().disableGroup({ id, primaryKey: key, secondaryKey });
  }

  /** The device registers with its key derived from the group's, or with a key that is not. */
  async register(name: string, key: 'derived' | 'not derived'): Promise<Registered> {
    const registrationId = this.devices.deviceId(name);
    this.scope.cleanup.deleteDevice(registrationId);
    const backEnd = this.backEnd();
    this.scope.cleanup.defer(() => backEnd.deleteRegistration(registrationId));
    const result = await registerWithSymmetricKey(this.endpoint(), registrationId, key === 'derived' ? this.keyOf(name) : newKey());
    const registered = { ...result, generationId: await this.devices.generationIdOf(name) };
    this.results.set(name, [...(this.results.get(name) ?? []), registered]);
    return registered;
  }

  /** Every registration result the device got in this scenario, oldest first. */
  resultsOf(name: string): Registered[] {
    return this.results.get(name) ?? [];
  }

  /** The device's app connects to the hub DPS assigned, with its derived key, over the suite's transport. */
  async connectToAssignedHub(name: string): Promise<DeviceTwinSession> {
    const [latest] = this.resultsOf(name).slice(-1);
    if (latest?.deviceId === undefined) throw new Error(`Device '${name}' has not been assigned to a hub in this scenario.`);
    const app = await connectWithKey(this.scope.target, { deviceId: latest.deviceId, sharedAccessKey: this.keyOf(name) }, { reconnect: false });
    return this.scope.cleanup.close(app);
  }

  registrationState(name: string): Promise<RegistrationState> {
    return this.backEnd().registrationState(this.devices.deviceId(name));
  }

  private keyOf(name: string): string {
    return deriveDeviceKey(this.currentGroup().key, this.devices.deviceId(name));
  }

  private currentGroup(): { id: string; key: string; secondaryKey: string } {
    if (this.group === undefined) throw new Error('The scenario has no enrollment group yet.');
    return this.group;
  }

  private backEnd(): EnrollmentBackEnd {
    return new EnrollmentBackEnd(this.endpoint());
  }

  private endpoint(): ProvisioningEndpoint {
    const { provisioning } = this.scope.target;
    if (provisioning === undefined) {
      throw new Error('Provisioning needs a Device Provisioning Service: set IOTHUB_DPS_ID_SCOPE and IOTHUB_DPS_SERVICE_CONNECTION_STRING (portal: the DPS overview and its Shared access policies).');
    }
    return provisioning;
  }
}
