import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The emulator's layers (house review, "Who tells the devices?"): the protocol adapters and
 * persistence are siblings over `state/`. Each may use the state, the one error module and the pure
 * engines beside the state (query/, methods/), never another adapter; the state uses nothing above it.
 */
const EMULATOR = resolve(dirname(fileURLToPath(import.meta.url)), '../../emulator');
const SHARED = ['state', 'errors.ts', 'query', 'methods'];
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  state: ['state', 'errors.ts'],
  rest: ['rest', ...SHARED],
  mqtt: ['mqtt', ...SHARED],
  amqp: ['amqp', ...SHARED],
  provisioning: ['provisioning', ...SHARED],
  persistence: ['persistence', ...SHARED],
};

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports (static, `export ... from` and dynamic) as the folder or file under emulator/ they reach. */
function reachedLayers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((match) => match[1] ?? '');
  return specifiers.map((specifier) => relative(EMULATOR, resolve(dirname(file), specifier)).split('/')[0]?.replace(/\.js$/, '.ts') ?? '');
}

void describe('emulator layering', () => {
  for (const [layer, allowed] of Object.entries(LAYERS)) {
    void it(`${layer}/ imports only ${allowed.join(', ')}`, () => {
      const files = sourceFiles(join(EMULATOR, layer));
      assert.ok(files.length > 0, `emulator/${layer} has sources`);
      const stray = files.flatMap((file) => reachedLayers(file).filter((reached) => !allowed.includes(reached)).map((reached) => `${relative(EMULATOR, file)} -> ${reached}`));
      assert.deepEqual(stray, []);
    });
  }
});
