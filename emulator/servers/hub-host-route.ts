import tls, { type ConnectionOptions, type TLSSocket } from 'node:tls';

/** Where TLS connections to `<hostName>:443` are sent instead, and the CA they trust there. */
export interface HubHostRoute {
  readonly hostName: string;
  readonly listenerHost: string;
  readonly listenerPort: number;
  readonly ca: string;
}

export interface Interception {
  stop(): void;
}

const HUB_HTTPS_PORT = 443;
const routes = new Map<string, HubHostRoute>();
/** Our wrapper and what it wraps, while it is in `tls.connect`'s chain. */
let installed: { readonly original: typeof tls.connect; readonly wrapper: typeof tls.connect } | undefined;

/**
 * Serves `https://<hostName>` in-process from a real HTTPS listener: a TLS connection this process
 * opens to `<hostName>:443` is dialled to the listener's loopback address instead, trusting the
 * emulator's CA for that connection only. The unmodified azure-iothub Registry always dials the
 * connection string's HostName on port 443 through its own keep-alive agent (wire notes §3), so the
 * route sits below the agent, where https and ws call `tls.connect`. Everything else is untouched: it
 * is a DNS-and-port redirect, and the SDK still speaks real TLS and HTTP/1.1 to a real server.
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
    const [options, ...rest] = args;
    const route = isOptionsObject(options) ? routeFor(options) : undefined;
    if (route === undefined || !isOptionsObject(options)) return Reflect.apply(original, this, args) as TLSSocket;
    const routed: ConnectionOptions = { ...options, host: route.listenerHost, port: route.listenerPort, servername: route.hostName, ca: route.ca };
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

/** Only the object form is routed: it is the one https.Agent and ws use (Node's lib/https.js createConnection). */
function routeFor(options: ConnectionOptions): HubHostRoute | undefined {
  if (typeof options.host !== 'string' || options.socket !== undefined) return undefined;
  const port = options.port ?? HUB_HTTPS_PORT;
  if (port !== HUB_HTTPS_PORT) return undefined;
  return routes.get(options.host.toLowerCase());
}
