// StrykerJS 9 (issue 11): mutation testing over the emulator's pure state and its adapters, driven by
// the fast suites (unit, fidelity, MQTT, bad inputs). `npm run mutation`; not part of `npm test` or CI.
//
// Why the tap runner: node:test files print TAP, and the tap runner runs each test file in its own
// process and records which files reach which mutant (coverageAnalysis 'perTest', per file). A mutant
// then reruns only the files that execute it, instead of the whole suite (about 15 s a mutant with the
// command runner). Incremental mode keeps the results in reports/mutation/incremental.json, so a rerun
// tests only the mutants whose code or covering tests changed.
//
// One folder at a time: `npm run mutation -- --mutate 'emulator/query/**/*.ts'`.
export default {
  testRunner: 'tap',
  tap: {
    testFiles: ['test/unit/*.test.ts', 'test/fidelity/*.test.ts', 'test/mqtt/*.test.ts', 'test/bad-inputs/*.test.ts'],
    nodeArgs: ['-r', '{{hookFile}}', '--conditions=iothub-emulator-source', '--import', 'tsx', '--test-reporter=tap', '{{testFile}}'],
    forceBail: true,
  },
  mutate: ['emulator/state/**/*.ts', 'emulator/mqtt/**/*.ts', 'emulator/rest/**/*.ts', 'emulator/query/**/*.ts'],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  concurrency: 2,
  timeoutMS: 30_000,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'dist', '.stryker-tmp', 'docker/staging', 'emulator/dist', 'testcontainers/dist'],
};
