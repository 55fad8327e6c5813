/**
 * The official SDKs are CommonJS modules whose exports Node's ESM loader cannot name statically, so
 * they are imported whole here and re-exported; types come from the packages' own typings.
 */
import iothub from 'azure-iothub';
import deviceSdk from 'azure-iot-device';
import deviceMqtt from 'azure-iot-device-mqtt';
import deviceAmqp from 'azure-iot-device-amqp';
import deviceHttp from 'azure-iot-device-http';
import common from 'azure-iot-common';
import type { Message as IotHubMessage } from 'azure-iothub/dist/common-core/message.js';

export const { Registry } = iothub;
export const { ModuleClient } = deviceSdk;
export const { Client: DeviceClient, Message } = deviceSdk;
export const { Client: ServiceClient, AmqpWs: ServiceAmqpWs } = iothub;
export const { Mqtt, MqttWs } = deviceMqtt;
export const { Amqp, AmqpWs } = deviceAmqp;
export const { Http } = deviceHttp;
export const { NoRetry } = common;
/**
 * The message for the service SDK's `Client.send`: azure-iot-common's Message, as azure-iothub's own
 * samples use, typed as the copy of it that azure-iothub bundles and types `send` with (a type-only
 * import: older azure-iothub versions in the SDK matrix do not ship that file).
 */
export const ServiceMessage: typeof IotHubMessage = common.Message;
