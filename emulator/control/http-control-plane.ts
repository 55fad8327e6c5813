import type { IncomingMessage, ServerResponse } from 'node:http';
import { HubError } from '../errors.js';
import type { IdentityRef } from '../state/identity.js';
import type { TwinState } from '../state/twin.js';
import { readBody } from '../servers/http-translation.js';
import { ConnectionWaitTimeout } from './connection-wait.js';
import type { EmulatorControl } from './control-plane.js';
import { MESSAGE_ROUTES } from './http-messages.js';
import { CERTIFICATE_AUTHORITY_ROUTES } from './http-certificate-authorities.js';
import { HUB_ROUTES } from './http-hub-routes.js';
import { serveEventStream } from './event-stream.js';
import { serveUiFile, uiDirectory, UI_PREFIX } from './ui-files.js';
import { BadControlRequest, segment, type Answer, type ControlRequest, type RouteEntry } from './http-route.js';

const METRICS_PATH = '/_emulator/metrics';

/** What `GET /_emulator/metrics` answers with (observe/hub-metrics.ts). */
export interface MetricsScrape {
  readonly contentType: string;
  scrape(): Promise<string>;
}

/** The most a server-side wait may last, so a forgotten request cannot hold a socket for ever. */
const MAX_WAIT_MS = 120_000;

/** Control-plane requests are small JSON documents; a cloud-to-device message is at most 64 KB on the hub, 87 KB as base64. */
const MAX_BODY_BYTES = 256 * 1024;

const ROUTES: readonly RouteEntry[] = [
  { method: 'GET', pattern: /^\/_emulator\/health$/, route: () => ({ status: 200, body: { status: 'ok' } }) },
  { method: 'GET', pattern: /^\/_emulator\/process$/, route: () => ({ status: 200, body: processUsage() }) },
  { method: 'POST', pattern: /^\/_emulator\/reset$/, route: reset },
  { method: 'GET', pattern: /^\/_emulator\/registry$/, route: registry },
  { method: 'GET', pattern: /^\/_emulator\/twins\/([^/]+)(?:\/modules\/([^/]+))?$/, route: twin },
  { method: 'GET', pattern: /^\/_emulator\/connections\/([^/]+)$/, route: (control, m) => ({ status: 200, body: control.connectionStatus(segment(m[1])) }) },
  { method: 'POST', pattern: /^\/_emulator\/connections\/([^/]+)\/drop$/, route: drop },
  { method: 'POST', pattern: /^\/_emulator\/connections\/([^/]+)\/wait$/, route: wait },
  ...MESSAGE_ROUTES,
  ...CERTIFICATE_AUTHORITY_ROUTES,
  ...HUB_ROUTES,
];

/**
 * The control plane over HTTP (docs/standalone-emulator.md, "Control plane"): JSON in, JSON out,
 * under /_emulator/ only. It reveals ids, twins and connection states, never a key.
 */
