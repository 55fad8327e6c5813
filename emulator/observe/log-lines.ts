import type { ActivityEvent } from '../state/activity.js';
import type { LogFormat, LogLevel } from './log-settings.js';

/** One line's content before it is formatted: its level, a short message, and its fields. */
export interface LogEntry {
  readonly level: LogLevel;
  readonly event: ActivityEvent['type'];
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/**
 * Which level each activity is logged at: requests, connects and disconnects at info (a 5xx at
 * error), refusals at warn, telemetry, deliveries, reads and packets at debug. The fields are the
 * event's own, which hold no key, token or body (state/activity.ts).
 */
export function logEntryOf(event: ActivityEvent): LogEntry {
  const { type, at: _at, ...fields } = event;
  switch (event.type) {
    case 'rest-request':
      return { level: event.status >= 500 ? 'error' : 'info', event: type, message: `${event.method} ${event.path} ${event.status}`, fields: { ...fields, durationMs: round(event.durationMs) } };
    case 'connected':
      return { level: 'info', event: type, message: `${event.clientId} connected over ${event.transport}`, fields };
    case 'disconnected':
      return { level: 'info', event: type, message: `${event.clientId} disconnected from ${event.transport}: ${event.reason}`, fields };
    case 'refused':
      return { level: 'warn', event: type, message: `refused over ${event.transport}: ${event.reason}`, fields };
    case 'desired-delivered':
      return { level: 'debug', event: type, message: `desired v${event.version} delivered to ${event.clientId}`, fields: { ...fields, latencyMs: round(event.latencyMs) } };
    default:
      return { level: 'debug', event: type, message: type, fields };
  }
}

export function formatLogLine(entry: LogEntry, at: Date, format: LogFormat): string {
  if (format === 'json') return `${JSON.stringify({ time: at.toISOString(), level: entry.level, event: entry.event, msg: entry.message, ...entry.fields })}\n`;
  const pairs = Object.entries(entry.fields).map(([name, value]) => `${name}=${textValue(value)}`);
  return `${at.toISOString()} ${entry.level.toUpperCase().padEnd(5)} ${entry.message} ${pairs.join(' ')}`.trimEnd() + '\n';
}

function textValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /^[^\s"=]+$/.test(text) ? text : JSON.stringify(text);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
