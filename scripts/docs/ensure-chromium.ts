/**
 * Before the report check: makes sure Debian's chromium is there for playwright-core (which never
 * downloads a browser here). In CI (CI=true, as root) it installs the package; elsewhere it says how.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const APT_INSTALL = ['install', '-y', '--no-install-recommends', 'chromium'];

function apt(args: readonly string[]): boolean {
  return spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

if (!existsSync(chromium)) {
  const inCi = /^(1|true|yes)$/i.test(process.env.CI ?? '');
  if (!inCi || process.getuid?.() !== 0) {
    process.stderr.write(`${chromium} is missing. Install Debian's chromium: apt-get install -y --no-install-recommends chromium\n`);
    process.exit(1);
  }
  process.stdout.write(`${chromium} is missing; installing Debian's chromium (CI).\n`);
  // The package lists of a fresh CI image may be empty; refresh them only when the first try fails.
  if (!apt(APT_INSTALL) && !(apt(['update']) && apt(APT_INSTALL))) {
    process.stderr.write('apt-get could not install chromium.\n');
    process.exit(1);
  }
}
