import { parseArgs } from 'node:util';
import { parseCandidate, SUPPORTED_SETS } from './sdk-sets.js';
import type { SdkSet } from './types.js';

export interface MatrixOptions {
  readonly sets: readonly SdkSet[];
  /** Reinstall every set even when its folder already holds those versions. */
  readonly reinstall: boolean;
  /** Deadline for one set's feature run; a run past it is stopped and reported as failing. */
  readonly runTimeoutMs: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run sdk-matrix -- [options]

Runs the feature suite once per SDK version set and prints a version set x scenario table
(also written to reports/sdk-matrix.md and reports/sdk-matrix.json).

Options:
  --candidate <pkg@version,...>  add a candidate set (repeatable); unnamed packages keep the current
                                 set's version, e.g. azure-iot-device@1.18.4,azure-iot-device-mqtt@1.16.4
  --sets <name,...>              run only these declared sets (${SUPPORTED_SETS.map((s) => s.name).join(', ')}); 'none' for candidates only
  --reinstall                    reinstall the sets' packages even if already installed
  --run-timeout <seconds>        deadline for one set's feature run (default 300)
  --help                         show this text

Exit code: 0 when every supported set passes every scenario; 1 when one fails; 2 on bad options.`;

export function parseMatrixArgs(argv: readonly string[]): MatrixOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      candidate: { type: 'string', multiple: true },
      sets: { type: 'string' },
      reinstall: { type: 'boolean', default: false },
      'run-timeout': { type: 'string', default: '300' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const timeoutSeconds = Number(values['run-timeout']);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new Error(`--run-timeout must be a positive number of seconds, not '${values['run-timeout']}'.`);
  }
  const candidates = (values.candidate ?? []).map((text, index) =>
    parseCandidate(text, index === 0 ? 'candidate' : `candidate-${index + 1}`),
  );
  return {
    sets: [...declaredSets(values.sets), ...candidates],
    reinstall: values.reinstall,
    runTimeoutMs: timeoutSeconds * 1000,
    help: values.help,
  };
}

function declaredSets(names: string | undefined): SdkSet[] {
  if (names === undefined) return [...SUPPORTED_SETS];
  const wanted = names.split(',').map((n) => n.trim()).filter((n) => n !== '' && n !== 'none');
  return wanted.map((name) => {
    const set = SUPPORTED_SETS.find((s) => s.name === name);
    if (set === undefined) {
      throw new Error(`--sets names '${name}'; the declared sets are ${SUPPORTED_SETS.map((s) => s.name).join(', ')}.`);
    }
    return set;
  });
}
