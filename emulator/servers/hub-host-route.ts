import tls, { type ConnectionOptions, type TLSSocket } from 'node:tls';

/**
 * Where TLS connections to `<hostName>:<port>` are sent instead (443 for HTTPS and WebSockets, 5671
 * for AMQPS), and the CA they trust there.
 */
export interface HubHostRoute {
  readonly hostName: string;
  readonly listenerHost: string;
  /** The hub's port -> the listener's port on `listenerHost`. */
  readonly ports: ReadonlyMap<number, number>;
  readonly ca: string;
}

export interface Interception {
  stop(): void;
}

/** The port a TLS client dials when it names none (https.Agent and ws always name one). */
const HUB_HTTPS_PORT = 443;
const routes = new Map<string, HubHostRoute>();
/** Our wrapper and what it wraps, while it is in `tls.connect`'s chain. */
let installed: { readonly original: typeof tls.connect; readonly wrapper: typeof tls.connect } | undefined;

/**
 * Serves `https://<hostName>` and `amqps://<hostName>` in-process from real listeners: a TLS connection
 * this process opens to `<hostName>:443` (or :5671) is dialled to the listener's loopback address
 * instead, trusting the emulator's CA for that connection only. The unmodified azure-iothub Registry
 * always dials the connection string's HostName on port 443 through its own keep-alive agent (wire
 * notes §3), and its `Client` dials 5671 through rhea with no way to pass a CA (AMQP wire notes §1.2),
 * so the route sits below them, where https, ws and rhea call `tls.connect`. Everything else is
 * untouched: it is a DNS-and-port redirect, and the SDKs still speak real TLS to real servers.
 */
export function routeHubHost(route: HubHostRoute): Interception {
  const key = route.hostName.toLowerCase();
  if (routes.has(key)) {
    throw new Error(`Another emulator in this process already serves https://${route.hostName}: give this one another hub name.`);
  }
  routes.set(key, route);
  installRouting();
  return {
    stop() {
      if (routes.get(key) !== route) return;
      routes.delete(key);
      if (routes.size === 0) uninstallRouting();
    },
  };
}

function installRouting(): void {
  if (installed !== undefined) return;
  const original = tls.connect;
  const wrapper = function routedConnect(this: unknown, ...args: unknown[]): TLSSocket {
    const { options, rest } = asOptionsForm(args);
    const target = options === undefined ? undefined : routeFor(options);
    if (target === undefined || options === undefined) return Reflect.apply(original, this, args) as TLSSocket;
    const { route, listenerPort } = target;
    const routed: ConnectionOptions = { ...options, host: route.listenerHost, port: listenerPort, servername: route.hostName, ca: route.ca };
    return Reflect.apply(original, this, [routed, ...rest]) as TLSSocket;
  };
  tls.connect = wrapper;
  installed = { original, wrapper };
}

/**
 * Puts `tls.connect` back, unless something wrapped it after us: then ours stays in that chain,
 * passing everything through while no route exists, so as not to unwrap the other wrapper.
 */
function uninstallRouting(): void {
  if (installed === undefined || tls.connect !== installed.wrapper) return;
  tls.connect = installed.original;
  installed = undefined;
}

function isOptionsObject(value: unknown): value is ConnectionOptions {
  return typeof value === 'object' && value !== null;
}

/**
 * `tls.connect(options[, cb])`, the form https.Agent and ws use (Node's lib/https.js createConnection),
 * or `tls.connect(port, host, options[, cb])`, the form rhea uses (lib/connection.js), as one options
 * object and the arguments after it; undefined options for any other form (never routed).
 */
function asOptionsForm(args: readonly unknown[]): { options: ConnectionOptions | undefined; rest: unknown[] } {
  const [first, second, third, ...after] = args;
  if (isOptionsObject(first)) return { options: first, rest: args.slice(1) };
  const portGiven = typeof first === 'number' || typeof first === 'string';
  if (!portGiven || typeof second !== 'string') return { options: undefined, rest: [] };
  const extra = isOptionsObject(third) ? third : {};
  return { options: { ...extra, host: second, port: Number(first) }, rest: isOptionsObject(third) ? after : [third, ...after].filter((arg) => arg !== undefined) };
}

function routeFor(options: ConnectionOptions): { route: HubHostRoute; listenerPort: number } | undefined {
  if (typeof options.host !== 'string' || options.socket !== undefined) return undefined;
  const route = routes.get(options.host.toLowerCase());
  // asOptionsForm has made rhea's port (the SDK parsed it from a URL: maybe a string) a number.
  const listenerPort = route?.ports.get(options.port ?? HUB_HTTPS_PORT);
  return route === undefined || listenerPort === undefined ? undefined : { route, listenerPort };
}
