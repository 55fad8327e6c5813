// Builds the web inspector (docs/inspector.md) from ui/ into dist/ui/: one HTML page, one script
// (Preact and the components, bundled and minified by esbuild) and one style sheet. Nothing is
// fetched at run time: the page works without internet, as the machines it runs on often have none.
// Preact's licence goes beside the script, as its code is redistributed inside app.js.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const SOURCE = join(PACKAGE_ROOT, 'ui');
const OUT_DIR = join(PACKAGE_ROOT, 'dist', 'ui');

rmSync(OUT_DIR, { recursive: true, force: true });
mkdirSync(OUT_DIR, { recursive: true });
await build({
  absWorkingDir: PACKAGE_ROOT,
  entryPoints: [join(SOURCE, 'main.tsx')],
  outfile: join(OUT_DIR, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const name of ['index.html', 'app.css']) copyFileSync(join(SOURCE, name), join(OUT_DIR, name));
const preactManifest = createRequire(import.meta.url).resolve('preact/package.json');
const licence = readFileSync(join(dirname(preactManifest), 'LICENSE'), 'utf8');
writeFileSync(join(OUT_DIR, 'THIRD-PARTY-LICENSES.txt'), `iothub-emulator: dist/ui/app.js contains code from preact (MIT):\n\n${licence}`);
if (!existsSync(join(OUT_DIR, 'app.js'))) throw new Error('the inspector was not built');
