/**
 * Faults, one at a time: what the network, a proxy or EC2 can do to one call, and the documented outcome of each —
 * recovered (with `$metadata.attempts`) or the right `Left` — never a throw, an unhandled rejection, or a wait past
 * the configured deadline.
 *
 * The raw loopback server (`test/helpers/scripted-server.ts`) plays what the emulator cannot (resets mid-body,
 * stalls, truncation, proxy pages, oversized and mistyped bodies, a lying `Date`); the emulator's own fault
 * injection plays resets, throttling and 5xx at rate 1, and its clock plays a service hours ahead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, describe, expect, it, type TestContext } from 'vitest'
import { createClient, type Ec2ImportClient } from '../../src/Client.js'
import type { ClientConfig } from '../../src/ClientConfig.js'
import { startEmulator, type EmulatorOptions } from '../../src/emulator.js'
import { ec2Error, importImageOk, startScriptedServer, type Answer, type ScriptedServer } from '../helpers/scripted-server.js'
import { attemptsOf, delay, eventually, isTypedEither, outcomeOf, recordCase, settle } from './helpers/cases.js'
import { closedPort } from './helpers/net.js'
import { CREDENTIALS, EMPTY_ENVIRONMENT } from './helpers/secrets.js'
import { watchFile } from './helpers/sweep.js'

const watch = watchFile('faults.test.ts', 'faults')
const sink = watch.sink

// -------------------------------------------------------------------------------------------------
// the client under test
// -------------------------------------------------------------------------------------------------

/** Fast retries and short timeouts, so every fault plays out in well under a second or two. */
const BASE = {
  maxAttempts: 3,
  retry: { baseDelayMs: 10, maxDelayMs: 40 },
  requestTimeoutMs: 400,
  connectTimeoutMs: 1_000,
}

/** The longest a call may take: every attempt its full request timeout, every wait its longest backoff, plus slack. */
const deadlineOf = (c: { maxAttempts: number; requestTimeoutMs: number; retry: { maxDelayMs: number } }): number =>
  c.maxAttempts * c.requestTimeoutMs + (c.maxAttempts - 1) * c.retry.maxDelayMs + 1_000

const makeClient = (endpoint: string, extra: Partial<ClientConfig> = {}): Ec2ImportClient =>
  createClient(
    { region: 'us-east-1', endpoint, credentials: CREDENTIALS, logger: sink.logger, ...BASE, ...extra },
    { environment: EMPTY_ENVIRONMENT },
  )

const DISK = { DiskContainers: [{ Format: 'VMDK' as const, UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }] }

type Op = 'ImportImage' | 'DescribeImportImageTasks' | 'CancelImportTask'

const call = (client: Ec2ImportClient, op: Op) => {
  switch (op) {
    case 'ImportImage':
      return client.importImage(DISK)()
    case 'DescribeImportImageTasks':
      return client.describeImportImageTasks({ ImportTaskIds: ['import-ami-0123456789abcdef0'] })()
    case 'CancelImportTask':
      return client.cancelImportTask({ ImportTaskId: 'import-ami-0123456789abcdef0' })()
  }
}

// -------------------------------------------------------------------------------------------------
// what to expect
// -------------------------------------------------------------------------------------------------

interface Expect {
  readonly tag: 'Right' | 'TransportError' | 'ServiceError' | 'DecodeError'
  readonly attempts: number
  readonly reason?: string
  /** Any of these codes (TransportError) or this code (ServiceError). */
  readonly codes?: ReadonlyArray<string>
  readonly statusCode?: number
  readonly bodyContains?: string
  /** The call may not take less than this (a Retry-After honoured, say). */
  readonly atLeastMs?: number
}

const describeExpect = (e: Expect): string => {
  const what =
    e.tag === 'Right'
      ? 'Right (recovered)'
      : e.tag === 'TransportError'
        ? `Left TransportError ${e.reason ?? ''}${e.codes === undefined ? '' : ` ${e.codes.join('|')}`}`
        : e.tag === 'ServiceError'
          ? `Left ServiceError ${e.codes?.join('|') ?? ''}${e.statusCode === undefined ? '' : ` HTTP ${e.statusCode}`}`
          : `Left DecodeError HTTP ${e.statusCode ?? ''}, body kept`
  return `${what}, attempts ${e.attempts}`
}

