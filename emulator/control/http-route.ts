import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorControl } from './control-plane.js';

/** What a control-plane route answers: a status and a JSON body. */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
  /** Extra response headers (the twin's `etag` on the inspector's hub routes). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ControlRequest {
  readonly url: URL;
  /** The request body as text ('' when there is none). */
  readonly body: string;
  /** The request's headers (If-Match, content-type), names in lower case. */
  readonly headers?: IncomingHttpHeaders;
}

export type Route = (control: EmulatorControl, match: RegExpExecArray, request: ControlRequest) => Answer | Promise<Answer>;

export interface RouteEntry {
  readonly method: string;
  readonly pattern: RegExp;
  readonly route: Route;
}

/** A request the control plane cannot act on: answered 400 with the message. */
export class BadControlRequest extends Error {}

/** A percent-decoded path segment. */
export function segment(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    throw new BadControlRequest(`'${raw ?? ''}' is not valid percent-encoding.`);
  }
}

export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadControlRequest('The request body is not valid JSON.');
  }
}
