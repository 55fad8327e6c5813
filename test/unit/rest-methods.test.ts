import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectMethodInvoker, MethodInvocation, MethodOutcome } from '../../emulator/methods/method-invoker.js';
import { invokeDirectMethod, MAX_METHOD_PAYLOAD_BYTES, parseInvocation } from '../../emulator/rest/methods.js';
import type { IdentityRef } from '../../emulator/state/identity.js';
import { expectHubError, policyNamed } from './fixtures.js';
import { call, newRestApi, serviceToken } from './rest-fixtures.js';

/**
 * The service's direct-method call (rest/methods.ts) in front of the invoker: the request's rules
 * (docs, "Understand and invoke direct methods"), and each outcome as the hub answers it. The invoker
 * here is a stand-in for the emulator's own MQTT/AMQP invoker, so that each outcome can be chosen;
 * the SDK path is covered by test/mqtt/methods.test.ts.
 */
function hubAnswering(outcome: MethodOutcome) {
  const calls: { identity: IdentityRef; invocation: MethodInvocation }[] = [];
  const invoker: DirectMethodInvoker = {
    invoke: (identity, invocation) => {
      calls.push({ identity, invocation });
      return Promise.resolve(outcome);
    },
  };
  const rest = newRestApi(() => ({ methods: invoker }));
  rest.registry.createDevice('d1', undefined);
  rest.registry.createModule('d1', 'm1', undefined);
  const invoke = (identity: IdentityRef, body: unknown) => invokeDirectMethod({ registry: rest.registry, invoker }, identity, () => body);
  return { invoke, calls, rest };
}

const answered = (payload: string, status = 200): MethodOutcome => ({ kind: 'answered', status, payload: Buffer.from(payload) });

async function rejectsWithHubError(action: Promise<unknown>, status: number, code: string): Promise<Error> {
  const error = await action.then(() => assert.fail('expected a refusal'), (caught: unknown) => caught);
  assert.ok(error instanceof Error && 'status' in error && 'code' in error, 'a HubError');
  assert.deepEqual([error.status, error.code], [status, code]);
  return error;
}

describe('direct methods over the service API', () => {
  it('passes the call on with the default timeouts and answers the device\'s status and JSON payload', async () => {
    const hub = hubAnswering(answered('{"ok":true}', 201));
    const response = await hub.invoke({ deviceId: 'd1', moduleId: 'm1' }, { methodName: 'reboot', payload: { delay: 1 } });
    assert.deepEqual([response.status, JSON.parse(String(response.body))], [200, { status: 201, payload: { ok: true } }]);
    assert.deepEqual(hub.calls, [{ identity: { deviceId: 'd1', moduleId: 'm1' }, invocation: { methodName: 'reboot', payload: '{"delay":1}', responseTimeoutInSeconds: 30, connectTimeoutInSeconds: 0 } }]);
  });

  it('answers an empty device payload as null and refuses one that is not JSON', async () => {
    assert.equal((await hubAnswering(answered(' ')).invoke({ deviceId: 'd1' }, { methodName: 'm' })).body, '{"status":200,"payload":null}');
    const error = await rejectsWithHubError(hubAnswering(answered('{oops')).invoke({ deviceId: 'd1' }, { methodName: 'm' }), 400, 'ArgumentInvalid');
    assert.match(error.message, /not valid JSON/);
  });

  it('answers 404 DeviceNotOnline and 504 GatewayTimeout naming the target and the timeout', async () => {
    const offline = await rejectsWithHubError(hubAnswering({ kind: 'not-online' }).invoke({ deviceId: 'd1', moduleId: 'm1' }, { methodName: 'm' }), 404, 'DeviceNotOnline');
    assert.match(offline.message, /d1/);
    const late = await rejectsWithHubError(hubAnswering({ kind: 'timed-out' }).invoke({ deviceId: 'd1' }, { methodName: 'm', responseTimeoutInSeconds: 7 }), 504, 'GatewayTimeout');
    assert.match(late.message, /after 7 s/);
  });

  it('serves POST /twins/{id}/methods and /twins/{id}/modules/{mid}/methods to ServiceConnect', async () => {
    const hub = hubAnswering(answered('"done"'));
    const body = { methodName: 'm' };
    assert.equal((await call(hub.rest, 'POST', '/twins/d1/methods', { body })).status, 200);
    assert.equal((await call(hub.rest, 'POST', '/twins/d1/modules/m1/methods', { body })).status, 200);
    assert.deepEqual(hub.calls.map((made) => made.identity), [{ deviceId: 'd1' }, { deviceId: 'd1', moduleId: 'm1' }]);
    const registryRead = serviceToken(policyNamed(hub.rest.policies, 'registryRead'));
    assert.equal((await call(hub.rest, 'POST', '/twins/d1/methods', { body, authorization: registryRead })).status, 401);
    assert.equal(hub.calls.length, 2, 'a refused call reaches no device');
  });

  it('refuses an unknown device or module before calling anyone', async () => {
    const hub = hubAnswering(answered('1'));
    await rejectsWithHubError(hub.invoke({ deviceId: 'ghost' }, { methodName: 'm' }), 404, 'DeviceNotFound');
    await rejectsWithHubError(hub.invoke({ deviceId: 'd1', moduleId: 'ghost' }, { methodName: 'm' }), 404, 'ModuleNotFound');
    assert.equal(hub.calls.length, 0);
  });
});

