import type { HubError } from '../errors.js';
import type { AmqpError } from './rhea.js';

/**
 * AMQP error conditions for the hub's errors, as the service and device SDKs translate them back
 * (azure-iothub amqp_service_errors, azure-iot-amqp-base amqp_common_errors; wire notes §3.3).
 */
const CONDITIONS: Readonly<Record<string, string>> = {
  DeviceNotFound: 'amqp:not-found',
  ModuleNotFound: 'amqp:not-found',
  DeviceMaximumQueueDepthExceeded: 'amqp:resource-limit-exceeded',
  MessageTooLarge: 'amqp:link:message-size-exceeded',
  ArgumentInvalid: 'com.microsoft:argument-error',
  ArgumentNull: 'com.microsoft:argument-error',
  IotHubUnauthorizedAccess: 'amqp:unauthorized-access',
  PreconditionFailed: 'com.microsoft:precondition-failed',
  DeviceMessageLockLost: 'com.microsoft:message-lock-lost',
  NotImplemented: 'amqp:not-implemented',
};

export function amqpErrorFor(error: HubError): AmqpError {
  return { condition: CONDITIONS[error.code] ?? (error.status >= 500 ? 'amqp:internal-error' : 'com.microsoft:argument-error'), description: error.message };
}

export const notFound = (description: string): AmqpError => ({ condition: 'amqp:not-found', description });
export const unauthorizedAccess = (description: string): AmqpError => ({ condition: 'amqp:unauthorized-access', description });
