/**
 * One error type for the whole emulator, shaped like IoT Hub's errors.
 *
 * The hub answers REST errors with `{"Message":"ErrorCode:<Code>;<text>","ExceptionMessage":"Tracking ID:..."}`
 * and an `iothub-errorcode` header; azure-iothub's `translateError` picks the SDK error class from the
 * status (shared/reference/iothub-sdk-wire-notes.md §3). Over MQTT the device SDK only looks at the
 * twin response body, so the same error is rendered as `{"errorCode":..., "message":...}` (§2.1).
 */
export type HubErrorCode =
  | 'ArgumentInvalid'
  | 'ArgumentNull'
  | 'DeviceNotFound'
  | 'ModuleNotFound'
  | 'DeviceAlreadyExists'
  | 'ModuleAlreadyExistsOnDevice'
  | 'PreconditionFailed'
  | 'IotHubUnauthorizedAccess'
  | 'InvalidProtocolVersion'
  | 'MethodNotAllowed'
  | 'NotFound'
  | 'NotImplemented'
  | 'RequestEntityTooLarge'
  | 'TooManyModulesOnDevice'
  | 'InvalidDeviceScope'
  | 'DeviceDefinedMultipleTimes'
  | 'DeviceNotOnline'
  | 'GatewayTimeout'
  | 'DeviceMaximumQueueDepthExceeded'
  | 'MessageTooLarge'
  | 'DeviceMessageLockLost'
  | 'ServerError';

/** Numeric codes the hub puts in twin error bodies (docs: "IoT Hub error codes", 400xxx / 404xxx / 412xxx). */
const NUMERIC_CODES: Record<HubErrorCode, number> = {
  ArgumentInvalid: 400004,
  ArgumentNull: 400005,
  DeviceNotFound: 404001,
  ModuleNotFound: 404010,
  DeviceAlreadyExists: 409001,
  ModuleAlreadyExistsOnDevice: 409301,
  PreconditionFailed: 412002,
  IotHubUnauthorizedAccess: 401002,
  InvalidProtocolVersion: 400001,
  MethodNotAllowed: 405000,
  NotFound: 404000,
  NotImplemented: 501000,
  RequestEntityTooLarge: 413001,
  // Not in the public numeric list (these are REST-only, where the string code is what the SDKs read).
  TooManyModulesOnDevice: 403000,
  InvalidDeviceScope: 400000,
  DeviceDefinedMultipleTimes: 400000,
  DeviceNotOnline: 404103,
  GatewayTimeout: 504101,
  DeviceMaximumQueueDepthExceeded: 403002,
  MessageTooLarge: 413002,
  // "Troubleshoot 412002 DeviceMessageLockLost" (IoT Hub docs).
  DeviceMessageLockLost: 412002,
  ServerError: 500001,
};

export class HubError extends Error {
  readonly status: number;
  readonly code: HubErrorCode;

  constructor(init: { status: number; code: HubErrorCode; message: string }) {
    super(init.message);
    this.name = 'HubError';
    this.status = init.status;
    this.code = init.code;
  }

  get numericCode(): number {
    return NUMERIC_CODES[this.code];
  }
}

export const hubErrors = {
  argumentInvalid: (message: string) => new HubError({ status: 400, code: 'ArgumentInvalid', message }),
  /** A required value is missing (what the hub answered a query request without its query, azure-iot-sdks#941). */
  argumentNull: (message: string) => new HubError({ status: 400, code: 'ArgumentNull', message }),
  invalidApiVersion: (version: string | undefined) =>
    new HubError({ status: 400, code: 'InvalidProtocolVersion', message: `Invalid api-version: '${version ?? ''}'. Supported: 2021-04-12.` }),
  deviceNotFound: (deviceId: string) =>
    new HubError({ status: 404, code: 'DeviceNotFound', message: `Device ${deviceId} not registered` }),
  moduleNotFound: (deviceId: string, moduleId: string) =>
    new HubError({ status: 404, code: 'ModuleNotFound', message: `Module ${moduleId} on device ${deviceId} not registered` }),
  deviceAlreadyExists: (deviceId: string) =>
    new HubError({ status: 409, code: 'DeviceAlreadyExists', message: `A device with ID '${deviceId}' is already registered.` }),
  moduleAlreadyExists: (deviceId: string, moduleId: string) =>
    new HubError({
      status: 409,
      code: 'ModuleAlreadyExistsOnDevice',
      message: `A module with ID '${moduleId}' already exists on device '${deviceId}'.`,
    }),
  preconditionFailed: (message: string) => new HubError({ status: 412, code: 'PreconditionFailed', message }),
  unauthorized: (message: string) => new HubError({ status: 401, code: 'IotHubUnauthorizedAccess', message }),
  routeNotFound: (method: string, path: string) =>
    new HubError({ status: 404, code: 'NotFound', message: `No IoT Hub operation at ${method} ${path}` }),
  methodNotAllowed: (method: string, path: string) =>
    new HubError({ status: 405, code: 'MethodNotAllowed', message: `${method} is not allowed on ${path}` }),
  notImplemented: (what: string) =>
    new HubError({ status: 501, code: 'NotImplemented', message: `${what} is not emulated (see FIDELITY.md)` }),
  tooLarge: (message: string) => new HubError({ status: 413, code: 'RequestEntityTooLarge', message }),
  /** Module twins doc: "under each device identity, you can create up to 50 module identities". */
  tooManyModules: (deviceId: string, limit: number) =>
    new HubError({ status: 403, code: 'TooManyModulesOnDevice', message: `Device '${deviceId}' already has the maximum of ${limit} modules.` }),
  invalidDeviceScope: (message: string) => new HubError({ status: 400, code: 'InvalidDeviceScope', message }),
  definedMultipleTimes: (deviceId: string) =>
    new HubError({ status: 400, code: 'DeviceDefinedMultipleTimes', message: `Device '${deviceId}' appears more than once in the request.` }),
};

/** Direct methods ("Understand and invoke direct methods", response codes): target offline, device too slow. */
export const methodErrors = {
  deviceNotOnline: (target: string) =>
    new HubError({ status: 404, code: 'DeviceNotOnline', message: `Timed out waiting for ${target} to connect.` }),
  gatewayTimeout: (target: string, seconds: number) =>
    new HubError({ status: 504, code: 'GatewayTimeout', message: `Timed out after ${seconds} s waiting for the response from ${target}.` }),
};

/** Cloud-to-device messaging ("IoT Hub error codes" 403002, 413002, 412002; C2D doc, queue depth 50). */
export const messagingErrors = {
  queueFull: (deviceId: string, depth: number) =>
    new HubError({ status: 403, code: 'DeviceMaximumQueueDepthExceeded', message: `The cloud-to-device queue of device '${deviceId}' already holds ${depth} messages.` }),
  tooLarge: (bytes: number, limit: number) =>
    new HubError({ status: 413, code: 'MessageTooLarge', message: `The message body is ${bytes} bytes; the limit is ${limit}.` }),
  lockLost: (deviceId: string) =>
    new HubError({ status: 412, code: 'DeviceMessageLockLost', message: `No message of device '${deviceId}' is locked with that token (completed, expired or never delivered).` }),
};

export function asHubError(error: unknown): HubError {
  if (error instanceof HubError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new HubError({ status: 500, code: 'ServerError', message: `Internal emulator error: ${message}` });
}
