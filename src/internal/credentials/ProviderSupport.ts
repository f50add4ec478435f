/**
 * The internal helpers the credential providers share: the {@link CredentialsProviderError} constructors that say
 * "not configured here" or "configured but failed", small value and number parsers, one bounded HTTP request through
 * the client's own transport stage, and the credential document the container and instance metadata services serve.
 *
 * Internal only: nothing here is part of the package's public surface.
 *
 * @since 0.1.0
 */
import type { Dispatcher } from 'undici'
import {
  type AwsCredentialIdentity,
  CredentialsProviderError,
  type CredentialsProviderErrorOptions,
  isCredentialsProviderError,
} from '../../Credentials.js'
import { errorCode } from '../config/SharedConfigFiles.js'
import { RetryQuota, retrying, sleep, type RetryContext } from '../http/Retry.js'

export { sleep } from '../http/Retry.js'
import { globalDispatcher, send } from '../http/Transport.js'

// -------------------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------------------

/**
 * "Not configured here": a chain passes to its next provider.
 *
 * @internal
 * @since 0.1.0
 */
export const notConfigured = (provider: string, message: string): CredentialsProviderError =>
  new CredentialsProviderError(message, { provider, tryNextLink: true })

/**
 * "Configured but failed": a chain stops with this error.
 *
 * @internal
 * @since 0.1.0
 */
export const failed = (
  provider: string,
  message: string,
  extra: Omit<CredentialsProviderErrorOptions, 'provider' | 'tryNextLink'> = {},
): CredentialsProviderError => new CredentialsProviderError(message, { ...extra, provider, tryNextLink: false })

/**
 * Inside a configured profile every failure must stop the chain, even one a nested provider marked
 * "not configured" (e.g. `credential_source = Environment` with no env keys).
 *
 * @internal
 * @since 0.1.0
 */
export const asConfiguredFailure = (e: unknown, provider: string, context: string): CredentialsProviderError => {
  if (isCredentialsProviderError(e)) {
    return e.tryNextLink
      ? failed(e.provider, `${context}: ${e.message}`, { code: e.code, statusCode: e.statusCode })
      : e
  }
  const message = e instanceof Error ? e.message : String(e)
  return failed(provider, `${context}: ${message}`, { cause: e })
}

// -------------------------------------------------------------------------------------------------
// values
// -------------------------------------------------------------------------------------------------

/**
 * A date-time, or `undefined` when the text is not one.
 *
 * @internal
 * @since 0.1.0
 */
export const isoDate = (s: string): Date | undefined => {
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? undefined : d
}

/**
 * The value at a path of keys in a parsed JSON document, or `undefined`.
 *
 * @internal
 * @since 0.1.0
 */
export const field = (o: unknown, ...keys: string[]): unknown => {
  let cur: unknown = o
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined
    cur = (cur as Record<string, unknown>)[k]
  }
  return cur
}

/**
 * A non-empty string, or `undefined`.
 *
 * @internal
 * @since 0.1.0
 */
export const str = (u: unknown): string | undefined => (typeof u === 'string' && u !== '' ? u : undefined)

/**
 * An integer option of at least 1, else `fallback`.
 *
 * @internal
 * @since 0.1.0
 */
export const positiveInt = (n: number | undefined, fallback: number): number =>
  n !== undefined && Number.isInteger(n) && n >= 1 ? n : fallback

/**
 * A finite option of at least 0, else `fallback`.
 *
 * @internal
 * @since 0.1.0
 */
export const nonNegative = (n: number | undefined, fallback: number): number =>
  n !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback

// -------------------------------------------------------------------------------------------------
// HTTP
// -------------------------------------------------------------------------------------------------

/**
 * A failed metadata request: a short reason that carries no request data, and whether nothing answered at all.
 *
 * @internal
 * @since 0.1.0
 */
export class HttpFailure extends Error {
  override readonly name = 'HttpFailure'
  constructor(
    readonly reason: string,
    readonly unreachable: boolean,
  ) {
    super(reason)
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
])

/**
 * Turns an undici/network error into a short description that carries no request data.
 *
 * @internal
 * @since 0.1.0
 */
export const describeNetworkError = (e: unknown): HttpFailure => {
  if (e instanceof HttpFailure) return e
  const name = e instanceof Error ? e.name : ''
  const code = errorCode(e)
  const causeCode = errorCode(e instanceof Error ? e.cause : undefined)
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new HttpFailure('timed out', true)
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') return new HttpFailure('timed out reading the response', false)
  const c = UNREACHABLE_CODES.has(code) ? code : UNREACHABLE_CODES.has(causeCode) ? causeCode : undefined
  if (c !== undefined) return new HttpFailure(`connection failed (${c})`, true)
  return new HttpFailure(`network error (${code !== 'unknown error' ? code : causeCode})`, false)
}

/**
 * The answer to {@link httpRequest}.
 *
 * @internal
 * @since 0.1.0
 */
export interface HttpResult {
  readonly statusCode: number
  readonly body: string
}

/**
 * The request {@link httpRequest} sends, with its deadline and body cap.
 *
 * @internal
 * @since 0.1.0
 */
