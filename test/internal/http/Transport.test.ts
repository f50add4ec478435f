import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import * as undici from 'undici'
import { Agent } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createDispatcher, globalDispatcher, send, type SendOptions, type TransportFailure, type WireResponse } from '../../../src/internal/http/Transport.js'

// The transport stage against a real HTTP server on loopback: one timer bounds the whole attempt (queue, headers,
// body), the caller's signal ends it, the size cap stops reading, and nothing is thrown.

let server: Server
let origin: string
let handle: (req: IncomingMessage, res: ServerResponse) => void
let served: number
let agent: Agent

beforeEach(async () => {
  served = 0
  handle = (_req, res) => res.end('<ok/>')
  server = createServer((req, res) => {
    served++
    req.resume()
    req.on('end', () => handle(req, res))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  agent = new Agent({ connections: 1 })
})
afterEach(async () => {
  await agent.destroy()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const post = (options: Partial<SendOptions> = {}, path = '/') =>
  send(
    { origin, path, method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Action=X' },
    { dispatcher: agent, requestTimeoutMs: 2_000, maxResponseBytes: 1_000, ...options },
  )

const isFailure = (r: WireResponse | TransportFailure): r is TransportFailure => '_tag' in r

describe('send', () => {
  it('returns the status, the headers and the whole body', async () => {
    handle = (_req, res) => {
      res.setHeader('x-amzn-requestid', 'r-1')
      res.write('<a>')
      setTimeout(() => res.end('</a>'), 10)
    }
    const r = await post({}, '/custom/?x=1')
    expect(isFailure(r)).toBe(false)
    if (isFailure(r)) return
    expect([r.statusCode, r.headers['x-amzn-requestid'], r.body]).toEqual([200, 'r-1', '<a></a>'])
  })

  it('bounds the whole body by the budget, not each chunk: a body that trickles in is cut off', async () => {
    let timer: NodeJS.Timeout | undefined
    handle = (_req, res) => {
      res.write('<a>')
      timer = setInterval(() => res.write(' '), 20)
    }
    const started = Date.now()
    const r = await post({ requestTimeoutMs: 300 })
    clearInterval(timer)
    expect(isFailure(r) && [r.reason, r.code]).toEqual(['request-timeout', 'UND_ERR_BODY_TIMEOUT'])
    expect(Date.now() - started).toBeLessThan(1_500)
  })

  it('says headers timeout when no headers arrive within the budget', async () => {
    handle = () => undefined
    const r = await post({ requestTimeoutMs: 200 })
    expect(isFailure(r) && [r.reason, r.code]).toEqual(['request-timeout', 'UND_ERR_HEADERS_TIMEOUT'])
  })

  it('counts the time queued for a connection: a request still queued at its deadline is never written', async () => {
    // One connection; the first request holds it until released.
    let release: (() => void) | undefined
    const arrived = new Promise<void>((resolve) => {
      handle = (_req, res) => {
        release = () => res.end('<first/>')
        resolve()
      }
    })
    const first = post({ requestTimeoutMs: 10_000 })
    await arrived
    const second = await post({ requestTimeoutMs: 150 })
    expect(isFailure(second) && [second.reason, second.code]).toEqual(['request-timeout', 'UND_ERR_HEADERS_TIMEOUT'])
    release!()
    const r = await first
    expect(!isFailure(r) && r.body).toBe('<first/>')
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(served).toBe(1)
  })

  it('reads past a 1xx informational response; its headers are not the answer, and a stall after it is a headers timeout', async () => {
    handle = (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' })
      setTimeout(() => {
        res.setHeader('x-amzn-requestid', 'r-after-103')
        res.end('<ok/>')
      }, 20)
    }
    const r = await post()
    expect(!isFailure(r) && [r.statusCode, r.headers['x-amzn-requestid'], r.headers['link'], r.body]).toEqual([200, 'r-after-103', undefined, '<ok/>'])

    handle = (_req, res) => res.writeEarlyHints({ link: '</style.css>; rel=preload' })
    const stalled = await post({ requestTimeoutMs: 300 })
    expect(isFailure(stalled) && [stalled.reason, stalled.code]).toEqual(['request-timeout', 'UND_ERR_HEADERS_TIMEOUT'])
  })

  it("ends at once on the caller's signal, before or during the attempt", async () => {
    const before = new AbortController()
    before.abort()
    const r1 = await post({ signal: before.signal })
    expect(isFailure(r1) && r1.reason).toBe('aborted')
    expect(served).toBe(0)

    handle = () => undefined
    const during = new AbortController()
    setTimeout(() => during.abort(), 50)
    const r2 = await post({ signal: during.signal })
    expect(isFailure(r2) && [r2.reason, r2.code]).toEqual(['aborted', 'ABORT_ERR'])
  })

  it('stops reading past the size cap', async () => {
    handle = (_req, res) => res.end('x'.repeat(5_000))
    const r = await post({ maxResponseBytes: 1_000 })
    expect(isFailure(r) && r.reason).toBe('body-too-large')
  })

  it('is a redirect failure, not a response, when the server redirects', async () => {
    handle = (_req, res) => {
      res.writeHead(307, { location: 'http://elsewhere.invalid/' })
      res.end('moved')
    }
    const r = await post()
    expect(isFailure(r) && [r.reason, r.code]).toEqual(['redirect', 'HTTP_307'])
  })

  it('turns what undici refuses to send into a value, not a throw', async () => {
    const r = await send(
      { origin, path: '/', method: 'POST', headers: { 'x-bad': 'a\r\nb' }, body: '' },
      { dispatcher: agent, requestTimeoutMs: 1_000, maxResponseBytes: 1_000 },
    )
    expect(isFailure(r) && r.reason).toBe('network')
    expect(served).toBe(0)
  })

  it('turns a dispatcher that throws into a value, not a throw', async () => {
    const throwing = { dispatch: () => { throw new Error('no dispatching today') } } as unknown as SendOptions['dispatcher']
    const r = await send({ origin, path: '/', method: 'POST', headers: {}, body: '' }, { dispatcher: throwing, requestTimeoutMs: 1_000, maxResponseBytes: 1_000 })
    expect(isFailure(r) && [r.reason, r.message]).toEqual(['network', 'no dispatching today'])
  })

  it("keeps the request's secrets out of undici's messages (a MockAgent that matched nothing quotes every header)", async () => {
    const token = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////'
    const signature = 'a'.repeat(64)
    const mock = new undici.MockAgent()
    mock.disableNetConnect()
    // an interceptor for the same path whose header matcher fails: undici's message then lists the request's headers
    mock.get(origin).intercept({ path: '/', method: 'POST', headers: { 'x-expected': 'yes' } }).reply(200, '<ok/>')
    const r = await send(
      {
        origin,
        path: '/',
        method: 'POST',
        headers: { 'x-amz-security-token': token, authorization: `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${signature}` },
        body: '',
      },
      { dispatcher: mock, requestTimeoutMs: 1_000, maxResponseBytes: 1_000 },
    )
    await mock.close()
    expect(isFailure(r) && r.reason).toBe('network')
    const message = isFailure(r) ? r.message : ''
    expect(message).toContain('[redacted]')
    expect(message).not.toContain(token)
    expect(message).not.toContain(signature)
  })

  it("works through undici 6's handler interface too: the dispatcher Node's built-in fetch installs globally", async () => {
    // Node's own fetch (undici 6 on Node 20 and 22) puts its Agent where undici 7's getGlobalDispatcher looks. If a
    // program calls fetch before it loads this library, the credential providers get that undici 6 dispatcher.
    // That needs a fresh process: here undici 7 has long installed its own.
    handle = (_req, res) => {
      res.setHeader('x-amzn-requestid', 'r-v6')
      res.end(_req.url === '/big' ? 'x'.repeat(5_000) : '<ok/>')
    }
    // (inside the repository, so the bundle resolves undici from node_modules)
    mkdirSync(join(import.meta.dirname, '../../../temp'), { recursive: true })
    const dir = mkdtempSync(join(import.meta.dirname, '../../../temp/transport-v6-'))
    const lib = join(dir, 'transport.mjs')
    await build({ entryPoints: [join(import.meta.dirname, '../../../src/internal/http/Transport.ts')], bundle: true, platform: 'node', format: 'esm', outfile: lib, packages: 'external', absWorkingDir: join(import.meta.dirname, '../../..'), logLevel: 'silent' })
    const script = `
      await (await fetch(${JSON.stringify(origin + '/warm')})).text()
      const builtin = globalThis[Symbol.for('undici.globalDispatcher.1')]
      const { send, globalDispatcher } = await import(${JSON.stringify(pathToFileURL(lib).href)})
      const opts = { dispatcher: globalDispatcher(), requestTimeoutMs: 2000, maxResponseBytes: 1000 }
      const ok = await send({ origin: ${JSON.stringify(origin)}, path: '/', method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Action=X' }, opts)
      const big = await send({ origin: ${JSON.stringify(origin)}, path: '/big', method: 'POST', headers: {}, body: '' }, opts)
      console.log(JSON.stringify({ sameAsBuiltin: globalDispatcher() === builtin, ok, big }))
    `
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '../../..'), timeout: 30_000 })
    rmSync(dir, { recursive: true, force: true })
    const out = JSON.parse(stdout) as { sameAsBuiltin: boolean; ok: WireResponse; big: TransportFailure }
    expect(out.sameAsBuiltin).toBe(true)
    expect([out.ok.statusCode, out.ok.headers['x-amzn-requestid'], out.ok.body]).toEqual([200, 'r-v6', '<ok/>'])
    expect(out.big.reason).toBe('body-too-large')
  })

  it('reports a refused connection as a network failure with its code', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const r = await send(
      { origin: `http://127.0.0.1:${port}`, path: '/', method: 'POST', headers: {}, body: '' },
      { dispatcher: agent, requestTimeoutMs: 1_000, maxResponseBytes: 1_000 },
    )
    expect(isFailure(r) && [r.reason, r.code]).toEqual(['network', 'ECONNREFUSED'])
  })
})

describe('the dispatchers', () => {
  it("the global one is undici's global dispatcher", () => {
    expect(globalDispatcher()).toBe(undici.getGlobalDispatcher())
  })

  it('build the client dispatcher: an Agent, or an EnvHttpProxyAgent when a proxy is set', async () => {
    const direct = createDispatcher({ connectTimeoutMs: 1_000, proxy: { httpProxy: '', httpsProxy: '', noProxy: '' } })
    const proxied = createDispatcher({
      connectTimeoutMs: 1_000,
      proxy: { httpProxy: 'http://127.0.0.1:9', httpsProxy: 'http://127.0.0.1:9', noProxy: '' },
    })
    expect(direct).toBeInstanceOf(undici.Agent)
    expect(proxied).toBeInstanceOf(undici.EnvHttpProxyAgent)
    await Promise.all([direct.close(), proxied.close()])
  })
})

describe('through a proxy (HTTPS_PROXY/HTTP_PROXY, as the config edge resolves them)', () => {
  // A CONNECT proxy on loopback that plays the proxy's DNS: whatever host a tunnel names, it connects to the test
  // server, and records the authority asked for.
  let proxy: Server
  let proxyUrl: string
  let tunnels: Array<string>
  beforeEach(async () => {
    tunnels = []
    proxy = createServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req: IncomingMessage, client: import('node:net').Socket, head: Buffer) => {
      tunnels.push(req.url ?? '')
      const upstream = connect((server.address() as AddressInfo).port, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        upstream.write(head)
        upstream.pipe(client)
        client.pipe(upstream)
      })
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  })
  afterEach(async () => {
    proxy.closeAllConnections()
    await new Promise((resolve) => proxy.close(resolve))
  })

  it('tunnels the request to the named host through the proxy, Host header and body intact', async () => {
    let seen: { host: string | undefined; body: string } | undefined
    handle = (req, res) => {
      seen = { host: req.headers.host, body: '' }
      res.end('<ok/>')
    }
    server.removeAllListeners('request')
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      served++
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        handle(req, res)
        if (seen !== undefined) seen.body = body
      })
    })
    const dispatcher = createDispatcher({ connectTimeoutMs: 2_000, proxy: { httpProxy: proxyUrl, httpsProxy: proxyUrl, noProxy: 'localhost,127.0.0.1,[::1]' } })
    const r = await send(
      { origin: 'http://ec2.proxied.test', path: '/', method: 'POST', headers: { host: 'ec2.proxied.test', 'content-type': 'text/plain' }, body: 'Action=X' },
      { dispatcher, requestTimeoutMs: 2_000, maxResponseBytes: 1_000 },
    )
    await dispatcher.close()
    expect(!isFailure(r) && r.body).toBe('<ok/>')
    expect(tunnels).toEqual(['ec2.proxied.test:80'])
    expect(seen).toEqual({ host: 'ec2.proxied.test', body: 'Action=X' })
  })

  it('goes straight to a host listed in no_proxy (loopback always is)', async () => {
    const dispatcher = createDispatcher({ connectTimeoutMs: 2_000, proxy: { httpProxy: proxyUrl, httpsProxy: proxyUrl, noProxy: 'localhost,127.0.0.1,[::1]' } })
    const r = await send(
      { origin, path: '/', method: 'POST', headers: {}, body: '' },
      { dispatcher, requestTimeoutMs: 2_000, maxResponseBytes: 1_000 },
    )
    await dispatcher.close()
    expect(!isFailure(r) && r.body).toBe('<ok/>')
    expect(tunnels).toEqual([])
    expect(served).toBe(1)
  })

  it('is a network failure, not a throw, when the proxy refuses the tunnel', async () => {
    proxy.removeAllListeners('connect')
    proxy.on('connect', (req: IncomingMessage, client: import('node:net').Socket) => {
      tunnels.push(req.url ?? '')
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
    })
    const dispatcher = createDispatcher({ connectTimeoutMs: 2_000, proxy: { httpProxy: proxyUrl, httpsProxy: proxyUrl, noProxy: '' } })
    const r = await send(
      { origin: 'http://ec2.proxied.test', path: '/', method: 'POST', headers: {}, body: '' },
      { dispatcher, requestTimeoutMs: 2_000, maxResponseBytes: 1_000 },
    )
    await dispatcher.close()
    // not 'aborted': nobody aborted; the proxy said no, and the message says so
    expect(isFailure(r) && [r.reason, r.message]).toEqual(['network', expect.stringContaining('403')])
    expect(tunnels).toEqual(['ec2.proxied.test:80'])
    expect(served).toBe(0)
  })
})
