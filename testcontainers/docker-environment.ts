import { getContainerRuntimeClient, ImageName } from 'testcontainers';

/**
 * testcontainers settings these machines need (shared/reference/docker-and-testcontainers.md, point 5):
 * no Ryuk (its image cannot be pulled: the module's users stop their containers themselves), and the
 * host is 127.0.0.1 (otherwise testcontainers looks for the bridge network and finds no runtime).
 * Values the user already set are kept. testcontainers reads both lazily, at the first start.
 */
export const TESTCONTAINERS_DEFAULTS: Readonly<Record<string, string>> = {
  TESTCONTAINERS_RYUK_DISABLED: 'true',
  TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
};

export function applyTestcontainersDefaults(env: NodeJS.ProcessEnv = process.env): void {
  for (const [name, value] of Object.entries(TESTCONTAINERS_DEFAULTS)) {
    if (env[name] === undefined || env[name] === '') env[name] = value;
  }
}

/** Raised when Docker or the image is missing: the message says how to get them (docs/container.md). */
export class ContainerRuntimeUnavailableError extends Error {}

/**
 * Fails fast, with what to do, when no Docker engine answers or the image is not there; without
 * this, testcontainers would report "no working container runtime strategy", or try to pull a
 * local-only image from a registry and time out.
 */
export async function assertImageRunnable(image: string): Promise<void> {
  let client;
  try {
    client = await getContainerRuntimeClient();
  } catch (error) {
    throw new ContainerRuntimeUnavailableError(
      `No working Docker engine for the emulator container (${error instanceof Error ? error.message : String(error)}). ` +
        'Start one (on Debian as root: scripts/docker/docker-daemon.sh install && scripts/docker/docker-daemon.sh start), ' +
        'or run the whole container check with scripts/docker/ci-container-tests.sh. See docs/container.md.',
    );
  }
  if (!(await client.image.exists(ImageName.fromString(image)))) {
    throw new ContainerRuntimeUnavailableError(
      `The emulator image '${image}' is not in the local Docker engine. Build it with scripts/docker/build-image.sh ${image} ` +
        '(works offline) or `docker build -f docker/Dockerfile -t <name> .`. See docs/container.md.',
    );
  }
}
