import type { ActivityFeed } from '../state/activity.js';
import { announceAmqpPacket, announceAmqpRefusal } from './amqp-activity.js';
import { verifyPutToken, type CbsContext } from './cbs.js';
import { AmqpConnectionState } from './connection-state.js';
import { ignoreLateSessionFrames } from './late-frames.js';
import { notFound, unauthorizedAccess } from './amqp-errors.js';
import type { LinkRoute, LinkService, ServerRole } from './link-routes.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { rheaContainers, type Connection, type Container, type EventContext, type Receiver, type Sender } from './rhea.js';

const CBS_ADDRESS = '$cbs';

/**
 * The largest AMQP frame the emulator accepts (servers/amqp-frame-guard.ts), and advertises as its
 * `max-frame-size` in its open (AMQP 1.0 §2.7.1) so that clients split larger transfers into frames
 * of this size: rhea, under every Azure SDK, does (session.js compute_max_payload). 64 KiB.
 */
export const MAX_AMQP_FRAME_BYTES = 64 * 1024;

export interface AmqpEndpointOptions {
  /** Everything a put-token is checked against, except the time (read per request). */
  readonly cbs: Omit<CbsContext, 'nowSeconds'>;
  readonly nowMs: () => number;
  /** The address families served, tried in order. */
  readonly services: readonly LinkService[];
  /** Where refused put-tokens and attaches, and attaches and transfers for debug, are announced. */
  readonly activity?: ActivityFeed;
}

/**
 * The hub's AMQP 1.0 endpoint on rhea in server mode (iothub-amqp-wire-notes §6): claims-based
 * security on `$cbs`, then links routed by address to the services that serve them, each allowed
 * only with a claim that grants it. Transports (TLS, WebSockets) hand connections to `container`.
 */
export class AmqpEndpoint {
  readonly container: Container;
  private readonly connections = new Map<Connection, AmqpConnectionState>();
  /** The transports (sockets) whose client has sent its open: the others get a deadline (servers/). */
  private readonly openedTransports = new WeakSet<object>();
  /** TLS client certificates, by the transport rhea accepted the connection on (servers/ present them). */
  private readonly certificates = new WeakMap<object, PresentedCertificate>();

  constructor(private readonly options: AmqpEndpointOptions) {
    this.container = rheaContainers.create_container({ id: `iothub-emulator-${options.cbs.hostName}` });
    this.container.on('connection_open', (context: EventContext) => {
      this.state(context.connection);
      ignoreLateSessionFrames(context.connection);
      // rhea keeps the transport it accepted the connection on as `socket` (connection.js init).
      const transport: unknown = context.connection.socket;
      if (typeof transport === 'object' && transport !== null) this.openedTransports.add(transport);
    });
    this.container.on('receiver_open', (context: EventContext) => this.attached(context, 'receives'));
    this.container.on('sender_open', (context: EventContext) => this.attached(context, 'sends'));
    this.container.on('message', (context: EventContext) => this.received(context));
    this.container.on('sendable', (context: EventContext) => this.state(context.connection).handlerOf(context.sender)?.onSendable?.());
    this.container.on('receiver_close', (context: EventContext) => this.linkClosed(context, context.receiver));
    this.container.on('sender_close', (context: EventContext) => this.linkClosed(context, context.sender));
    this.container.on('disconnected', (context: EventContext) => this.ended(context.connection));
    this.container.on('connection_close', (context: EventContext) => this.ended(context.connection));
    // rhea throws an 'error' event it has no listener for; a client's protocol error must not end the process.
    this.container.on('error', () => undefined);
  }

  /**
   * Options every transport passes to rhea: transfers are settled by the services, never
   * auto-accepted; frames are at most MAX_AMQP_FRAME_BYTES.
   */
  static readonly CONNECTION_OPTIONS = { receiver_options: { autoaccept: false }, max_frame_size: MAX_AMQP_FRAME_BYTES } as const;

  /** The client certificate a transport's TLS handshake presented, before its connection is accepted. */
  presentCertificate(transport: object, certificate: PresentedCertificate | undefined): void {
    if (certificate !== undefined) this.certificates.set(transport, certificate);
  }

  /** True once the client on this transport has opened its AMQP connection. */
  hasOpened(transport: object): boolean {
    return this.openedTransports.has(transport);
  }

  /** Closes every connection (the emulator is stopping). */
  closeAll(): void {
    for (const connection of [...this.connections.keys()]) {
      connection.close();
      this.ended(connection);
    }
  }

  private state(connection: Connection): AmqpConnectionState {
    let state = this.connections.get(connection);
    if (state === undefined) {
      state = new AmqpConnectionState(this.options.nowMs);
      this.connections.set(connection, state);
    }
    return state;
  }

