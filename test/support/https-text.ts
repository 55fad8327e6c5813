import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request, type RequestOptions } from 'node:https';

export interface TextReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/**
 * One HTTPS request with an optional text body; resolves with the status, headers and body once the
 * answer has ended. `url`, when given, is merged with the other options (Node's request(url, options)).
 */
export function httpsText(options: RequestOptions & { readonly url?: string }, body?: string): Promise<TextReply> {
  const { url, ...rest } = options;
  return new Promise((resolve, reject) => {
    const onAnswer = (incoming: IncomingMessage): void => {
      let text = '';
      incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text }));
      incoming.on('error', reject);
    };
    const outgoing = url === undefined ? request(rest, onAnswer) : request(url, rest, onAnswer);
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
