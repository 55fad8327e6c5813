import { TLSSocket } from 'node:tls';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Aedes } from 'aedes';
import type { ConnectionCertificates } from '../mqtt/connection-certificates.js';
import { asHubError } from '../errors.js';
import { errorResponse } from '../rest/error-response.js';
import type { RestRequest, RestResponse } from '../rest/http-types.js';
import type { TlsMaterial } from './certificate.js';
import { readBodyBytes, requestUrl, toRestRequest, writeRestResponse } from './http-translation.js';
import { listen, type ListeningServer } from './listening.js';
import { HTTPS_LISTENER_TIMEOUTS } from './listener-timeouts.js';
import { peerCertificateOf, REQUEST_CLIENT_CERTIFICATE } from './peer-certificate.js';
import { createMqttWebSocketEndpoint } from './websocket-mqtt.js';
import { createAmqpWebSocketEndpoint } from './websocket-amqp.js';
import type { Container } from '../amqp/rhea.js';
import type { PresentedCertificate } from '../state/presented-certificate.js';
import { routeWebSocketUpgrade } from './websocket-upgrades.js';
import type { ActivityFeed } from '../state/activity.js';
import { announceWhenAnswered, refusalTextOf, type AnsweredBy } from './request-activity.js';

/** The test control plane's prefix: never routed to the hub's API, and the hub's API never routed here. */
export const CONTROL_PLANE_PREFIX = '/_emulator/';

/**
 * How long an idle keep-alive connection stays open. Node's default (5 s) is far shorter than the
 * 4 minutes of Azure's load balancers (learn.microsoft.com/azure/load-balancer/load-balancer-tcp-idle-timeout),
 * and the Registry's keep-alive agent reuses an idle socket without retrying: a back end pausing just
 * over 5 s raced the server's close and failed with ECONNRESET, which a real hub would not cause.
 */
const IDLE_KEEP_ALIVE_MS = 4 * 60 * 1000;

export type ControlPlaneHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void>;

export interface HttpsFrontEndOptions {
  readonly tls: TlsMaterial;
  readonly host: string;
  readonly port: number;
  readonly aedes: Aedes;
  /** Where MQTT-over-WebSockets connections record their TLS client certificate (X.509 devices). */
  readonly certificates?: ConnectionCertificates;
  /** The AMQP endpoint AMQP-over-WebSockets connections are handed to. */
  readonly amqp: {
    readonly container: Container;
    readonly connectionOptions: object;
    readonly presentCertificate?: (transport: object, certificate: PresentedCertificate | undefined) => void;
  };
  readonly rest: (request: RestRequest) => RestResponse | Promise<RestResponse>;
  /** Absent unless the control plane was enabled: /_emulator/* then answers 404 like any unknown path. */
  readonly controlPlane?: ControlPlaneHandler;
  readonly maxRequestBodyBytes: number;
  readonly now: () => Date;
  /** The Device Provisioning Service on the same listener: the paths it claims, answered in its own error shape. */
  readonly provisioning?: ProvisioningFrontEnd;
  /** Where each answered request is announced, with the hub API's route template (`RestApi.routeTemplate`). */
  readonly activity?: { readonly feed: ActivityFeed; readonly hubRouteOf: (path: string) => string | undefined };
}

export interface ProvisioningFrontEnd {
  claims(path: string): boolean;
  /** `certificate`: the TLS client certificate of the request's connection (X.509 attestation). */
  handle(request: RestRequest & { readonly certificate?: PresentedCertificate | undefined }): RestResponse;
  errorResponse(error: unknown): RestResponse;
}

/**
 * The hub's HTTPS endpoint as a real server: the registry and twin REST API, MQTT and AMQP over
 * WebSockets on the same port (wire notes §1.1), and, when enabled, the control plane under its own prefix.
 */
export async function listenHttps(options: HttpsFrontEndOptions): Promise<ListeningServer> {
  const webSockets = createMqttWebSocketEndpoint(options.aedes, options.certificates);
  const amqpWebSockets = createAmqpWebSocketEndpoint(options.amqp);
  const upgraded = new Set<Socket>();
  // A client certificate is asked for (MqttWs X.509 devices) but never required: REST and SAS clients send none.
  const server: Server = createServer({ cert: options.tls.cert, key: options.tls.key, ...HTTPS_LISTENER_TIMEOUTS, ...REQUEST_CLIENT_CERTIFICATE }, (request, response) => {
    void serve(options, request, response);
  });
  server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
  server.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    // One entry per served subprotocol (websocket-upgrades.ts, WEBSOCKET_SUBPROTOCOLS).
    routeWebSocketUpgrade(request, socket, head, { mqtt: webSockets.handleUpgrade, AMQPWSB10: amqpWebSockets.handleUpgrade });
  });
  await listen(server, options.host, options.port);
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        webSockets.close();
        amqpWebSockets.close();
        for (const socket of upgraded) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(options: HttpsFrontEndOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = requestUrl(request);
  const answeredBy: AnsweredBy = { transport: 'https' };
  announceWhenAnswered(options.activity?.feed, { request, response, url, answeredBy });
  try {
    if (url.pathname.startsWith(CONTROL_PLANE_PREFIX) || url.pathname === CONTROL_PLANE_PREFIX.slice(0, -1)) {
      if (options.controlPlane !== undefined) {
        await options.controlPlane(request, response, url);
        return;
      }
      writeRestResponse(response, { status: 404, headers: { 'content-type': 'text/plain' }, body: 'The control plane is not enabled.' });
      return;
    }
    if (options.provisioning?.claims(url.pathname) === true) {
      answeredBy.transport = 'dps-https';
      await serveProvisioning(options.provisioning, options.maxRequestBodyBytes, { request, response, url, answeredBy });
      return;
    }
    answeredBy.template = options.activity?.hubRouteOf(url.pathname) ?? '(unmatched)';
    const body = await readBodyBytes(request, options.maxRequestBodyBytes);
    answer(response, await options.rest(toRestRequest(request, url, body)), answeredBy);
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    // A refused body is answered, then the connection closed, so the unread rest is not parsed as a request.
    response.setHeader('connection', 'close');
    writeRestResponse(response, errorResponse(asHubError(error), options.now()));
  }
}

/** Writes the answer, keeping a 401's sentence for the activity feed. */
function answer(response: ServerResponse, rest: RestResponse, answeredBy: AnsweredBy): void {
  answeredBy.refusalText = refusalTextOf(rest.status, rest.body);
  writeRestResponse(response, rest);
}

/** DPS requests: the same body limit, refusals in DPS's shape (an oversized body is 413 with errorCode 413000). */
async function serveProvisioning(provisioning: ProvisioningFrontEnd, maxBytes: number, exchange: { request: IncomingMessage; response: ServerResponse; url: URL; answeredBy: AnsweredBy }): Promise<void> {
  const { request, response, url } = exchange;
  try {
    const body = await readBodyBytes(request, maxBytes);
    const certificate = request.socket instanceof TLSSocket ? peerCertificateOf(request.socket) : undefined;
    answer(response, provisioning.handle({ ...toRestRequest(request, url, body), certificate }), exchange.answeredBy);
  } catch (error) {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.setHeader('connection', 'close');
    writeRestResponse(response, provisioning.errorResponse(error));
  }
}
