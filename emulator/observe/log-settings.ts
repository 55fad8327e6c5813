/** How much the request log says (docs/observability.md): each level includes the ones before it. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface RequestLogSettings {
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** Where each line goes (one call per line, newline included); the CLI writes to stderr. */
  readonly write: (line: string) => void;
}

export const LOG_LEVEL_ENV = 'IOTHUB_EMULATOR_LOG_LEVEL';
export const LOG_FORMAT_ENV = 'IOTHUB_EMULATOR_LOG_FORMAT';

/**
 * The CLI's level when neither the flag nor the environment names one: `warn`. Refusals (the
 * question "why was my device turned away?") show without asking, while a CI run's thousands of
 * routine requests do not flood the stderr the launchers forward into test output.
 */
export const CLI_DEFAULT_LOG_LEVEL: LogLevel = 'warn';

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}

/** True when a line of `lineLevel` is written at the configured `level`. */
export function levelIncludes(level: LogLevel, lineLevel: LogLevel): boolean {
  return LOG_LEVELS.indexOf(lineLevel) <= LOG_LEVELS.indexOf(level);
}
