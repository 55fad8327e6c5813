import { randomBytes } from 'node:crypto';
import { connectWithKey } from '../flows/device-connection.js';
import type { DeviceTwinSession } from '../flows/device-twin-session.js';
import { connectWithCertificate } from '../flows/x509-connection.js';
import { certificateAuthority, deviceCertificate, type CertificateAndKey } from '../flows/x509-certificates.js';
import { deriveDeviceKey, EnrollmentBackEnd, registerWithCertificate, registerWithSymmetricKey, type ProvisioningEndpoint, type RegistrationResult, type RegistrationState } from '../flows/provisioning.js';
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
  /** The X.509 group's CA, and each device's certificate from it. */
  private groupCa: CertificateAndKey | undefined;
  private readonly certificates = new Map<string, CertificateAndKey>();

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

  /** An X.509 enrollment group whose signing certificate is a CA of the back end's own. */
  async createX509Group(): Promise<void> {
    const id = this.scope.ids.idFor('x509-enrollment-group');
    this.groupCa = await certificateAuthority(`${id} CA`);
    const backEnd = this.backEnd();
    await backEnd.createX509Group({ id, signingCertificate: this.groupCa.cert });
    this.scope.cleanup.defer(() => backEnd.deleteGroup(id));
  }

  /** The device registers with a certificate the group's CA issued, its CN the registration id. */
  async registerWithGroupCertificate(name: string): Promise<Registered> {
    if (this.groupCa === undefined) throw new Error('The scenario has no X.509 enrollment group yet.');
    const registrationId = this.devices.deviceId(name);
    const certificate = await deviceCertificate(registrationId, { issuer: this.groupCa });
    this.certificates.set(name, certificate);
    return this.registered(name, () => registerWithCertificate(this.endpoint(), registrationId, certificate));
  }

  /** The device's app connects to the hub DPS assigned, with the certificate it registered with. */
  async connectWithCertificateToAssignedHub(name: string): Promise<DeviceTwinSession> {
    const certificate = this.certificates.get(name);
    if (certificate === undefined) throw new Error(`Device '${name}' has no certificate in this scenario.`);
    return this.scope.cleanup.close(await connectWithCertificate(this.scope.target, { deviceId: this.assignedDeviceId(name) }, certificate));
  }

  async disableGroup(): Promise<void> {
    const { id, key, secondaryKey } = this.currentGroup();
    await this.backEnd().disableGroup({ id, primaryKey: key, secondaryKey });
  }

  /** The device registers with its key derived from the group's, or with a key that is not. */
  async register(name: string, key: 'derived' | 'not derived'): Promise<Registered> {
    const registrationId = this.devices.deviceId(name);
    return this.registered(name, () => registerWithSymmetricKey(this.endpoint(), registrationId, key === 'derived' ? this.keyOf(name) : newKey()));
  }

  /** Registers (undone at the end: the registration, and the hub device it made) and records the result. */
  private async registered(name: string, register: () => Promise<RegistrationResult>): Promise<Registered> {
    const registrationId = this.devices.deviceId(name);
    this.scope.cleanup.deleteDevice(registrationId);
    const backEnd = this.backEnd();
    this.scope.cleanup.defer(() => backEnd.deleteRegistration(registrationId));
    const result = await register();
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
    const app = await connectWithKey(this.scope.target, { deviceId: this.assignedDeviceId(name), sharedAccessKey: this.keyOf(name) }, { reconnect: false });
    return this.scope.cleanup.close(app);
  }

  private assignedDeviceId(name: string): string {
    const [latest] = this.resultsOf(name).slice(-1);
    if (latest?.deviceId === undefined) throw new Error(`Device '${name}' has not been assigned to a hub in this scenario.`);
    return latest.deviceId;
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
