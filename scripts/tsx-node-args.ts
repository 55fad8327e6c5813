/**
 * How the scripts start a child node that runs this repository's TypeScript: tsx as the loader, and
 * the `iothub-emulator-source` export condition, so that `iothub-emulator` and
 * `iothub-emulator-testcontainers` resolve to their sources (as in the root npm scripts), never to a
 * dist/ that an edit has made stale.
 */
export const TSX_NODE_ARGS: readonly string[] = ['--conditions=iothub-emulator-source', '--import', 'tsx'];
