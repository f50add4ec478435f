/**
 * Retries, as AWS's "standard" mode defines them: a policy value (attempts, backoff bounds), a classification of
 * what is worth retrying, exponential backoff with full jitter, and a per-client quota that stops a retry storm.
 *
 * @since 0.1.0
 */
import type { DecodeError, ServiceError } from '../../Ec2ImportError.js'
import type { TransportFailure } from './Transport.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * How many times and how patiently to retry.
 *
 * @public
 * @since 0.1.0
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (AWS default 3). */
  readonly maxAttempts: number
  /** The backoff base for transient errors; throttling uses five times this (AWS: 100 ms and 500 ms). */
  readonly baseDelayMs: number
  /** No single wait is longer than this (AWS: 20 s). */
  readonly maxDelayMs: number
}

/**
 * What kind of failure an attempt met, for retrying.
 *
 * @internal
 */
export type RetryClass = 'throttling' | 'transient' | 'timeout' | 'clock-skew' | 'fatal'

/**
 * The failure of one attempt, as the retry stage sees it.
 *
 * @internal
 */
export type AttemptFailure = ServiceError | DecodeError | TransportFailure

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The standard-mode retry quota: 500 tokens per client; a retry costs 5, a retry after a timeout 10, and a success
 * puts back what its retries took (or 1 when it took none).
 *
 * @internal
 */
export const QUOTA = { capacity: 500, retryCost: 5, timeoutCost: 10, noRetryIncrement: 1 } as const

const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'Unavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  // STS could not reach the identity provider of a web identity token: the AWS SDKs retry it.
  'IDPCommunicationError',
])

const CLOCK_SKEW_CODES: ReadonlySet<string> = new Set([
  'AuthFailure',
  'RequestExpired',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
])

const TRANSIENT_STATUS: ReadonlySet<number> = new Set([500, 502, 503, 504])

const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
])

// Failures that prove the request never reached the service: safe to retry even for a call that is not idempotent.
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

// -------------------------------------------------------------------------------------------------
// classification
// -------------------------------------------------------------------------------------------------

/**
 * Classify an attempt's failure.
 *
 * @internal
 */
export const classifyFailure = (f: AttemptFailure): RetryClass => {
  switch (f._tag) {
    case 'ServiceError':
      if (f.throttling || f.statusCode === 429) return 'throttling'
      if (TRANSIENT_CODES.has(f.code) || TRANSIENT_STATUS.has(f.statusCode)) return 'transient'
      if (CLOCK_SKEW_CODES.has(f.code)) return 'clock-skew'
      return 'fatal'
    case 'DecodeError':
      // A gateway's HTML page in front of EC2 is as transient as EC2's own 5xx.
      return TRANSIENT_STATUS.has(f.statusCode) ? 'transient' : f.statusCode === 429 ? 'throttling' : 'fatal'
    case 'TransportFailure':
      switch (f.reason) {
        case 'connect-timeout':
        case 'request-timeout':
          return 'timeout'
        case 'network':
          return f.code !== undefined && NETWORK_CODES.has(f.code) ? 'transient' : 'fatal'
        default:
          return 'fatal'
      }
  }
}

/**
 * Whether a failure may be retried for a call that is not idempotent: only when the service surely did not act on
 * it (throttled, or never reached).
 *
 * @internal
 */
export const safeForNonIdempotent = (f: AttemptFailure): boolean =>
  (f._tag === 'ServiceError' && f.throttling) ||
  (f._tag === 'TransportFailure' &&
    (f.reason === 'connect-timeout' || (f.code !== undefined && NOT_SENT_CODES.has(f.code))))

// -------------------------------------------------------------------------------------------------
// backoff
// -------------------------------------------------------------------------------------------------

/**
 * Exponential backoff with full jitter: a uniform wait in `[0, min(max, base × 2^(retry-1)))`.
 *
 * @internal
 */
export const backoffDelay = (policy: RetryPolicy, retry: number, cls: RetryClass, random: () => number): number => {
  const base = cls === 'throttling' ? policy.baseDelayMs * 5 : policy.baseDelayMs
  const ceiling = Math.min(policy.maxDelayMs, base * 2 ** Math.min(retry - 1, 30))
  return Math.floor(random() * ceiling)
}

/**
 * A `Retry-After` header in milliseconds (seconds or an HTTP date), if there is one.
 *
 * @internal
 */
export const retryAfterMs = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const s = value.trim()
  if (/^\d+$/.test(s)) return Number(s) * 1000
  const d = Date.parse(s)
  return Number.isNaN(d) ? undefined : Math.max(0, d - now)
}

