/**
 * Transport safety: plain `http://` to a host off loopback is refused before anything is sent; TLS is verified by
 * default (a loopback HTTPS server with a certificate from a throwaway CA is refused unless the caller passes that CA
 * through an undici `Agent({ connect: { ca } })` as `dispatcher`, and even then not for another name); a signed
 * request is never replayed to wherever a redirect points.
 */
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { Agent, interceptors, type Dispatcher } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/cli.js'
import { createClient } from '../../src/Client.js'
import type { ClientConfig } from '../../src/ClientConfig.js'
import { importImageOk, startScriptedServer, type ScriptedServer } from '../helpers/scripted-server.js'
import { attemptsOf, outcomeOf, recordCase, settle } from './helpers/cases.js'
import { makeTestPki, type TestPki } from './helpers/net.js'
import { CREDENTIALS, EMPTY_ENVIRONMENT } from './helpers/secrets.js'
import { watchFile } from './helpers/sweep.js'

const watch = watchFile('transport-safety.test.ts', 'transport')
const sink = watch.sink

const DISK = { DiskContainers: [{ Format: 'VMDK' as const, UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }] }

/** A dispatcher that counts what the client asks it to send, and sends nothing. */
const countingDispatcher = (): { dispatcher: Dispatcher; count: () => number; close: () => Promise<void> } => {
  let n = 0
  const agent = new Agent()
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    n++
    return dispatch(opts, handler)
  })
  return { dispatcher, count: () => n, close: () => agent.close() }
}

// -------------------------------------------------------------------------------------------------
// plain http off loopback
// -------------------------------------------------------------------------------------------------

const OFF_LOOPBACK = [
  'http://ec2.us-east-1.amazonaws.com',
  'http://10.0.0.1',
  'http://169.254.169.254',
  'http://0.0.0.0:8080',
  'http://127.0.0.1.nip.io',
  'http://localhost.example.com',
  'http://[::ffff:10.0.0.1]',
  'http://[fe80::1]',
  'http://192.168.1.10:4566',
]

describe('plain http:// to a non-loopback host', () => {
  it.for(OFF_LOOPBACK)('%s is a ConfigError and nothing is sent', async (endpoint, ctx) => {
    const spy = countingDispatcher()
    const viaConfig = createClient({ region: 'us-east-1', endpoint, credentials: CREDENTIALS, dispatcher: spy.dispatcher }, { environment: EMPTY_ENVIRONMENT })
    const viaEnv = createClient(
      { region: 'us-east-1', credentials: CREDENTIALS, dispatcher: spy.dispatcher },
      { environment: { ...EMPTY_ENVIRONMENT, env: { AWS_ENDPOINT_URL_EC2: endpoint } } },
    )
    const started = performance.now()
    const a = await settle(() => viaConfig.importImage(DISK)(), 5_000)
    const b = await settle(() => viaEnv.describeImportImageTasks()(), 5_000)
    await viaConfig.close()
    await viaEnv.close()
    await spy.close()
    const ra = a._tag === 'Value' ? a.value : undefined
    const rb = b._tag === 'Value' ? b.value : undefined
    sink.either(ra)
    sink.either(rb)
    recordCase(ctx, {
      area: 'transport',
      name: `endpoint ${endpoint} (config and AWS_ENDPOINT_URL_EC2)`,
      expected: 'Left ConfigError, 0 requests dispatched',
      actual: `${outcomeOf(ra)}; ${outcomeOf(rb)}; ${spy.count()} dispatched`,
      ms: performance.now() - started,
    })
    expect(ra?._tag === 'Left' && ra.left._tag).toBe('ConfigError')
    expect(rb?._tag === 'Left' && rb.left._tag).toBe('ConfigError')
    expect(spy.count()).toBe(0)
  })

  it('loopback http is allowed (control), and the CLI refuses the same non-loopback endpoint', async (ctx) => {
    const server = await startScriptedServer()
    server.script({ status: 200, body: importImageOk() })
    const client = createClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: CREDENTIALS }, { environment: EMPTY_ENVIRONMENT })
    const ok = await client.importImage(DISK)()
    await client.close()
    await server.close()
    let out = ''
    const code = await main(['import', '--format', 'vmdk', '--bucket', 'b', '--key', 'k', '--endpoint', 'http://10.0.0.1', '--region', 'us-east-1'], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (out += s) },
      runtime: { environment: EMPTY_ENVIRONMENT },
      config: { credentials: CREDENTIALS },
    })
    sink.text(out)
    recordCase(ctx, {
      area: 'transport',
      name: 'http://127.0.0.1 allowed; CLI --endpoint http://10.0.0.1 refused',
      expected: 'Right; CLI exit 3 with the loopback rule in its message',
      actual: `${outcomeOf(ok)}; CLI exit ${code}: ${out.trim().slice(0, 60)}`,
      ms: 0,
    })
    expect(ok._tag).toBe('Right')
    expect(code).toBe(3)
    expect(out).toContain('loopback')
  })
})

