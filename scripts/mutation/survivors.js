// Lists the mutants that survived (or had no coverage) in a folder's run, as file:line, mutator and
// replacement, read from the event-recorder files written while the run goes (stryker.config.js):
// `node scripts/mutation/survivors.js mqtt`. The finished run's report is reports/mutation/<folder>/index.html.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const folder = process.argv[2] ?? 'query';
const directory = `reports/mutation/${folder}/events`;
const results = readdirSync(directory)
  .filter((name) => name.endsWith('-onMutantTested.json'))
  .map((name) => JSON.parse(readFileSync(path.join(directory, name), 'utf8')));
const open = results.filter((result) => result.status === 'Survived' || result.status === 'NoCoverage');
open.sort((a, b) => a.fileName.localeCompare(b.fileName) || a.location.start.line - b.location.start.line);
for (const mutant of open) {
  const where = `${path.relative(process.cwd(), mutant.fileName)}:${mutant.location.start.line}:${mutant.location.start.column}`;
  process.stdout.write(`${mutant.status.padEnd(10)} ${where} ${mutant.mutatorName} -> ${mutant.replacement.replace(/\s+/g, ' ').slice(0, 100)}\n`);
}
const counts = new Map();
for (const result of results) counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
process.stdout.write(`${results.length} tested: ${[...counts].map(([status, count]) => `${status} ${count}`).join(', ')}\n`);