const checkExpect = (r: unknown, e: Expect): void => {
  const x = r as { _tag: string; left?: Record<string, unknown>; right?: { $metadata: { attempts: number } } }
  if (e.tag === 'Right') {
    expect(x._tag, outcomeOf(r)).toBe('Right')
    expect(x.right!.$metadata.attempts).toBe(e.attempts)
    return
  }
  expect(x._tag, outcomeOf(r)).toBe('Left')
  const l = x.left!
  expect(l['_tag'], outcomeOf(r)).toBe(e.tag)
  expect(l['attempts']).toBe(e.attempts)
  if (e.reason !== undefined) expect(l['reason']).toBe(e.reason)
  if (e.codes !== undefined) expect(e.codes).toContain(l['code'])
  if (e.statusCode !== undefined) expect(l['statusCode']).toBe(e.statusCode)
  if (e.bodyContains !== undefined) expect(String(l['body'])).toContain(e.bodyContains)
}

// -------------------------------------------------------------------------------------------------
// the scripted faults
// -------------------------------------------------------------------------------------------------

const HTML_502 =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'
const HTML_504 =
  '<!DOCTYPE html>\n<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1><p>The upstream server did not answer in time.</p></body></html>'
const HTML_403 =
  '<html><head><title>Access Denied</title></head><body><h1>Forbidden by corporate proxy</h1><p>Policy: cloud-apis-blocked</p></body></html>'

const OK: Answer = { status: 200, body: importImageOk('import-ami-0aaaabbbbccccdddd', 'req-ok') }
const throttled: Answer = { status: 503, body: ec2Error('RequestLimitExceeded', 'Request limit exceeded.') }

/** Headers and half the body, then the connection is reset (RST). */
const resetMidBody: Answer = {
  custom: (_req: IncomingMessage, res: ServerResponse) => {
    const body = importImageOk()
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)) })
    res.write(body.slice(0, Math.floor(body.length / 2)))
    setTimeout(() => res.socket?.resetAndDestroy(), 20)
  },
}

/** Reset (RST) before a byte of the response. */
const resetBeforeResponse: Answer = { custom: (req: IncomingMessage) => void req.socket.resetAndDestroy() }

/** Content-Length promises the whole body; half of it comes, then the server closes cleanly (FIN). */
const truncatedThenClosed: Answer = {
  custom: (_req: IncomingMessage, res: ServerResponse) => {
    const body = importImageOk()
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)) })
    res.write(body.slice(0, Math.floor(body.length / 2)))
    setTimeout(() => res.socket?.end(), 20)
  },
}

/** A complete HTTP message whose XML is cut short (a proxy that buffered part of the body, say). */
const TRUNCATED_XML = importImageOk('import-ami-0truncated000000').slice(0, 260)
const truncatedXml: Answer = { status: 200, body: TRUNCATED_XML }

/** Headers, then part of the body, then nothing. */
const stallMidBody: Answer = {
  custom: (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': '5000' })
    res.write('<ImportImageResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>')
  },
}

/** A body dripped a byte every 40 ms: each chunk is within undici's idle body timeout, the whole is not. */
const slowDrip: Answer = {
  custom: (_req: IncomingMessage, res: ServerResponse) => {
    const body = importImageOk()
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8', 'content-length': String(Buffer.byteLength(body)) })
    let i = 0
    const timer = setInterval(() => {
      if (res.destroyed || i >= body.length || i >= 500) {
        clearInterval(timer)
        return
      }
      res.write(body[i++]!)
    }, 40)
    res.on('close', () => clearInterval(timer))
  },
}

/** An endless 200 body (up to 64 MiB, or until the client hangs up), streamed as fast as the client reads. */
let hugeBytesSent = 0
const endless: Answer = {
  custom: (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' })
    const chunk = Buffer.alloc(64 * 1024, 'x')
    res.write('<ImportImageResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>')
    let sent = 0
    const pump = () => {
      while (!res.destroyed && sent < 64 * 1024 * 1024) {
        sent += chunk.length
        hugeBytesSent = sent
        if (!res.write(chunk)) {
          res.once('drain', pump)
          return
        }
      }
      if (!res.destroyed) res.end('</requestId></ImportImageResponse>')
    }
    pump()
  },
}

