/** The REST adapters are transport-free: nock and the HTTPS server both translate to and from these. */
export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Header names as the client spelled them (Node's `rawHeaders` names); where case matters (`iothub-app-*`). */
  readonly headerNames?: readonly string[];
  readonly body: string;
  /**
   * The body's bytes, undecoded, on the routes whose bodies are bytes rather than text
   * (`takesBinaryBody`); their `body` is then empty.
   */
  readonly bytes?: Buffer;
}

export interface RestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** A body of bytes (a cloud-to-device message), sent instead of `body`. */
  readonly bytes?: Buffer;
}

export function jsonResponse(status: number, value: unknown, extraHeaders: Record<string, string> = {}): RestResponse {
  // The SDK only parses bodies labelled application/json (wire notes, pitfall P8).
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...extraHeaders }, body: JSON.stringify(value) };
}

export function emptyResponse(status: number): RestResponse {
  return { status, headers: {} };
}
