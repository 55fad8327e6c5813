// StrykerJS runs a mutant's covering test files in the order the dry run met them, which is the order
// of `tap.testFiles` when it lists plain paths (a glob list comes back in directory-walk order), and
// stops at the first file that fails (forceBail). Listing fast files first therefore kills most mutants
// after a second or two instead of after the slow files (real-time timeouts: 5 s method timeouts,
// 10 s stalled handshakes) have run. Survivors still run every covering file.
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** `dir/name*.test.ts` patterns (one `*`, in the file name) or plain paths, expanded in the order given. */
export function orderedTestFiles(patterns, { slowestLast = [] } = {}) {
  const files = [...new Set(patterns.flatMap(expand))];
  const slow = new Set(slowestLast);
  return [...files.filter((file) => !slow.has(file)), ...slowestLast.filter((file) => files.includes(file))];
}

function expand(pattern) {
  if (!pattern.includes('*')) return [pattern];
  const directory = path.posix.dirname(pattern);
  const [prefix, suffix] = path.posix.basename(pattern).split('*');
  return readdirSync(directory)
    .filter((name) => name.startsWith(prefix) && name.endsWith(suffix) && name.length >= prefix.length + suffix.length)
    .sort()
    .map((name) => `${directory}/${name}`);
}