const dated = (offsetMs: number, body = importImageOk()): Answer => ({
  status: 200,
  body,
  headers: { date: new Date(Date.now() + offsetMs).toUTCString() },
})

interface ScriptedCase {
  readonly name: string
  readonly answers: ReadonlyArray<Answer>
  readonly expect: Expect
  readonly op?: Op
  readonly config?: Partial<ClientConfig> & { readonly maxAttempts?: number; readonly requestTimeoutMs?: number }
  /** Whether every attempt reaches the server (so the server saw exactly `attempts` requests). */
  readonly reachesServer?: boolean
}

const H3 = 3 * 60 * 60 * 1000

const scripted: ReadonlyArray<ScriptedCase> = [
  { name: 'connection closed (FIN) before the response, once', answers: [{ reset: true }, OK], expect: { tag: 'Right', attempts: 2 } },
  { name: 'connection reset (RST) before the response, once', answers: [resetBeforeResponse, OK], expect: { tag: 'Right', attempts: 2 } },
  {
    name: 'connection reset before the response, every time',
    answers: [resetBeforeResponse],
    expect: { tag: 'TransportError', reason: 'network', codes: ['ECONNRESET', 'UND_ERR_SOCKET'], attempts: 3 },
  },
  { name: 'connection reset mid-body, once', answers: [resetMidBody, OK], expect: { tag: 'Right', attempts: 2 } },
  {
    name: 'connection reset mid-body, every time',
    answers: [resetMidBody],
    expect: { tag: 'TransportError', reason: 'network', codes: ['ECONNRESET', 'UND_ERR_SOCKET'], attempts: 3 },
  },
  {
    name: 'CancelImportTask reset before the response: not retried',
    op: 'CancelImportTask',
    answers: [resetBeforeResponse, OK],
    expect: { tag: 'TransportError', reason: 'network', codes: ['ECONNRESET', 'UND_ERR_SOCKET'], attempts: 1 },
  },
  { name: '500 InternalError, once', answers: [{ status: 500, body: ec2Error('InternalError', 'An internal error has occurred') }, OK], expect: { tag: 'Right', attempts: 2 } },
  { name: '502 gateway HTML page, once', answers: [{ status: 502, body: HTML_502, headers: { 'content-type': 'text/html' } }, OK], expect: { tag: 'Right', attempts: 2 } },
  { name: '503 Unavailable, once', answers: [{ status: 503, body: ec2Error('Unavailable', "The server is overloaded and can't handle the request.") }, OK], expect: { tag: 'Right', attempts: 2 } },
  { name: '504 gateway HTML page, once', answers: [{ status: 504, body: HTML_504, headers: { 'content-type': 'text/html' } }, OK], expect: { tag: 'Right', attempts: 2 } },
  {
    name: '500, 502, 503 in a row (maxAttempts 3)',
    answers: [
      { status: 500, body: ec2Error('InternalError', 'An internal error has occurred') },
      { status: 502, body: HTML_502, headers: { 'content-type': 'text/html' } },
      { status: 503, body: ec2Error('Unavailable', 'busy') },
      OK,
    ],
    expect: { tag: 'ServiceError', codes: ['Unavailable'], statusCode: 503, attempts: 3 },
  },
  {
    name: '504 HTML page every time',
    answers: [{ status: 504, body: HTML_504, headers: { 'content-type': 'text/html' } }],
    expect: { tag: 'DecodeError', statusCode: 504, bodyContains: 'Gateway Time-out', attempts: 3 },
  },
  {
    name: 'RequestLimitExceeded burst of 4, then success (maxAttempts 5)',
    answers: [throttled, throttled, throttled, throttled, OK],
    config: { maxAttempts: 5 },
    expect: { tag: 'Right', attempts: 5 },
  },
  {
    name: 'RequestLimitExceeded that outlasts the attempts',
    answers: [throttled],
    expect: { tag: 'ServiceError', codes: ['RequestLimitExceeded'], statusCode: 503, attempts: 3 },
  },
  {
    name: 'RequestLimitExceeded on CancelImportTask: retried (EC2 did not act)',
    op: 'CancelImportTask',
    answers: [
      throttled,
      { status: 200, body: '<CancelImportTaskResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>c</requestId><importTaskId>import-ami-0123456789abcdef0</importTaskId><previousState>active</previousState><state>deleting</state></CancelImportTaskResponse>' },
    ],
    expect: { tag: 'Right', attempts: 2 },
  },
  {
    name: 'stall before the headers (requestTimeoutMs 400)',
    answers: [{ stall: true }],
    expect: { tag: 'TransportError', reason: 'request-timeout', codes: ['UND_ERR_HEADERS_TIMEOUT'], attempts: 3 },
  },
  {
    // The headers came: the code must say the body timed out, not the headers (which sends a person looking at
    // the wrong hop).
    name: 'stall after the headers, mid-body (requestTimeoutMs 400)',
    answers: [stallMidBody],
    expect: { tag: 'TransportError', reason: 'request-timeout', codes: ['UND_ERR_BODY_TIMEOUT'], attempts: 3 },
  },
  {
    name: 'body dripped 1 byte / 40 ms: bounded by the attempt budget',
    answers: [slowDrip],
    expect: { tag: 'TransportError', reason: 'request-timeout', codes: ['UND_ERR_BODY_TIMEOUT'], attempts: 3 },
  },
  {
    name: 'stall once, then an answer',
    answers: [{ stall: true }, OK],
    expect: { tag: 'Right', attempts: 2 },
  },
  {
    name: 'truncated body: Content-Length not met, then FIN, once',
    answers: [truncatedThenClosed, OK],
    expect: { tag: 'Right', attempts: 2 },
  },
  {
    name: 'truncated XML in a complete 200 response',
    answers: [truncatedXml, OK],
    expect: { tag: 'DecodeError', statusCode: 200, bodyContains: TRUNCATED_XML, attempts: 1 },
  },
  {
    name: 'HTML error page from a proxy (403 text/html)',
    answers: [{ status: 403, body: HTML_403, headers: { 'content-type': 'text/html' } }, OK],
    expect: { tag: 'DecodeError', statusCode: 403, bodyContains: 'Forbidden by corporate proxy', attempts: 1 },
  },
  {
    name: 'non-XML 200 (JSON)',
    answers: [{ status: 200, body: '{"ImportTaskId":"import-ami-1","ok":true}', headers: { 'content-type': 'application/json' } }, OK],
    expect: { tag: 'DecodeError', statusCode: 200, bodyContains: '"ok":true', attempts: 1 },
  },
  {
    name: 'empty 200 body',
    answers: [{ status: 200, body: '' }, OK],
    expect: { tag: 'DecodeError', statusCode: 200, attempts: 1 },
  },
  {
    name: '200 over the body size cap (256 KiB cap, endless body)',
    answers: [endless],
    config: { maxResponseBytes: 256 * 1024 },
    expect: { tag: 'TransportError', reason: 'body-too-large', codes: ['BODY_TOO_LARGE'], attempts: 1 },
  },
  {
    name: 'wrong Content-Type (application/json) on a valid EC2 result',
    answers: [{ status: 200, body: importImageOk(), headers: { 'content-type': 'application/json' } }],
    expect: { tag: 'Right', attempts: 1 },
  },
  {
    name: 'wrong Content-Type (text/html) on an EC2 error envelope',
    answers: [{ status: 400, body: ec2Error('InvalidParameter', 'The parameter DiskContainer is invalid.'), headers: { 'content-type': 'text/html' } }],
    expect: { tag: 'ServiceError', codes: ['InvalidParameter'], statusCode: 400, attempts: 1 },
  },
  {
    name: 'Date header 3 h ahead on a success',
    answers: [dated(H3)],
    expect: { tag: 'Right', attempts: 1 },
  },
  {
    name: 'Date header 5 h behind with RequestExpired, then success',
    answers: [
      { status: 400, body: ec2Error('RequestExpired', 'Request has expired.'), headers: { date: new Date(Date.now() - 5 * 3600_000).toUTCString() } },
      OK,
    ],
    expect: { tag: 'Right', attempts: 2 },
  },
  {
    name: 'Date header unparseable ("yesterday-ish")',
    answers: [{ status: 200, body: importImageOk(), headers: { date: 'yesterday-ish' } }],
    expect: { tag: 'Right', attempts: 1 },
  },
]

