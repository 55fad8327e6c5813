/**
 * One matrix run: the project's cucumber configuration (cucumber.js, so the target's tag filter
 * applies) with the output redirected to this run's folder, so runs never write over each other or
 * over the living-documentation reports. Started by run-suite.ts with the SDK redirect hooks loaded.
 */
import { loadConfiguration, runCucumber } from '@cucumber/cucumber/api';

const messagesPath = process.env.SDK_MATRIX_MESSAGES;
if (messagesPath === undefined || messagesPath === '') {
  process.stderr.write('SDK_MATRIX_MESSAGES must name the cucumber messages file to write.\n');
  process.exit(2);
}

const { runConfiguration } = await loadConfiguration();
const { success } = await runCucumber({
  ...runConfiguration,
  formats: { stdout: 'progress', files: { [messagesPath]: 'message' }, publish: false, options: {} },
});
// The results are written; end here so a set whose SDK leaves sockets open cannot hold the run.
process.exit(success ? 0 : 1);
