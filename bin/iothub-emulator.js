#!/usr/bin/env node
// Runs the emulator CLI (emulator/cli/main.ts) in this process through tsx, a runtime dependency, so
// no build step is needed and SIGINT/SIGTERM reach the emulator directly.
import { register } from 'tsx/esm/api';

register();
await import('../emulator/cli/main.ts');