describe('faults from a raw loopback server', () => {
  const servers: Array<ScriptedServer> = []
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })

  it.for(scripted)('$name', async (c, ctx) => {
    const server = await startScriptedServer()
    servers.push(server)
    server.script(...c.answers)
    const config = { ...BASE, ...c.config, retry: BASE.retry }
    const client = makeClient(server.endpoint, c.config)
    const op = c.op ?? 'ImportImage'
    const deadline = deadlineOf(config)
    const s = await settle(() => call(client, op), deadline + 5_000)
    await client.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    recordCase(ctx, {
      area: 'faults',
      name: `${c.name}${op === 'ImportImage' ? '' : ` [${op}]`}`,
      expected: describeExpect(c.expect),
      actual: s._tag === 'Value' ? outcomeOf(r) : s._tag === 'Threw' ? `THREW ${String(s.error)}` : 'HUNG',
      attempts: attemptsOf(r),
      ms: s.ms,
    })
    expect(s._tag).toBe('Value')
    expect(isTypedEither(r)).toBe(true)
    expect(s.ms).toBeLessThan(deadline)
    checkExpect(r, c.expect)
    // Every attempt reached the server, and every attempt of an ImportImage carried the one ClientToken.
    expect(server.requests).toHaveLength(c.expect.attempts)
    if (op === 'ImportImage') {
      const tokens = new Set(server.requests.map((q) => q.params.get('ClientToken')))
      expect(tokens.size).toBe(1)
      expect([...tokens][0]).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('200 over the cap: the client stopped reading at the cap and hung up', async (ctx) => {
    // Set by the case above: the server stops writing once the client's socket is gone.
    recordCase(ctx, {
      area: 'faults',
      name: 'endless 200 body: bytes the server got to write before the hang-up',
      expected: 'far below the 64 MiB offered (client hangs up at the 256 KiB cap)',
      actual: `${(hugeBytesSent / 1024 / 1024).toFixed(1)} MiB written into socket buffers`,
      ms: 0,
    })
    expect(hugeBytesSent).toBeGreaterThan(0)
    expect(hugeBytesSent).toBeLessThan(16 * 1024 * 1024)
  })

  it('Date 3 h ahead: the next call is signed on the service clock', async (ctx) => {
    const server = await startScriptedServer()
    servers.push(server)
    server.script(dated(H3), dated(H3))
    const client = makeClient(server.endpoint)
    const started = performance.now()
    const first = await client.importImage(DISK)()
    const second = await client.describeImportImageTasks()()
    await client.close()
    sink.either(first)
    sink.either(second)
    const amzDate = (i: number) => {
      const d = String(server.requests[i]!.headers['x-amz-date'])
      return Date.parse(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`)
    }
    const shift = amzDate(1) - amzDate(0)
    recordCase(ctx, {
      area: 'faults',
      name: 'Date 3 h ahead: X-Amz-Date of the next call',
      expected: 'Right, then signed ~3 h ahead (skew learned)',
      actual: `${outcomeOf(first)}; next call signed ${(shift / 3600_000).toFixed(2)} h later`,
      attempts: `${attemptsOf(first)}, ${attemptsOf(second)}`,
      ms: performance.now() - started,
    })
    expect(first._tag).toBe('Right')
    expect(Math.abs(shift - H3)).toBeLessThan(60_000)
  })
})

// -------------------------------------------------------------------------------------------------
// a waiter whose poll stalls
// -------------------------------------------------------------------------------------------------

describe('a waiter whose poll stalls', () => {
  // Each poll may take maxAttempts × requestTimeoutMs (3 × 60 s with the defaults): the waiter's own deadline and
  // the caller's abort signal must not wait for it.
  const stalled = async () => {
    const server = await startScriptedServer()
    server.script({ stall: true })
    const client = makeClient(server.endpoint, { requestTimeoutMs: 1_000, maxAttempts: 2 })
    return { server, client }
  }

  it('timeoutMs 300 with a poll that stalls: the WaitError comes at the deadline', async (ctx) => {
    const { server, client } = await stalled()
    const s = await settle(() => client.waitForImportImageTask('import-ami-0123456789abcdef0', { timeoutMs: 300, minDelayMs: 50 })(), 15_000)
    await client.close()
    await server.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    recordCase(ctx, {
      area: 'faults',
      name: 'waiter timeoutMs 300, poll stalls (request timeout 1 s × 2 attempts)',
      expected: 'Left WaitError timeout at ~300 ms (< 900)',
      actual: `${s._tag === 'Value' ? outcomeOf(r) : s._tag} after ${Math.round(s.ms)} ms`,
      ms: s.ms,
    })
    expect(s._tag).toBe('Value')
    expect(r?._tag === 'Left' && r.left._tag === 'WaitError' && r.left.reason).toBe('timeout')
    expect(s.ms).toBeLessThan(900)
  })

  it('abort during a stalled poll: the WaitError comes at the abort', async (ctx) => {
    const { server, client } = await stalled()
    const ac = new AbortController()
    const timer = setTimeout(() => ac.abort(), 200)
    const s = await settle(() => client.waitForImportImageTask('import-ami-0123456789abcdef0', { signal: ac.signal, minDelayMs: 50 })(), 15_000)
    clearTimeout(timer)
    await client.close()
    await server.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    recordCase(ctx, {
      area: 'faults',
      name: 'waiter aborted at 200 ms while its poll stalls',
      expected: 'Left WaitError aborted at ~200 ms (< 900)',
      actual: `${s._tag === 'Value' ? outcomeOf(r) : s._tag} after ${Math.round(s.ms)} ms`,
      ms: s.ms,
    })
    expect(s._tag).toBe('Value')
    expect(r?._tag === 'Left' && r.left._tag === 'WaitError' && r.left.reason).toBe('aborted')
    expect(s.ms).toBeLessThan(900)
  })
})

// -------------------------------------------------------------------------------------------------
// faults from the emulator
// -------------------------------------------------------------------------------------------------

interface EmulatorCase {
  readonly name: string
  readonly options: EmulatorOptions
  readonly expect: Expect
  readonly op?: Op
  readonly before?: (em: Awaited<ReturnType<typeof startEmulator>>) => void
}

const emulatorCases: ReadonlyArray<EmulatorCase> = [
  {
    name: 'emulator resetRate 1',
    options: { faults: { resetRate: 1, seed: 1 } },
    expect: { tag: 'TransportError', reason: 'network', codes: ['ECONNRESET', 'UND_ERR_SOCKET'], attempts: 3 },
  },
  {
    name: 'emulator throttleRate 1',
    options: { faults: { throttleRate: 1, seed: 2 } },
    expect: { tag: 'ServiceError', codes: ['RequestLimitExceeded'], statusCode: 503, attempts: 3 },
  },
  {
    name: 'emulator serverErrorRate 1 (500 InternalError / 503 Unavailable)',
    options: { faults: { serverErrorRate: 1, seed: 3 } },
    expect: { tag: 'ServiceError', codes: ['InternalError', 'Unavailable'], attempts: 3 },
  },
  {
    name: 'emulator serverErrorRate 1 on DescribeImportImageTasks',
    op: 'DescribeImportImageTasks',
    options: { faults: { serverErrorRate: 1, seed: 4 } },
    expect: { tag: 'ServiceError', codes: ['InternalError', 'Unavailable'], attempts: 3 },
  },
  {
    name: 'emulator latency 300 ms > requestTimeoutMs 150',
    options: { faults: { latencyMs: 300, seed: 5 } },
    expect: { tag: 'TransportError', reason: 'request-timeout', attempts: 3 },
  },
  {
    name: 'emulator clock 3 h ahead: RequestExpired, skew learned, retried once',
    options: { clock: 'manual' },
    before: (em) => em.clock.advance(H3),
    expect: { tag: 'Right', attempts: 2 },
  },
]

describe('faults from the emulator', () => {
  it.for(emulatorCases)('$name', async (c, ctx: TestContext) => {
    const em = await startEmulator({ clock: 'manual', credentials: CREDENTIALS, ...c.options })
    c.before?.(em)
    const extra = c.name.includes('latency') ? { requestTimeoutMs: 150 } : {}
    const client = makeClient(em.endpoint, extra)
    const op = c.op ?? 'ImportImage'
    const deadline = deadlineOf({ ...BASE, ...extra })
    const s = await settle(() => call(client, op), deadline + 5_000)
    await client.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    const latency = c.options.faults?.latencyMs ?? 0
    // A request the client gave up on is still served once its latency has passed: let the last one land.
    if (latency > 0) await delay(latency + 500)
    const log = em.requests
    const tasks = em.tasks()
    await em.close()
    recordCase(ctx, {
      area: 'faults',
      name: `${c.name}${op === 'ImportImage' ? '' : ` [${op}]`}`,
      expected: describeExpect(c.expect),
      actual: `${s._tag === 'Value' ? outcomeOf(r) : s._tag === 'Threw' ? `THREW ${String(s.error)}` : 'HUNG'}; ${tasks.length} task(s)`,
      attempts: attemptsOf(r),
      ms: s.ms,
    })
    expect(s._tag).toBe('Value')
    expect(isTypedEither(r)).toBe(true)
    expect(s.ms).toBeLessThan(deadline)
    checkExpect(r, c.expect)
    if (op === 'ImportImage') {
      // (The emulator's log misses requests whose client had hung up: see the log test below.)
      if (latency === 0) expect(new Set(log.map((q) => q.params['ClientToken'])).size).toBe(1)
      // Faults are injected before the request is acted on; a request that timed out was still acted on — all
      // three attempts were, with one ClientToken, so there is one task.
      expect(tasks).toHaveLength(c.expect.tag === 'Right' || latency > 0 ? 1 : 0)
    }
  })

  it('the emulator logs a request even when its client hung up before the answer', async (ctx) => {
    // `Emulator.requests` is "every request so far"; tests use it to prove what was (not) sent.
    const em = await startEmulator({ clock: 'manual', credentials: CREDENTIALS, faults: { latencyMs: 300, seed: 6 } })
    const client = makeClient(em.endpoint, { requestTimeoutMs: 100, maxAttempts: 2 })
    const started = performance.now()
    const r = await client.importImage(DISK)()
    await client.close()
    sink.either(r)
    await eventually(() => em.tasks().length === 1, 2_000)
    await delay(400)
    const logged = em.requests.length
    const tasks = em.tasks().length
    await em.close()
    recordCase(ctx, {
      area: 'faults',
      name: 'emulator request log: attempts whose client hung up (latency > timeout)',
      expected: '2 requests logged (status 0), 1 task',
      actual: `${logged} logged, ${tasks} task(s)`,
      attempts: attemptsOf(r),
      ms: performance.now() - started,
    })
    expect(tasks).toBe(1)
    expect(logged).toBe(2)
  })

  it('connection refused (nothing listens on the port)', async (ctx) => {
    const port = await closedPort()
    const client = makeClient(`http://127.0.0.1:${port}`)
    const deadline = deadlineOf(BASE)
    const s = await settle(() => client.importImage(DISK)(), deadline + 5_000)
    await client.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    const e: Expect = { tag: 'TransportError', reason: 'network', codes: ['ECONNREFUSED'], attempts: 3 }
    recordCase(ctx, {
      area: 'faults',
      name: 'connection refused',
      expected: `${describeExpect(e)} (never reached EC2: safe to retry)`,
      actual: s._tag === 'Value' ? outcomeOf(r) : s._tag,
      attempts: attemptsOf(r),
      ms: s.ms,
    })
    expect(s._tag).toBe('Value')
    expect(s.ms).toBeLessThan(deadline)
    checkExpect(r, e)
  })

  it('connection refused on CancelImportTask: retried too (the cancel never left)', async (ctx) => {
    const port = await closedPort()
    const client = makeClient(`http://127.0.0.1:${port}`)
    const s = await settle(() => client.cancelImportTask({ ImportTaskId: 'import-ami-0123456789abcdef0' })(), deadlineOf(BASE) + 5_000)
    await client.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    const e: Expect = { tag: 'TransportError', reason: 'network', codes: ['ECONNREFUSED'], attempts: 3 }
    recordCase(ctx, {
      area: 'faults',
      name: 'connection refused [CancelImportTask]',
      expected: describeExpect(e),
      actual: s._tag === 'Value' ? outcomeOf(r) : s._tag,
      attempts: attemptsOf(r),
      ms: s.ms,
    })
    expect(s._tag).toBe('Value')
    checkExpect(r, e)
  })
})

// -------------------------------------------------------------------------------------------------
// the file's own sweep
// -------------------------------------------------------------------------------------------------

watch.sweep()
