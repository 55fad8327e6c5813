import { connectWithCertificate } from '../flows/x509-connection.js';
import { certificateAuthority, deviceCertificate, thumbprint, type CertificateAndKey } from '../flows/x509-certificates.js';
import type { DeviceSide } from './device-side.js';
import type { RegistrySide } from './registry-side.js';
import type { ScenarioScope } from './scenario-scope.js';

/** Which of a device's registered certificates ("Authenticate identities with X.509 certificates": primary and secondary thumbprints). */
export type CertificateSlot = 'primary' | 'secondary';

/**
 * Devices that authenticate with X.509 certificates, in the steps' words: registered by their
 * certificates' thumbprints (selfSigned) or to a CA (certificateAuthority), connecting with a
 * certificate, and the back end rolling a device over to its secondary certificate.
 */
export class CertificateSide {
  private readonly certificates = new Map<string, CertificateAndKey>();

  constructor(
    private readonly scope: ScenarioScope,
    private readonly devices: RegistrySide,
    private readonly apps: DeviceSide,
  ) {}

  /** Registers the device with the thumbprints of newly made self-signed certificates, one per slot. */
  async registerSelfSigned(name: string, slots: readonly CertificateSlot[]): Promise<void> {
    for (const slot of slots) this.certificates.set(`${name}/${slot}`, await deviceCertificate(this.devices.deviceId(name)));
    await this.create(name, { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: this.thumbprintOf(name, slots[0] ?? 'primary'), secondaryThumbprint: slots[1] === undefined ? null : this.thumbprintOf(name, slots[1]) } });
  }

  /** Registers the device to authenticate with certificates from a CA the hub trusts (certificateAuthority). */
  async registerForCertificateAuthority(name: string): Promise<void> {
    await this.create(name, { type: 'certificateAuthority' });
  }

  /** The back end leaves only the secondary thumbprint registered (as the primary, as a rollover does). */
  async retirePrimary(name: string): Promise<void> {
    const deviceId = this.devices.deviceId(name);
    const { status } = (await this.scope.registry.get(deviceId)).responseBody;
    const authentication = { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: this.thumbprintOf(name, 'secondary'), secondaryThumbprint: null } };
    await this.scope.registry.update({ deviceId, status, authentication });
  }

  /** The device's app connects with the certificate registered in `slot`. */
  async connect(name: string, slot: CertificateSlot): Promise<void> {
    const identity = { deviceId: this.devices.deviceId(name) };
    this.apps.opened(name, await connectWithCertificate(this.scope.target, identity, this.certificate(name, slot)));
  }

  /** The device's app connects with a certificate its CN names it by, issued by a CA the hub has never seen. */
  async connectWithUntrustedCertificate(name: string): Promise<void> {
    const issuer = await certificateAuthority('A CA the hub does not trust');
    const identity = { deviceId: this.devices.deviceId(name) };
    this.apps.opened(name, await connectWithCertificate(this.scope.target, identity, await deviceCertificate(identity.deviceId, { issuer })));
  }

  private async create(name: string, authentication: object): Promise<void> {
    const deviceId = this.devices.deviceId(name);
    this.scope.cleanup.deleteDevice(deviceId);
    await this.scope.registry.create({ deviceId, authentication });
  }

  private certificate(name: string, slot: CertificateSlot): CertificateAndKey {
    const certificate = this.certificates.get(`${name}/${slot}`);
    if (certificate === undefined) throw new Error(`Device '${name}' has no ${slot} certificate in this scenario.`);
    return certificate;
  }

  private thumbprintOf(name: string, slot: CertificateSlot): string {
    return thumbprint(this.certificate(name, slot));
  }
}
