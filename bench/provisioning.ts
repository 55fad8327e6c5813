import { createHmac, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:https';
import provisioningDevice from 'azure-iot-provisioning-device';
import provisioningHttp from 'azure-iot-provisioning-device-http';
import provisioningService from 'azure-iot-provisioning-service';
import symmetricKey from 'azure-iot-security-symmetric-key';
import type { RegistrationResult } from 'azure-iot-provisioning-device/dist/interfaces.js';
import { IotHubEmulator, type StartedIotHubEmulator } from '../emulator/index.js';
import { withDeadline } from '../src/wait-for.js';
import { mapLimit, summarize, type LatencySummary } from './stats.js';
import { printTable } from './table.js';

const { ProvisioningDeviceClient } = provisioningDevice;
const { ProvisioningServiceClient } = provisioningService;
const { SymmetricKeySecurityClient } = symmetricKey;

/** The register path's deadline per device: the SDK's own request timeout is 30 s (wire notes §1). */
const REGISTER_DEADLINE_MS = 30_000;
/** Rounds the SDK and floor batches alternate in, so that a load spike from elsewhere hits both alike. */
const ROUNDS = 5;
const WARMUP = 20;

export interface ProvisioningOptions {
  /** Devices of the one group enrollment registered through the SDK (and as many floor requests). */
  readonly devices: number;
  /** Registrations in flight at once. */
  readonly concurrency: number;
}

/** Device provisioning over HTTPS on the embedded emulator, beside a floor measured in the same run. */
export interface ProvisioningFigures {
  readonly devices: number;
  readonly concurrency: number;
  /** `register()` called -> resolved `assigned` (register PUT, then one poll GET; retry-after 0). */
  readonly registerToAssigned: LatencySummary;
  readonly registrationsPerSecond: number;
  /** The same two requests (register, one poll) from Node's https (keep-alive): the emulator's path without the SDK. */
  readonly barePath: LatencySummary;
  readonly barePathPerSecond: number;
  /** One bare `PUT .../register` with Node's https (keep-alive), SAS token computed here -> its 202. */
  readonly floor: LatencySummary;
  readonly floorPerSecond: number;
  readonly ratioP50: number;
  readonly ratioP99: number;
}

interface Group {
  readonly emulator: StartedIotHubEmulator;
  readonly groupKey: string;
}

/** A device's key in a symmetric-key group (docs, "Symmetric key attestation"), computed here, not by the emulator. */
const deviceKey = (groupKey: string, registrationId: string): string => createHmac('sha256', Buffer.from(groupKey, 'base64')).update(registrationId).digest('base64');

/** `register()` of the official device client over HTTPS; resolves with the time it took to `assigned`. */
async function sdkRegistration(group: Group, registrationId: string): Promise<number> {
  const { emulator } = group;
  // The packages each bundle their own azure-iot-common, whose SharedAccessSignature types differ by a private field only.
  const security = new SymmetricKeySecurityClient(registrationId, deviceKey(group.groupKey, registrationId)) as unknown as Parameters<typeof ProvisioningDeviceClient.create>[3];
  const client = ProvisioningDeviceClient.create(emulator.provisioningHost, emulator.idScope, new provisioningHttp.Http(), security);
  const started = performance.now();
  const result = await withDeadline(client.register() as Promise<RegistrationResult | undefined>, REGISTER_DEADLINE_MS, `${registrationId} to be assigned`);
  const elapsed = performance.now() - started;
  if (result?.deviceId !== registrationId) throw new Error(`${registrationId} was not assigned: ${JSON.stringify(result)}`);
  return elapsed;
}

interface BareExchange {
  readonly method: 'PUT' | 'GET';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One HTTPS request with Node's https over the keep-alive agent; resolves with its status and JSON body. */
function bareRequest(group: Group, agent: Agent, exchange: BareExchange): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers = { ...exchange.headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(exchange.body)) };
  return withDeadline(new Promise((resolve, reject) => {
    const outgoing = request({ host: group.emulator.provisioningHost, port: 443, method: exchange.method, path: exchange.path, headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    outgoing.once('error', reject);
    outgoing.end(exchange.body);
  }), REGISTER_DEADLINE_MS, `a bare ${exchange.method} ${exchange.path}`);
}

/**
 * The register request as a device sends it (wire notes §3, §4), its SAS token computed here: alone
 * it is the floor (answered 202 `assigning`); with `poll` the operation is then polled once, as the
 * SDK does with retry-after 0: the emulator's whole path with a bare client.
 */
async function bareRegistration(group: Group, agent: Agent, registrationId: string, poll: boolean): Promise<number> {
  const { emulator } = group;
  const sr = `${emulator.idScope}/registrations/${registrationId}`;
  const se = Math.ceil(Date.now() / 1000) + 3600;
  const sig = createHmac('sha256', Buffer.from(deviceKey(group.groupKey, registrationId), 'base64')).update(`${sr}\n${se}`).digest('base64');
  const headers = { authorization: `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&skn=registration&se=${se}` };
  const started = performance.now();
  const registered = await bareRequest(group, agent, { method: 'PUT', path: `/${sr}/register?api-version=2019-03-31`, headers, body: JSON.stringify({ registrationId }) });
  if (registered.status !== 202 || typeof registered.body.operationId !== 'string') throw new Error(`bare register of ${registrationId}: HTTP ${registered.status}`);
  if (!poll) return performance.now() - started;
  const polled = await bareRequest(group, agent, { method: 'GET', path: `/${sr}/operations/${encodeURIComponent(registered.body.operationId)}?api-version=2019-03-31`, headers, body: '{}' });
  if (polled.body.status !== 'assigned') throw new Error(`bare poll of ${registrationId}: HTTP ${polled.status}, ${String(polled.body.status)}`);
  return performance.now() - started;
}

interface Batch {
  readonly samples: number[];
  wallMs: number;
}

const perSecond = (batch: Batch): number => batch.samples.length / (batch.wallMs / 1000);

/** Times `work` over `ids` with `concurrency` in flight; adds the batch's wall time to `wallMs`. */
async function timedBatch(ids: readonly string[], concurrency: number, work: (id: string) => Promise<number>, into: Batch): Promise<void> {
  const started = performance.now();
  into.samples.push(...(await mapLimit(ids, concurrency, work)));
  into.wallMs += performance.now() - started;
}

const idsFor = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

export async function measureProvisioning(options: ProvisioningOptions): Promise<ProvisioningFigures> {
  // Retry-after 0: the device polls at once, so the figure is the emulator's and the SDK's work, not a wait the service asks for.
  const emulator = await new IotHubEmulator().withHubName('bench-dps').withProvisioning({ retryAfterSeconds: 0 }).start();
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  try {
    const groupKey = randomBytes(32).toString('base64');
    const service = ProvisioningServiceClient.fromConnectionString(emulator.provisioningServiceConnectionString);
    await service.createOrUpdateEnrollmentGroup({ enrollmentGroupId: 'bench-group', attestation: { type: 'symmetricKey', symmetricKey: { primaryKey: groupKey, secondaryKey: randomBytes(32).toString('base64') } } } as never);
    const group: Group = { emulator, groupKey };
    await mapLimit(idsFor('warm-sdk', WARMUP), options.concurrency, (id) => sdkRegistration(group, id));
    await mapLimit(idsFor('warm-bare', WARMUP), options.concurrency, (id) => bareRegistration(group, agent, id, true));
    const [sdk, bare, floor] = [0, 1, 2].map(() => ({ samples: [] as number[], wallMs: 0 })) as [Batch, Batch, Batch];
    const perRound = Math.ceil(options.devices / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      await timedBatch(idsFor(`sdk-${round}`, perRound), options.concurrency, (id) => sdkRegistration(group, id), sdk);
      await timedBatch(idsFor(`bare-${round}`, perRound), options.concurrency, (id) => bareRegistration(group, agent, id, true), bare);
      await timedBatch(idsFor(`floor-${round}`, perRound), options.concurrency, (id) => bareRegistration(group, agent, id, false), floor);
    }
    const registerToAssigned = summarize(sdk.samples);
    const floorSummary = summarize(floor.samples);
    return {
      devices: sdk.samples.length, concurrency: options.concurrency,
      registerToAssigned, registrationsPerSecond: perSecond(sdk),
      barePath: summarize(bare.samples), barePathPerSecond: perSecond(bare),
      floor: floorSummary, floorPerSecond: perSecond(floor),
      ratioP50: registerToAssigned.p50 / floorSummary.p50, ratioP99: registerToAssigned.p99 / floorSummary.p99,
    };
  } finally {
    agent.destroy();
    await emulator.stop();
  }
}

/** The section as `npm run bench` runs it (BENCH_SECTIONS includes `dps`): measured, then printed. */
export async function provisioningSection(options: ProvisioningOptions, progress: (step: string) => void): Promise<ProvisioningFigures> {
  progress(`device provisioning: ${options.devices} devices of one group enrollment, ${options.concurrency} in flight`);
  const figures = await measureProvisioning(options);
  printProvisioning(figures);
  return figures;
}

export function printProvisioning(figures: ProvisioningFigures): void {
  const row = (path: string, summary: LatencySummary, perSecond: number): (string | number)[] => [path, summary.count, summary.p50, summary.p90, summary.p99, summary.max, perSecond];
  printTable(`9. Device provisioning (embedded, one symmetric-key group, HTTPS, ${figures.concurrency} in flight)`, ['path', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'per s'], [
    row('SDK register() -> assigned (register + poll)', figures.registerToAssigned, figures.registrationsPerSecond),
    row('bare client: PUT register, GET operation -> assigned', figures.barePath, figures.barePathPerSecond),
    row('floor: bare PUT register -> 202 (Node https)', figures.floor, figures.floorPerSecond),
    ['ratio to floor (p50 / p99)', '', `${figures.ratioP50.toFixed(1)}x`, '', `${figures.ratioP99.toFixed(1)}x`, '', ''],
  ]);
}
