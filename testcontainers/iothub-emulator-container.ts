import { GenericContainer, Wait } from 'testcontainers';
import { readReadyLine, EmulatorLogTail } from './container-logs.js';
import { applyTestcontainersDefaults, assertImageRunnable } from './docker-environment.js';
import { StartedIotHubEmulatorContainer } from './started-iothub-emulator-container.js';

/** What scripts/docker/build-image.sh tags by default. */
export const DEFAULT_EMULATOR_IMAGE = 'iothub-emulator:local';

/** Where a given certificate is copied to inside the container (the image's user can read /tmp). */
const TLS_DIR_IN_CONTAINER = '/tmp/iothub-emulator-tls';

export interface TlsCertificate {
  /** PEM certificate (self-signed or with its chain): also what clients are told to trust. */
  readonly cert: string;
  readonly key: string;
}

interface EmulatorOptions {
  bindAddress: string;
  hubHostName: string;
  httpsPort: number;
  mqttPort: number;
  amqpPort: number;
  controlPlane: boolean;
  policyKey?: string;
  tls?: TlsCertificate;
}

/**
 * The emulator image as a testcontainers module (docs/container.md), in the manner of testcontainers'
 * own Azurite and Mosquitto modules:
 *
 *   const hub = await new IotHubEmulatorContainer('iothub-emulator:local').withMqttPort(0).withControlPlane().start();
 *   hub.getServiceConnectionString(); hub.getCaCertificate(); hub.getModuleConnectionString(d, m, key);
 *
 * The container uses the HOST network (these machines allow loopback only, never a bridge), so its
 * ports are ports of this machine: 0 lets the emulator pick a free one, and the ready line it prints
 * says which. HTTPS defaults to 443 and AMQP to 5671 because the service SDK dials no other ports (wire notes §3);
 * a port below 1024 makes the container run as root (unless withUser() says otherwise), since the
 * host's unprivileged-port limit applies.
 */
export class IotHubEmulatorContainer extends GenericContainer {
  private readonly options: EmulatorOptions = { bindAddress: '127.0.0.1', hubHostName: 'localhost', httpsPort: 443, mqttPort: 0, amqpPort: 5671, controlPlane: false };
  private readonly logTail = new EmulatorLogTail();
  private readyTimeoutMs = 60_000;

  constructor(private readonly image: string = DEFAULT_EMULATOR_IMAGE) {
    super(image);
    this.withNetworkMode('host').withWaitStrategy(Wait.forLogMessage(/"serviceConnectionString"/)).withLogConsumer(this.logTail.consume);
  }

  /** HTTPS port for REST, MQTT over WebSockets and the control plane (default 443; 0: any free port). */
  withHttpsPort(port: number): this {
    this.options.httpsPort = port;
    return this;
  }

  /** MQTT over TLS port (default 0: any free port, given to clients as GatewayHostName). */
  withMqttPort(port: number): this {
    this.options.mqttPort = port;
    return this;
  }

  /** AMQP over TLS port (default 5671, which the service SDK's `Client` dials; 0: any free port). */
  withAmqpPort(port: number): this {
    this.options.amqpPort = port;
    return this;
  }

  /** Loopback address to listen on (default 127.0.0.1); any 127.x.y.z works on Linux without setup. */
  withBindAddress(address: string): this {
    this.options.bindAddress = address;
    return this;
  }

  /** HostName in connection strings and the certificate (default localhost; it must resolve to the bind address). */
  withHubHostName(hostName: string): this {
    this.options.hubHostName = hostName;
    return this;
  }

  /** The iothubowner primary key; passed in the environment, never on the command line. */
  withPolicyKey(key: string): this {
    this.options.policyKey = key;
    return this;
  }

  /** Serves the test control plane under https://<host>:<httpsPort>/_emulator. */
  withControlPlane(enabled = true): this {
    this.options.controlPlane = enabled;
    return this;
  }

  /** Serves this certificate instead of one the emulator generates. */
  withTlsCertificate(tls: TlsCertificate): this {
    this.options.tls = tls;
    return this;
  }

  override withStartupTimeout(startupTimeoutMs: number): this {
    this.readyTimeoutMs = startupTimeoutMs;
    return super.withStartupTimeout(startupTimeoutMs);
  }

  override async start(): Promise<StartedIotHubEmulatorContainer> {
    applyTestcontainersDefaults();
    await assertImageRunnable(this.image);
    this.configureEmulator();
    let started;
    try {
      started = await super.start();
    } catch (error) {
      throw new Error(
        `The emulator container did not become ready: ${error instanceof Error ? error.message : String(error)}\nIts last log lines:\n${this.logTail.describe()}`,
      );
    }
    try {
      const ready = await readReadyLine(await started.logs(), this.readyTimeoutMs);
      const ca = this.options.tls?.cert ?? (await StartedIotHubEmulatorContainer.readFileIn(started, ready.caCertificatePath));
      return new StartedIotHubEmulatorContainer(started, { ready, caCertificate: ca });
    } catch (error) {
      await started.stop();
      throw error;
    }
  }

  private configureEmulator(): void {
    const { options } = this;
    const args = ['--host', options.bindAddress, '--host-name', options.hubHostName, '--https-port', String(options.httpsPort), '--mqtt-port', String(options.mqttPort), '--amqp-port', String(options.amqpPort)];
    if (options.controlPlane) args.push('--control-plane');
    if (options.tls !== undefined) {
      args.push('--cert', `${TLS_DIR_IN_CONTAINER}/cert.pem`, '--key', `${TLS_DIR_IN_CONTAINER}/key.pem`);
      this.withCopyContentToContainer([
        { content: options.tls.cert, target: `${TLS_DIR_IN_CONTAINER}/cert.pem`, mode: 0o644 },
        { content: options.tls.key, target: `${TLS_DIR_IN_CONTAINER}/key.pem`, mode: 0o644 },
      ]);
    }
    if (options.policyKey !== undefined) this.withEnvironment({ IOTHUB_EMULATOR_POLICY_KEY: options.policyKey });
    // The host network applies the host's net.ipv4.ip_unprivileged_port_start (1024 by default);
    // a user chosen with withUser() is kept (the emulator then explains a refused port itself).
    const privileged = [options.httpsPort, options.mqttPort, options.amqpPort].some((port) => port > 0 && port < 1024);
    if (privileged && this.createOpts.User === undefined) this.withUser('0:0');
    this.withCommand(args);
  }
}
