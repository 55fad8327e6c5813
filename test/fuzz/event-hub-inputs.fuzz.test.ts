import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePartitionAddress } from '../../emulator/amqp/event-hubs/entities.js';
import { eventHubAudienceVerifier, eventHubsSignature } from '../../emulator/amqp/event-hubs/event-hub-tokens.js';
import { readStartPosition, SELECTOR_FILTER_KEY } from '../../emulator/amqp/event-hubs/start-position.js';
import type { SharedAccessPolicy } from '../../emulator/state/policies.js';
import { assertProperty } from './fuzz-settings.js';

/** Filter expressions near the SDK's, plus any string. */
const expression = fc.oneof(
  fc.tuple(
    fc.constantFrom('amqp.annotation.x-opt-offset', 'amqp.annotation.x-opt-sequence-number', 'amqp.annotation.x-opt-enqueued-time', 'amqp.annotation.x-opt-other', ''),
    fc.constantFrom(' > ', ' >= ', ' < ', ' = ', '>', ''),
    fc.oneof(fc.constantFrom("'@latest'", "'-1'", "'0'", "'9007199254740993'", "''", "'1e3'", '12'), fc.string({ maxLength: 12 }).map((text) => `'${text}'`)),
  ).map(([left, operator, right]) => `${left}${operator}${right}`),
  fc.string({ maxLength: 60 }),
);

/** What a client may put in a source's filter map: the selector, other keys, other value types. */
const filter = fc.oneof(
  expression.map((text) => ({ [SELECTOR_FILTER_KEY]: text })),
  expression.map((text) => ({ [SELECTOR_FILTER_KEY]: { descriptor: 77567109365764, value: text } })),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }),
  fc.constantFrom(undefined, null, 'text', 42),
);

const POLICY: SharedAccessPolicy = { name: 'service', primaryKey: 'a2V5LW9uZQ==', secondaryKey: 'a2V5LXR3bw==', permissions: new Set(['ServiceConnect']) };

void describe('fuzz: Event Hub-compatible endpoint inputs', () => {
  void it('reads every selector filter without throwing: a position the SDK could have meant, or a refusal', async () => {
    await assertProperty(
      fc.property(filter, (given) => {
        const result = readStartPosition(given);
        if (!result.ok) return;
        const { position } = result;
        if (position.kind === 'sequence-number') assert.ok(Number.isSafeInteger(position.sequenceNumber));
        if (position.kind === 'enqueued-time') assert.ok(Number.isSafeInteger(position.timeMs) && position.timeMs >= 0);
      }),
    );
  });

  void it('parses any link address without throwing; a partition address names its three parts', async () => {
    await assertProperty(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.webPath(), fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), fc.string({ maxLength: 4 })).map(([hub, group, id]) => `${hub}/ConsumerGroups/${group}/Partitions/${id}`)), (address) => {
        const parsed = parsePartitionAddress(address);
        if (parsed !== undefined) assert.ok(parsed.hubName !== '' && parsed.consumerGroup !== '' && parsed.partitionId !== '');
      }),
    );
  });

  void it('never grants a put-token that was not signed with a policy key, whatever the token text', async () => {
    const verify = eventHubAudienceVerifier({ hubName: 'hub', policies: new Map([['service', POLICY]]) });
    const audience = 'sb://host/hub/ConsumerGroups/$Default/Partitions/0';
    const forged = fc.oneof(
      fc.string({ maxLength: 120 }),
      fc.tuple(fc.string({ maxLength: 40 }), fc.integer({ min: 0, max: 4_000_000_000 }), fc.constantFrom('service', 'iothubowner', '')).map(
        ([signature, expiry, keyName]) => `SharedAccessSignature sr=${encodeURIComponent(audience)}&sig=${encodeURIComponent(signature)}&se=${expiry}&skn=${keyName}`,
      ),
    );
    await assertProperty(
      fc.property(forged, (token) => {
        const verdict = verify(audience, token, 1_000);
        assert.ok(verdict !== undefined && !verdict.ok, 'refused');
      }),
    );
    const signed = `SharedAccessSignature sr=${encodeURIComponent(audience)}&sig=${encodeURIComponent(eventHubsSignature(encodeURIComponent(audience), 2_000, POLICY.primaryKey))}&se=2000&skn=service`;
    assert.equal(verify(audience, signed, 1_000)?.ok, true, 'the property is not vacuous: a signed token is granted');
  });
});
