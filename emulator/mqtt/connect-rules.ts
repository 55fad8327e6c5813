import type { AedesOptions } from 'aedes';

/**
 * What a connection must do before it is authenticated, beyond the credentials (connect-auth.ts).
 *
 * How long a connection may take to deliver its CONNECT once its transport is up (TLS handshake
 * done, or WebSocket upgraded): aedes's `connectTimeout` (30 s by default), counted from the
 * moment the connection is handed to aedes until a whole CONNECT has been parsed. The hub's value
 * is not documented; the SDKs send CONNECT as soon as the transport is up, the slowest first open
 * seen here took about 230 ms (wire notes, P12), and 10 s leaves a loaded CI machine 40 times that.
 * A client trickling a CONNECT (which the packet limits cap at 16 KB) is closed here too.
 */
export const CONNECT_DEADLINE_MS = 10_000;

/** MQTT 3.1.1 is protocol level 4 (MQTT 3.1.1 §3.1.2.2); MQTT 3.1 (`MQIsdp`) is level 3. */
const MQTT_3_1_1 = 4;

/**
 * A protocol level aedes itself refuses: it then answers CONNACK 0x01 "unacceptable protocol
 * version" and closes the connection (aedes lib/handlers/connect.js), as [MQTT-3.1.2-2] requires.
 */
const UNACCEPTABLE_LEVEL = 0;

/**
 * The hub speaks MQTT 3.1.1 ("Communicate with an IoT hub using the MQTT protocol": MQTT v3.1.1 on
 * port 8883 and over WebSocket on port 443; MQTT 5 is a separate preview the emulator does not
 * serve). aedes accepts MQTT 3.1 (`MQIsdp`, level 3) as well, and has no option to refuse it, so this
 * hook marks any level but 4 as one aedes refuses; the CONNACK return code 0x01 means the same in
 * MQTT 3.1, so a 3.1 client reads the refusal too.
 */
export const acceptOnlyMqtt311: NonNullable<AedesOptions['preConnect']> = (_client, packet, done) => {
  if (packet.protocolVersion !== MQTT_3_1_1) {
    (packet as { protocolVersion: number }).protocolVersion = UNACCEPTABLE_LEVEL;
  }
  done(null, true);
};

/** The two as aedes options: the deadline for CONNECT and the protocol level check. */
export const CONNECT_RULES = { connectTimeout: CONNECT_DEADLINE_MS, preConnect: acceptOnlyMqtt311 } satisfies Partial<AedesOptions>;
