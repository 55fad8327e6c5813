import { CLI_DEFAULT_LOG_LEVEL, isLogFormat, isLogLevel, LOG_FORMAT_ENV, LOG_FORMATS, LOG_LEVEL_ENV, LOG_LEVELS, type LogFormat, type LogLevel } from '../observe/log-settings.js';

/** `--log-level` / `--log-format`, else IOTHUB_EMULATOR_LOG_LEVEL / _FORMAT: the flag wins, then the environment, then the default. */
export function logOptions(flags: { level: string | undefined; format: string | undefined }, env: NodeJS.ProcessEnv, fail: (message: string) => Error): { level: LogLevel; format: LogFormat } {
  const level = flags.level ?? env[LOG_LEVEL_ENV] ?? CLI_DEFAULT_LOG_LEVEL;
  const format = flags.format ?? env[LOG_FORMAT_ENV] ?? 'text';
  if (!isLogLevel(level)) throw fail(`--log-level (or ${LOG_LEVEL_ENV}) must be one of ${LOG_LEVELS.join(', ')}, not '${level}'.`);
  if (!isLogFormat(format)) throw fail(`--log-format (or ${LOG_FORMAT_ENV}) must be one of ${LOG_FORMATS.join(', ')}, not '${format}'.`);
  return { level, format };
}
