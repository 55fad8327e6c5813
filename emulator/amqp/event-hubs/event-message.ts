import type { HubEvent, PartitionInfo } from '../../state/event-hub-store.js';
import type { EventOrigin } from '../../state/event-hub-partition.js';
import { dataBody } from '../message-fields.js';
import { amqpTypes, type Message } from '../rhea.js';

/**
 * An event as the built-in endpoint delivers it (wire notes §5.4; "Create and read IoT Hub messages",
 * system properties; "Read device-to-cloud messages from the built-in endpoint"): the body as the
 * device sent it in one data section, its message and correlation ids, content type and encoding and
 * user id in the properties section, its application properties as they were, and the hub's
 * annotations. Sequence numbers are AMQP longs, offsets strings, times timestamps.
 */
export function eventMessage(event: HubEvent, runtime?: { readonly info: PartitionInfo; readonly nowMs: number }): Message {
  const { message } = event;
  const system = message.systemProperties;
  const annotations: Record<string, unknown> = {
    'iothub-connection-device-id': message.deviceId,
    ...(message.moduleId === undefined ? {} : { 'iothub-connection-module-id': message.moduleId }),
    'iothub-connection-auth-method': authMethod(event.origin, message.moduleId !== undefined),
    ...(event.origin.generationId === undefined ? {} : { 'iothub-connection-auth-generation-id': event.origin.generationId }),
    'iothub-enqueuedtime': new Date(Date.parse(message.enqueuedTime) || event.enqueuedTimeMs),
    'iothub-message-source': 'Telemetry',
    ...(system.ifid === undefined ? {} : { 'iothub-interface-id': system.ifid }),
    ...(system.sub === undefined ? {} : { 'dt-subject': system.sub }),
    'x-opt-sequence-number': amqpTypes.wrap_long(event.sequenceNumber),
    'x-opt-offset': event.offset,
    'x-opt-enqueued-time': new Date(event.enqueuedTimeMs),
  };
  return {
    body: dataBody(message.body),
    ...(system.mid === undefined ? {} : { message_id: system.mid }),
    ...(system.cid === undefined ? {} : { correlation_id: system.cid }),
    ...(system.ct === undefined ? {} : { content_type: system.ct }),
    ...(system.ce === undefined ? {} : { content_encoding: system.ce }),
    ...(system.uid === undefined ? {} : { user_id: Buffer.from(system.uid, 'utf8') }),
    application_properties: { ...message.applicationProperties },
    message_annotations: annotations,
    ...(runtime === undefined ? {} : { delivery_annotations: runtimeAnnotations(runtime.info, runtime.nowMs) }),
  } as Message;
}

/**
 * `iothub-connection-auth-method` as the hub writes it: a JSON object naming the scope (device or
 * module), the credential type and its issuer. The emulator infers it from the identity's
 * authentication type in the registry (FIDELITY.md).
 */
function authMethod(origin: EventOrigin, fromModule: boolean): string {
  const x509 = origin.authenticationType === 'selfSigned' || origin.authenticationType === 'certificateAuthority';
  return JSON.stringify({
    scope: fromModule ? 'module' : 'device',
    type: x509 ? 'x509Certificate' : 'sas',
    issuer: x509 ? (origin.authenticationType === 'certificateAuthority' ? 'external' : 'iothub') : 'iothub',
    acceptingIpFilterRule: null,
  });
}

/** With `trackLastEnqueuedEventProperties` (capability `com.microsoft:enable-receiver-runtime-metric`), wire notes §5.4. */
function runtimeAnnotations(info: PartitionInfo, nowMs: number): Record<string, unknown> {
  return {
    last_enqueued_sequence_number: amqpTypes.wrap_long(info.lastSequenceNumber),
    last_enqueued_offset: info.lastOffset,
    last_enqueued_time_utc: new Date(info.lastEnqueuedTimeMs),
    runtime_info_retrieval_time_utc: new Date(nowMs),
  };
}
