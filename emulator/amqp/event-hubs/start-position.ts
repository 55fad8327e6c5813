import type { HubEvent } from '../../state/event-hub-store.js';

/**
 * Where a partition reader starts, from the selector filter on its source (wire notes §5.3; Event
 * Hubs "AMQP 1.0 in Azure Service Bus and Event Hubs protocol guide", filters): the key
 * `apache.org:selector-filter:string` holds `amqp.annotation.x-opt-{offset|sequence-number|enqueued-time}
 * {>|>=} '<value>'`. `@latest` means only events enqueued after the attach; offset `-1` the earliest.
 */
export type StartPosition =
  | { readonly kind: 'latest' }
  | { readonly kind: 'offset'; readonly offset: bigint; readonly inclusive: boolean }
  | { readonly kind: 'sequence-number'; readonly sequenceNumber: number; readonly inclusive: boolean }
  | { readonly kind: 'enqueued-time'; readonly timeMs: number; readonly inclusive: boolean };

export type StartPositionResult = { readonly ok: true; readonly position: StartPosition } | { readonly ok: false; readonly description: string };

export const SELECTOR_FILTER_KEY = 'apache.org:selector-filter:string';
const EXPRESSION = /^\s*amqp\.annotation\.x-opt-(offset|sequence-number|enqueued-time)\s*(>=|>)\s*'([^']*)'\s*$/i;
/** Without a filter, a reader starts at the oldest event kept (as from offset -1). */
const EARLIEST: StartPosition = { kind: 'offset', offset: -1n, inclusive: false };

/** Reads the filter map of a receiver's source; an expression the hub cannot read is an error, never a guess. */
export function readStartPosition(filter: unknown): StartPositionResult {
  if (filter === undefined || filter === null) return { ok: true, position: EARLIEST };
  if (typeof filter !== 'object') return invalid('The source filter must be a map.');
  const entries = Object.entries(filter as Record<string, unknown>);
  const selector = entries.find(([key]) => key === SELECTOR_FILTER_KEY)?.[1];
  if (selector === undefined) return entries.length === 0 ? { ok: true, position: EARLIEST } : invalid(`Only the '${SELECTOR_FILTER_KEY}' filter is supported.`);
  const expression = describedString(selector);
  if (expression === undefined) return invalid('The selector filter must hold a string expression.');
  return parseExpression(expression);
}

function parseExpression(expression: string): StartPositionResult {
  const match = EXPRESSION.exec(expression);
  if (match === null) return invalid(`The selector filter '${expression}' is not an offset, sequence number or enqueued time comparison.`);
  const [, annotation = '', operator, value = ''] = match;
  const inclusive = operator === '>=';
  switch (annotation.toLowerCase()) {
    case 'offset':
      if (value === '@latest') return { ok: true, position: { kind: 'latest' } };
      if (!/^-?\d{1,20}$/.test(value)) return invalid(`The offset '${value}' is not a number or '@latest'.`);
      return { ok: true, position: { kind: 'offset', offset: BigInt(value), inclusive } };
    case 'sequence-number':
      if (!/^-?\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) return invalid(`The sequence number '${value}' is not a number.`);
      return { ok: true, position: { kind: 'sequence-number', sequenceNumber: Number(value), inclusive } };
    default:
      if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(Number(value))) return invalid(`The enqueued time '${value}' is not milliseconds since the epoch.`);
      return { ok: true, position: { kind: 'enqueued-time', timeMs: Number(value), inclusive } };
  }
}

/** True when the event is at or after the start (offsets, sequence numbers and enqueued times only grow along a partition). */
export function startsAtOrBefore(position: StartPosition, event: HubEvent): boolean {
  switch (position.kind) {
    case 'latest':
      return true;
    case 'offset':
      return position.inclusive ? BigInt(event.offset) >= position.offset : BigInt(event.offset) > position.offset;
    case 'sequence-number':
      return position.inclusive ? event.sequenceNumber >= position.sequenceNumber : event.sequenceNumber > position.sequenceNumber;
    case 'enqueued-time':
      return position.inclusive ? event.enqueuedTimeMs >= position.timeMs : event.enqueuedTimeMs > position.timeMs;
  }
}

/** rhea hands the filter's value over as the string, or as a described value holding it. */
function describedString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'value' in value) return describedString(value.value);
  return undefined;
}

function invalid(description: string): StartPositionResult {
  return { ok: false, description };
}
