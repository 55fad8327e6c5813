// Bundles the compiled CLI (dist/cli/main.js, from `tsc`) and the dependencies it loads into
// dist/bundle/, which bin/iothub-emulator.js runs. Why: a start spent about 150 ms resolving and
// reading some 560 module files; one bundle is read and compiled at once (docs/benchmarks.md F7).
// dist/ itself stays as tsc made it: it is what `import 'iothub-emulator'` loads.
//   - Native addons and what loads them stay external: node resolves them from the installed
//     package's node_modules at run time (better-sqlite3, classic-level, aedes-persistence-level,
//     loaded only with --data), as does nock (an optional peer: the consumer's copy, never ours).
//   - Code splitting keeps what a start may not need (the certificate generator, used only when no
//     certificate is given or cached) in chunks loaded by import() on first use.
//   - The bundled packages' licences go to dist/bundle/THIRD-PARTY-LICENSES.txt, since their code
//     is redistributed inside this package.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT_DIR = join(PACKAGE_ROOT, 'dist', 'bundle');
const EXTERNAL = ['better-sqlite3', 'classic-level', 'aedes-persistence-level', 'nock'];
// Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
const REQUIRE_BANNER = "import { createRequire as __createRequireForBundle } from 'node:module'; const require = __createRequireForBundle(import.meta.url);";

rmSync(OUT_DIR, { recursive: true, force: true });
const result = await build({
  absWorkingDir: PACKAGE_ROOT,
  entryPoints: { 'iothub-emulator': 'dist/cli/main.js' },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.11',
  external: EXTERNAL,
  banner: { js: REQUIRE_BANNER },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(join(OUT_DIR, 'THIRD-PARTY-LICENSES.txt'), licences(Object.keys(result.metafile.inputs)));

/** One section per bundled package: name, version, declared licence, and its licence file's text. */
function licences(inputs) {
  const packageDirectories = new Set();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match !== null) packageDirectories.add(join(PACKAGE_ROOT, match[1]));
  }
  // Nested copies of one name@version (tslib, several times) are listed once.
  const sections = new Map();
  for (const directory of packageDirectories) {
    const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
    const id = `${manifest.name}@${manifest.version}`;
    const licenceFile = readdirSync(directory).find((name) => /^(?:licen[cs]e|copying)(?:\.|$)/i.test(name));
    const text = licenceFile === undefined ? '(no licence file in the package)' : readFileSync(join(directory, licenceFile), 'utf8').trim();
    sections.set(id, `${id} (${manifest.license ?? 'no licence field'})\n\n${text}\n`);
  }
  const ordered = [...sections.keys()].sort().map((id) => sections.get(id));
  const header = 'iothub-emulator: dist/bundle/ contains code from these packages, under their licences.\n';
  return [header, ...ordered].join(`\n${'-'.repeat(78)}\n\n`);
}

if (!existsSync(join(OUT_DIR, 'iothub-emulator.js'))) throw new Error('the bundle was not written');
