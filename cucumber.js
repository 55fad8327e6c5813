/**
 * Cucumber profiles. The target is chosen by the environment (docs/targets.md): IOTHUB_TARGET, or,
 * when unset, IOTHUB_CONNECTION_STRING alone meaning a real hub. Scenarios that steer the emulator
 * (@emulator-only) are left out on a real hub only: the process and container targets serve them
 * through the emulator's HTTP control plane, with a connection string set too.
 */
const target = process.env.IOTHUB_TARGET?.trim() || (process.env.IOTHUB_CONNECTION_STRING?.trim() ? 'hub' : 'embedded');
const onRealHub = target === 'hub';

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
