/**
 * Deadlines for clients that connect and then stall, on every listener. The hub documents none of
 * these values (its only documented connection timeout is MQTT keep-alive: 1.5 times the client's,
 * at most 29.45 minutes, MQTT support doc, "Default keep-alive timeout"). Node's defaults are made for
 * the open internet (TLS handshake 120 s, HTTP headers 60 s, whole request 300 s); the emulator's
 * clients are on the same machine and send a handshake, a CONNECT or a request in milliseconds, so
 * the deadlines below only ever close a client that stopped talking, well before it could pile up.
 */

/** A TLS handshake (MQTT port and HTTPS port alike): a loopback handshake with an EC P-256 certificate takes milliseconds. */
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

/** Until a request's headers are complete (Node answers 408 and closes): a request's headers fit in one packet. */
export const HTTP_HEADERS_TIMEOUT_MS = 10_000;

/** Until a whole request, body included, has arrived (408 then): bodies are at most 256 KB (emulator.ts). */
export const HTTP_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Node checks the two HTTP deadlines above on a timer, every 30 s by default, which would let a
 * stalled request live up to 30 s past its deadline; once a second keeps them within a second.
 */
export const HTTP_TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The options that carry these deadlines, for node:https createServer. */
export const HTTPS_LISTENER_TIMEOUTS = {
  handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS,
  headersTimeout: HTTP_HEADERS_TIMEOUT_MS,
  requestTimeout: HTTP_REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: HTTP_TIMEOUT_CHECK_INTERVAL_MS,
} as const;
