/**
 * The transport stage: send one signed request with undici and read its response, within a size cap and a time
 * budget. Every failure — refused, reset, timed out, aborted, too large — comes back as a `TransportFailure` value;
 * nothing is thrown past this module.
 *
 * @since 0.1.0
 */
import { isAscii } from 'node:buffer'
import type { Dispatcher } from 'undici'
import { Agent, EnvHttpProxyAgent, getGlobalDispatcher } from './UndiciModules.js'
import type { TransportErrorReason } from '../../Ec2ImportError.js'
import type { HttpRequest } from './Signer.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * One HTTP request on the wire: what the signer produced.
 *
 * @internal
 */
export interface WireRequest extends Pick<HttpRequest, 'method' | 'path' | 'headers' | 'body'> {
  /** `https://host[:port]`. */
  readonly origin: string
}

/**
 * One HTTP response, its body read in full.
 *
 * @internal
 */
export interface WireResponse {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: string
}

/**
 * Why an attempt got no response.
 *
 * @internal
 */
export interface TransportFailure {
  readonly _tag: 'TransportFailure'
  readonly reason: TransportErrorReason
  readonly code: string | undefined
  readonly message: string
}

/**
 * The limits of one attempt.
 *
 * @internal
 */
export interface SendOptions {
  readonly dispatcher: Dispatcher
  /** Headers and body of one attempt must arrive within this time. */
  readonly requestTimeoutMs: number
  readonly maxResponseBytes: number
  readonly signal?: AbortSignal | undefined
}

/**
 * Proxy settings, resolved by the config edge from `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY`.
 *
 * @internal
 */
export interface ProxySettings {
  readonly httpProxy: string
  readonly httpsProxy: string
  readonly noProxy: string
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * The client's own dispatcher: keep-alive pools per origin (undici's `Agent` keeps one `Pool` per origin), a
 * connect timeout, and a proxy when the environment names one. Redirects are never followed (undici's default):
 * a signed request must not be replayed to another host.
 *
 * @internal
 */
export const createDispatcher = (options: { readonly connectTimeoutMs: number; readonly proxy: ProxySettings }): Dispatcher => {
  const common = {
    connect: { timeout: options.connectTimeoutMs },
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 60_000,
  }
  const { httpProxy, httpsProxy, noProxy } = options.proxy
  if (httpProxy === '' && httpsProxy === '') return new Agent(common)
  // Values are always passed, so undici never falls back to reading the environment itself.
  return new EnvHttpProxyAgent({ ...common, httpProxy, httpsProxy, noProxy })
}

/**
 * undici's global dispatcher, for the few requests made before a client exists (instance and container metadata).
 *
 * @internal
 */
export const globalDispatcher = (): Dispatcher => getGlobalDispatcher()

// -------------------------------------------------------------------------------------------------
// send
// -------------------------------------------------------------------------------------------------

const failure = (reason: TransportErrorReason, code: string | undefined, message: string): TransportFailure => ({
  _tag: 'TransportFailure',
  reason,
  code,
  message,
})

const codeOf = (e: unknown): string | undefined => {
  if (typeof e !== 'object' || e === null) return undefined
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string') return code
  // undici wraps a socket's own error: the Node code (`ECONNRESET`) is on its cause.
  const cause = (e as { cause?: unknown }).cause
  return cause === e ? undefined : codeOf(cause)
}

const nodeCodeOf = (e: unknown): string | undefined => {
  const cause = typeof e === 'object' && e !== null ? (e as { cause?: unknown }).cause : undefined
  const inner = codeOf(cause)
  return inner !== undefined && inner.startsWith('E') ? inner : codeOf(e)
}

// A failure undici reported. Our own timer and the caller's signal settle the attempt before undici says anything,
// so they never get here; undici's timeouts only fire if the dispatcher has shorter ones of its own. An abort undici
// reports is therefore not the caller's: a proxy that refused the tunnel (`Proxy response (403) !== 200 when HTTP
// Tunneling`), an interceptor. It is a network failure with undici's message, with the request's secrets taken out:
// some undici messages quote the request's headers (a `MockAgent` that matched nothing lists them all).
const classifyError = (e: unknown, headers: Readonly<Record<string, string>>): TransportFailure => {
  const code = nodeCodeOf(e) ?? codeOf(e)
  const message = e instanceof Error ? e.message : String(e)
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return failure('connect-timeout', code, 'could not connect within the connect timeout')
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return failure('request-timeout', code, 'no complete response within the request timeout')
    default:
      return failure('network', code, withoutSecrets(message, headers))
  }
}

