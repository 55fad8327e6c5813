/**
 * rhea, the AMQP 1.0 library that @azure/event-hubs and the IoT SDKs use underneath, in server mode
 * (iothub-amqp-wire-notes §6). It is a CommonJS package; its default export is a container.
 */
import { createRequire } from 'node:module';
import rhea from 'rhea';

export type { Connection, ConnectionOptions, Delivery, EventContext, Message, Receiver, Sender, AmqpError, Container } from 'rhea';

export const rheaContainers = rhea;
export const { message: amqpMessage, types: amqpTypes } = rhea;

/**
 * rhea's WebSocket transport adapter (lib/ws.js `wrap`, what `container.websocket_accept` uses), for
 * servers that accept the connection themselves and need to know its transport. Not in rhea's typings.
 */
export const wrapWebSocket = (createRequire(import.meta.url)('rhea/lib/ws.js') as { wrap: (socket: unknown) => object }).wrap;
