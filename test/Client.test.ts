import { Sha256 } from './helpers/sha256.js'
import { SignatureV4 } from '@smithy/signature-v4'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, type Runtime } from '../src/Client.js'
import type { ClientConfig } from '../src/ClientConfig.js'
import type { Ec2ImportError } from '../src/Ec2ImportError.js'
import { ec2Error, importImageOk, NS, startScriptedServer, type ScriptedServer } from './helpers/scripted-server.js'

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETVALUE'
const TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKENVALUE//////////'
const creds = { accessKeyId: 'AKIDTEST', secretAccessKey: SECRET }

const disk = { DiskContainers: [{ Format: 'VMDK' as const, UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }] }

let server: ScriptedServer
let sleeps: Array<number>
const runtime = (): Partial<Runtime> => ({
  random: () => 0.5,
  sleep: async (ms) => {
    sleeps.push(ms)
  },
  environment: { env: {}, homedir: '/nonexistent-home' } as never,
})
const client = (config: ClientConfig = {}, rt: Partial<Runtime> = runtime()) =>
  createClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: creds, ...config }, rt)

beforeEach(async () => {
  server = await startScriptedServer()
  sleeps = []
})
afterEach(async () => {
  await server.close()
})

const describeOk = (tasks: string, nextToken?: string) =>
  `<DescribeImportImageTasksResponse xmlns="${NS}"><requestId>d-1</requestId><importImageTaskSet>${tasks}</importImageTaskSet>${nextToken === undefined ? '' : `<nextToken>${nextToken}</nextToken>`}</DescribeImportImageTasksResponse>`

