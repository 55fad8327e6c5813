import { parseArgs } from 'node:util';
import { parseCandidate, SUPPORTED_SETS } from './sdk-sets.js';
import { MATRIX_TRANSPORTS, type DeviceTransport, type SdkSet } from './types.js';

export interface MatrixOptions {
  readonly sets: readonly SdkSet[];
  /** Reinstall every set even when its folder already holds those versions. */
  readonly reinstall: boolean;
  /** Deadline for one set's feature run; a run past it is stopped and reported as failing. */
  readonly runTimeoutMs: number;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run sdk-matrix -- [options]

Runs the feature suite once per SDK version set and device transport and prints a
version set x transport x scenario table (also written to reports/sdk-matrix.md and reports/sdk-matrix.json).

Options:
  --candidate <pkg@version,...>  add a candidate set (repeatable); unnamed packages keep the current
                                 set's version, e.g. azure-iot-device@1.18.4,azure-iot-device-mqtt@1.16.4
  --sets <name,...>              run only these declared sets (${SUPPORTED_SETS.map((s) => s.name).join(', ')}); 'none' for candidates only
  --transports <name,...>        run every set over these transports (${MATRIX_TRANSPORTS.join(', ')}) instead
                                 of each set's own (the declared sets: all five);
                                 IOTHUB_DEVICE_TRANSPORT, when set, is the default for this option
  --reinstall                    reinstall the sets' packages even if already installed
  --run-timeout <seconds>        deadline for one feature run (one set over one transport; default 300)
  --help                         show this text

Exit code: 0 when every supported set passes every scenario; 1 when one fails; 2 on bad options.`;

/**
 * `--transports`, else IOTHUB_DEVICE_TRANSPORT (which used to pick the one transport of every run),
 * else undefined: each set keeps its own transports.
 */
function transportsOverride(option: string | undefined, env: string | undefined): readonly DeviceTransport[] | undefined {
  const text = option ?? (env?.trim() === '' ? undefined : env);
  if (text === undefined) return undefined;
  const names = text.split(',').map((n) => n.trim()).filter((n) => n !== '');
  const transports = names.map((name) => {
    const transport = MATRIX_TRANSPORTS.find((t) => t === name);
    if (transport === undefined) throw new Error(`--transports names '${name}'; the transports are ${MATRIX_TRANSPORTS.join(', ')}.`);
    return transport;
  });
  if (transports.length === 0) throw new Error('--transports names no transport.');
  return [...new Set(transports)];
}

export function parseMatrixArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): MatrixOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      candidate: { type: 'string', multiple: true },
      sets: { type: 'string' },
      transports: { type: 'string' },
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
  const transports = transportsOverride(values.transports, env.IOTHUB_DEVICE_TRANSPORT);
  const sets = [...declaredSets(values.sets), ...candidates];
  return {
    sets: transports === undefined ? sets : sets.map((set) => ({ ...set, transports })),
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
