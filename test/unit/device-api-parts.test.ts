import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readBatch } from '../../emulator/rest/device-batch.js';
import { dotNetUtcTime } from '../../emulator/rest/device-bound-headers.js';
import { propertiesFromHeaders } from '../../emulator/rest/device-message-headers.js';
import { takesBinaryBody } from '../../emulator/rest/device-telemetry.js';
import { expectHubError } from './fixtures.js';

/** The HTTPS device API's pure parts (rest/device-*.ts): header mapping, batches, the hub's time format. */
describe('HTTPS device API parts', () => {
  it('writes times as the hub does: M/d/yyyy h:mm:ss AM|PM in UTC', () => {
    assert.equal(dotNetUtcTime(Date.UTC(2017, 11, 22, 0, 14, 12)), '12/22/2017 12:14:12 AM');
    assert.equal(dotNetUtcTime(Date.UTC(2026, 0, 5, 13, 2, 9)), '1/5/2026 1:02:09 PM');
    assert.equal(dotNetUtcTime(Date.UTC(2026, 6, 1, 12, 0, 0)), '7/1/2026 12:00:00 PM');
  });

  it('reads system headers by name, application headers with their case, and not the request\'s own iothub-to', () => {
    const own = '/devices/d%201/messages/events';
    const { system, application } = propertiesFromHeaders([
      ['IoTHub-MessageId', 'm'], ['iothub-to', own], ['iothub-app-Mixed', 'v'], ['iothub-app-__proto__', 'p'], ['iothub-app-', 'empty name'],
      ['dt-subject', 's'], ['content-type', 'text/plain'], ['iothub-ack', 'full'], ['iothub-creation-time-utc', 't'], ['iothub-app-path', own],
    ], own);
    assert.deepEqual(system, { mid: 'm', sub: 's', ctime: 't' });
    assert.deepEqual(Object.keys(application), ['Mixed', '__proto__', 'path'], 'a property whose value is the own address is not the address');
    assert.equal(Object.getPrototypeOf(application), Object.prototype, '__proto__ stays a key');
    assert.deepEqual(propertiesFromHeaders([['iothub-to', '/elsewhere']], own).system, { to: '/elsewhere' });
  });

  it('reads a batch: base64 by default, text when base64Encoded is false, properties as pairs', () => {
    const entries = readBatch(Buffer.from(JSON.stringify([{ body: 'aGk=', properties: { 'iothub-app-a': '1' } }, { body: 'plain', base64Encoded: false }])));
    assert.deepEqual(entries.map((entry) => [entry.body.toString(), entry.properties]), [['hi', [['iothub-app-a', '1']]], ['plain', []]]);
  });

  it('refuses a batch it cannot read whole, saying which message and why', () => {
    const refused: [unknown, RegExp][] = [
      // JSON around a byte that is not UTF-8: a lenient decoder would read it as U+FFFD and go on.
      [Buffer.concat([Buffer.from('[{"body":"'), Buffer.from([0xff]), Buffer.from('","base64Encoded":false}]')]), /^The batch is not valid UTF-8 JSON\.$/],
      ['[{"body":', /^The batch is not valid UTF-8 JSON\.$/],
      [{ body: 'aGk=' }, /^A batch is a non-empty JSON array of messages\.$/],
      [[], /^A batch is a non-empty JSON array of messages\.$/],
      [[{ body: 'aGk=' }, null], /^Batch message 1 is not a JSON object\.$/],
      [[{ body: 'aGk=' }, 'aGk='], /^Batch message 1 is not a JSON object\.$/],
      [[{ body: 'aGk=', properties: 'a=1' }], /^Batch message 0: 'properties' is not a JSON object\.$/],
      [[['aGk=']], /^Batch message 0 is not a JSON object\.$/],
      [[{ body: 5 }], /^Batch message 0 has no string 'body'\.$/],
      [[{ body: 'aGk=', base64Encoded: 'yes' }], /^Batch message 0: 'base64Encoded' is not a boolean\.$/],
      [[{ body: 'aGk=', properties: ['a'] }], /^Batch message 0: 'properties' is not a JSON object\.$/],
      [[{ body: 'aGk=', properties: { a: 1 } }], /^Batch message 0: property 'a' is not a string\.$/],
      [[{ body: 'aGk' }], /^Batch message 0: 'body' is not base64\.$/],
      [[{ body: 'a!k=' }], /^Batch message 0: 'body' is not base64\.$/],
      [[{ body: '!aGk=' }], /^Batch message 0: 'body' is not base64\.$/],
      [[{ body: 'aGk=!!!!' }], /^Batch message 0: 'body' is not base64\.$/],
    ];
    for (const [batch, reason] of refused) {
      const bytes = Buffer.isBuffer(batch) ? batch : Buffer.from(typeof batch === 'string' ? batch : JSON.stringify(batch));
      const error = expectHubError(() => readBatch(bytes), 400, 'ArgumentInvalid');
      assert.match(error.message, reason, bytes.toString());
    }
    assert.deepEqual(readBatch(Buffer.from('[{"body":"aGk=","base64Encoded":true}]')).map((entry) => entry.body.toString()), ['hi']);
  });

  it('takes bytes only on a device\'s events endpoint, whatever the case of its fixed segments', () => {
    assert.deepEqual(
      [takesBinaryBody('POST', '/devices/d1/messages/events'), takesBinaryBody('POST', '/devices/d1/Messages/Events'), takesBinaryBody('GET', '/devices/d1/messages/events'), takesBinaryBody('POST', '/devices/d1/modules/m/messages/events'), takesBinaryBody('PUT', '/devices/d1')],
      [true, true, false, false, false],
    );
  });
});