describe('a call that succeeds', () => {
  it('sends a signed EC2 Query POST and decodes the result with $metadata', async () => {
    server.script({ status: 200, body: importImageOk('import-ami-0abc', 'req-42') })
    const c = client()
    const r = await c.importImage({ ...disk, BootMode: 'uefi', Platform: 'Linux', LicenseType: 'BYOL' })()
    await c.close()
    expect(r).toEqual({
      _tag: 'Right',
      right: {
        ImportTaskId: 'import-ami-0abc',
        LicenseType: 'BYOL',
        Platform: 'Linux',
        Progress: '1',
        SnapshotDetails: [{ DiskImageSize: 0, Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }],
        Status: 'active',
        StatusMessage: 'pending',
        Tags: [],
        $metadata: { requestId: 'req-42', httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 },
      },
    })
    const req = server.requests[0]!
    expect(req.method).toBe('POST')
    expect(req.url).toBe('/')
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded; charset=utf-8')
    expect(req.params.get('Action')).toBe('ImportImage')
    expect(req.params.get('Version')).toBe('2016-11-15')
    expect(req.params.get('DiskContainer.1.UserBucket.S3Key')).toBe('web.vmdk')
    expect(req.params.get('BootMode')).toBe('uefi')
    expect(req.params.get('ClientToken')).toMatch(/^[0-9a-f-]{36}$/)
    expect(req.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/ec2\/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$/)
  })

  it('signs what it sends: @smithy/signature-v4 recomputes the same Authorization from the captured request', async () => {
    server.script({ status: 200, body: importImageOk() })
    const c = client({ credentials: { ...creds, sessionToken: TOKEN } })
    await c.importImage(disk)()
    await c.close()
    const req = server.requests[0]!
    const amzDate = String(req.headers['x-amz-date'])
    const when = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`)
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization))![1]!.split(';')
    expect(signedHeaders).toContain('x-amz-security-token')
    const headers: Record<string, string> = {}
    for (const h of signedHeaders) headers[h] = String(req.headers[h])
    const signer = new SignatureV4({
      credentials: { ...creds, sessionToken: TOKEN },
      region: 'us-east-1',
      service: 'ec2',
      sha256: Sha256,
      applyChecksum: false,
    })
    const url = new URL(server.endpoint)
    const signed = await signer.sign(
      { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers, body: req.body, query: {} },
      { signingDate: when, unsignableHeaders: new Set(), signableHeaders: new Set(signedHeaders) },
    )
    expect(signed.headers['authorization']).toBe(req.headers.authorization)
  })

  it('keeps the caller ClientToken and sends it', async () => {
    server.script({ status: 200, body: importImageOk() })
    const c = client()
    await c.importImage({ ...disk, ClientToken: 'my-token-1' })()
    await c.close()
    expect(server.requests[0]!.params.get('ClientToken')).toBe('my-token-1')
  })
})

describe('errors are values', () => {
  it('an invalid request is a ValidationError naming the path, and nothing is sent', async () => {
    server.script({ status: 200, body: importImageOk() })
    const c = client()
    const r = await c.importImage({
      DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'b', S3Key: 'k' } }],
      KmsKeyId: 'alias/x',
    } as never)() // untyped input (a JSON config, say): the type would have refused it
    await c.close()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left' && r.left._tag === 'ValidationError') {
      expect(r.left.errors).toEqual([{ path: 'KmsKeyId', message: 'KmsKeyId may only be given with Encrypted: true' }])
    } else throw new Error(`expected a ValidationError, got ${JSON.stringify(r)}`)
    expect(server.requests).toHaveLength(0)
  })

  it('an EC2 error envelope is a ServiceError with code, message, requestId and status, not retried', async () => {
    server.script({ status: 400, body: ec2Error('InvalidParameter', 'The service role vmimport does not exist', 'rid-9') })
    const c = client()
    const r = await c.importImage(disk)()
    await c.close()
    expect(r).toEqual({
      _tag: 'Left',
      left: {
        _tag: 'ServiceError',
        code: 'InvalidParameter',
        message: 'InvalidParameter: The service role vmimport does not exist',
        serviceMessage: 'The service role vmimport does not exist',
        requestId: 'rid-9',
        statusCode: 400,
        throttling: false,
        operation: 'ImportImage',
        attempts: 1,
        // the generated token, so the caller can retry the same import safely
        clientToken: server.requests[0]!.params.get('ClientToken'),
      },
    })
    expect(server.requests).toHaveLength(1)
  })

  it('a DryRun that would succeed (412 DryRunOperation) is allowed; UnauthorizedOperation is not, with its encoded message', async () => {
    server.script(
      { status: 412, body: ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.') },
      { status: 403, body: ec2Error('UnauthorizedOperation', 'You are not authorized to perform this operation. Encoded authorization failure message: AbCdEf123') },
    )
    const c = client()
    const yes = await c.dryRun.importImage(disk)()
    const no = await c.dryRun.importImage(disk)()
    await c.close()
    expect(yes).toEqual({ _tag: 'Right', right: { allowed: true, requestId: 'err-req' } })
    expect(no).toEqual({
      _tag: 'Right',
      right: {
        allowed: false,
        message: 'You are not authorized to perform this operation. Encoded authorization failure message: AbCdEf123',
        encodedMessage: 'AbCdEf123',
        requestId: 'err-req',
      },
    })
    expect(server.requests.map((r) => r.params.get('DryRun'))).toEqual(['true', 'true'])
  })

  it('a proxy HTML page is a DecodeError that keeps the body and status', async () => {
    server.script({ status: 403, body: '<html><body><h1>Forbidden by proxy</h1></body></html>', headers: { 'content-type': 'text/html' } })
    const c = client()
    const r = await c.describeImportImageTasks()()
    await c.close()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left' && r.left._tag === 'DecodeError') {
      expect(r.left.statusCode).toBe(403)
      expect(r.left.body).toContain('Forbidden by proxy')
    } else throw new Error(JSON.stringify(r))
  })

  it('a response over the size cap is a TransportError, not a partial result', async () => {
    server.script({ status: 200, body: `<ImportImageResponse>${'x'.repeat(300_000)}</ImportImageResponse>` })
    const c = client({ maxResponseBytes: 100_000, maxAttempts: 1 })
    const r = await c.importImage(disk)()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('body-too-large')
  })

  it('a failing credentials provider is a CredentialsError, and nothing is sent', async () => {
    const c = client({
      credentials: async () => {
        throw Object.assign(new Error('token file unreadable'), { provider: 'fromWebToken' })
      },
    })
    const r = await c.importImage(disk)()
    await c.close()
    expect(r).toEqual({
      _tag: 'Left',
      left: { _tag: 'CredentialsError', provider: 'fromWebToken', message: 'could not get credentials from fromWebToken: token file unreadable' },
    })
    expect(server.requests).toHaveLength(0)
  })

  it('a plain-http endpoint off loopback is a ConfigError, returned, not thrown', async () => {
    const c = createClient({ region: 'us-east-1', endpoint: 'http://ec2.example.com', credentials: creds }, runtime())
    const r = await c.describeImportImageTasks()()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag).toBe('ConfigError')
  })
})

describe('retries', () => {
  it('retries throttling with backoff, the same ClientToken on every attempt, and reports attempts and delay', async () => {
    server.script(
      { status: 503, body: ec2Error('RequestLimitExceeded', 'Request limit exceeded.') },
      { status: 503, body: ec2Error('RequestLimitExceeded', 'Request limit exceeded.') },
      { status: 200, body: importImageOk() },
    )
    const c = client({ retry: { baseDelayMs: 100, maxDelayMs: 20_000 } })
    const r = await c.importImage(disk)()
    await c.close()
    // throttling base is 5 × 100 ms; full jitter at random() = 0.5: 250 ms, then 500 ms
    expect(sleeps).toEqual([250, 500])
    expect(r._tag === 'Right' && r.right.$metadata).toEqual({ requestId: 'req-1', httpStatusCode: 200, attempts: 3, totalRetryDelay: 750 })
    const tokens = server.requests.map((q) => q.params.get('ClientToken'))
    expect(tokens).toHaveLength(3)
    expect(new Set(tokens).size).toBe(1)
  })

  it('retries a 5xx, a gateway HTML page and a reset connection for ImportImage', async () => {
    server.script(
      { status: 500, body: ec2Error('InternalError', 'An internal error has occurred') },
      { status: 502, body: '<html>Bad Gateway</html>' },
      { reset: true },
      { status: 200, body: importImageOk() },
    )
    const c = client({ maxAttempts: 4 })
    const r = await c.importImage(disk)()
    await c.close()
    expect(r._tag === 'Right' && r.right.$metadata.attempts).toBe(4)
  })

  it('stops at maxAttempts with the last error and its attempt count', async () => {
    server.script({ status: 503, body: ec2Error('Unavailable', 'The service is unavailable.') })
    const c = client({ maxAttempts: 2 })
    const r = await c.importImage(disk)()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && [r.left.code, r.left.attempts]).toEqual(['Unavailable', 2])
    expect(server.requests).toHaveLength(2)
  })

  it('does not retry a reset CancelImportTask: the cancel may have reached EC2', async () => {
    server.script({ reset: true })
    const c = client()
    const r = await c.cancelImportTask({ ImportTaskId: 'import-ami-1' })()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.attempts).toBe(1)
    expect(server.requests).toHaveLength(1)
  })

  it('honours Retry-After', async () => {
    server.script(
      { status: 503, body: ec2Error('ServiceUnavailable', 'busy'), headers: { 'retry-after': '3' } },
      { status: 200, body: importImageOk() },
    )
    const c = client()
    await c.importImage(disk)()
    await c.close()
    expect(sleeps).toEqual([3000])
  })

  it('the retry quota stops a retry storm', async () => {
    server.script({ status: 500, body: ec2Error('InternalError', 'boom') })
    const c = client({ maxAttempts: 5 })
    const attempts: Array<number> = []
    for (let i = 0; i < 40; i++) {
      const r = await c.describeImportImageTasks()()
      if (r._tag === 'Left' && r.left._tag === 'ServiceError') attempts.push(r.left.attempts)
    }
    await c.close()
    // 500 tokens at 5 a retry: 100 retries in all, then every call gets one attempt.
    expect(server.requests.length).toBe(40 + 100)
    expect(attempts.at(-1)).toBe(1)
  })

  it('learns clock skew from the Date header and retries a RequestExpired once with the corrected clock', async () => {
    const serverTime = Date.now() + 2 * 60 * 60 * 1000
    server.script(
      { status: 400, body: ec2Error('RequestExpired', 'Request has expired.'), headers: { date: new Date(serverTime).toUTCString() } },
      { status: 200, body: importImageOk() },
    )
    const c = client()
    const r = await c.importImage(disk)()
    await c.close()
    expect(r._tag === 'Right' && r.right.$metadata.attempts).toBe(2)
    const amz = (i: number) => {
      const d = String(server.requests[i]!.headers['x-amz-date'])
      return Date.parse(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`)
    }
    expect(Math.abs(amz(1) - serverTime)).toBeLessThan(60_000)
    expect(amz(1) - amz(0)).toBeGreaterThan(110 * 60 * 1000)
  })

  it('does not retry a signature error when the clock was not the cause', async () => {
    server.script({ status: 403, body: ec2Error('SignatureDoesNotMatch', 'no'), headers: { date: new Date().toUTCString() } })
    const c = client()
    const r = await c.importImage(disk)()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'ServiceError' && r.left.attempts).toBe(1)
  })
})

