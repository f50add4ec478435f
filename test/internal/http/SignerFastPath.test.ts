/**
 * The signer's fast path against `aws4` itself: on the requests it covers it must compute the very `Authorization`
 * `aws4` computes (`signingStages` is the `aws4` path, untouched by the fast one), and it must decline the rest.
 */
import crypto from 'node:crypto'
import * as fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type HttpRequest, type SigningCredentials, type SigningParams, signRequest, signingStages } from '../../../src/internal/http/Signer.js'
import { fastAuthorization, hmacHexForTest } from '../../../src/internal/http/SignerFastPath.js'

const FORM = 'application/x-www-form-urlencoded; charset=utf-8'
const CREDS: SigningCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const PARAMS: SigningParams = { region: 'us-east-1', service: 'ec2', now: new Date('2026-12-06T07:00:00Z') }

const request = (over: Partial<HttpRequest> = {}): HttpRequest => ({
  method: 'POST',
  protocol: 'https:',
  hostname: 'ec2.us-east-1.amazonaws.com',
  path: '/',
  headers: { 'content-type': FORM },
  body: 'Action=DescribeImportImageTasks&Version=2016-11-15',
  ...over,
})

// What the fast path returns for the headers `signRequest` sends (Authorization left out), or undefined.
const fast = (req: HttpRequest, creds: SigningCredentials, params: SigningParams): string | undefined => {
  const sent = signRequest(req, creds, params)
  const { Authorization: _, ...headers } = sent.headers
  return fastAuthorization(req.method, req.path, headers, req.body, creds, params.region, params.service, headers['X-Amz-Date'] ?? '')
}

const segment = fc.stringMatching(/^[A-Za-z0-9\-._~]{1,12}$/).filter((s) => s !== '.' && s !== '..')
const plainPath = fc.oneof(
  fc.constant('/'),
  fc.tuple(fc.array(segment, { minLength: 1, maxLength: 4 }), fc.boolean()).map(([segs, slash]) => `/${segs.join('/')}${slash ? '/' : ''}`),
)
// (a name Object.prototype has goes to aws4: the test below)
const headerName = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+\-.^_`|~]{1,16}$/).filter((n) => !(n.toLowerCase() in Object.prototype))
// Values with the whitespace SigV4 trims and folds, Unicode spaces included (aws4 uses JS `trim` and `\s`).
const headerValue = fc
  .array(fc.oneof(fc.stringMatching(/^[\x21-\x7e]{1,8}$/), fc.constantFrom(' ', '  ', '\t', '\u00a0', '\u2003', 'é', '🚀')), { maxLength: 8 })
  .map((parts) => parts.join(''))

describe('SignerFastPath', () => {
  it('computes the Authorization aws4 computes, on random methods, paths, headers, bodies, scopes and tokens', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('POST', 'GET', 'PUT', 'DELETE'),
        plainPath,
        fc.dictionary(headerName, headerValue, { maxKeys: 6 }),
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.constantFrom('ec2', 'iam', 'sts'),
        fc.constantFrom('us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1'),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{16,64}$/), { nil: undefined }),
        (method, path, extra, body, service, region, now, sessionToken) => {
          const req = request({ method, path, headers: { 'content-type': FORM, ...extra }, body })
          const creds: SigningCredentials = { ...CREDS, sessionToken }
          const params: SigningParams = { region, service, now }
          const mine = fast(req, creds, params)
          expect(mine).toBeDefined()
          expect(mine).toBe(signingStages(req, creds, params).authorization)
          expect(signRequest(req, creds, params).headers['Authorization']).toBe(mine)
        },
      ),
      { numRuns: 500 },
    )
  })

  it.each([
    ['S3', request(), { ...PARAMS, service: 's3' }],
    ['a body that is not text', request({ body: Buffer.from('x'), headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }), PARAMS],
    ['a query', request({ path: '/?Action=GetCallerIdentity' }), PARAMS],
    ['an empty segment', request({ path: '/a//b' }), PARAMS],
    ['a . segment', request({ path: '/a/./b' }), PARAMS],
    ['a .. segment', request({ path: '/a/../b' }), PARAMS],
    ['a percent-encoding', request({ path: '/a%2Fb' }), PARAMS],
    ['a reserved character', request({ path: '/a:b' }), PARAMS],
  ] as const)('declines %s, which aws4 then signs', (_name, req, params) => {
    expect(fast(req, CREDS, params)).toBeUndefined()
    expect(signRequest(req, CREDS, params).headers['Authorization']).toBe(signingStages(req, CREDS, params).authorization)
  })

  it('takes the payload hash a caller gave in the spellings aws4 reads, and hashes the body otherwise', () => {
    for (const name of ['x-amz-content-sha256', 'X-Amz-Content-Sha256', 'X-AMZ-CONTENT-SHA256']) {
      const req = request({ headers: { 'content-type': FORM, [name]: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' } })
      expect(fast(req, CREDS, PARAMS), name).toBe(signingStages(req, CREDS, PARAMS).authorization)
    }
  })

  it('derives a new signing key when a credentials object it has seen carries another secret', () => {
    const creds = { accessKeyId: 'AKIDMUTABLE', secretAccessKey: 'first-secret' }
    const first = signRequest(request(), creds, PARAMS).headers['Authorization']
    creds.secretAccessKey = 'second-secret'
    const second = signRequest(request(), creds, PARAMS).headers['Authorization']
    expect(second).not.toBe(first)
    expect(second).toBe(signingStages(request(), creds, PARAMS).authorization)
  })

  it('computes the HMAC crypto.createHmac computes, from two hashes, for any key and text, long texts and repeated use of one key included', () => {
    // Keys of any length up to a block (a signing key is 32 bytes); texts of any Unicode, lone surrogates too (both
    // encode those as U+FFFD), short and past the length the key's buffer holds (those go to createHmac).
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 600 }), fc.string({ unit: 'grapheme-ascii', minLength: 500, maxLength: 2000 }))
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(text, { minLength: 1, maxLength: 4 }), (key, texts) => {
        const k = Buffer.from(key)
        for (const t of texts) expect(hmacHexForTest(k, t)).toBe(crypto.createHmac('sha256', k).update(t, 'utf8').digest('hex'))
      }),
      { numRuns: 300 },
    )
  })

  it('leaves a header whose lowercased name Object.prototype has to aws4, which does not sign it', () => {
    for (const name of ['constructor', 'Constructor', 'hasOwnProperty', 'valueOf', 'toString']) {
      const req = request({ headers: { 'content-type': FORM, [name]: 'x' } })
      if (name.toLowerCase() === 'constructor') expect(fast(req, CREDS, PARAMS), name).toBeUndefined()
      else expect(fast(req, CREDS, PARAMS), name).toBeDefined()
      expect(signRequest(req, CREDS, PARAMS).headers['Authorization'], name).toBe(signingStages(req, CREDS, PARAMS).authorization)
    }
  })
})
