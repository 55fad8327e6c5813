import { createHmac } from 'node:crypto';
import provisioningDevice from 'azure-iot-provisioning-device';
import provisioningHttp from 'azure-iot-provisioning-device-http';
import provisioningService from 'azure-iot-provisioning-service';
import symmetricKey from 'azure-iot-security-symmetric-key';
import x509Security from 'azure-iot-security-x509';
import type { RegistrationResult } from 'azure-iot-provisioning-device/dist/interfaces.js';

const { ProvisioningDeviceClient } = provisioningDevice;
const { ProvisioningServiceClient } = provisioningService;
const { SymmetricKeySecurityClient } = symmetricKey;
const { X509Security } = x509Security;

/** Where devices register and the back end manages enrollments (the portal's DPS overview). */
export interface ProvisioningEndpoint {
  /** The global device endpoint (global.azure-devices-provisioning.net) or the emulator's host. */
  readonly host: string;
  readonly idScope: string;
  /** `HostName=…;SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=…` */
  readonly serviceConnectionString: string;
}

export type { RegistrationResult };

/** A device key derived from its group's key ("Symmetric key attestation": HMAC-SHA256 of the registration id). */
export function deriveDeviceKey(groupKey: string, registrationId: string): string {
  return createHmac('sha256', Buffer.from(groupKey, 'base64')).update(registrationId, 'utf8').digest('base64');
}

/**
 * A device registers itself with its symmetric key, as the SDK's "register_symkey" sample does:
 * ProvisioningDeviceClient over HTTPS (azure-iot-provisioning-device-http), which polls the
 * operation until DPS has assigned the device to a hub.
 */
export async function registerWithSymmetricKey(endpoint: Pick<ProvisioningEndpoint, 'host' | 'idScope'>, registrationId: string, key: string): Promise<RegistrationResult> {
  // Each package bundles its own azure-iot-common; their security client types differ by a private field only.
  const security = new SymmetricKeySecurityClient(registrationId, key) as unknown as Parameters<typeof ProvisioningDeviceClient.create>[3];
  const client = ProvisioningDeviceClient.create(endpoint.host, endpoint.idScope, new provisioningHttp.Http(), security);
  const result = (await client.register()) as RegistrationResult | undefined;
  if (result === undefined) throw new Error(`DPS answered the registration of '${registrationId}' with nothing.`);
  return result;
}

/**
 * A device registers itself with its certificate, as the SDK's "register_x509" sample does:
 * X509Security puts the certificate in the TLS handshake and no token is sent; DPS matches the
 * certificate's CN to the registration id and its chain to an enrollment group's signing certificate.
 */
export async function registerWithCertificate(endpoint: Pick<ProvisioningEndpoint, 'host' | 'idScope'>, registrationId: string, credentials: { cert: string; key: string }): Promise<RegistrationResult> {
  // Each package bundles its own azure-iot-common; their security client types differ by nothing the client reads.
  const security = new X509Security(registrationId, credentials) as unknown as Parameters<typeof ProvisioningDeviceClient.create>[3];
  const result = (await ProvisioningDeviceClient.create(endpoint.host, endpoint.idScope, new provisioningHttp.Http(), security).register()) as RegistrationResult | undefined;
  if (result === undefined) throw new Error(`DPS answered the registration of '${registrationId}' with nothing.`);
  return result;
}

/** What the back end reads of a registration (the service API's DeviceRegistrationState). */
export interface RegistrationState {
  readonly registrationId: string;
  readonly status: string;
  readonly assignedHub?: string;
  readonly deviceId?: string;
}

/**
 * The back end's side of DPS, as azure-iot-provisioning-service's samples use it: a symmetric-key
 * enrollment group with its initial twin, its status, and the registration states of its devices.
 */
export class EnrollmentBackEnd {
  private readonly client: InstanceType<typeof ProvisioningServiceClient>;

  constructor(endpoint: Pick<ProvisioningEndpoint, 'serviceConnectionString'>) {
    this.client = ProvisioningServiceClient.fromConnectionString(endpoint.serviceConnectionString);
  }

  async createSymmetricKeyGroup(group: { id: string; primaryKey: string; secondaryKey: string; desired: Record<string, unknown> }): Promise<void> {
    await this.client.createOrUpdateEnrollmentGroup({
      enrollmentGroupId: group.id,
      attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: group.primaryKey, secondaryKey: group.secondaryKey } },
      initialTwin: { tags: {}, properties: { desired: group.desired } },
      provisioningStatus: 'enabled',
    } as unknown as Parameters<typeof this.client.createOrUpdateEnrollmentGroup>[0]);
  }

  /** An X.509 enrollment group: devices whose certificate chains to `signingCertificate` (PEM) belong to it. */
  async createX509Group(group: { id: string; signingCertificate: string }): Promise<void> {
    await this.client.createOrUpdateEnrollmentGroup({
      enrollmentGroupId: group.id,
      attestation: { type: 'x509', x509: { signingCertificates: { primary: { certificate: group.signingCertificate } } } },
      provisioningStatus: 'enabled',
    } as unknown as Parameters<typeof this.client.createOrUpdateEnrollmentGroup>[0]);
  }

  /**
   * Reads the group and puts it back disabled, with its etag, as the service API requires, and with
   * its keys: a read does not return them (attestationmechanism does), and the put replaces the group.
   */
  async disableGroup(group: { id: string; primaryKey: string; secondaryKey: string }): Promise<void> {
    const { responseBody: current } = await this.client.getEnrollmentGroup(group.id);
    const attestation = { type: 'symmetricKey', symmetricKey: { primaryKey: group.primaryKey, secondaryKey: group.secondaryKey } };
    await this.client.createOrUpdateEnrollmentGroup({ ...current, attestation, provisioningStatus: 'disabled' } as typeof current);
  }

  async registrationState(registrationId: string): Promise<RegistrationState> {
    const { responseBody } = await this.client.getDeviceRegistrationState(registrationId);
    return responseBody;
  }

  async deleteGroup(id: string): Promise<void> {
    await this.client.deleteEnrollmentGroup(id);
  }

  async deleteRegistration(registrationId: string): Promise<void> {
    await this.client.deleteDeviceRegistrationState(registrationId);
  }
}