const SECRET_HEADERS: ReadonlySet<string> = new Set(['authorization', 'x-amz-security-token'])
const SIGNATURE = /Signature=[0-9a-fA-F]+/g

const withoutSecrets = (message: string, headers: Readonly<Record<string, string>>): string => {
  let out = message.replace(SIGNATURE, 'Signature=[redacted]')
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined && value.length >= 8 && SECRET_HEADERS.has(name.toLowerCase())) out = out.split(value).join('[redacted]')
  }
  return out
}

// Headers from undici's older handler interface: a flat list of names and values, as raw bytes. (HTTP header
// values are ISO-8859-1; a repeated name becomes a list, as undici's own parser makes it.)
const parseRawHeaders = (raw: ReadonlyArray<Buffer | string>): Record<string, string | Array<string>> => {
  const out: Record<string, string | Array<string>> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase()
    const value = raw[i + 1]!.toString('latin1')
    const prev = out[name]
    if (prev === undefined) out[name] = value
    else if (Array.isArray(prev)) prev.push(value)
    else out[name] = [prev, value]
  }
  return out
}

// The body as text. EC2 sends ASCII, and ASCII reads the same as UTF-8 or Latin-1: checked first (one SIMD pass),
// it is copied as Latin-1 rather than decoded as UTF-8, which Node 20 does byte by byte (a 2.2 MB page of 1,000
// tasks: about 15 ms against 1; bench/README.md, "Where the time goes"). Anything else is decoded as UTF-8.
const decodeBody = (bytes: Buffer): string => (isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8'))

/**
 * Send one request and read the whole response, or say why not.
 *
 * It talks to the dispatcher through undici's handler interface (`Dispatcher.dispatch`) rather than `request()`:
 * the body arrives as the chunks undici already holds, with no `Readable` stream, no URL to parse and no
 * `AbortController` per attempt. One timer holds the attempt's whole budget — waiting for a connection, the headers
 * and the body — and ends it through undici's own abort; the caller's signal does the same. Measured in `bench/`
 * (issue 6): this is where most of the per-request cost above raw undici was.
 *
 * The handler speaks both of undici's handler interfaces: undici 7 uses `onRequestStart`…`onResponseError`; an
 * undici 6 dispatcher (Node's built-in `fetch` installs one as the global dispatcher) knows only `onConnect`…
 * `onError`. Both lead to the same few steps below.
 *
 * @internal
 */
export const send = (req: WireRequest, options: SendOptions): Promise<WireResponse | TransportFailure> =>
  new Promise((resolve) => {
    if (options.signal?.aborted === true) {
      resolve(failure('aborted', 'ABORT_ERR', 'the request was aborted by the caller'))
      return
    }
    const attempt = new Attempt(resolve, req.headers, options)
    try {
      options.dispatcher.dispatch(
        {
          origin: req.origin,
          path: req.path,
          method: req.method as Dispatcher.HttpMethod,
          headers: req.headers,
          body: typeof req.body === 'function' ? req.body() : req.body,
          headersTimeout: options.requestTimeoutMs + 1_000,
          bodyTimeout: options.requestTimeoutMs + 1_000,
          maxRedirections: 0,
        } as Dispatcher.DispatchOptions,
        attempt,
      )
    } catch (e) {
      attempt.failed(e)
    }
  })

// One attempt's state and its undici handler, in one object: the handler methods live on the prototype, so an
// attempt allocates this object, its timer and the promise, not a closure per callback.
class Attempt implements Dispatcher.DispatchHandler {
  private settled = false
  private headersReceived = false
  private statusCode = 0
  private headers: WireResponse['headers'] = {}
  private chunks: Array<Buffer> = []
  private size = 0
  private abortWith: ((reason: Error) => void) | undefined = undefined
  private readonly timer: ReturnType<typeof setTimeout>
  private readonly onAbort: (() => void) | undefined

  constructor(
    private readonly resolve: (r: WireResponse | TransportFailure) => void,
    private readonly sentHeaders: Readonly<Record<string, string>>,
    private readonly options: SendOptions,
  ) {
    this.timer = setTimeout(Attempt.timedOut, options.requestTimeoutMs, this)
    const caller = options.signal
    if (caller !== undefined) {
      this.onAbort = () => this.stop(failure('aborted', 'ABORT_ERR', 'the request was aborted by the caller'))
      caller.addEventListener('abort', this.onAbort, { once: true })
    }
  }

  private static timedOut(this: void, a: Attempt): void {
    a.stop(
      a.headersReceived
        ? failure('request-timeout', 'UND_ERR_BODY_TIMEOUT', 'the response body did not complete within the request timeout')
        : failure('request-timeout', 'UND_ERR_HEADERS_TIMEOUT', 'no response headers within the request timeout'),
    )
  }

  private settle(r: WireResponse | TransportFailure): void {
    if (this.settled) return
    this.settled = true
    clearTimeout(this.timer)
    if (this.onAbort !== undefined) this.options.signal?.removeEventListener('abort', this.onAbort)
    this.resolve(r)
  }

  private stop(r: TransportFailure): void {
    this.settle(r)
    this.abortWith?.(new Error(r.message))
  }

  private started(abortWith: (reason: Error) => void): void {
    this.abortWith = abortWith
    if (this.settled) abortWith(new Error('the attempt already ended'))
  }

  private responded(status: number, h: WireResponse['headers']): void {
    if (status < 200) return
    this.headersReceived = true
    this.statusCode = status
    this.headers = h
    this.chunks = []
    this.size = 0
    if (status >= 300 && status < 400 && h['location'] !== undefined) {
      this.stop(failure('redirect', `HTTP_${status}`, `the endpoint redirected (HTTP ${status}); signed requests are not replayed elsewhere`))
    }
  }

  private received(chunk: Buffer): void {
    if (this.settled) return
    this.size += chunk.length
    if (this.size > this.options.maxResponseBytes) {
      this.stop(failure('body-too-large', 'BODY_TOO_LARGE', `the response body is larger than the ${this.options.maxResponseBytes}-byte limit`))
      return
    }
    this.chunks.push(chunk)
  }

  private ended(): void {
    if (this.settled) return
    const { chunks } = this
    this.settle({ statusCode: this.statusCode, headers: this.headers, body: decodeBody(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, this.size)) })
  }

  failed(e: unknown): void {
    this.settle(classifyError(e, this.sentHeaders))
  }

  // undici 7
  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.started((reason) => controller.abort(reason))
  }
  onResponseStart(_c: Dispatcher.DispatchController, status: number, h: Record<string, string | Array<string> | undefined>): void {
    this.responded(status, h as WireResponse['headers'])
  }
  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    this.received(chunk)
  }
  onResponseEnd(): void {
    this.ended()
  }
  onResponseError(_c: Dispatcher.DispatchController, e: Error): void {
    this.failed(e)
  }

  // undici 6
  onConnect(abortWith: (reason: Error) => void): void {
    this.started(abortWith)
  }
  onHeaders(status: number, raw: Array<Buffer>): boolean {
    this.responded(status, parseRawHeaders(raw))
    return true
  }
  onData(chunk: Buffer): boolean {
    this.received(chunk)
    return true
  }
  onComplete(): void {
    this.ended()
  }
  onError(e: Error): void {
    this.failed(e)
  }
}
