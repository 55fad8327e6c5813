import { hubErrors } from '../errors.js';
import { verifyIdentityToken, type TokenAuthContext } from '../state/token-auth.js';

/**
 * The device API's check ("Control access to IoT Hub", security tokens; the REST device API's
 * `Authorization: SharedAccessSignature ...`): the token is the device's own, or a policy's with
 * DeviceConnect, for the device the path names, unexpired, and the device is registered, uses SAS
 * and is enabled, as on MQTT and AMQP (state/token-auth.ts). Every refusal is 401
 * IotHubUnauthorizedAccess, an unknown device included ("Understand and resolve IoT Hub errors",
 * 401003: "IotHub '*' does not contain the specified device '*'"); the text never echoes a key.
 */
export function authorizeDeviceRequest(authorization: string | undefined, deviceId: string, context: TokenAuthContext): void {
  if (authorization === undefined) throw hubErrors.unauthorized('The request has no Authorization header.');
  const verdict = verifyIdentityToken(authorization, { deviceId }, context);
  if (!verdict.ok) throw hubErrors.unauthorized(`The credentials for device '${deviceId}' are refused: ${verdict.reason}.`);
}
