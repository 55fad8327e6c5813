import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActivityFeed, ActivityTransport } from '../state/activity.js';
import { refusalReasonOf } from '../state/refusal-reasons.js';

/** Which front end answered a request, and the route template it matched when it knows one. */
export interface AnsweredBy {
  transport: ActivityTransport;
  /** The hub API's own template (rest/router.ts); DPS and the control plane are named by `routeName`. */
  template?: string | undefined;
  /** The refusal's text, for a 401: the check's sentence, which never holds the credential. */
  refusalText?: string | undefined;
}

/** Segments after these are ids, not route: they are named `{id}` so the metrics stay low-cardinality. */
const COLLECTIONS = new Set(['devices', 'modules', 'twins', 'registrations', 'operations', 'enrollments', 'enrollmentGroups', 'connections', 'inputs', 'deviceBound']);

/** `/_emulator/twins/d1/modules/m1` -> `/_emulator/twins/{id}/modules/{id}`; DPS's ID scope -> `{idScope}`. */
export function routeName(path: string): string {
  const segments = path.split('/');
  const named = segments.map((segment, index) => {
    if (index > 0 && COLLECTIONS.has(segments[index - 1] ?? '') && segment !== '' && !COLLECTIONS.has(segment)) return '{id}';
    if (index === 1 && segments[2] === 'registrations') return '{idScope}';
    return segment;
  });
  return named.join('/');
}

/**
 * Announces one answered request when its response has gone (state/activity.ts): method, path
 * without the query (a query may carry `sig=`), a low-cardinality route, status, duration, the hub's
 * error code; a 401 is also a refusal with its reason. Headers and bodies are never read here.
 */
export function announceWhenAnswered(feed: ActivityFeed | undefined, exchange: { request: IncomingMessage; response: ServerResponse; url: URL; answeredBy: AnsweredBy }): void {
  if (feed === undefined) return;
  const { request, response, url, answeredBy } = exchange;
  const started = performance.now();
  response.once('finish', () => {
    const method = request.method ?? 'GET';
    const errorHeader = response.getHeader('iothub-errorcode') ?? response.getHeader('x-ms-error-code');
    const route = `${method} ${answeredBy.template ?? routeName(url.pathname)}`;
    feed.announce({
      type: 'rest-request', at: new Date(), method, path: url.pathname, route, status: response.statusCode,
      durationMs: performance.now() - started, ...(typeof errorHeader === 'string' ? { errorCode: errorHeader } : {}),
    });
    if (response.statusCode === 401) {
      const detail = answeredBy.refusalText ?? 'unauthorized';
      feed.announce({ type: 'refused', at: new Date(), transport: answeredBy.transport, reason: refusalReasonOf(detail), detail });
    }
  });
}

/** The sentence of a 401's body: the hub's `Message` after `ErrorCode:...;`, or DPS's `message`. */
export function refusalTextOf(status: number, body: string | undefined): string | undefined {
  if (status !== 401 || body === undefined) return undefined;
  try {
    const parsed = JSON.parse(body) as { Message?: unknown; message?: unknown };
    if (typeof parsed.Message === 'string') return parsed.Message.replace(/^ErrorCode:[^;]*;/, '');
    return typeof parsed.message === 'string' ? parsed.message : undefined;
  } catch {
    return undefined;
  }
}
