import { Agent, type AgentOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect, type ConnectionOptions } from 'node:tls';

/**
 * MqttWs always dials `wss://<host>:443/$iothub/websocket` (wire notes §1.1, P10). This agent, given
 * through the SDK's public `mqtt.webSocketAgent` option, connects to the emulator's WSS listener on
 * loopback instead, keeping the SNI and certificate check for the host name (workaround (a)).
 */
export class WebSocketRedirectAgent extends Agent {
  constructor(
    private readonly target: { host: string; port: number },
    options: AgentOptions = {},
  ) {
    super(options);
  }

  /** Returning the socket is enough: Node's Agent then completes the request itself (lib/_http_agent.js createSocket). */
  override createConnection(options: ConnectionOptions): Duplex {
    const servername = options.servername ?? (typeof options.host === 'string' ? options.host : undefined);
    return connect({ ...options, host: this.target.host, port: this.target.port, ...(servername === undefined ? {} : { servername }) });
  }
}
