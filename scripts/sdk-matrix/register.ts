/**
 * Loaded with `node --import` after tsx: when SDK_MATRIX_SET_DIR names a version set's install
 * folder, the SDK imports of this process resolve there (see resolve-hook.ts). Without it, nothing changes.
 */
import { register } from 'node:module';
import type { SdkRedirect } from './resolve-hook.js';

const setDirectory = process.env.SDK_MATRIX_SET_DIR;
if (setDirectory !== undefined && setDirectory !== '') {
  const data: SdkRedirect = { setDirectory, resolutionLog: process.env.SDK_MATRIX_RESOLUTION_LOG };
  register('./resolve-hook.ts', { parentURL: import.meta.url, data });
}
