/**
 * The official SDKs are CommonJS modules whose exports Node's ESM loader cannot name statically, so
 * they are imported whole here and re-exported; types come from the packages' own typings.
 */
import iothub from 'azure-iothub';
import deviceSdk from 'azure-iot-device';
import deviceMqtt from 'azure-iot-device-mqtt';
import common from 'azure-iot-common';
import serviceMessage from 'azure-iothub/dist/common-core/message.js';

export const { Registry } = iothub;
export const { ModuleClient } = deviceSdk;
export const { Client: DeviceClient, Message } = deviceSdk;
export const { Client: ServiceClient, AmqpWs: ServiceAmqpWs } = iothub;
export const { Mqtt, MqttWs } = deviceMqtt;
export const { NoRetry } = common;
/** The Message class `Client.send` is typed with: azure-iothub bundles its own copy of azure-iot-common's. */
export const { Message: ServiceMessage } = serviceMessage;
