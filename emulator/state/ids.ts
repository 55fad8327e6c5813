import { hubErrors } from '../errors.js';

/**
 * Device and module id rules from the IoT Hub identity registry docs ("Device identity properties"):
 * case-sensitive, up to 128 characters, ASCII 7-bit alphanumeric plus `- . % _ * ? ! ( ) , : = @ $ '`
 * The same set applies to module ids.
 */
const ID_PATTERN = /^[A-Za-z0-9\-.%_*?!(),:=@$']{1,128}$/;

export function assertValidDeviceId(deviceId: string): void {
  if (!ID_PATTERN.test(deviceId)) {
    throw hubErrors.argumentInvalid(
      `DeviceId '${deviceId.slice(0, 140)}' is invalid: use 1-128 ASCII letters, digits or - . % _ * ? ! ( ) , : = @ $ '`,
    );
  }
}

export function assertValidModuleId(moduleId: string): void {
  if (!ID_PATTERN.test(moduleId)) {
    throw hubErrors.argumentInvalid(
      `ModuleId '${moduleId.slice(0, 140)}' is invalid: use 1-128 ASCII letters, digits or - . % _ * ? ! ( ) , : = @ $ '`,
    );
  }
}
