#!/usr/bin/env node
// The emulator CLI (cli/main.ts): compiled by `npm run build` and bundled with the dependencies it
// loads into one file (scripts/bundle-cli.js), so a start reads one module instead of hundreds
// (docs/benchmarks.md F7). No TypeScript loader at run time. It runs in this process, so
// SIGINT/SIGTERM reach the emulator directly.
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the bundle on disk for the next start (the API Node offers
// CLI tools for this); on Node 20 it does not exist and this does nothing.
module.enableCompileCache?.();

const main = new URL('../dist/bundle/iothub-emulator.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('[iothub-emulator] dist/bundle/ is missing: build the package first (npm run build).\n');
  process.exit(2);
}
await import(main.href);
