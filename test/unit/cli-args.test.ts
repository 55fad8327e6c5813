import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEVELOPMENT_POLICY_KEY, parseCliArgs, UsageError } from '../../emulator/cli/args.js';
import { DEFAULT_EVENT_HUB_OPTIONS } from '../../emulator/state/event-hub-store.js';

void describe('iothub-emulator arguments', () => {
  void it('defaults to loopback, the hub\'s ports, HostName=localhost, the development key and no control plane', () => {
    const options = parseCliArgs([], {});
    assert.equal(options.host, '127.0.0.1');
    assert.equal(options.httpsPort, 443);
    assert.equal(options.mqttPort, 8883);
    assert.equal(options.amqpPort, 5671);
    assert.equal(options.hostName, 'localhost');
    assert.equal(options.policyKey, DEVELOPMENT_POLICY_KEY);
    assert.equal(options.controlPlane, false);
    assert.equal(options.allowRemoteControlPlane, false);
  });

  void it('reads every option', () => {
    const options = parseCliArgs(
      ['--host', '127.0.0.2', '--https-port', '0', '--mqtt-port', '18883', '--amqp-port', '15671', '--host-name', 'hub.local', '--cert', 'c.pem', '--key', 'k.pem', '--control-plane', '--allow-remote-control-plane', '--x509-ca', 'a.pem', '--x509-ca', 'b.pem',
        '--dps-id-scope', '0ne00ABCDEF', '--dps-host-name', 'dps.local', '--dps-service-key', 'b3RoZXIta2V5LW9mLTE2LWJ5dGVz', '--dps-mqtt-port', '18884', '--log-level', 'debug', '--log-format', 'json'],
      {},
    );
    assert.deepEqual(
      { ...options },
      {
        host: '127.0.0.2', httpsPort: 0, mqttPort: 18883, amqpPort: 15671, hostName: 'hub.local', certPath: 'c.pem', keyPath: 'k.pem',
        policyKey: DEVELOPMENT_POLICY_KEY, controlPlane: true, allowRemoteControlPlane: true, eventHub: DEFAULT_EVENT_HUB_OPTIONS, x509CaPaths: ['a.pem', 'b.pem'], help: false,
        provisioning: { idScope: '0ne00ABCDEF', hostName: 'dps.local', serviceKey: 'b3RoZXIta2V5LW9mLTE2LWJ5dGVz', mqttPort: 18884 },
        requestLog: { level: 'debug', format: 'json' },
      },
    );
  });

  void it('takes the log level and format from the flag, else the environment, else warn and text', () => {
    const env = { IOTHUB_EMULATOR_LOG_LEVEL: 'info', IOTHUB_EMULATOR_LOG_FORMAT: 'json' };
    assert.deepEqual(parseCliArgs([], {}).requestLog, { level: 'warn', format: 'text' });
    assert.deepEqual(parseCliArgs([], env).requestLog, { level: 'info', format: 'json' });
    assert.deepEqual(parseCliArgs(['--log-level', 'error', '--log-format', 'text'], env).requestLog, { level: 'error', format: 'text' });
    assert.throws(() => parseCliArgs(['--log-level', 'verbose'], {}), /--log-level .* must be one of error, warn, info, debug/);
  });

  void it('puts DPS MQTT on 8884 beside the hub\'s 8883, and on a free port when the hub\'s is another', () => {
    assert.equal(parseCliArgs([], {}).provisioning.mqttPort, 8884);
    assert.equal(parseCliArgs(['--mqtt-port', '0'], {}).provisioning.mqttPort, 0);
  });

  void it('takes the policy key from the environment when not given as an option', () => {
    assert.equal(parseCliArgs([], { IOTHUB_EMULATOR_POLICY_KEY: 'a2V5' }).policyKey, 'a2V5');
    assert.equal(parseCliArgs(['--policy-key', 'b3RoZXI='], { IOTHUB_EMULATOR_POLICY_KEY: 'a2V5' }).policyKey, 'b3RoZXI=');
  });

  void it('refuses bad ports, half a certificate and unknown options', () => {
    assert.throws(() => parseCliArgs(['--https-port', '70000'], {}), UsageError);
    assert.throws(() => parseCliArgs(['--mqtt-port', 'abc'], {}), UsageError);
    assert.throws(() => parseCliArgs(['--amqp-port', '-1'], {}), UsageError);
    assert.throws(() => parseCliArgs(['--cert', 'c.pem'], {}), /--cert and --key go together/);
    assert.throws(() => parseCliArgs(['--bogus'], {}), UsageError);
    assert.throws(() => parseCliArgs(['--dps-id-scope', '0ne/../x'], {}), /--dps-id-scope/);
    assert.throws(() => parseCliArgs(['--dps-mqtt-port', '99999'], {}), /--dps-mqtt-port/);
    assert.throws(() => parseCliArgs(['--dps-service-key', 'short'], {}), /--dps-service-key/);
  });

  void it('the development key is a valid SAS key (base64, 16-64 bytes)', () => {
    const bytes = Buffer.from(DEVELOPMENT_POLICY_KEY, 'base64');
    assert.ok(bytes.length >= 16 && bytes.length <= 64);
    assert.equal(bytes.toString('base64'), DEVELOPMENT_POLICY_KEY);
  });
});
