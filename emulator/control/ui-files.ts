import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const UI_PREFIX = '/_emulator/ui/';

/** The only files served: what emulator/scripts/build-ui.js writes, nothing else from the disk. */
const UI_FILES: Readonly<Record<string, string>> = {
  '': 'index.html',
  'index.html': 'index.html',
  'app.js': 'app.js',
  'app.css': 'app.css',
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

/** The page loads its own script and style and talks to its own origin only: no CDN, no inline code. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The web inspector's files, built with the package (emulator/ui/, `npm run build`) into dist/ui/.
 * Found from the package root, so the same code serves them from the sources (tests), from dist/,
 * from the bundled CLI (dist/bundle/) and from the installed package in the container.
 */
export function uiDirectory(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let directory = dirname(from); directory !== dirname(directory); directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest) && isEmulatorPackage(manifest)) return join(directory, 'dist', 'ui');
  }
  return undefined;
}

function isEmulatorPackage(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'iothub-emulator';
  } catch {
    return false;
  }
}

/** `GET /_emulator/ui/...`: one of the built files, 404 for any other name, 503 when the UI was never built. */
export async function serveUiFile(directory: string | undefined, pathname: string, response: ServerResponse): Promise<void> {
  if (pathname === UI_PREFIX.slice(0, -1)) {
    response.writeHead(301, { location: UI_PREFIX }).end();
    return;
  }
  const name = Object.hasOwn(UI_FILES, pathname.slice(UI_PREFIX.length)) ? UI_FILES[pathname.slice(UI_PREFIX.length)] : undefined;
  if (name === undefined) {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('No such file in the inspector.');
    return;
  }
  const content = directory === undefined ? undefined : await readFile(join(directory, name)).catch(() => undefined);
  if (content === undefined) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The inspector is not built: run `npm run build -w iothub-emulator` (or `npm run build:ui` in emulator/).');
    return;
  }
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream',
    'content-length': String(content.length),
    'cache-control': 'no-cache',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
  });
  response.end(content);
}
