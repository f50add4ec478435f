/**
 * The transport stage: send one signed request with undici and read its response, within a size cap and a time
 * budget. Every failure — refused, reset, timed out, aborted, too large — comes back as a `TransportFailure` value;
 * nothing is thrown past this module.
 *
 * @since 0.1.0
 */
import { Agent, EnvHttpProxyAgent, request, type Dispatcher } from 'undici'
import type { TransportErrorReason } from './Ec2ImportError.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * One HTTP request on the wire: what the signer produced.
 *
 * @internal
 */
export interface WireRequest {
  readonly url: string
  readonly method: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
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

const classifyError = (e: unknown, timedOut: boolean, callerAborted: boolean, headersReceived: boolean): TransportFailure => {
  const code = nodeCodeOf(e) ?? codeOf(e)
  const message = e instanceof Error ? e.message : String(e)
  if (callerAborted) return failure('aborted', code ?? 'ABORT_ERR', 'the request was aborted by the caller')
  if (timedOut) {
    return failure(
      'request-timeout',
      headersReceived ? 'UND_ERR_BODY_TIMEOUT' : 'UND_ERR_HEADERS_TIMEOUT',
      headersReceived ? 'the response body did not complete within the request timeout' : 'no response headers within the request timeout',
    )
  }
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return failure('connect-timeout', code, 'could not connect within the connect timeout')
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return failure('request-timeout', code, 'no complete response within the request timeout')
    case 'UND_ERR_ABORTED':
    case 'ABORT_ERR':
      return failure('aborted', code, 'the request was aborted')
    default:
      return failure('network', code, message)
  }
}

const TOO_LARGE = Symbol('too large')

// The whole body as text, or TOO_LARGE (the stream destroyed) past the cap. Plain 'data' events: cheaper per
// response than an async iterator, which costs a promise per chunk. A stream error rejects, as the iterator would.
const readBody = (stream: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string | typeof TOO_LARGE> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        stream.destroy()
        resolve(TOO_LARGE)
        return
      }
      chunks.push(chunk)
    })
    stream.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')))
    stream.once('error', reject)
  })

// Read through a function so the compiler does not narrow it: the signal can abort while we await.
const isAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

/**
 * Send one request and read the whole response, or say why not.
 *
 * @internal
 */
export const send = async (req: WireRequest, options: SendOptions): Promise<WireResponse | TransportFailure> => {
  const timer = new AbortController()
  const timeout = setTimeout(() => timer.abort(), options.requestTimeoutMs)
  const caller = options.signal
  if (caller?.aborted === true) {
    clearTimeout(timeout)
    return failure('aborted', 'ABORT_ERR', 'the request was aborted by the caller')
  }
  const onAbort = () => timer.abort()
  caller?.addEventListener('abort', onAbort, { once: true })
  let headersReceived = false
  try {
    const res = await request(req.url, {
      dispatcher: options.dispatcher,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
      signal: timer.signal,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      // A caller's dispatcher may carry undici's redirect interceptor; a signed request (its session token, its
      // body) must never be replayed to another host, so every request says no redirects, whoever dispatches it.
      maxRedirections: 0,
    } as Parameters<typeof request>[1])
    headersReceived = true
    const body = await readBody(res.body, options.maxResponseBytes)
    if (body === TOO_LARGE) {
      return failure('body-too-large', 'BODY_TOO_LARGE', `the response body is larger than the ${options.maxResponseBytes}-byte limit`)
    }
    if (res.statusCode >= 300 && res.statusCode < 400 && res.headers['location'] !== undefined) {
      return failure('redirect', `HTTP_${res.statusCode}`, `the endpoint redirected (HTTP ${res.statusCode}); signed requests are not replayed elsewhere`)
    }
    return {
      statusCode: res.statusCode,
      headers: res.headers as WireResponse['headers'],
      body,
    }
  } catch (e) {
    const callerAborted = isAborted(caller)
    return classifyError(e, timer.signal.aborted && !callerAborted, callerAborted, headersReceived)
  } finally {
    clearTimeout(timeout)
    caller?.removeEventListener('abort', onAbort)
  }
}