export function createHttpControlPlane(control: EmulatorControl, observed: { metrics?: MetricsScrape } = {}): (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<void> {
  const ui = uiDirectory();
  return async (request, response, url) => {
    if (isCrossSiteWrite(request)) {
      writeJson(response, { status: 403, body: { error: 'The control plane refuses changes asked by another site (its Origin is not this emulator)' } });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/_emulator/events') {
      serveEventStream(control.eventSources, response);
      return;
    }
    if (request.method === 'GET' && (url.pathname.startsWith(UI_PREFIX) || `${url.pathname}/` === UI_PREFIX)) {
      await serveUiFile(ui, url.pathname, response);
      return;
    }
    if (observed.metrics !== undefined && request.method === 'GET' && url.pathname === METRICS_PATH) {
      await answerMetrics(observed.metrics, response);
      return;
    }
    const answer = await readBody(request, MAX_BODY_BYTES).then(
      (body) => answerFor(control, request.method ?? 'GET', { url, body, headers: request.headers }),
      (error: unknown) => failure(error),
    );
    writeJson(response, answer);
  };
}

function writeJson(response: ServerResponse, answer: Answer): void {
  const body = JSON.stringify(answer.body);
  response.writeHead(answer.status, { ...answer.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/**
 * The inspector runs in a browser, and so may any other page the user has open: a page elsewhere can
 * send a "simple" cross-origin POST (a form, or fetch without preflight) to a loopback port. Browsers
 * name the page in `Origin` (Fetch standard, "Origin header"), so a write whose Origin is not this
 * emulator is refused. Clients outside a browser (the harness, curl, testcontainers) send no Origin.
 */
function isCrossSiteWrite(request: IncomingMessage): boolean {
  const { origin, host } = request.headers;
  if (request.method === 'GET' || request.method === 'HEAD' || origin === undefined) return false;
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

async function answerFor(control: EmulatorControl, method: string, request: ControlRequest): Promise<Answer> {
  const { url } = request;
  let pathMatched = false;
  for (const { method: routeMethod, pattern, route } of ROUTES) {
    const match = pattern.exec(url.pathname);
    if (match === null) continue;
    pathMatched = true;
    if (routeMethod !== method) continue;
    try {
      return await route(control, match, request);
    } catch (error) {
      return failure(error);
    }
  }
  return pathMatched ? { status: 405, body: { error: `${method} is not allowed on ${url.pathname}` } } : { status: 404, body: { error: `No control-plane operation at ${url.pathname}` } };
}

/** The Prometheus text format (version 0.0.4), not JSON: what a scraper reads (docs/observability.md). */
async function answerMetrics(metrics: MetricsScrape, response: ServerResponse): Promise<void> {
  const text = await metrics.scrape();
  response.writeHead(200, { 'content-type': metrics.contentType, 'content-length': String(Buffer.byteLength(text)) });
  response.end(text);
}

function failure(error: unknown): Answer {
  if (error instanceof ConnectionWaitTimeout) return { status: 408, body: { error: error.message } };
  if (error instanceof HubError) return { status: error.status, body: { error: error.message, code: error.code } };
  if (error instanceof BadControlRequest) return { status: 400, body: { error: error.message } };
  throw error;
}

/**
 * The emulator process's own CPU time and memory, so that a benchmark or a CI job can tell the
 * emulator's cost from its clients' when the emulator runs in another process or a container.
 */
function processUsage(): { cpuMs: number; rssBytes: number; heapUsedBytes: number; uptimeMs: number } {
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return { cpuMs: (cpu.user + cpu.system) / 1000, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, uptimeMs: Math.round(process.uptime() * 1000) };
}

function reset(control: EmulatorControl): Answer {
  control.reset();
  return { status: 200, body: { reset: true } };
}

function registry(control: EmulatorControl): Answer {
  return { status: 200, body: { ...control.identityIds(), connectedClientIds: control.connectedClientIds() } };
}

function twin(control: EmulatorControl, match: RegExpExecArray): Answer {
  const identity: IdentityRef = match[2] === undefined ? { deviceId: segment(match[1]) } : { deviceId: segment(match[1]), moduleId: segment(match[2]) };
  return { status: 200, body: twinDocument(control.twinOf(identity)) };
}

/** The twin's values and versions, in the shape of the service API's twin (without $metadata). */
function twinDocument(twin: TwinState): unknown {
  return {
    version: twin.version,
    tags: twin.tags,
    properties: {
      desired: { ...twin.desired.values, $version: twin.desired.version },
      reported: { ...twin.reported.values, $version: twin.reported.version },
    },
  };
}

function drop(control: EmulatorControl, match: RegExpExecArray): Answer {
  const clientId = segment(match[1]);
  return control.dropClient(clientId) ? { status: 200, body: { dropped: true } } : { status: 404, body: { error: `Client '${clientId}' is not connected.` } };
}

async function wait(control: EmulatorControl, match: RegExpExecArray, { url }: ControlRequest): Promise<Answer> {
  const minConnectionCount = integerParameter(url, 'minConnectionCount', 1);
  const timeoutMs = Math.min(integerParameter(url, 'timeoutMs', 5_000), MAX_WAIT_MS);
  const listeningForDesired = url.searchParams.get('listeningForDesired') === 'true';
  const status = await control.waitForConnection(segment(match[1]), { minConnectionCount, timeoutMs, listeningForDesired });
  return { status: 200, body: status };
}

function integerParameter(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new BadControlRequest(`${name} must be a non-negative integer, not '${raw}'.`);
  return value;
}
