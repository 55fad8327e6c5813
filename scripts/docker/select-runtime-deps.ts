/**
 * Copies only the packages the emulator needs at run time out of a node_modules tree, so the
 * emulator image does not carry the harness (cucumber, the SDKs, testcontainers): see docs/container.md.
 *
 *   node --import tsx scripts/docker/select-runtime-deps.ts --from node_modules --out <dir> <source>...
 *
 * The roots are the packages that the given sources import by bare name (plus `tsx`, the loader the
 * CLI runs under); the closure follows each package's dependencies the way Node resolves them
 * (its own node_modules, then each enclosing one), and every package keeps its place in the tree.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { parseArgs } from 'node:util';

interface Manifest {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const ALWAYS_NEEDED = ['tsx'];
const IMPORT_PATTERN = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g;

const readManifest = (directory: string): Manifest => JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Manifest;

function sourceFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(?:ts|mts|js|mjs)$/.test(name) && !name.split(sep).includes('node_modules'))
    .map((name) => join(path, name));
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`; relative paths and builtins -> undefined. */
function packageNameOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Runtime packages imported by the sources; type-only imports of dev packages are left out. */
export function rootPackages(sources: readonly string[], project: Manifest): string[] {
  const imported = new Set<string>(ALWAYS_NEEDED);
  for (const file of sources.flatMap(sourceFiles)) {
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT_PATTERN)) {
      const name = packageNameOf(match[1] ?? '');
      if (name !== undefined) imported.add(name);
    }
  }
  const unknown = [...imported].filter((name) => project.dependencies?.[name] === undefined && project.devDependencies?.[name] === undefined);
  if (unknown.length > 0) throw new Error(`The sources import packages that package.json does not list: ${unknown.join(', ')}`);
  return [...imported].filter((name) => project.dependencies?.[name] !== undefined).sort();
}

/** Node's lookup: <from>/node_modules/<name>, then each enclosing node_modules up to the root. */
function resolvePackage(name: string, fromDirectory: string, rootDirectory: string): string | undefined {
  for (let directory = fromDirectory; ; directory = dirname(directory)) {
    const candidate = join(directory, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (directory === rootDirectory || directory === dirname(directory)) return undefined;
  }
}

function requiredEdges(manifest: Manifest): { name: string; optional: boolean }[] {
  const optionalPeer = (name: string): boolean => manifest.peerDependenciesMeta?.[name]?.optional === true;
  return [
    ...Object.keys(manifest.dependencies ?? {}).map((name) => ({ name, optional: false })),
    ...Object.keys(manifest.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
    ...Object.keys(manifest.peerDependencies ?? {}).map((name) => ({ name, optional: optionalPeer(name) })),
  ];
}

/** Every installed package directory the roots need, as paths relative to the project root. */
export function dependencyClosure(roots: readonly string[], projectDirectory: string): string[] {
  const found = new Set<string>();
  const pending = roots.map((name) => ({ name, from: projectDirectory, optional: false }));
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const location = resolvePackage(next.name, next.from, projectDirectory);
    if (location === undefined) {
      if (next.optional) continue;
      throw new Error(`'${next.name}' (needed from ${relative(projectDirectory, next.from) || 'the project'}) is not installed: run npm ci first.`);
    }
    if (found.has(location)) continue;
    found.add(location);
    for (const edge of requiredEdges(readManifest(location))) pending.push({ ...edge, from: location });
  }
  return [...found].map((location) => relative(projectDirectory, location)).sort();
}

/**
 * A node-gyp addon (it has binding.gyp) needs only its compiled `build/Release/*.node` at run time:
 * its C sources, object files and static libraries (tens of MB for better-sqlite3) stay out.
 */
function isAddonBuildLeftover(relativePath: string): boolean {
  const [top, second, third, ...rest] = relativePath.split(sep);
  if (top === 'deps' || top === 'src') return true;
  if (top !== 'build' || second === undefined) return false;
  if (second !== 'Release') return true;
  return third !== undefined && (rest.length > 0 || !third.endsWith('.node'));
}

function copyPackages(packages: readonly string[], projectDirectory: string, outDirectory: string): void {
  rmSync(join(outDirectory, 'node_modules'), { recursive: true, force: true });
  for (const packagePath of packages) {
    const source = join(projectDirectory, packagePath);
    const addon = existsSync(join(source, 'binding.gyp'));
    // Nested node_modules are copied as packages of their own, and only the ones that are needed.
    const filter = (path: string): boolean => {
      const relativePath = relative(source, path);
      return !relativePath.split(sep).includes('node_modules') && !(addon && isAddonBuildLeftover(relativePath));
    };
    mkdirSync(dirname(join(outDirectory, packagePath)), { recursive: true });
    cpSync(source, join(outDirectory, packagePath), { recursive: true, filter, verbatimSymlinks: true });
  }
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' } }, allowPositionals: true });
  if (values.from === undefined || values.out === undefined || positionals.length === 0) {
    throw new Error('usage: select-runtime-deps.ts --from <project dir> --out <dir> <source file or dir>...');
  }
  const roots = rootPackages(positionals, readManifest(values.from));
  const packages = dependencyClosure(roots, values.from);
  copyPackages(packages, values.from, values.out);
  // The list of what was staged; docker/Dockerfile checks for it in DEPS_SOURCE=context builds.
  writeFileSync(join(values.out, 'staged-packages.txt'), `${packages.join('\n')}\n`);
  process.stderr.write(`[select-runtime-deps] roots ${roots.join(', ')}: ${packages.length} packages copied to ${join(values.out, 'node_modules')}\n`);
}

if (process.argv[1]?.endsWith('select-runtime-deps.ts') === true) main();
