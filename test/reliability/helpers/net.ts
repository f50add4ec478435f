/**
 * Loopback network tools the emulator and the scripted server do not have: a TCP pass-through proxy that counts the
 * connections a client holds open (the server side of every socket) and can lose responses after the server acted
 * on the request; a port nothing listens on; a self-signed certificate authority for TLS tests; and a way to force a
 * garbage collection.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

// -------------------------------------------------------------------------------------------------
// TCP proxy
// -------------------------------------------------------------------------------------------------

export interface TcpProxy {
  /** `http://127.0.0.1:PORT`: give it to a client as its endpoint. */
  readonly endpoint: string
  /** Client connections open now. */
  readonly open: () => number
  /** The most client connections open at once. */
  readonly peak: () => number
  /** Client connections accepted in all. */
  readonly accepted: () => number
  /** Responses the proxy lost on purpose (the server had answered; the client saw a reset instead). */
  readonly dropped: () => number
  close(): Promise<void>
}

export interface TcpProxyOptions {
  /**
   * Asked once per response, when its first byte comes back from the server: `true` loses it — the client's
   * connection is reset before any byte of the response reaches it, after the server has acted on the request.
   */
  readonly dropResponse?: () => boolean
}

/** A pass-through proxy from a loopback port to `target` (an `http://127.0.0.1:PORT` endpoint). */
export const startTcpProxy = async (target: string, options: TcpProxyOptions = {}): Promise<TcpProxy> => {
  const { hostname, port } = new URL(target)
  const clients = new Set<Socket>()
  const upstreams = new Set<Socket>()
  let peak = 0
  let accepted = 0
  let dropped = 0
  const server = createServer((client) => {
    accepted++
    clients.add(client)
    peak = Math.max(peak, clients.size)
    const upstream = connect({ host: hostname, port: Number(port) })
    upstreams.add(upstream)
    // A request went up and no byte of its response has come back yet.
    let awaiting = false
    const teardown = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('data', (chunk: Buffer) => {
      awaiting = true
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (awaiting && options.dropResponse?.() === true) {
        dropped++
        client.resetAndDestroy()
        upstream.destroy()
        return
      }
      awaiting = false
      client.write(chunk)
    })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
    client.on('error', teardown)
    upstream.on('error', teardown)
    client.on('close', () => {
      clients.delete(client)
      upstream.destroy()
    })
    upstream.on('close', () => {
      upstreams.delete(upstream)
      client.destroy()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    open: () => clients.size,
    peak: () => peak,
    accepted: () => accepted,
    dropped: () => dropped,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of [...clients, ...upstreams]) s.destroy()
        server.close(() => resolve())
      }),
  }
}

// -------------------------------------------------------------------------------------------------
// a port nothing listens on
// -------------------------------------------------------------------------------------------------

/** A loopback port that was free a moment ago and is closed now: connecting to it is refused. */
export const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

// -------------------------------------------------------------------------------------------------
// TLS
// -------------------------------------------------------------------------------------------------

/** A throwaway certificate authority and two server certificates it signed. */
export interface TestPki {
  /** Where the PEMs came from: made by `openssl` now, or the committed fixtures. */
  readonly source: 'openssl (generated now)' | 'committed fixtures'
  readonly caCert: string
  /** A server certificate for `IP:127.0.0.1` and `DNS:localhost`. */
  readonly serverKey: string
  readonly serverCert: string
  /** A server certificate the same CA signed for another name only (`DNS:not-this-host.invalid`). */
  readonly wrongNameKey: string
  readonly wrongNameCert: string
}

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url))

const readPki = (dir: string, source: TestPki['source']): TestPki => ({
  source,
  caCert: readFileSync(join(dir, 'ca.pem'), 'utf8'),
  serverKey: readFileSync(join(dir, 'server-key.pem'), 'utf8'),
  serverCert: readFileSync(join(dir, 'server.pem'), 'utf8'),
  wrongNameKey: readFileSync(join(dir, 'wrong-name-key.pem'), 'utf8'),
  wrongNameCert: readFileSync(join(dir, 'wrong-name.pem'), 'utf8'),
})

/**
 * Make a CA and two server certificates with `openssl` in a temporary directory (EC P-256 keys, valid one day), or,
 * when there is no `openssl` (or `RELIABILITY_PKI=fixtures`), read the committed test-only fixtures
 * (`test/reliability/fixtures/`).
 */
export const makeTestPki = (): TestPki => {
  // RELIABILITY_PKI=fixtures exercises the fallback on a machine that has openssl.
  if (process.env['RELIABILITY_PKI'] === 'fixtures') return readPki(FIXTURES, 'committed fixtures')
  const dir = mkdtempSync(join(tmpdir(), 'ec2-import-image-pki-'))
  try {
    writePki(dir, 1)
    return readPki(dir, 'openssl (generated now)')
  } catch {
    return readPki(FIXTURES, 'committed fixtures')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Write `ca.pem`, `server.pem`/`server-key.pem` and `wrong-name.pem`/`wrong-name-key.pem` into `dir` with openssl.
 * Throws when openssl is missing or fails. (Also how the committed fixtures were made, with `days` = 36500.)
 */
export const writePki = (dir: string, days: number): void => {
  const openssl = (...args: Array<string>) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 20_000 })
  const key = (name: string) => openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', name)
  key('ca-key.pem')
  openssl('req', '-x509', '-new', '-key', 'ca-key.pem', '-sha256', '-days', String(days), '-subj', '/CN=ec2-import-image test CA (throwaway)', '-out', 'ca.pem')
  const leaf = (name: string, san: string) => {
    key(`${name}-key.pem`)
    openssl('req', '-new', '-key', `${name}-key.pem`, '-subj', `/CN=${name}`, '-out', `${name}.csr`)
    writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`)
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', String(days), '-sha256', '-extfile', `${name}.ext`, '-out', `${name}.pem`)
  }
  leaf('server', 'IP:127.0.0.1,DNS:localhost')
  leaf('wrong-name', 'DNS:not-this-host.invalid')
}

// -------------------------------------------------------------------------------------------------
// garbage collection
// -------------------------------------------------------------------------------------------------

/**
 * A function that runs a full garbage collection, and how it was had: `global.gc` when the worker runs with
 * `--expose-gc` (the reliability config passes it), else V8's `--expose-gc` flag set at run time and `gc` taken from
 * a fresh context.
 */
export const getGc = (): { readonly gc: () => void; readonly how: string } => {
  const existing = (globalThis as { gc?: () => void }).gc
  if (typeof existing === 'function') return { gc: existing, how: 'global.gc (--expose-gc)' }
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  return { gc, how: 'gc via v8.setFlagsFromString' }
}

/** `heapUsed` after a few full collections (finalizers and weak callbacks get their turn between them). */
export const settledHeap = async (gc: () => void): Promise<number> => {
  for (let i = 0; i < 4; i++) {
    gc()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return process.memoryUsage().heapUsed
}