describe('the method request\'s rules', () => {
  it('needs a JSON object with a non-empty method name free of / # + ? and spaces', () => {
    for (const body of [null, [], 'reboot']) {
      assert.equal(expectHubError(() => parseInvocation(body), 400, 'ArgumentInvalid').message, 'The method request must be a JSON object.');
    }
    for (const body of [{ payload: 1 }, { methodName: '' }, { methodName: 5 }]) {
      assert.equal(expectHubError(() => parseInvocation(body), 400, 'ArgumentInvalid').message, 'methodName is required and must be a non-empty string.');
    }
    for (const methodName of ['a/b', 'a#', 'a+b', 'a?', 'a b']) {
      assert.equal(expectHubError(() => parseInvocation({ methodName }), 400, 'ArgumentInvalid').message, `The method name '${methodName}' contains characters a method name cannot have.`);
    }
    assert.equal(parseInvocation({ methodName: 'a.b-c_d' }).payload, 'null');
  });

  it('takes timeouts in whole seconds inside the documented ranges (response 5-300, connect 0-300)', () => {
    const parsed = parseInvocation({ methodName: 'm', responseTimeoutInSeconds: 5, connectTimeoutInSeconds: 300 });
    assert.deepEqual([parsed.responseTimeoutInSeconds, parsed.connectTimeoutInSeconds], [5, 300]);
    assert.equal(parseInvocation({ methodName: 'm', responseTimeoutInSeconds: 300, connectTimeoutInSeconds: 0 }).responseTimeoutInSeconds, 300);
    assert.deepEqual([parseInvocation({ methodName: 'm', responseTimeoutInSeconds: null }).responseTimeoutInSeconds], [30]);
    for (const responseTimeoutInSeconds of [4, 301, 5.5, '30']) {
      const error = expectHubError(() => parseInvocation({ methodName: 'm', responseTimeoutInSeconds }), 400, 'ArgumentInvalid');
      assert.match(error.message, /^responseTimeoutInSeconds must be a whole number of seconds from 5 to 300\.$/);
    }
    for (const connectTimeoutInSeconds of [-1, 301]) {
      const error = expectHubError(() => parseInvocation({ methodName: 'm', connectTimeoutInSeconds }), 400, 'ArgumentInvalid');
      assert.equal(error.message, 'connectTimeoutInSeconds must be a whole number of seconds from 0 to 300.');
    }
  });

  it('takes a payload of 128 KB serialised, and refuses one byte more with 413', () => {
    const fits = 'x'.repeat(MAX_METHOD_PAYLOAD_BYTES - 2);
    assert.equal(parseInvocation({ methodName: 'm', payload: fits }).payload.length, MAX_METHOD_PAYLOAD_BYTES);
    const error = expectHubError(() => parseInvocation({ methodName: 'm', payload: `${fits}x` }), 413, 'RequestEntityTooLarge');
    assert.equal(error.message, `The method payload exceeds ${MAX_METHOD_PAYLOAD_BYTES} bytes.`);
  });
});
