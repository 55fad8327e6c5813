import { join } from 'node:path';

/** IOTHUB_EMULATOR_CERT_CACHE: a directory for the certificate cache, or `off` for none. */
export const CERT_CACHE_VARIABLE = 'IOTHUB_EMULATOR_CERT_CACHE';

/**
 * Where the standalone emulator keeps its generated certificate between starts (cli/certificate-cache.ts):
 * the variable's directory, else the platform's per-user cache directory (XDG_CACHE_HOME or ~/.cache,
 * ~/Library/Caches, %LOCALAPPDATA%). Undefined means no cache: `off`, or no home directory in the environment to put it in.
 */
export function certificateCacheDirectory(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const chosen = env[CERT_CACHE_VARIABLE];
  if (chosen === 'off') return undefined;
  if (chosen !== undefined && chosen !== '') return chosen;
  const userCache = platformCacheDirectory(env, platform);
  return userCache === undefined ? undefined : join(userCache, 'iothub-emulator');
}

function platformCacheDirectory(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (platform === 'win32') return nonEmpty(env.LOCALAPPDATA);
  const home = nonEmpty(env.HOME);
  if (platform === 'darwin') return home === undefined ? undefined : join(home, 'Library', 'Caches');
  return nonEmpty(env.XDG_CACHE_HOME) ?? (home === undefined ? undefined : join(home, '.cache'));
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

