import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { restFrontEndFrom } from '../../src/target/start-target.js';

void describe('IOTHUB_EMULATOR_REST_FRONT_END: the embedded target\'s REST front end (docs/targets.md)', () => {
  void it('is routed unless nock is asked for', () => {
    assert.equal(restFrontEndFrom(undefined, 'embedded', 'mqtt'), 'routed');
    assert.equal(restFrontEndFrom('', 'embedded', 'mqtt-ws'), 'routed');
    assert.equal(restFrontEndFrom('routed', 'embedded', 'mqtt-ws'), 'routed');
    assert.equal(restFrontEndFrom(' nock ', 'embedded', 'mqtt'), 'nock');
  });

  void it('names the allowed values when given another', () => {
    assert.throws(() => restFrontEndFrom('Nock', 'embedded', 'mqtt'), /must be routed or nock \(default routed\), not 'Nock'/);
  });

  void it('refuses https alone, which the Registry in this process could not reach, and points to the process target', () => {
    assert.throws(() => restFrontEndFrom('https', 'embedded', 'mqtt'), /NODE_EXTRA_CA_CERTS.*IOTHUB_TARGET=process.*Allowed here: routed or nock/s);
  });

  void it('refuses nock with MqttWs, which needs the HTTPS listener', () => {
    assert.throws(() => restFrontEndFrom('nock', 'embedded', 'mqtt-ws'), /MqttWs needs the HTTPS listener/);
  });

  void it('applies to the embedded target only', () => {
    assert.equal(restFrontEndFrom(undefined, 'process', 'mqtt'), 'routed');
    assert.throws(() => restFrontEndFrom('nock', 'hub', 'mqtt'), /embedded target only; the hub target was chosen/);
  });
});
