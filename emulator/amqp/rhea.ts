/**
 * rhea, the AMQP 1.0 library that @azure/event-hubs and the IoT SDKs use underneath, in server mode
 * (iothub-amqp-wire-notes §6). It is a CommonJS package; its default export is a container.
 */
import rhea from 'rhea';

export type { Connection, ConnectionOptions, Delivery, EventContext, Message, Receiver, Sender, AmqpError, Container } from 'rhea';

export const rheaContainers = rhea;
export const { message: amqpMessage, types: amqpTypes } = rhea;