// -------------------------------------------------------------------------------------------------
// quota
// -------------------------------------------------------------------------------------------------

/**
 * The per-client retry quota.
 *
 * @internal
 */
export class RetryQuota {
  private available: number = QUOTA.capacity
  /** Take the cost of a retry, if the quota has it. */
  acquire(cls: RetryClass): number | undefined {
    const cost = cls === 'timeout' ? QUOTA.timeoutCost : QUOTA.retryCost
    if (this.available < cost) return undefined
    this.available -= cost
    return cost
  }
  /** A call succeeded: give back what its retries took, or a little when it needed none. */
  release(taken: number): void {
    this.available = Math.min(QUOTA.capacity, this.available + (taken > 0 ? taken : QUOTA.noRetryIncrement))
  }
  /** The tokens left (for tests and logs). */
  get tokens(): number {
    return this.available
  }
}

// -------------------------------------------------------------------------------------------------
// the retry loop
// -------------------------------------------------------------------------------------------------

/**
 * Resolves after `ms`, or at once when `signal` aborts: the wait between attempts, cut short by an abort.
 *
 * @internal
 */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted === true) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })

/**
 * What one attempt came to: a value, or a failure with how it may be retried (`fatal`: not at all) and how long the
 * service asked to be left alone (`Retry-After`).
 *
 * @internal
 */
export type AttemptOutcome<A, F> =
  | { readonly _tag: 'Done'; readonly value: A }
  | { readonly _tag: 'Failed'; readonly failure: F; readonly retry: RetryClass; readonly retryAfterMs?: number | undefined }

/**
 * What the loop needs besides the attempt: the policy, the quota when there is one, the effects (injected, so tests
 * are exact), the caller's signal.
 *
 * @internal
 */
export interface RetryContext {
  readonly policy: RetryPolicy
  readonly quota: RetryQuota | undefined
  readonly random: () => number
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  readonly signal?: AbortSignal | undefined
}

/**
 * How the loop ended.
 *
 * @internal
 */
export type RetryResult<A, F> =
  | { readonly _tag: 'Done'; readonly value: A; readonly attempts: number; readonly totalRetryDelay: number }
  | { readonly _tag: 'Failed'; readonly failure: F; readonly attempts: number }
  | { readonly _tag: 'Aborted'; readonly attempts: number }

/**
 * The one retry loop of the package: every AWS call (through the pipeline), the SSO portal and OIDC calls, and the
 * container and instance metadata requests run their attempts through it, so all of them get the same backoff with
 * full jitter, the quota, `Retry-After` (never longer than the policy's longest wait), and an abort that also cuts a
 * wait short. A clock-skew failure is retried at once and costs no quota (the attempt says when one is worth it).
 * `onFailure` hears of each failed attempt, with the wait before the next (`undefined`: none follows).
 *
 * @internal
 */
export const retrying = async <A, F>(
  ctx: RetryContext,
  attempt: (n: number) => Promise<AttemptOutcome<A, F>>,
  onFailure?: (n: number, outcome: AttemptOutcome<A, F> & { readonly _tag: 'Failed' }, delayMs: number | undefined) => void,
): Promise<RetryResult<A, F>> => {
  const { policy, quota, signal } = ctx
  let taken = 0
  let totalRetryDelay = 0
  for (let n = 1; ; n++) {
    if (signal?.aborted === true) return { _tag: 'Aborted', attempts: n - 1 }
    const o = await attempt(n)
    if (o._tag === 'Done') {
      quota?.release(taken)
      return { _tag: 'Done', value: o.value, attempts: n, totalRetryDelay }
    }
    const cls = o.retry
    const cost = n < policy.maxAttempts && cls !== 'fatal' ? (cls === 'clock-skew' || quota === undefined ? 0 : quota.acquire(cls)) : undefined
    if (cost === undefined) {
      onFailure?.(n, o, undefined)
      return { _tag: 'Failed', failure: o.failure, attempts: n }
    }
    let delay = cls === 'clock-skew' ? 0 : backoffDelay(policy, n, cls, ctx.random)
    if (o.retryAfterMs !== undefined) delay = Math.max(delay, Math.min(o.retryAfterMs, policy.maxDelayMs))
    onFailure?.(n, o, delay)
    taken += cost
    if (delay > 0) {
      await ctx.sleep(delay, signal)
      totalRetryDelay += delay
    }
  }
}
