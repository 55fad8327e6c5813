// Prints a folder's figures from its last finished run (reports/mutation/<folder>/mutation.json) as the
// README's table row: mutants, killed, timed out, survived, no coverage, score (detected / valid).
// `node scripts/mutation/score.js mqtt`
import { readFileSync } from 'node:fs';

const folder = process.argv[2] ?? 'query';
const report = JSON.parse(readFileSync(`reports/mutation/${folder}/mutation.json`, 'utf8'));
const counts = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, RuntimeError: 0, CompileError: 0, Ignored: 0 };
for (const file of Object.values(report.files)) {
  for (const mutant of file.mutants) counts[mutant.status] = (counts[mutant.status] ?? 0) + 1;
}
// Stryker's own score: errors and ignored mutants are not valid, timeouts count as detected.
const valid = counts.Killed + counts.Timeout + counts.Survived + counts.NoCoverage;
const score = ((counts.Killed + counts.Timeout) / valid) * 100;
process.stdout.write(`| \`emulator/${folder}\` | ${valid} | ${counts.Killed} | ${counts.Timeout} | ${counts.Survived} | ${counts.NoCoverage} | **${score.toFixed(1)}%** |\n`);
if (counts.RuntimeError + counts.CompileError > 0) process.stdout.write(`(${counts.RuntimeError} runtime and ${counts.CompileError} compile errors, not counted)\n`);