  private attached(context: EventContext, role: ServerRole): void {
    const link: Sender | Receiver | undefined = role === 'receives' ? context.receiver : context.sender;
    if (link === undefined) return;
    // Echo the client's terminus, as correct AMQP does (wire notes §6).
    link.set_source(link.source);
    link.set_target(link.target);
    // rhea's typings promise an address; a client may attach with an empty terminus all the same.
    const terminus = (role === 'receives' ? link.target : link.source) as { address?: string } | null | undefined;
    const address = terminus?.address ?? '';
    const state = this.state(context.connection);
    announceAmqpPacket(this.options.activity, { connection: context.connection, kind: 'attach', address, direction: 'in' });
    if (address === CBS_ADDRESS) {
      if (role === 'sends') state.cbsReplies = link as Sender;
      return;
    }
    const route = this.options.services.map((service) => service.route(address, role)).find((found) => found !== undefined);
    if (route === undefined) {
      link.close(notFound(`The hub has no AMQP node '${address}' for a ${role === 'receives' ? 'sender' : 'receiver'}.`));
      return;
    }
    const refusal = this.authorizationRefusal(context.connection, state, route);
    if (refusal !== undefined) {
      announceAmqpRefusal(this.options.activity, { connection: context.connection, detail: `${refusal} (attaching to '${address}')` });
      link.close(unauthorizedAccess(`${refusal} (attaching to '${address}').`));
      return;
    }
    const authentication = state.claims.find(route.needs, state.nowSeconds()) === undefined ? 'x509' : 'sas';
    state.opened(link, route, route.open(link, authentication));
  }

  /** A claim from $cbs that grants the route, else the connection's client certificate where the route takes one. */
  private authorizationRefusal(connection: Connection, state: AmqpConnectionState, route: LinkRoute): string | undefined {
    if (state.claims.find(route.needs, state.nowSeconds()) !== undefined) return undefined;
    const transport: unknown = connection.socket;
    const certificate = typeof transport === 'object' && transport !== null ? this.certificates.get(transport) : undefined;
    if (certificate === undefined || route.certificateRefusal === undefined) return `Put a token that grants ${route.describe} on $cbs first`;
    const reason = route.certificateRefusal(certificate);
    return reason === undefined ? undefined : `The client certificate does not authenticate ${route.describe}: ${reason}`;
  }

  private received(context: EventContext): void {
    const state = this.state(context.connection);
    if (context.receiver?.target.address === CBS_ADDRESS) {
      this.putToken(context, state);
      return;
    }
    announceAmqpPacket(this.options.activity, { connection: context.connection, kind: 'transfer', address: context.receiver?.target.address ?? '', direction: 'in' });
    state.handlerOf(context.receiver)?.onMessage?.(context);
  }

  /** Answers on the connection's `$cbs` receiver: correlation id = the request's message id, status-code an int (§2.4). */
  private putToken(context: EventContext, state: AmqpConnectionState): void {
    const request = context.message;
    context.delivery?.accept();
    if (request === undefined) return;
    const properties = request.application_properties ?? {};
    const verdict = verifyPutToken(
      { operation: properties.operation, type: properties.type, name: properties.name, token: request.body },
      { ...this.options.cbs, nowSeconds: state.nowSeconds() },
    );
    if (verdict.ok) {
      state.claims.add(verdict.claim);
      state.watchExpiries();
    } else {
      announceAmqpRefusal(this.options.activity, { connection: context.connection, claimedBy: claimantOf(properties.name), detail: verdict.description });
    }
    const [status, description] = verdict.ok ? [200, 'OK'] : [verdict.status, verdict.description];
    state.cbsReplies?.send({
      body: undefined,
      correlation_id: request.message_id,
      ...(request.reply_to === undefined ? {} : { to: request.reply_to }),
      application_properties: { 'status-code': status, 'status-description': description },
    });
  }

  private linkClosed(context: EventContext, link: Sender | Receiver | undefined): void {
    if (link !== undefined) this.state(context.connection).closed(link, 'client-closed');
  }

  private ended(connection: Connection): void {
    this.connections.get(connection)?.ended();
    this.connections.delete(connection);
  }
}

/** Who a put-token claimed to be: its audience without the host (`devices/d1`), or the hub itself. */
function claimantOf(audience: unknown): string | undefined {
  if (typeof audience !== 'string') return undefined;
  const decoded = audience.replace(/%2F/gi, '/');
  const devicePart = /\/(devices\/.*)$/.exec(decoded);
  return devicePart?.[1] ?? decoded;
}
