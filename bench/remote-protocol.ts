/** What `npm run bench` hands the child that measures a launched emulator (remote-sections.ts), and how it answers. */
export interface RemoteEndpointSpec {
  readonly label: string;
  readonly serviceConnectionString: string;
  readonly caCertificatePath: string;
  readonly gatewayHostName?: string;
  /** The emulator's control plane, whose GET /process gives the emulator's own CPU time. */
  readonly controlPlaneUrl?: string;
}

/** The child's one stdout line with its results: `BENCH_RESULT <json>`. */
export const RESULT_PREFIX = 'BENCH_RESULT ';
