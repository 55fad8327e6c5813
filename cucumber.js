/**
 * Cucumber profiles. The target is chosen by the environment (docs/targets.md): IOTHUB_TARGET, or,
 * when unset, IOTHUB_CONNECTION_STRING alone meaning a real hub. Scenarios that steer the emulator
 * (@emulator-only) are left out on a real hub only: the process and container targets serve them
 * through the emulator's HTTP control plane, with a connection string set too. IOTHUB_DEVICE_TRANSPORT
 * (mqtt, mqtt-ws, amqp, amqp-ws, http) picks the device SDK's transport for the whole run.
 */
const target = process.env.IOTHUB_TARGET?.trim() || (process.env.IOTHUB_CONNECTION_STRING?.trim() ? 'hub' : 'embedded');
const onRealHub = target === 'hub';
const transport = process.env.IOTHUB_DEVICE_TRANSPORT?.trim() || 'mqtt';
// The embedded target's REST front end (IOTHUB_EMULATOR_REST_FRONT_END, docs/targets.md).
const restFrontEnd = process.env.IOTHUB_EMULATOR_REST_FRONT_END?.trim() || 'routed';
// Each target, front end and transport keeps its own reports, so that `npm test`'s second run does not
// overwrite the first: reports/cucumber-report.html is the embedded run over Mqtt, -nock the nock front end's.
const suffix = [target === 'embedded' ? '' : target, restFrontEnd === 'routed' ? '' : restFrontEnd, transport === 'mqtt' ? '' : transport]
  .filter(Boolean)
  .map((part) => `-${part}`)
  .join('');

const common = {
  paths: ['features/**/*.feature'],
  import: ['steps/**/*.ts'],
  // A scenario a transport cannot carry on the real hub either is tagged @not-<transport>, with the
  // reason in its feature's narrative, and left out for that transport only.
  // nock has no TLS, so no client certificate: scenarios that register with one are @not-nock.
  tags: [onRealHub ? 'not @emulator-only' : '', `not @not-${transport}`, restFrontEnd === 'nock' ? 'not @not-nock' : ''].filter(Boolean).join(' and '),
  format: [
    'pretty',
    `html:reports/cucumber-report${suffix}.html`,
    `junit:reports/cucumber-junit${suffix}.xml`,
    `message:reports/cucumber-messages${suffix}.ndjson`,
  ],
  formatOptions: { junit: { suiteName: 'iothub-scenarios' } },
};

export default common;
