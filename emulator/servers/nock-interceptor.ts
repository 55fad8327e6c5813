import { METHODS as HTTP_METHODS } from 'node:http';
import nock from 'nock';
import { asHubError, hubErrors } from '../errors.js';
import { errorResponse } from '../rest/error-response.js';
import { takesBinaryBody } from '../rest/device-telemetry.js';
import type { RestRequest, RestResponse } from '../rest/http-types.js';
import { decodeUtf8 } from './http-translation.js';
import { CONTROL_PLANE_PREFIX } from './https-server.js';
import type { Interception } from './hub-host-route.js';

/** May answer with a promise (direct methods wait on the device); nock awaits a reply function's promise. */
export type RestHandler = (request: RestRequest) => RestResponse | Promise<RestResponse>;

/** What the HTTPS listener is also given, so that both front ends refuse the same bodies alike. */
export interface NockFrontEndOptions {
  readonly maxRequestBodyBytes: number;
  /** Stamps error envelopes (the emulator's clock). */
  readonly now: () => Date;
}

/**
 * Every method the listener's HTTP parser accepts gets an answer from the router (405 for those it
 * does not serve): nock intercepts only the methods it is told about and fails any other request with
 * ERR_NOCK_NO_MATCH. The ones the SDK sends come first (nock tries them in order); CONNECT is left out,
 * as the listener resets it too.
 */
const METHODS = [...new Set(['GET', 'PUT', 'PATCH', 'POST', 'DELETE', ...HTTP_METHODS.filter((method) => method !== 'CONNECT')])];

interface SeenRequest {
  readonly headers: Record<string, string | undefined>;
  /** The header names as nock was given them, for the routes where their case matters. */
  readonly headerNames: readonly string[];
  /** nock's text of the body: UTF-8, or hex when the bytes were not valid UTF-8. */
  readonly body: string;
}

type NockRequest = { headers: Record<string, string | string[] | undefined> };

/** The nock front ends running in this process. */
let running = 0;

/**
 * Serves `https://<hostName>` in-process: nock stands in for the hub's HTTPS endpoint only, so the
 * unmodified azure-iothub Registry talks to the emulator without DNS, port 443 or a CA. Loopback
 * connections (MQTT over TLS/WebSockets) are left alone (wire notes, P4). What a client can still tell
 * apart from the HTTPS listener is listed in FIDELITY.md ("Serving the REST API").
 */
export function interceptHubHost(hostName: string, handler: RestHandler, options: NockFrontEndOptions): Interception {
  // nock switches itself on when it is first imported; it is switched off when the last front end stops.
  if (!nock.isActive()) nock.activate();
  running++;
  const seen = new WeakMap<object, SeenRequest>();
  const scope = nock(`https://${hostName}`).persist();
  scope.on('request', (req: NockRequest, _interceptor: unknown, body: string) => {
    seen.set(req, { headers: lowerCaseHeaders(req.headers), headerNames: Object.keys(req.headers), body });
    // nock JSON-parses a body labelled application/json before the reply function runs, outside any
    // try: malformed JSON was an uncaught SyntaxError that ended the process. That parse reads only
    // nock's own copy of the headers, so it is hidden there; the handler gets the headers kept above.
    req.headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name.toLowerCase() !== 'content-type'));
  });
  const interceptors = METHODS.map((method) => {
    const interceptor = scope.intercept(/.*/, method);
    interceptor.reply(function reply(uri) {
      const request = seen.get(this.req) ?? { headers: lowerCaseHeaders(this.req.headers), headerNames: Object.keys(this.req.headers), body: '' };
      const url = new URL(uri, `https://${hostName}`);
      return answer(handler, options, { method, path: url.pathname, query: url.searchParams, headers: request.headers, headerNames: request.headerNames }, request.body);
    });
    return interceptor;
  });
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
      running--;
      // While nock is on, every other HTTPS request of the process goes through its interceptor too,
      // slower and never on a kept-alive connection: off again once nothing here (or elsewhere) uses it.
      if (running === 0 && nock.activeMocks().length === 0) nock.restore();
    },
  };
}

/** As the HTTPS listener answers (https-server.ts): a refused body gets the hub's error and `connection: close`. */
async function answer(
  handler: RestHandler,
  options: NockFrontEndOptions,
  request: Omit<RestRequest, 'body'>,
  nockBody: string,
): Promise<readonly [number, string | Buffer, Record<string, string>]> {
  let response: RestResponse;
  let close = false;
  try {
    // The listener's control plane is never served here; its prefix answers as the listener's does when it is off.
    response = isControlPlanePath(request.path)
      ? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'The control plane is not enabled.' }
      : await handler({ ...request, ...restBody(request, bodyBytes(nockBody, request.headers, options.maxRequestBodyBytes)) });
  } catch (error) {
    response = errorResponse(asHubError(error), options.now());
    close = true;
  }
  const body = response.bytes ?? response.body ?? '';
  // The listener's Node server adds content-length and Date; nock adds neither.
  const headers = { ...(close ? { connection: 'close' } : {}), ...response.headers, 'content-length': String(Buffer.byteLength(body)), Date: new Date().toUTCString() };
  return [response.status, body, headers];
}

const isControlPlanePath = (path: string): boolean => path.startsWith(CONTROL_PLANE_PREFIX) || path === CONTROL_PLANE_PREFIX.slice(0, -1);

/** As the listener's toRestRequest: strict UTF-8 text, or the bytes on the routes that take bytes. */
function restBody(request: Omit<RestRequest, 'body'>, bytes: Buffer): Pick<RestRequest, 'body' | 'bytes'> {
  return takesBinaryBody(request.method, request.path) ? { body: '', bytes } : { body: decodeUtf8(bytes) };
}

/**
 * The body's bytes, checked as the listener checks them (http-translation.ts): the size limit. nock
 * gives bytes that are not valid UTF-8 as hex, which the declared length tells apart from text (hex
 * is twice as long); without one, bytes that could not have come as text are.
 */
function bodyBytes(text: string, headers: Readonly<Record<string, string | undefined>>, maxBytes: number): Buffer {
  const declared = Number(headers['content-length']);
  const hexShaped = text.length > 0 && /^(?:[0-9a-f]{2})+$/.test(text);
  const asHex = hexShaped && (Number.isInteger(declared) && declared > 0 ? text.length === 2 * declared : !roundTripsAsUtf8(Buffer.from(text, 'hex')));
  const bytes = asHex ? Buffer.from(text, 'hex') : Buffer.from(text, 'utf8');
  if (bytes.length > maxBytes) throw hubErrors.tooLarge(`The request body exceeds ${maxBytes} bytes.`);
  return bytes;
}

/** nock's own test (common.isUtf8Representable). */
function roundTripsAsUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
