import { asHubError, hubErrors } from '../errors.js';
import type { Clock } from '../state/clock.js';
import { epochSeconds } from '../state/clock.js';
import type { IdentityRegistry } from '../state/registry.js';
import { deviceRoutes } from './devices.js';
import { errorResponse } from './error-response.js';
import type { RestRequest, RestResponse } from './http-types.js';
import { methodRoutes } from './methods.js';
import { moduleRoutes } from './modules.js';
import type { DirectMethodInvoker } from '../methods/method-invoker.js';
import { compileTemplate, pathParam, type Route } from './route.js';
import { authorizeServiceRequest, type ServiceAuthContext } from './service-auth.js';
import { queryRoutes } from './query.js';
import { statisticsRoutes } from './statistics.js';
import { twinRoutes } from './twins.js';
import { cloudToDeviceRoutes } from './cloud-to-device.js';
import type { CloudToDeviceQueues } from '../state/cloud-to-device.js';
import type { SharedAccessPolicy } from '../state/policies.js';
import { VerifiedTokens } from '../state/verified-tokens.js';
import type { TelemetryBuffer } from '../state/telemetry.js';
import type { ActivityFeed } from '../state/activity.js';
import { authorizeDeviceRequest } from './device-auth.js';
import { deviceBoundRoutes } from './device-bound.js';
import { deviceTelemetryRoutes } from './device-telemetry.js';

/** Back ends reuse one token per policy for an hour; a few hundred covers many back ends at once. */
const VERIFIED_TOKEN_CAPACITY = 512;

/** api-versions whose registry and twin contract is the one emulated (the current SDKs send 2021-04-12). */
export const SUPPORTED_API_VERSIONS = new Set(['2020-09-30', '2021-04-12']);

/** Paths of the hub's service API (swagger 2021-04-12) that exist on the hub but are not emulated: 501. */
const NOT_EMULATED_PATHS = [
  '/devices/{id}/applyConfigurationContent', '/configurations',
  '/configurations/{id}', '/configurations/testQueries', '/jobs',
  '/jobs/create', '/jobs/{id}', '/jobs/v2/{id}', '/jobs/v2/{id}/cancel', '/jobs/v2/query', '/digitaltwins/{id}',
  '/digitaltwins/{id}/commands/{commandName}', '/digitaltwins/{id}/components/{componentPath}/commands/{commandName}',
  '/messages/serviceBound/feedback', '/messages/serviceBound/feedback/{lockToken}',
  '/messages/serviceBound/feedback/{lockToken}/abandon',
].map((template) => compileTemplate(template));

/** Without a device side to deliver them, direct methods answer 501 rather than a fake result. */
const METHODS_NOT_EMULATED: DirectMethodInvoker = {
  invoke: () => Promise.reject(hubErrors.notImplemented('Direct methods without an MQTT endpoint')),
};

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
}

export interface RestApiOptions {
  readonly hostName: string;
  readonly registry: IdentityRegistry;
  readonly policies: readonly SharedAccessPolicy[];
  readonly clock: Clock;
  /** Delivers direct methods to devices; without it the method routes are not served. */
  readonly methods?: DirectMethodInvoker;
  /** The hub's cloud-to-device queues (purge, `cloudToDeviceMessageCount`); without them purge answers 501. */
  readonly cloudToDevice?: CloudToDeviceQueues;
  /** Where device-to-cloud messages are kept (the MQTT broker's buffer); without it HTTPS telemetry answers 501. */
  readonly telemetry?: TelemetryBuffer;
  /** Where the device API announces the telemetry it takes in (metrics, log); MQTT and AMQP announce in their adapters. */
  readonly activity?: ActivityFeed;
}

/**
 * The hub's registry and twin REST API: authenticate, route, call the state, serialise. It tells no
 * one about a change: the state announces its own (registry-changes.ts).
 */
export class RestApi {
  private readonly routes: CompiledRoute[];
  private readonly policies: ReadonlyMap<string, SharedAccessPolicy>;
  private readonly verifiedTokens = new VerifiedTokens({ capacity: VERIFIED_TOKEN_CAPACITY });

  constructor(private readonly options: RestApiOptions) {
    const methods = methodRoutes(options.methods ?? METHODS_NOT_EMULATED);
    const deviceApi = [...deviceTelemetryRoutes, ...deviceBoundRoutes];
    this.routes = [...deviceRoutes, ...moduleRoutes, ...twinRoutes, ...queryRoutes, ...statisticsRoutes, ...cloudToDeviceRoutes, ...methods, ...deviceApi].map((route) => ({
      route,
      pattern: compileTemplate(route.path, { caseInsensitive: route.caseInsensitivePath === true }),
    }));
    this.policies = new Map(options.policies.map((policy) => [policy.name, policy]));
  }

  /** Synchronous except for routes that wait on a device (direct methods), which answer with a promise. */
  handle(request: RestRequest): RestResponse | Promise<RestResponse> {
    const fail = (error: unknown): RestResponse => errorResponse(asHubError(error), this.options.clock.now());
    try {
      const response = this.dispatch(request);
      return response instanceof Promise ? response.catch(fail) : response;
    } catch (error) {
      return fail(error);
    }
  }

  private dispatch(request: RestRequest): RestResponse | Promise<RestResponse> {
    const { route, params } = this.match(request);
    const apiVersion = request.query.get('api-version') ?? undefined;
    if (apiVersion === undefined || !SUPPORTED_API_VERSIONS.has(apiVersion)) throw hubErrors.invalidApiVersion(apiVersion);
    this.authorize(request, route, params);
    const { registry, clock, cloudToDevice, telemetry, activity } = this.options;
    return route.handle({ request, params, registry, clock, cloudToDevice, telemetry, activity });
  }

  /** The device API takes the device's token (or a DeviceConnect policy's) for the device in the path; the rest a service policy's. */
  private authorize(request: RestRequest, route: Route, params: Record<string, string>): void {
    if (route.permission !== 'DeviceConnect') {
      authorizeServiceRequest(request.headers.authorization, route.permission, this.authContext());
      return;
    }
    const { hostName, registry, clock } = this.options;
    authorizeDeviceRequest(request.headers.authorization, pathParam(params, 'id'), { hostName, registry, policies: this.policies, nowSeconds: epochSeconds(clock) });
  }

  /** The template of the route a path matches (whatever the method), for low-cardinality metrics; undefined when none does. */
  routeTemplate(path: string): string | undefined {
    return this.routes.find(({ pattern }) => pattern.test(path))?.route.path;
  }

  private match(request: RestRequest): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const { route, pattern } of this.routes) {
      const match = pattern.exec(request.path);
      if (match === null) continue;
      pathMatched = true;
      if (route.method === request.method) return { route, params: decodeParams(match.groups ?? {}) };
    }
    if (NOT_EMULATED_PATHS.some((pattern) => pattern.test(request.path))) throw hubErrors.notImplemented(`${request.method} ${request.path}`);
    if (pathMatched) throw hubErrors.methodNotAllowed(request.method, request.path);
    throw hubErrors.routeNotFound(request.method, request.path);
  }

  private authContext(): ServiceAuthContext {
    return { hostName: this.options.hostName, policies: this.policies, nowSeconds: epochSeconds(this.options.clock), verifiedTokens: this.verifiedTokens };
  }
}

function decodeParams(groups: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw hubErrors.argumentInvalid(`The path segment '${value}' is not valid percent-encoding.`);
    }
  }
  return params;
}
