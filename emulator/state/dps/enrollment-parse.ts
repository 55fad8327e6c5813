import { assertValidDeviceId } from '../ids.js';
import { isJsonObject, type JsonObject } from '../json.js';
import { assertValidSymmetricKey, type KeyGenerator } from '../keys.js';
import { assertValidTwinPatch } from '../twin-rules.js';
import { dpsErrors } from './dps-errors.js';
import { parseX509Credentials, type X509Credentials } from './x509-attestation.js';
import type { Attestation, EnrollmentSettings, InitialTwin, ReprovisionPolicy } from './enrollment-types.js';

/**
 * DPS registration ids (docs, "DPS terminology", registration ID): case-insensitive, up to 128
 * characters of alphanumerics and `- . _ :`, the last one alphanumeric or `-`. Enrollment group ids
 * follow the same rule here.
 */
const REGISTRATION_ID = /^[A-Za-z0-9\-._:]{0,127}[A-Za-z0-9-]$/;

export function assertValidRegistrationId(id: string, what = 'registrationId'): void {
  if (!REGISTRATION_ID.test(id)) {
    throw dpsErrors.badRequest(`The ${what} '${id.slice(0, 140)}' is invalid: 1-128 alphanumerics or - . _ :, ending in an alphanumeric or -.`);
  }
}

export interface SettingsContext {
  /** The one linked hub's host name: an enrollment may name no other. */
  readonly linkedHub: string;
  readonly generateKey: KeyGenerator;
}

/** The settings an enrollment or group body asks for, validated; throws a DpsError (400) before anything is stored. */
export function parseEnrollmentSettings(body: JsonObject, context: SettingsContext, kind: EnrollmentKind): EnrollmentSettings {
  return {
    attestation: parseAttestation(body.attestation, context.generateKey, kind),
    provisioningStatus: oneOf(body.provisioningStatus, ['enabled', 'disabled'], 'provisioningStatus') ?? 'enabled',
    initialTwin: parseInitialTwin(body.initialTwin),
    reprovisionPolicy: parseReprovisionPolicy(body.reprovisionPolicy),
    iotEdge: parseCapabilities(body.capabilities),
    allocationPolicy: parseAllocationPolicy(body.allocationPolicy),
    iotHubs: parseLinkedHubs(body, context.linkedHub),
  };
}

export function parseDeviceId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw dpsErrors.badRequest('deviceId must be a string.');
  assertValidDeviceId(value);
  return value;
}

/** An individual enrollment attests one device, a group the devices its CA signs: their X.509 forms differ. */
export type EnrollmentKind = 'individual' | 'group';

function parseAttestation(value: unknown, generateKey: KeyGenerator, kind: EnrollmentKind): Attestation {
  if (!isJsonObject(value)) throw dpsErrors.badRequest('attestation is required: {type, symmetricKey | x509}.');
  if (value.type === 'tpm') throw dpsErrors.notSupported('TPM attestation');
  if (value.type === 'x509') {
    if (!isJsonObject(value.x509)) throw dpsErrors.badRequest('An x509 attestation needs its x509 certificates or CA references.');
    assertX509ForKind(parseX509Credentials(value.x509), kind);
    return { type: 'x509', x509: value.x509 };
  }
  if (value.type !== 'symmetricKey') throw dpsErrors.badRequest(`attestation.type must be symmetricKey, x509 or tpm, not ${typeof value.type === 'string' ? value.type : 'given'}.`);
  const requested = value.symmetricKey === undefined || value.symmetricKey === null ? {} : value.symmetricKey;
  if (!isJsonObject(requested)) throw dpsErrors.badRequest('attestation.symmetricKey must be an object.');
  // Keys left out are generated, as the service does (wire notes §8.3, azure-iot-sdk-java#411).
  return { type: 'symmetricKey', symmetricKey: { primaryKey: symmetricKey(requested.primaryKey, 'primaryKey', generateKey), secondaryKey: symmetricKey(requested.secondaryKey, 'secondaryKey', generateKey) } };
}

