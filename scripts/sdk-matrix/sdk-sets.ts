import { MATRIX_TRANSPORTS, SDK_PACKAGES, type SdkPackage, type SdkSet } from './types.js';

/**
 * The SDK version sets this project supports. Each transport package (azure-iot-device-mqtt, -amqp,
 * -http) pins an exact azure-iot-device version (and all pin azure-iot-common), so a set names the
 * matching releases (`npm view azure-iot-device-amqp@1.13.8 dependencies` pins azure-iot-device 1.17.8).
 * `current` is what package.json installs; `previous` is the last release line before it.
 *
 * Both sets run over all five transports: one suite run takes 9-20 s on the embedded target (HTTP
 * carries the fewest scenarios), so a whole matrix of ten runs is about four minutes on two cores
 * (docs/sdk-matrix.md). `--transports` narrows it.
 */
export const SUPPORTED_SETS: readonly SdkSet[] = [
  {
    name: 'current',
    supported: true,
    versions: {
      'azure-iot-device': '1.18.4',
      'azure-iot-device-mqtt': '1.16.4',
      'azure-iot-device-amqp': '1.14.4',
      'azure-iot-device-http': '1.14.4',
      'azure-iothub': '1.16.6',
    },
    transports: MATRIX_TRANSPORTS,
  },
  {
    name: 'previous',
    supported: true,
    versions: {
      'azure-iot-device': '1.17.8',
      'azure-iot-device-mqtt': '1.15.8',
      'azure-iot-device-amqp': '1.13.8',
      'azure-iot-device-http': '1.13.8',
      'azure-iothub': '1.15.1',
    },
    transports: MATRIX_TRANSPORTS,
  },
];

function isSdkPackage(name: string): name is SdkPackage {
  return (SDK_PACKAGES as readonly string[]).includes(name);
}

/**
 * Parses `azure-iot-device@1.18.4,azure-iot-device-mqtt@1.16.4,...`. Packages the candidate does not
 * name keep the `current` set's version, so `--candidate azure-iothub@1.16.7` tries one upgrade. A
 * candidate runs over the `current` set's transports unless `--transports` says otherwise.
 */
export function parseCandidate(text: string, name: string): SdkSet {
  const base = SUPPORTED_SETS[0];
  if (base === undefined) throw new Error('No supported SDK set is declared.');
  const versions: Record<SdkPackage, string> = { ...base.versions };
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const at = part.lastIndexOf('@');
    const pkg = at > 0 ? part.slice(0, at) : part;
    const version = at > 0 ? part.slice(at + 1).trim() : '';
    if (!isSdkPackage(pkg)) {
      throw new Error(`--candidate names '${pkg}', which is not one of ${SDK_PACKAGES.join(', ')}.`);
    }
    if (version === '') throw new Error(`--candidate '${part}' has no version; write ${pkg}@<version>.`);
    versions[pkg] = version;
  }
  return { name, supported: false, versions, transports: base.transports };
}

/** A folder name that identifies the versions, so installs of different sets never share a folder. */
export function installFolderName(set: SdkSet): string {
  const short = SDK_PACKAGES.map((pkg) => `${pkg.replace(/^azure-(iot-)?/, '')}-${set.versions[pkg]}`).join('_');
  return short.replace(/[^A-Za-z0-9._-]/g, '_');
}
