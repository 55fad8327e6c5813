import { request } from 'node:https';
import { clientIdOf, type ConnectionStatus, type ConnectionWait, type ControlIdentity, type EmulatorControlClient } from './emulator-control-client.js';

export interface EmulatorProcessUsage {
  readonly cpuMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly uptimeMs: number;
}

/** A device-to-cloud message as `GET /_emulator/telemetry` returns it. */
export interface ControlTelemetryMessage {
  readonly deviceId: string;
  readonly moduleId?: string;
  readonly outputName?: string;
  /** The body as UTF-8 text, or null when it is not UTF-8 (then read bodyBase64). */
  readonly bodyText: string | null;
  readonly bodyBase64: string;
  readonly systemProperties: Readonly<Record<string, string>>;
  readonly applicationProperties: Readonly<Record<string, string>>;
  readonly enqueuedTime: string;
}

/** A cloud-to-device or module-input message: exactly one of bodyText and bodyBase64. */
export interface ControlDeviceBoundMessage {
  readonly bodyText?: string;
  readonly bodyBase64?: string;
  readonly properties?: { readonly system?: Readonly<Record<string, string>>; readonly application?: Readonly<Record<string, string>> };
}

interface ControlAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Extra time the HTTP request gets beyond a server-side wait, so the server's 408 arrives first. */
const WAIT_MARGIN_MS = 5_000;

/**
 * The control plane of an emulator in another process or a container, over HTTPS
 * (docs/standalone-emulator.md, "Control plane"). `baseUrl` ends with /_emulator.
 */
export class HttpControl implements EmulatorControlClient {
  private readonly baseUrl: string;
  /** The emulator's CA; without it the process's trust store (NODE_EXTRA_CA_CERTS) decides. */
  private readonly ca: string | undefined;

  constructor(init: { baseUrl: string; ca?: string }) {
    this.baseUrl = init.baseUrl.replace(/\/+$/, '');
    this.ca = init.ca;
  }

  async reset(): Promise<void> {
    await this.expect(200, 'POST', '/reset');
  }

  async connectionStatus(identity: ControlIdentity): Promise<ConnectionStatus> {
    return (await this.expect(200, 'GET', `/connections/${encodeURIComponent(clientIdOf(identity))}`)) as ConnectionStatus;
  }

  async dropConnection(identity: ControlIdentity): Promise<boolean> {
    const answer = await this.send('POST', `/connections/${encodeURIComponent(clientIdOf(identity))}/drop`, 10_000);
    if (answer.status === 200) return true;
    if (answer.status === 404) return false;
    throw this.unexpected(answer, 'POST /connections/…/drop');
  }

  async waitForConnection(identity: ControlIdentity, wait: ConnectionWait): Promise<ConnectionStatus> {
    const query = `minConnectionCount=${wait.minConnectionCount}&timeoutMs=${wait.timeoutMs}${wait.listeningForDesired === true ? '&listeningForDesired=true' : ''}`;
    const answer = await this.send('POST', `/connections/${encodeURIComponent(clientIdOf(identity))}/wait?${query}`, wait.timeoutMs + WAIT_MARGIN_MS);
    if (answer.status === 200) return answer.body as ConnectionStatus;
    if (answer.status === 408) throw new Error(errorText(answer.body) ?? `Timed out waiting for ${clientIdOf(identity)} to reconnect`);
    throw this.unexpected(answer, 'POST /connections/…/wait');
  }

  /** The emulator process's CPU time and memory so far (GET /_emulator/process). */
  async processUsage(): Promise<EmulatorProcessUsage> {
    return (await this.expect(200, 'GET', '/process')) as EmulatorProcessUsage;
  }

  /** What the identity sent (its own messages, not its modules'); everything without an identity. */
  async telemetry(identity?: ControlIdentity): Promise<ControlTelemetryMessage[]> {
    const query = identity === undefined ? '' : `?${new URLSearchParams({ deviceId: identity.deviceId, ...(identity.moduleId === undefined ? {} : { moduleId: identity.moduleId }) }).toString()}`;
    return ((await this.expect(200, 'GET', `/telemetry${query}`)) as { messages: ControlTelemetryMessage[] }).messages;
  }

  async clearTelemetry(): Promise<void> {
    await this.expect(200, 'DELETE', '/telemetry');
  }

  /** Queues the message in the device's hub queue (true); throws with the hub's error code otherwise. */
  async sendCloudToDeviceMessage(deviceId: string, message: ControlDeviceBoundMessage): Promise<boolean> {
    const path = `/devices/${encodeURIComponent(deviceId)}/messages`;
    const answer = await this.send('POST', path, 10_000, message);
    if (answer.status !== 200) throw this.unexpected(answer, `POST ${path}`);
    return true;
  }

  async sendInputMessage(module: Required<ControlIdentity>, inputName: string, message: ControlDeviceBoundMessage): Promise<boolean> {
    return this.delivered(`/devices/${encodeURIComponent(module.deviceId)}/modules/${encodeURIComponent(module.moduleId)}/inputs/${encodeURIComponent(inputName)}`, message);
  }

  private async delivered(path: string, message: ControlDeviceBoundMessage): Promise<boolean> {
    const answer = await this.send('POST', path, 10_000, message);
    if (answer.status === 200) return true;
    if (answer.status === 409) return false;
    throw this.unexpected(answer, `POST ${path}`);
  }

  private async expect(status: number, method: string, path: string): Promise<unknown> {
    const answer = await this.send(method, path, 10_000);
    if (answer.status !== status) throw this.unexpected(answer, `${method} ${path}`);
    return answer.body;
  }

  private unexpected(answer: ControlAnswer, what: string): Error {
    return new Error(`The emulator control plane answered ${what} with ${answer.status}: ${errorText(answer.body) ?? JSON.stringify(answer.body)}`);
  }

  private send(method: string, path: string, timeoutMs: number, body?: unknown): Promise<ControlAnswer> {
    const url = new URL(`${this.baseUrl}${path}`);
    return new Promise<ControlAnswer>((resolve, reject) => {
      const outgoing = request(url, { method, timeout: timeoutMs, ...(this.ca === undefined ? {} : { ca: this.ca }) }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: incoming.statusCode ?? 0, body: text === '' ? undefined : (JSON.parse(text) as unknown) });
        });
        incoming.on('error', reject);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`The emulator control plane did not answer ${method} ${url.pathname} within ${timeoutMs} ms.`)));
      outgoing.on('error', (error) => reject(new Error(`The emulator control plane at ${this.baseUrl} is unreachable: ${error.message}`)));
      if (body === undefined) outgoing.end();
      else outgoing.setHeader('content-type', 'application/json').end(JSON.stringify(body));
    });
  }
}

function errorText(body: unknown): string | undefined {
  return typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' ? body.error : undefined;
}
