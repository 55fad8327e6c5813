/**
 * Node module-customization hooks (https://nodejs.org/api/module.html#customization-hooks) that make
 * the project's bare imports of the SDKs resolve inside one version set's install folder. The project
 * imports the SDKs at run time only through src/sdk.ts, so redirecting those specifiers swaps the
 * whole SDK; the SDKs' own `require`s then resolve next to them, inside the same folder.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface SdkRedirect {
  /** The set's install folder (holds package.json and node_modules). */
  readonly setDirectory: string;
  /** Each redirected resolution is appended here as `<specifier>\t<url>`, to verify the run. */
  readonly resolutionLog?: string | undefined;
}

const REDIRECTED = ['azure-iothub', 'azure-iot-device', 'azure-iot-device-mqtt', 'azure-iot-device-amqp', 'azure-iot-device-http', 'azure-iot-common'];

interface ResolveContext {
  readonly parentURL?: string | undefined;
  readonly conditions: readonly string[];
  readonly importAttributes: Record<string, string>;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null | undefined;
  readonly shortCircuit?: boolean | undefined;
}
type NextResolve = (specifier: string, context?: ResolveContext) => ResolveResult | Promise<ResolveResult>;

let redirect: SdkRedirect | undefined;
let setDirectoryUrl = '';

export function initialize(data: SdkRedirect): void {
  redirect = data;
  setDirectoryUrl = pathToFileURL(join(data.setDirectory, '/')).href;
}

function packageNameOf(specifier: string): string | undefined {
  return REDIRECTED.find((name) => specifier === name || specifier.startsWith(`${name}/`));
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<ResolveResult> {
  const parent = context.parentURL ?? '';
  if (redirect === undefined || packageNameOf(specifier) === undefined || parent.startsWith(setDirectoryUrl)) {
    return nextResolve(specifier, context);
  }
  // Resolve as if the import were written in the set's folder: its node_modules answers.
  const result = await nextResolve(specifier, { ...context, parentURL: `${setDirectoryUrl}package.json` });
  if (redirect.resolutionLog !== undefined) appendFileSync(redirect.resolutionLog, `${specifier}\t${result.url}\n`);
  return result;
}
