// StrykerJS 9 (issue 11): mutation testing over the emulator's pure state and its adapters, driven by
// the fast suites through the command runner. `npm run mutation`; not part of `npm test` or CI (slow).
// One folder at a time: `npm run mutation -- --mutate 'emulator/query/**/*.ts'`.
export default {
  testRunner: 'command',
  commandRunner: { command: 'node --conditions=iothub-emulator-source --import tsx --test --test-concurrency=2 test/unit/*.test.ts' },
  mutate: ['emulator/state/**/*.ts', 'emulator/mqtt/**/*.ts', 'emulator/rest/**/*.ts', 'emulator/query/**/*.ts'],
  coverageAnalysis: 'off',
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ['html', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['reports', 'dist', '.stryker-tmp', 'docker/staging'],
};
