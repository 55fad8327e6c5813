import provisioningHttp from 'azure-iot-provisioning-device-http';
import provisioningMqtt from 'azure-iot-provisioning-device-mqtt';
import x509Security from 'azure-iot-security-x509';
import type { RegistrationResult } from 'azure-iot-provisioning-device/dist/interfaces.js';
import type { CertificateAndKey } from '../../src/flows/x509-certificates.js';
import { DeviceClient, Mqtt } from '../../src/sdk.js';
import { mqttBaseTrusting, ProvisioningDeviceClient, type DpsFixture, type DpsTransport } from './dps-fixture.js';

const { X509Security } = x509Security;

/**
 * `register()` of the official device client with `X509Security(registrationId, {cert, key})`, as
 * the SDK's register_x509 sample does: the certificate goes in the TLS handshake, no token is sent
 * (wire notes §5.1). The caller picks the registration id; the SDK does not read the CN.
 */
export function registerWithCertificate(dps: DpsFixture, registrationId: string, credentials: CertificateAndKey, transport: DpsTransport): Promise<RegistrationResult | undefined> {
  const { emulator } = dps;
  const host = transport === 'http' ? emulator.provisioningHost : emulator.provisioningMqttHost;
  const protocol = transport === 'http' ? new provisioningHttp.Http() : new provisioningMqtt.Mqtt(mqttBaseTrusting(emulator.caCertificate));
  // The packages each bundle their own azure-iot-common, whose X509 types differ by nothing the client reads.
  const security = new X509Security(registrationId, { cert: credentials.cert, key: credentials.key }) as unknown as Parameters<typeof ProvisioningDeviceClient.create>[3];
  return ProvisioningDeviceClient.create(host, emulator.idScope, protocol, security).register() as Promise<RegistrationResult | undefined>;
}

/** The hub device client the SDK's samples open after DPS: `HostName=<assignedHub>;DeviceId=…;x509=true`, the same certificate. */
export async function hubDeviceWithCertificate(dps: DpsFixture, result: RegistrationResult, credentials: CertificateAndKey): Promise<InstanceType<typeof DeviceClient>> {
  // x509=true ignores GatewayHostName (wire notes §7.1): in process the assigned hub's 8883 is routed to the MQTT listener.
  const client = DeviceClient.fromConnectionString(`HostName=${result.assignedHub};DeviceId=${result.deviceId};x509=true`, Mqtt);
  await client.setOptions({ cert: credentials.cert, key: credentials.key, ca: dps.emulator.caCertificate });
  return client;
}

/** An X.509 individual enrollment as the service SDK sends it: the device's PEM in clientCertificates. */
export function x509Enrollment(registrationId: string, certificates: readonly CertificateAndKey[], extra: Record<string, unknown> = {}): never {
  const [primary, secondary] = certificates.map((credentials) => ({ certificate: credentials.cert }));
  return { registrationId, attestation: { type: 'x509', x509: { clientCertificates: { primary, ...(secondary === undefined ? {} : { secondary }) } } }, ...extra } as never;
}

/** An X.509 enrollment group with a signing (root or intermediate) certificate, base64 of its PEM as the SDK's e2e tests send it. */
export function x509Group(enrollmentGroupId: string, signer: CertificateAndKey, extra: Record<string, unknown> = {}): never {
  const certificate = Buffer.from(signer.cert).toString('base64');
  return { enrollmentGroupId, attestation: { type: 'x509', x509: { signingCertificates: { primary: { certificate } } } }, ...extra } as never;
}
