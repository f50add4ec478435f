/**
 * STS over the shared pipeline, against a loopback server: throttling answered with `Retry-After` is retried within
 * the attempts and the quota and after the server's delay; an abort stops the call; a non-idempotent-looking failure
 * is not retried without reason; the messages name the role and never a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStsClient } from '../../../src/internal/credentials/Sts.js'
import { startScriptedServer, type ScriptedServer } from '../../helpers/scripted-server.js'

const SOURCE = { accessKeyId: 'AKIDSOURCE', secretAccessKey: 'source-secret-key-never-shown', sessionToken: 'source-session-token' }
const ROLE = 'arn:aws:iam::123456789012:role/importer'

const ok = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAROLE</AccessKeyId>
      <SecretAccessKey>role-secret</SecretAccessKey>
      <SessionToken>role-token</SessionToken>
      <Expiration>2030-01-01T00:00:00Z</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>sts-req-1</RequestId></ResponseMetadata>
</AssumeRoleResponse>`

const stsError = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>sts-err</RequestId></ErrorResponse>`

let server: ScriptedServer
beforeAll(async () => {
  server = await startScriptedServer()
})
afterAll(() => server.close())

const client = (options: { maxAttempts?: number; retryDelayMs?: number } = {}) =>
  createStsClient({ region: 'us-east-1', endpoint: server.endpoint, random: () => 0, ...options })

describe('STS through the shared pipeline', () => {
  it('retries throttling, waits the Retry-After the server asked for, and signs every attempt', async () => {
    server.requests.length = 0
    server.script(
      { status: 400, body: stsError('Throttling', 'Rate exceeded'), headers: { 'retry-after': '1' } },
      { status: 200, body: ok },
    )
    const started = Date.now()
    const creds = await client({ retryDelayMs: 1 }).assumeRole({ RoleArn: ROLE, RoleSessionName: 's' }, SOURCE)
    const elapsed = Date.now() - started
    expect(creds).toEqual({ accessKeyId: 'ASIAROLE', secretAccessKey: 'role-secret', sessionToken: 'role-token', expiration: new Date('2030-01-01T00:00:00Z') })
    expect(server.requests).toHaveLength(2)
    // Backoff alone would be 0 ms here (random is 0): the wait is the server's second.
    expect(elapsed).toBeGreaterThanOrEqual(950)
    for (const r of server.requests) {
      expect(r.params.get('Action')).toBe('AssumeRole')
      expect(r.headers['authorization']).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDSOURCE\/\d{8}\/us-east-1\/sts\/aws4_request/)
      expect(r.headers['x-amz-security-token']).toBe('source-session-token')
    }
  })

  it('gives up after maxAttempts and says why, naming the role and no secret', async () => {
    server.requests.length = 0
    server.script({ status: 400, body: stsError('Throttling', 'Rate exceeded') })
    const e = await client({ maxAttempts: 2, retryDelayMs: 1 })
      .assumeRole({ RoleArn: ROLE, RoleSessionName: 's' }, SOURCE)
      .then(() => undefined, (err: unknown) => err)
    expect(server.requests).toHaveLength(2)
    expect(e).toBeInstanceOf(Error)
    const message = (e as Error).message
    expect(message).toContain(ROLE)
    expect(message).toContain('Throttling')
    expect(message).not.toContain(SOURCE.secretAccessKey)
    expect(message).not.toContain(SOURCE.sessionToken)
  })

  it('stops the retry quota from retrying forever: a client shares 500 tokens across its calls', async () => {
    server.requests.length = 0
    server.script({ status: 503, body: stsError('ServiceUnavailable', 'down') })
    const sts = client({ maxAttempts: 3, retryDelayMs: 0 })
    // 5 tokens a retry, 2 retries a call: the quota allows 100 retries, so 60 calls make at most 160 requests.
    await Promise.all(
      Array.from({ length: 60 }, () => sts.assumeRole({ RoleArn: ROLE, RoleSessionName: 's' }, SOURCE).catch(() => undefined)),
    )
    expect(server.requests.length).toBe(60 + 100)
  })

  it('aborts a call waiting between attempts when the signal fires', async () => {
    server.requests.length = 0
    server.script({ status: 400, body: stsError('Throttling', 'Rate exceeded'), headers: { 'retry-after': '30' } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const started = Date.now()
    const e = await client({ maxAttempts: 3 })
      .assumeRole({ RoleArn: ROLE, RoleSessionName: 's' }, SOURCE, { signal: controller.signal })
      .then(() => undefined, (err: unknown) => err as Error)
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(server.requests).toHaveLength(1)
    expect(e?.message).toMatch(/aborted/)
  })

  it('does not retry a failure that is the caller\'s (AccessDenied)', async () => {
    server.requests.length = 0
    server.script({ status: 403, body: stsError('AccessDenied', 'not allowed') })
    const e = await client().assumeRole({ RoleArn: ROLE, RoleSessionName: 's' }, SOURCE).then(() => undefined, (err: unknown) => err as Error)
    expect(server.requests).toHaveLength(1)
    expect(e?.message).toContain('AccessDenied')
    expect(e?.message).toContain('not allowed')
  })

  it('sends AssumeRoleWithWebIdentity unsigned', async () => {
    server.requests.length = 0
    server.script({ status: 200, body: ok.replaceAll('AssumeRole', 'AssumeRoleWithWebIdentity') })
    const creds = await client().assumeRoleWithWebIdentity({ RoleArn: ROLE, RoleSessionName: 's', WebIdentityToken: 'oidc-token' })
    expect(creds.accessKeyId).toBe('ASIAROLE')
    expect(server.requests[0]!.headers['authorization']).toBeUndefined()
    expect(server.requests[0]!.params.get('WebIdentityToken')).toBe('oidc-token')
  })
})