/** docs ("X.509 certificate attestation"): individual enrollments hold the device's certificate, groups a signing CA or a CA reference. */
function assertX509ForKind(credentials: X509Credentials, kind: EnrollmentKind): void {
  const individual = credentials.clientCertificates.length > 0;
  if (kind === 'individual' && !individual) throw dpsErrors.badRequest('An individual enrollment\'s x509 attestation takes clientCertificates (the device certificate).');
  if (kind === 'group' && individual) throw dpsErrors.badRequest('An enrollment group\'s x509 attestation takes signingCertificates or caReferences, not clientCertificates.');
}

function symmetricKey(value: unknown, which: string, generateKey: KeyGenerator): string {
  if (value === undefined || value === null || value === '') return generateKey();
  if (typeof value !== 'string') throw dpsErrors.badRequest(`attestation.symmetricKey.${which} must be a base64 string.`);
  try {
    assertValidSymmetricKey(value, which);
  } catch {
    throw dpsErrors.badRequest(`attestation.symmetricKey.${which} must be a base64 string of 16 to 64 bytes.`);
  }
  return value;
}

function parseInitialTwin(value: unknown): InitialTwin | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw dpsErrors.badRequest('initialTwin must be an object {tags, properties: {desired}}.');
  const properties = value.properties ?? {};
  if (!isJsonObject(properties)) throw dpsErrors.badRequest('initialTwin.properties must be an object.');
  return { tags: twinSection('tags', value.tags), desired: twinSection('desired', properties.desired) };
}

/** The same rules as a twin patch from the back end (depth, names, sizes); DPS's own `version`/`count`/`metadata` are not content. */
function twinSection(section: 'tags' | 'desired', value: unknown): JsonObject {
  if (value === undefined || value === null) return {};
  if (!isJsonObject(value)) throw dpsErrors.badRequest(`initialTwin ${section} must be an object.`);
  const content: JsonObject = Object.fromEntries(Object.entries(value).filter(([key]) => !['version', 'count', 'metadata', '$version', '$metadata'].includes(key)));
  try {
    assertValidTwinPatch(section, content);
  } catch (error) {
    throw dpsErrors.badRequest(`initialTwin ${section}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return content;
}

function parseReprovisionPolicy(value: unknown): ReprovisionPolicy {
  if (value === undefined || value === null) return { updateHubAssignment: true, migrateDeviceData: true };
  if (!isJsonObject(value)) throw dpsErrors.badRequest('reprovisionPolicy must be an object.');
  return { updateHubAssignment: flag(value.updateHubAssignment, 'reprovisionPolicy.updateHubAssignment', true), migrateDeviceData: flag(value.migrateDeviceData, 'reprovisionPolicy.migrateDeviceData', true) };
}

function parseCapabilities(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (!isJsonObject(value)) throw dpsErrors.badRequest('capabilities must be an object.');
  return flag(value.iotEdge, 'capabilities.iotEdge', false);
}

function parseAllocationPolicy(value: unknown): EnrollmentSettings['allocationPolicy'] {
  if (value === 'custom') throw dpsErrors.notSupported('Custom allocation (an Azure Function webhook)');
  return oneOf(value, ['hashed', 'geoLatency', 'static'], 'allocationPolicy');
}

/** `iotHubHostName` (legacy) and `iotHubs` may only name this emulator's hub, the one linked hub. */
function parseLinkedHubs(body: JsonObject, linkedHub: string): readonly string[] | undefined {
  const named: unknown[] = [];
  if (body.iotHubHostName !== undefined && body.iotHubHostName !== null) named.push(body.iotHubHostName);
  if (Array.isArray(body.iotHubs)) named.push(...body.iotHubs);
  else if (body.iotHubs !== undefined && body.iotHubs !== null) throw dpsErrors.badRequest('iotHubs must be an array of host names.');
  const stranger = named.find((hub) => typeof hub !== 'string' || hub.toLowerCase() !== linkedHub.toLowerCase());
  if (stranger !== undefined) throw dpsErrors.badRequest(`${JSON.stringify(stranger)} is not a linked IoT hub of this provisioning service (the only one is ${linkedHub}).`);
  return named.length === 0 ? undefined : [linkedHub];
}

function flag(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw dpsErrors.badRequest(`${name} must be true or false.`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  throw dpsErrors.badRequest(`${name} must be one of ${allowed.join(', ')}.`);
}
