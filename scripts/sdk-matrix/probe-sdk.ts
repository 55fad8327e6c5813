/**
 * Run by the matrix with the same `--import` hooks as the suite: reports where the SDK specifiers
 * resolve and which versions those are, plus the DeviceClientType the MQTT transport will send in
 * its CONNECT username (azure-iot-device's user-agent string, read the way azure-iot-device-mqtt reads it).
 * Writes one JSON line to stdout.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SDK_PACKAGES } from './types.js';

interface DeviceUserAgent {
  getUserAgentString(): Promise<string>;
}

function packageRootOf(fileUrl: string, name: string): { path: string; version: string } {
  for (let dir = dirname(fileURLToPath(fileUrl)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === name) return { path: dir, version: manifest.version ?? '?' };
  }
  throw new Error(`No package.json named ${name} above ${fileUrl}`);
}

const resolved = Object.fromEntries(SDK_PACKAGES.map((pkg) => [pkg, packageRootOf(import.meta.resolve(pkg), pkg)]));
const requireFromMqtt = createRequire(import.meta.resolve('azure-iot-device-mqtt'));
const deviceSeenByMqtt = requireFromMqtt('azure-iot-device') as DeviceUserAgent;
const deviceClientType = await deviceSeenByMqtt.getUserAgentString();
process.stdout.write(`${JSON.stringify({ resolved, deviceClientType })}\n`);
