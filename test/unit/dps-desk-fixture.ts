import { ProvisioningService } from '../../emulator/state/dps/provisioning-service.js';
import { createSasToken } from '../../emulator/state/sas.js';
import { keyFromSeed, newRegistry } from './fixtures.js';

/** A provisioning service over a fresh registry, for the symmetric-key registration tests (dps-registration, dps-assignment). */
export const ID_SCOPE = '0ne0000ABCD';
export const PRIMARY = keyFromSeed(40);
export const SECONDARY = keyFromSeed(41);
export const GROUP_KEY = keyFromSeed(42);

export function desk(retryAfterSeconds = 0) {
  const { clock, registry } = newRegistry();
  const service = new ProvisioningService({
    clock, registry, linkedHub: 'dps-hub.azure-devices.net', idScope: ID_SCOPE, serviceKey: keyFromSeed(50), retryAfterSeconds,
    generateKey: () => keyFromSeed(60), generateOperationId: () => 'op-1',
  });
  // An X.509 group written first: symmetric-key attestation passes over it.
  service.book.putGroup('x509-grp', { enrollmentGroupId: 'x509-grp', attestation: { type: 'x509', x509: { caReferences: { primary: 'ca' } } } }, undefined);
  service.book.putGroup('grp', { enrollmentGroupId: 'grp', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: GROUP_KEY, secondaryKey: GROUP_KEY } } }, undefined);
  const nowSeconds = Math.floor(clock.now().getTime() / 1000);
  const token = (registrationId: string, init: { key?: string; expiry?: number; keyName?: string | null; resource?: string } = {}) => createSasToken({
    resourceUri: init.resource ?? `${ID_SCOPE}/registrations/${registrationId}`, base64Key: init.key ?? PRIMARY, expiry: init.expiry ?? nowSeconds + 60,
    ...(init.keyName === null ? {} : { keyName: init.keyName ?? 'registration' }),
  });
  const register = (registrationId: string, authorization: string, idScope = ID_SCOPE) => {
    const { operationId } = service.desk.register({ idScope, registrationId, authorization, body: { registrationId } });
    return service.desk.operationStatus({ idScope, registrationId, operationId, authorization });
  };
  return { service, registry, clock, token, register, nowSeconds };
}
