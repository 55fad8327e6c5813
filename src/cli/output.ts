/** CLI output goes straight to the streams: stdout for results, stderr for problems. */
export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function complain(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** The desired or reported section without its `$metadata`, for printing. */
export function withoutMetadata(section: Record<string, unknown>): Record<string, unknown> {
  const { $metadata: _metadata, ...rest } = section;
  return rest;
}
