import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FeatureFile {
  readonly path: string;
  /** The text after `Feature:`, as the report shows it. */
  readonly title: string;
  /** Scenarios the file produces: one per Scenario/Example, one per Examples row of an outline. */
  readonly scenarioCount: number;
}

function countScenarios(lines: readonly string[]): number {
  let count = 0;
  let inExamples = false;
  let headerSeen = false;
  for (const line of lines.map((l) => l.trim())) {
    if (/^(Scenario|Example):/.test(line)) count += 1;
    if (/^(Scenario Outline|Scenario Template|Scenario|Example|Rule|Background):/.test(line)) inExamples = false;
    if (/^(Examples|Scenarios):/.test(line)) {
      inExamples = true;
      headerSeen = false;
      continue;
    }
    if (inExamples && line.startsWith('|')) {
      if (headerSeen) count += 1;
      headerSeen = true;
    }
  }
  return count;
}

/** Every .feature file under the folder, with its title, so the check follows the features as they grow. */
export function readFeatureFiles(folder: string): FeatureFile[] {
  const paths = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.feature')).sort();
  return paths.map((relative) => {
    const lines = readFileSync(join(folder, relative), 'utf8').split('\n');
    const title = lines.map((l) => /^\s*Feature:\s*(.+?)\s*$/.exec(l)?.[1]).find((t) => t !== undefined);
    if (title === undefined) throw new Error(`${relative} has no 'Feature:' line`);
    return { path: relative, title, scenarioCount: countScenarios(lines) };
  });
}