export interface HttpInit {
  readonly method: 'GET' | 'PUT' | 'POST'
  readonly headers?: Record<string, string>
  readonly body?: string
  readonly dispatcher?: Dispatcher | undefined
  readonly timeoutMs: number
  readonly maxBytes: number
}

/**
 * One bounded request — a total deadline (connect included) and a cap on the body it buffers — through the client's
 * own transport stage, with its failure turned into a short description that carries no request data.
 *
 * @internal
 * @since 0.1.0
 */
export const httpRequest = async (url: URL, init: HttpInit): Promise<HttpResult> => {
  const res = await send(
    { origin: url.origin, path: url.pathname + url.search, method: init.method, headers: init.headers ?? {}, body: init.body ?? '' },
    { dispatcher: init.dispatcher ?? globalDispatcher(), requestTimeoutMs: init.timeoutMs, maxResponseBytes: init.maxBytes },
  )
  if (!('_tag' in res)) return { statusCode: res.statusCode, body: res.body }
  switch (res.reason) {
    case 'body-too-large':
      throw new HttpFailure(`response larger than ${init.maxBytes} bytes`, false)
    case 'connect-timeout':
      throw new HttpFailure('timed out', true)
    case 'request-timeout':
      throw res.code === 'UND_ERR_BODY_TIMEOUT' ? new HttpFailure('timed out reading the response', false) : new HttpFailure('timed out', true)
    default:
      throw describeNetworkError(Object.assign(new Error(res.message), { code: res.code }))
  }
}

/**
 * How a credential source retries: its attempts and base delay, standard-mode backoff with full jitter, a quota of
 * its own, and the random it is given (tests pin it).
 *
 * @internal
 */
export const providerRetry = (maxAttempts: number, baseDelayMs: number, random: () => number = Math.random): RetryContext => ({
  policy: { maxAttempts, baseDelayMs, maxDelayMs: 20_000 },
  quota: new RetryQuota(),
  random,
  sleep,
})

/**
 * One request to a credential source, retried through `Retry.retrying` on a network failure, throttling and 5xx:
 * the first other answer, or what went wrong on the last attempt (a reason that names a status at most).
 * `onNetworkFailure` may throw to stop at once (nothing listening at all should cost one timeout, not several).
 *
 * @internal
 */
export const requestWithRetries = async (
  retry: RetryContext,
  request: () => Promise<HttpResult>,
  onNetworkFailure?: (f: HttpFailure) => void,
): Promise<HttpResult | string> => {
  const r = await retrying<HttpResult, string>(retry, async () => {
    let res: HttpResult
    try {
      res = await request()
    } catch (e) {
      const f = describeNetworkError(e)
      onNetworkFailure?.(f)
      return { _tag: 'Failed', failure: f.reason, retry: 'transient' }
    }
    if (!isTransientStatus(res.statusCode)) return { _tag: 'Done', value: res }
    return { _tag: 'Failed', failure: `HTTP ${res.statusCode}`, retry: res.statusCode === 429 ? 'throttling' : 'transient' }
  })
  switch (r._tag) {
    case 'Done':
      return r.value
    case 'Failed':
      return `failed after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'}: ${r.failure}`
    case 'Aborted':
      return 'aborted'
  }
}

/**
 * Throttling (429) and server errors (5xx): worth another attempt.
 *
 * @internal
 * @since 0.1.0
 */
export const isTransientStatus = (status: number): boolean => status === 429 || status >= 500

// -------------------------------------------------------------------------------------------------
// the metadata services' credential document
// -------------------------------------------------------------------------------------------------

/**
 * The most a metadata service response may hold.
 *
 * @internal
 * @since 0.1.0
 */
export const METADATA_MAX_RESPONSE_BYTES = 64 * 1024

/**
 * Maps the `{AccessKeyId, SecretAccessKey, Token, Expiration}` document ECS, EKS and IMDS serve.
 *
 * @internal
 * @since 0.1.0
 */
export const metadataCredentials = (
  provider: string,
  body: string,
  requireSessionParts: boolean,
): AwsCredentialIdentity => {
  let d: unknown
  try {
    d = JSON.parse(body)
  } catch {
    throw failed(provider, 'the metadata service returned a body that is not JSON')
  }
  const accessKeyId = str(field(d, 'AccessKeyId'))
  const secretAccessKey = str(field(d, 'SecretAccessKey'))
  const sessionToken = str(field(d, 'Token'))
  const expirationText = str(field(d, 'Expiration'))
  const code = str(field(d, 'Code'))
  if (code !== undefined && code !== 'Success') {
    throw failed(provider, `the metadata service answered with Code ${code}`, { code })
  }
  if (
    accessKeyId === undefined ||
    secretAccessKey === undefined ||
    (requireSessionParts && (sessionToken === undefined || expirationText === undefined))
  ) {
    throw failed(provider, 'the metadata service returned a document without the expected credential fields')
  }
  const expiration = expirationText === undefined ? undefined : isoDate(expirationText)
  if (expirationText !== undefined && expiration === undefined) {
    throw failed(provider, 'the metadata service returned an Expiration that is not a date-time')
  }
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(expiration !== undefined ? { expiration } : {}),
  }
}
