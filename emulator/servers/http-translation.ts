import type { IncomingMessage, ServerResponse } from 'node:http';
import { hubErrors } from '../errors.js';
import { takesBinaryBody } from '../rest/device-telemetry.js';
import type { RestRequest, RestResponse } from '../rest/http-types.js';

/** A request body as strict UTF-8 text (readBodyBytes, then decodeUtf8). */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return decodeUtf8(await readBodyBytes(request, maxBytes));
}

/**
 * Reads a request body up to `maxBytes`. A larger body is refused with the hub's 413
 * (RequestEntityTooLarge) before it is buffered whole: nothing is stored from it.
 */
export function readBodyBytes(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  const tooLarge = () => hubErrors.tooLarge(`The request body exceeds ${maxBytes} bytes.`);
  if (declared > maxBytes) return Promise.reject(tooLarge());
  // Listeners rather than `for await`: the async iterator was a visible share of a twin update's CPU.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      length += chunk.length;
      if (length <= maxBytes) chunks.push(chunk);
      else finish(tooLarge());
    };
    const finish = (error?: Error): void => {
      request.off('data', onData).off('end', onEnd).off('error', finish).off('close', onClose);
      if (error === undefined) resolve(Buffer.concat(chunks));
      else reject(error);
    };
    const onEnd = (): void => finish();
    const onClose = (): void => finish(new Error('The request was closed before its body ended.'));
    request.on('data', onData).on('end', onEnd).on('error', finish).on('close', onClose);
  });
}

/** Strict UTF-8 (RFC 8259 §8.1): a lossy decode would store U+FFFD where the client sent bad bytes. */
export function decodeUtf8(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw hubErrors.argumentInvalid('The request body is not valid UTF-8.');
  }
}

/**
 * http.IncomingMessage -> the transport-free RestRequest the REST adapters take. The body is strict
 * UTF-8 text, except on the routes that take bytes (a device's telemetry: takesBinaryBody).
 */
export function toRestRequest(request: IncomingMessage, url: URL, bytes: Buffer): RestRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const method = request.method ?? 'GET';
  const headerNames = request.rawHeaders.filter((_, index) => index % 2 === 0);
  const body = takesBinaryBody(method, url.pathname) ? { body: '', bytes } : { body: decodeUtf8(bytes) };
  return { method, path: url.pathname, query: url.searchParams, headers, headerNames, ...body };
}

export function writeRestResponse(response: ServerResponse, rest: RestResponse): void {
  const body = rest.bytes ?? rest.body ?? '';
  response.writeHead(rest.status, { ...rest.headers, 'content-length': String(Buffer.byteLength(body)) });
  response.end(body);
}

/** A request's URL; the Host header is irrelevant to routing, so a fixed base is used. */
export function requestUrl(request: IncomingMessage): URL {
  return new URL(request.url ?? '/', 'https://emulator');
}