describe('time and cancellation', () => {
  it('a response that stalls past requestTimeoutMs is a request-timeout TransportError', async () => {
    server.script({ stall: true })
    const c = client({ requestTimeoutMs: 200, maxAttempts: 1 })
    const started = Date.now()
    const r = await c.importImage(disk)()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('request-timeout')
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('an abort signal ends the call at once with an aborted TransportError', async () => {
    server.script({ stall: true })
    const c = client()
    const ac = new AbortController()
    setTimeout(() => ac.abort(), 100)
    const started = Date.now()
    const r = await c.importImage(disk, { signal: ac.signal })()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('aborted')
    expect(Date.now() - started).toBeLessThan(5_000)
  })

  it('close() releases every socket, and calls after it are Lefts', async () => {
    server.script({ status: 200, body: importImageOk() })
    const c = client()
    await Promise.all(Array.from({ length: 8 }, () => c.importImage(disk)()))
    expect(server.openSockets()).toBeGreaterThan(0)
    await c.close()
    await new Promise((r) => setTimeout(r, 50))
    expect(server.openSockets()).toBe(0)
    const after = await c.importImage(disk)()
    expect(after._tag === 'Left' && after.left._tag).toBe('ConfigError')
  })
})

describe('pagination', () => {
  it('follows NextToken and stops with a PaginationError on a repeated token', async () => {
    const task = (id: string) => `<item><importTaskId>${id}</importTaskId><status>active</status></item>`
    server.script(
      { status: 200, body: describeOk(task('import-ami-1'), 't1') },
      { status: 200, body: describeOk(task('import-ami-2'), 't2') },
      { status: 200, body: describeOk(task('import-ami-3'), 't1') },
    )
    const c = client()
    const seen: Array<string> = []
    let error: Ec2ImportError | undefined
    for await (const r of c.listImportImageTasks({ MaxResults: 1 })) {
      if (r._tag === 'Right') seen.push(r.right.ImportTaskId!)
      else error = r.left
    }
    await c.close()
    expect(seen).toEqual(['import-ami-1', 'import-ami-2', 'import-ami-3'])
    expect(error?._tag).toBe('PaginationError')
    expect(server.requests.map((q) => q.params.get('NextToken'))).toEqual([null, 't1', 't2'])
  })
})

describe('secrets', () => {
  it('never appear in errors or log lines', async () => {
    const lines: Array<string> = []
    const logger = { debug: (msg: string, fields?: Record<string, unknown>) => lines.push(`${msg} ${JSON.stringify(fields)}`) }
    server.script(
      { status: 403, body: ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials') },
      { status: 500, body: '<html>oops</html>' },
      { reset: true },
    )
    const c = client({ credentials: { ...creds, sessionToken: TOKEN }, logger, maxAttempts: 1 })
    const presigned = 'https://images.s3.amazonaws.com/web.vmdk?X-Amz-Signature=abcdef0123456789&X-Amz-Security-Token=' + encodeURIComponent(TOKEN)
    const results = [
      await c.importImage({ DiskContainers: [{ Format: 'VMDK', Url: presigned }] })(),
      await c.importImage(disk)(),
      await c.importImage(disk)(),
    ]
    await c.close()
    const signatures = server.requests.map((q) => /Signature=([0-9a-f]+)/.exec(String(q.headers.authorization))![1]!)
    const everything = [...results.map((r) => JSON.stringify(r) + String(r._tag === 'Left' ? r.left.message : '')), ...lines].join('\n')
    expect(results.every((r) => r._tag === 'Left')).toBe(true)
    expect(lines.length).toBeGreaterThan(0)
    for (const secret of [SECRET, TOKEN, encodeURIComponent(TOKEN), 'abcdef0123456789', ...signatures]) {
      expect(everything).not.toContain(secret)
    }
    expect(lines.join('\n')).toContain('https://images.s3.amazonaws.com/web.vmdk?[redacted]')
  })
})
