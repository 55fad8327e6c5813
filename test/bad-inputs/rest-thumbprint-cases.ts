import type { RestCase } from './rest-body-cases.js';

/**
 * X.509 thumbprints the registry refuses (emulator/state/identity-spec.ts): a thumbprint is the hex
 * SHA-1 (40 digits) or SHA-256 (64 digits) of the certificate's DER, without colons ("Authenticate
 * identities with X.509 certificates"; wire notes §7.2), and a `selfSigned` identity needs a primary
 * one. Each is 400 ArgumentInvalid with nothing stored; d1 (a SAS device) keeps its keys.
 */
const SHA1 = 'A1'.repeat(20);

const selfSigned = (x509Thumbprint: unknown, path = '/devices/new1'): RestCase['request'] => ({
  method: 'PUT',
  path,
  body: { authentication: { type: 'selfSigned', x509Thumbprint } },
  ...(path === '/devices/d1' ? { ifMatch: '*' } : {}),
});

export const thumbprintCases: RestCase[] = [
  { name: 'thumbprint: colon-separated, as openssl prints a fingerprint', request: selfSigned({ primaryThumbprint: SHA1.match(/../g)?.join(':') }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: 39 hex digits', request: selfSigned({ primaryThumbprint: SHA1.slice(1) }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: 41 hex digits', request: selfSigned({ primaryThumbprint: `${SHA1}A` }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: 63 hex digits', request: selfSigned({ primaryThumbprint: 'B'.repeat(63) }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: 40 characters, one not hex', request: selfSigned({ primaryThumbprint: `${SHA1.slice(1)}G` }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: surrounded by spaces', request: selfSigned({ primaryThumbprint: ` ${SHA1} ` }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: a number', request: selfSigned({ primaryThumbprint: 1234 }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: a bad secondary beside a good primary', request: selfSigned({ primaryThumbprint: SHA1, secondaryThumbprint: 'zz' }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: selfSigned with only a secondary', request: selfSigned({ primaryThumbprint: null, secondaryThumbprint: SHA1 }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: selfSigned with an empty primary', request: selfSigned({ primaryThumbprint: '' }), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: selfSigned with no x509Thumbprint', request: selfSigned(undefined), status: 400, code: 'ArgumentInvalid' },
  { name: 'thumbprint: a SAS device updated to selfSigned without a primary', request: selfSigned({ secondaryThumbprint: SHA1 }, '/devices/d1'), status: 400, code: 'ArgumentInvalid' },
  {
    name: 'thumbprint: a module created selfSigned with a bad thumbprint',
    request: { method: 'PUT', path: '/devices/d1/modules/m9', body: { authentication: { type: 'selfSigned', x509Thumbprint: { primaryThumbprint: 'xyz' } } } },
    status: 400, code: 'ArgumentInvalid',
  },
];
