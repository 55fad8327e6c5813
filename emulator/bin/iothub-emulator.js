#!/usr/bin/env node
// The emulator CLI (cli/main.ts), compiled to JavaScript by `npm run build`: no TypeScript loader
// at run time. It runs in this process, so SIGINT/SIGTERM reach the emulator directly.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('[iothub-emulator] dist/ is missing: build the package first (npm run build).\n');
  process.exit(2);
}
await import(main.href);
