import type { Message as DeviceMessage } from 'azure-iot-device';
import type { FeedbackRecord } from '../flows/cloud-to-device.js';
import { check } from './check.js';
import { describeError, type SdkError } from './error-expectations.js';

export function assertCommand(message: DeviceMessage, command: string): void {
  check(String(message.data) === command, `expected the command '${command}', the device received '${String(message.data)}'`);
}

/** `Success` for a completed command, `Expired`, `Rejected` or `DeliveryCountExceeded` for a dead-lettered one. */
export function assertFeedback(record: FeedbackRecord, statusCode: string, deviceId: string): void {
  check(record.statusCode === statusCode && record.deviceId === deviceId, `expected ${statusCode} feedback for device '${deviceId}', got ${JSON.stringify(record)}`);
}

/** The service SDK's error for the hub's 403002 (azure-iothub amqp_service_errors: amqp:resource-limit-exceeded). */
export function assertQueueFull(error: unknown): void {
  check((error as SdkError | undefined)?.name === 'DeviceMaximumQueueDepthExceededError', `expected DeviceMaximumQueueDepthExceededError, got ${describeError(error)}`);
}
