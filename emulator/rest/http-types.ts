/** The REST adapters are transport-free: nock and the HTTPS server both translate to and from these. */
export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

export interface RestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

export function jsonResponse(status: number, value: unknown, extraHeaders: Record<string, string> = {}): RestResponse {
  // The SDK only parses bodies labelled application/json (wire notes, pitfall P8).
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...extraHeaders }, body: JSON.stringify(value) };
}

export function emptyResponse(status: number): RestResponse {
  return { status, headers: {} };
}