// -------------------------------------------------------------------------------------------------
// TLS
// -------------------------------------------------------------------------------------------------

describe('TLS verification', () => {
  let pki: TestPki
  const servers: Array<{ server: HttpsServer; requests: () => number; endpoint: string }> = []
  const agents: Array<Agent> = []

  const startHttps = async (key: string, cert: string) => {
    let requests = 0
    const server = createHttpsServer({ key, cert }, (req, res) => {
      requests++
      req.resume()
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/xml' }).end(importImageOk('import-ami-0tls00000000000000')))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const entry = { server, requests: () => requests, endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}` }
    servers.push(entry)
    return entry
  }

  beforeAll(() => {
    pki = makeTestPki()
  })
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()))
    for (const { server } of servers) {
      server.closeAllConnections()
      server.close()
    }
  })

  const run = async (endpoint: string, extra: Partial<ClientConfig>) => {
    const client = createClient(
      { region: 'us-east-1', endpoint, credentials: CREDENTIALS, maxAttempts: 3, retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...extra },
      { environment: EMPTY_ENVIRONMENT },
    )
    const s = await settle(() => client.importImage(DISK)(), 10_000)
    await client.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    return { r, ms: s.ms }
  }

  it('a certificate from an unknown CA is refused by default, and not retried', async (ctx) => {
    const https = await startHttps(pki.serverKey, pki.serverCert)
    const { r, ms } = await run(https.endpoint, {})
    recordCase(ctx, {
      area: 'transport',
      name: `HTTPS on 127.0.0.1, throwaway CA (${pki.source}), default client`,
      expected: 'Left TransportError (certificate not trusted), 1 attempt, 0 requests served',
      actual: `${outcomeOf(r)}; ${https.requests()} served`,
      attempts: attemptsOf(r),
      ms,
    })
    expect(r?._tag === 'Left' && r.left._tag).toBe('TransportError')
    if (r?._tag === 'Left' && r.left._tag === 'TransportError') {
      expect(r.left.code).toMatch(/CERT|SIGNATURE|SELF_SIGNED|UNABLE_TO_VERIFY/)
      expect(r.left.attempts).toBe(1)
    }
    expect(https.requests()).toBe(0)
  })

  it("the caller's CA, through an undici Agent as dispatcher, is trusted", async (ctx) => {
    const https = await startHttps(pki.serverKey, pki.serverCert)
    const agent = new Agent({ connect: { ca: pki.caCert } })
    agents.push(agent)
    const { r, ms } = await run(https.endpoint, { dispatcher: agent })
    recordCase(ctx, {
      area: 'transport',
      name: 'same server, dispatcher: new Agent({ connect: { ca } })',
      expected: 'Right, 1 request served',
      actual: `${outcomeOf(r)}; ${https.requests()} served`,
      attempts: attemptsOf(r),
      ms,
    })
    expect(r?._tag).toBe('Right')
    expect(https.requests()).toBe(1)
  })

  it('the right CA does not make a certificate for another name acceptable', async (ctx) => {
    const https = await startHttps(pki.wrongNameKey, pki.wrongNameCert)
    const agent = new Agent({ connect: { ca: pki.caCert } })
    agents.push(agent)
    const { r, ms } = await run(https.endpoint, { dispatcher: agent })
    recordCase(ctx, {
      area: 'transport',
      name: 'trusted CA, certificate for not-this-host.invalid only',
      expected: 'Left TransportError ERR_TLS_CERT_ALTNAME_INVALID, 0 served',
      actual: `${outcomeOf(r)}; ${https.requests()} served`,
      attempts: attemptsOf(r),
      ms,
    })
    expect(r?._tag === 'Left' && r.left._tag === 'TransportError' && r.left.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
    expect(https.requests()).toBe(0)
  })
})

