import { connectWithKey, connectWithToken } from '../flows/device-connection.js';
import { makeDeviceToken } from '../flows/device-client-factory.js';
import type { DeviceTwinSession, ReceivedPatch } from '../flows/device-twin-session.js';
import { awaitTokenRenewal, type RenewalWatch } from '../flows/token-renewal.js';
import type { RegistrySide } from './registry-side.js';
import { PROPAGATION_TIMEOUT_MS, type ScenarioScope } from './scenario-scope.js';

/** Seconds an app-made token stays valid in the scenarios; an expired one is this far in the past. */
const OWN_TOKEN_SECONDS = 600;
/** A renewal happens half-way through a token's life; this leaves room for a slow machine. */
const RENEWAL_TIMEOUT_MS = 15_000;

/**
 * What device apps do, in the steps' words: connect with their key, with tokens the SDK renews, or
 * with a token the application signed itself. Each device's latest connection is its app.
 */
export class DeviceSide {
  private readonly apps = new Map<string, DeviceTwinSession>();
  /** Devices connected with short-lived tokens, watched for their renewal (emulator only). */
  private readonly renewals = new Map<string, RenewalWatch>();

  constructor(
    private readonly scope: ScenarioScope,
    private readonly devices: RegistrySide,
  ) {}

  /** These devices get disabled and deleted under their clients' feet: no automatic reconnects. */
  async connect(name: string): Promise<DeviceTwinSession> {
    const sharedAccessKey = await this.devices.primaryKeyOf(name);
    return this.opened(name, await connectWithKey(this.scope.target, { deviceId: this.devices.deviceId(name), sharedAccessKey }, { reconnect: false }));
  }

  /** Registers the device and connects with its key, asking the SDK for tokens that last `seconds` (renewed half-way). */
  async connectWithShortTokens(name: string, seconds: number): Promise<DeviceTwinSession> {
    await this.devices.register(name);
    const identity = { deviceId: this.devices.deviceId(name), sharedAccessKey: await this.devices.primaryKeyOf(name) };
    const tokenRenewal = { tokenValidTimeInSeconds: seconds, tokenRenewalMarginInSeconds: Math.ceil(seconds / 2) };
    const since = Date.now();
    const app = this.opened(name, await connectWithKey(this.scope.target, identity, { tokenRenewal }));
    const control = this.scope.target.control;
    if (control !== undefined) {
      const { connectionCount } = await control.connectionStatus({ deviceId: identity.deviceId });
      this.renewals.set(name, { identity: { deviceId: identity.deviceId }, lifetime: tokenRenewal, since, connectionCount });
    }
    return app;
  }

  /** Connects a registered device with a token the application signed itself, valid or expired, for itself or `signedFor`. */
  async connectWithOwnToken(name: string, validity: 'valid' | 'expired', signedFor?: string): Promise<DeviceTwinSession> {
    const keyOwner = signedFor ?? name;
    const nowSeconds = Math.floor(Date.now() / 1000);
    const expiry = validity === 'valid' ? nowSeconds + OWN_TOKEN_SECONDS : nowSeconds - OWN_TOKEN_SECONDS;
    const signer = { hostName: this.scope.target.hostName, deviceId: this.devices.deviceId(keyOwner) };
    const token = makeDeviceToken(signer, await this.devices.primaryKeyOf(keyOwner), expiry);
    return this.opened(name, await connectWithToken(this.scope.target, { deviceId: this.devices.deviceId(name) }, token, signedFor !== undefined));
  }

  /** Makes `app` the device's app for the rest of the scenario (closed when it ends). */
  opened(name: string, app: DeviceTwinSession): DeviceTwinSession {
    this.apps.set(name, this.scope.cleanup.close(app));
    return app;
  }

  /** The device's app, as it last connected in this scenario. */
  app(name: string): DeviceTwinSession {
    const app = this.apps.get(name);
    if (app === undefined) throw new Error(`Device '${name}' is not connected in this scenario.`);
    return app;
  }

  /** The device reports through its app, and the back end reads the report back. */
  async reportAndReadBack(name: string, property: string, value: unknown): Promise<unknown> {
    await this.app(name).reportProperties({ [property]: value });
    return (await this.scope.registry.getTwin(this.devices.deviceId(name))).responseBody.properties.reported[property];
  }

  /** The patch that carries the back end's last desired change of the device. */
  async desiredPatch(name: string, timeoutMs = PROPAGATION_TIMEOUT_MS): Promise<ReceivedPatch> {
    return this.app(name).waitForPatch(this.devices.lastDesiredVersionOrFail(), timeoutMs);
  }

  /** Waits for the patch across token renewals, which reconnect the device. */
  async desiredPatchAcrossRenewals(name: string): Promise<ReceivedPatch> {
    return this.desiredPatch(name, RENEWAL_TIMEOUT_MS);
  }

  /**
   * Emulator only: waits until the hub has seen the device connect again with a renewed token, after
   * the SDK's renewal time and before its first token expired: not a reconnect after expiry.
   */
  async awaitTokenRenewal(name: string): Promise<void> {
    const control = this.scope.target.control;
    const watch = this.renewals.get(name);
    if (control === undefined || watch === undefined) throw new Error(`Seeing device '${name}' renew its token needs the emulator control plane and short-lived tokens.`);
    await awaitTokenRenewal(control, watch);
  }
}
