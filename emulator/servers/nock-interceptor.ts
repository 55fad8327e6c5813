import nock from 'nock';
import type { RestRequest, RestResponse } from '../rest/http-types.js';
import type { Interception } from './hub-host-route.js';

/** May answer with a promise (direct methods wait on the device); nock awaits a reply function's promise. */
export type RestHandler = (request: RestRequest) => RestResponse | Promise<RestResponse>;

const METHODS = ['GET', 'PUT', 'PATCH', 'POST', 'DELETE', 'HEAD'] as const;

/**
 * Serves `https://<hostName>` in-process: nock stands in for the hub's HTTPS endpoint only, so the
 * unmodified azure-iothub Registry talks to the emulator without DNS, port 443 or a CA. Loopback
 * connections (MQTT over TLS/WebSockets) are left alone (wire notes, P4).
 */
export function interceptHubHost(hostName: string, handler: RestHandler): Interception {
  const rawBodies = new WeakMap<object, string>();
  const scope = nock(`https://${hostName}`).persist();
  // nock JSON-parses bodies before reply functions see them; keep the raw text so malformed JSON gets
  // the hub's 400 instead of a destroyed socket.
  scope.on('request', (req: object, _interceptor: unknown, body: string) => rawBodies.set(req, body));
  const interceptors = METHODS.map((method) => {
    const interceptor = scope.intercept(/.*/, method);
    interceptor.reply(function reply(uri) {
      const url = new URL(uri, `https://${hostName}`);
      const request: RestRequest = {
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: lowerCaseHeaders(this.req.headers),
        body: rawBodies.get(this.req) ?? '',
      };
      return Promise.resolve(handler(request)).then((response) => [response.status, response.body ?? '', response.headers] as const);
    });
    return interceptor;
  });
  return {
    stop() {
      for (const interceptor of interceptors) nock.removeInterceptor(interceptor);
    },
  };
}

function lowerCaseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}