// -------------------------------------------------------------------------------------------------
// redirects
// -------------------------------------------------------------------------------------------------

describe('redirects are not followed for signed requests', () => {
  let elsewhere: ScriptedServer
  const servers: Array<ScriptedServer> = []
  beforeAll(async () => {
    elsewhere = await startScriptedServer()
    elsewhere.script({ status: 200, body: importImageOk('import-ami-0e15e0here0000000') })
    servers.push(elsewhere)
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()))
  })

  it.for([301, 302, 303, 307, 308])('HTTP %i with Location elsewhere: a TransportError, nothing sent there', async (status, ctx) => {
    const server = await startScriptedServer()
    servers.push(server)
    server.script({ status, body: '', headers: { location: `${elsewhere.endpoint}/` } })
    const before = elsewhere.requests.length
    const client = createClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: CREDENTIALS }, { environment: EMPTY_ENVIRONMENT })
    const s = await settle(() => client.importImage(DISK)(), 5_000)
    await client.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    recordCase(ctx, {
      area: 'transport',
      name: `HTTP ${status} → another origin (client's own dispatcher)`,
      expected: 'Left TransportError redirect, 1 attempt, 0 requests to the target',
      actual: `${outcomeOf(r)}; ${elsewhere.requests.length - before} sent to the target`,
      attempts: attemptsOf(r),
      ms: s.ms,
    })
    expect(r?._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('redirect')
    expect(attemptsOf(r)).toBe(1)
    expect(elsewhere.requests.length - before).toBe(0)
  })

  it("a caller's dispatcher that follows redirects still does not carry a signed request elsewhere", async (ctx) => {
    // An application-wide dispatcher composed with undici's redirect interceptor, passed as `dispatcher`.
    const server = await startScriptedServer()
    servers.push(server)
    server.script({ status: 307, body: '', headers: { location: `${elsewhere.endpoint}/` } })
    const agent = new Agent()
    const following = agent.compose(interceptors.redirect({ maxRedirections: 3 }))
    const before = elsewhere.requests.length
    const client = createClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: CREDENTIALS, dispatcher: following }, { environment: EMPTY_ENVIRONMENT })
    const s = await settle(() => client.importImage(DISK)(), 5_000)
    await client.close()
    await agent.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    const replayed = elsewhere.requests.slice(before)
    const carried = replayed.some((q) => q.headers['x-amz-security-token'] !== undefined) ? ' (with X-Amz-Security-Token and the signed body)' : ''
    recordCase(ctx, {
      area: 'transport',
      name: 'HTTP 307 → another origin, caller dispatcher with interceptors.redirect',
      expected: 'Left TransportError redirect, 0 requests to the target',
      actual: `${outcomeOf(r)}; ${replayed.length} sent to the target${carried}`,
      attempts: attemptsOf(r),
      ms: s.ms,
    })
    expect(replayed).toHaveLength(0)
    expect(r?._tag === 'Left' && r.left._tag === 'TransportError' && r.left.reason).toBe('redirect')
  })
})

watch.sweep()
