/**
 * Cucumber profiles. The target is chosen by the environment (README, "Targets"): with
 * IOTHUB_CONNECTION_STRING set the features run against that hub and scenarios that steer the
 * emulator (@emulator-only) are left out; otherwise the embedded emulator serves them.
 */
const onRealHub = Boolean(process.env.IOTHUB_CONNECTION_STRING?.trim());

const common = {
  paths: ['features/**/*.feature'],
  import: ['steps/**/*.ts'],
  tags: onRealHub ? 'not @emulator-only' : '',
  format: [
    'pretty',
    'html:reports/cucumber-report.html',
    'junit:reports/cucumber-junit.xml',
    'message:reports/cucumber-messages.ndjson',
  ],
  formatOptions: { junit: { suiteName: 'iothub-scenarios' } },
};

export default common;
