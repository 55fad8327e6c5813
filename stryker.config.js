// StrykerJS 9 (issue 11): mutation testing over the emulator's pure state and its adapters, driven by
// the fast suites (unit, fidelity, MQTT, bad inputs). `npm run mutation`; not part of `npm test` or CI.
//
// Why the tap runner: node:test files print TAP, and the tap runner runs each test file in its own
// process and records which files reach which mutant (coverageAnalysis 'perTest', per file). A mutant
// then reruns only the files that execute it, instead of the whole suite (about 15 s a mutant with the
// command runner). Incremental mode keeps each folder's results in reports/mutation/<folders>/, so a
// rerun tests only the mutants whose code or covering tests changed.
//
// Test files are listed fastest first (scripts/mutation/test-order.js).
//
// All four folders: `npm run mutation`. Some of them: `MUTATION_FOLDERS=query,rest npm run mutation`.
import { orderedTestFiles } from './scripts/mutation/test-order.js';

// Measured at 4 to 13 s each (real-time timeouts), against about 2 s for the others: they run last.
const SLOWEST = ['test/bad-inputs/mqtt-session.test.ts', 'test/mqtt/methods.test.ts', 'test/mqtt/sessions.test.ts', 'test/bad-inputs/mqtt-protocol.test.ts'];

// The suites that exercise each folder. Module-level tables are "covered" by every file that imports
// them (the tap runner cannot tell import time from test time), so a folder's run keeps to the files
// written for it: a mutant only some other file would catch counts as a survivor, never as a kill.
const TESTS_OF = {
  // state/ is pure, so it is measured by the tests that call it directly: the unit files, the pure DPS
  // and X.509 files beside their wire tests, and the fidelity suites (the REST contract over the
  // state). The wire suites reach state only through an adapter and are counted for that adapter's
  // folder; with them a surviving state mutant took minutes (about 70 covering files) instead of seconds.
  state: ['test/unit/*.test.ts', 'test/dps/provisioning-state.test.ts', 'test/dps/x509-state.test.ts', 'test/x509/certificate-auth.test.ts', 'test/fidelity/*.test.ts'],
  // What the MQTT adapter announces to the activity feed is asserted by the observability tests.
  // X.509 over MQTT (connect-auth's certificate path) is exercised by test/x509. test/mqtt/smoke.test.ts
  // comes first among the network suites: a broken broker fails it within seconds.
  mqtt: ['test/unit/mqtt-*.test.ts', 'test/unit/connect-auth.test.ts', 'test/unit/refusal-reasons.test.ts', 'test/mqtt/smoke.test.ts', 'test/mqtt/*.test.ts', 'test/observe/*.test.ts', 'test/x509/x509-devices.test.ts', 'test/x509/x509-refusals.test.ts', 'test/bad-inputs/mqtt-*.test.ts'],
  // rest/ holds the HTTPS device API too (device-bound, device-telemetry), exercised by test/http-device.
  rest: ['test/unit/rest-*.test.ts', 'test/unit/device-api-parts.test.ts', 'test/unit/http-control-plane.test.ts', 'test/fidelity/*.test.ts', 'test/bad-inputs/rest*.test.ts', 'test/bad-inputs/sdk-and-https.test.ts', 'test/http-device/*.test.ts'],
  query: ['test/unit/query-*.test.ts', 'test/fidelity/queries.test.ts', 'test/fidelity/registry-sdk.test.ts', 'test/fidelity/swagger-responses.test.ts'],
};
const ALL_FOLDERS = Object.keys(TESTS_OF);
const folders = (process.env.MUTATION_FOLDERS ?? ALL_FOLDERS.join(',')).split(',').map((folder) => folder.trim()).filter(Boolean);
for (const folder of folders) {
  if (!ALL_FOLDERS.includes(folder)) throw new Error(`MUTATION_FOLDERS: "${folder}" is not one of ${ALL_FOLDERS.join(', ')}`);
}
const reportDirectory = `reports/mutation/${folders.join('-')}`;

export default {
  testRunner: 'tap',
  tap: {
    testFiles: orderedTestFiles(folders.flatMap((folder) => TESTS_OF[folder]), { slowestLast: SLOWEST }),
    // --test-force-exit: a file ends once its tests have, even when a mutant left a server or a timer
    // behind (a hub that cannot close); otherwise it would wait out Stryker's timeout, minutes per mutant.
    nodeArgs: ['-r', '{{hookFile}}', '--import', './scripts/mutation/orphan-guard.js', '--conditions=iothub-emulator-source', '--import', 'tsx', '--test-force-exit', '--test-reporter=tap', '{{testFile}}'],
    forceBail: true,
  },
  mutate: folders.map((folder) => `emulator/${folder}/**/*.ts`),
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: `${reportDirectory}/incremental.json`,
  // Four workers on 2 cores: the network suites wait on sockets and timers about half the time.
  concurrency: 4,
  // A mutant's time limit is its covering files' time in the (unloaded, one-worker) dry run x this
  // factor, plus timeoutMS and the dry run's start-up overhead. With four workers sharing 2 cores a
  // file runs up to about twice as slowly, so a factor of 1.5 turned slow passes into "timeouts"
  // (counted as detected); 3 leaves a margin. Real hangs fail sooner: the suites have deadlines.
  timeoutFactor: 3,
  timeoutMS: 10_000,
  // event-recorder writes each mutant's result as it is known, so survivors can be read during a long run.
  reporters: ['html', 'json', 'clear-text', 'progress', 'event-recorder'],
  eventReporter: { baseDir: `${reportDirectory}/events` },
  htmlReporter: { fileName: `${reportDirectory}/index.html` },
  jsonReporter: { fileName: `${reportDirectory}/mutation.json` },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'dist', '.stryker-tmp', 'docker/staging', 'emulator/dist', 'testcontainers/dist'],
};
