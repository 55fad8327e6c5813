import { dpsErrors } from '../state/dps/dps-errors.js';
import { PROVISIONING_OWNER_POLICY } from '../state/dps/provisioning-service.js';
import { parseSasToken, resourceCovers, signedWithOneOf } from '../state/sas.js';

/**
 * The service API's SAS (docs, "Control access to DPS"; wire notes §8.1): `sr` is the provisioning
 * host (or a prefix of the request's resource), `skn` the policy, signed with its key, not expired.
 * The emulator has the one all-permissions policy, provisioningserviceowner. Anything else is 401.
 */
export function authorizeServiceRequest(authorization: string | undefined, context: { hostName: string; serviceKey: string; nowSeconds: number }): void {
  const token = authorization === undefined ? undefined : parseSasToken(authorization);
  const valid =
    token !== undefined &&
    token.expiry > context.nowSeconds &&
    token.keyName === PROVISIONING_OWNER_POLICY &&
    resourceCovers(token.resourceUri, context.hostName) &&
    signedWithOneOf(token, [context.serviceKey]);
  if (!valid) throw dpsErrors.unauthorized();
}
