/**
 * The one pipeline every AWS call of the package runs through, whatever the service:
 *
 * ```
 * input ─► validate ─► serialize (the service's protocol)
 *       ─► [per attempt: credentials ─► sign (Signer) ─► send (Transport) ─► decode (the protocol)] ─► Either
 * ```
 *
 * with `Retry` deciding after each failed attempt. A service is a small description (its signing name and its
 * protocol), an operation another (its shapes, its action, whether a repeat is harmless); the pipeline never asks
 * which service it is talking to. The per-client state a retrying client needs (the dispatcher, the retry quota,
 * the learned clock offset) is passed in, so the EC2 client and the STS calls of the credential chain share the
 * same rules: the quota, `Retry-After`, abort, the injected clock and random, clock-skew correction.
 *
 * @since 0.2.0
 */
import type { Dispatcher } from 'undici'
import type { CallOptions, ResponseMetadata, Runtime, WithMetadata } from '../../Call.js'
import type { AwsCredentialIdentity } from '../../Credentials.js'
import {
  credentialsError,
  transportError,
  type CredentialsError,
  type DecodeError,
  type Ec2ImportError,
  type ServiceError,
} from '../../Ec2ImportError.js'
import { logDebug, type Logger } from '../../Logger.js'
import { validateRequest, type Operation } from '../protocol/Operation.js'
import type { Protocol } from '../protocol/Protocol.js'
import { redact } from '../schema/Schema.js'
import {
  RetryQuota,
  backoffDelay,
  classifyFailure,
  retryAfterMs,
  safeForNonIdempotent,
  type AttemptFailure,
  type RetryPolicy,
} from './Retry.js'
import { signRequest, type HttpRequest } from './Signer.js'
import { send, type WireResponse } from './Transport.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A service: the name its signatures carry and the protocol it speaks.
 *
 * @internal
 */
export interface ServiceDescription {
  /** The SigV4 signing name (`ec2`, `sts`, `iam`, `s3`). */
  readonly signingName: string
  readonly protocol: Protocol
}

/**
 * Where a service's calls go, worked out once from its endpoint URL.
 *
 * @internal
 */
export interface Endpoint {
  readonly origin: string
  /** The endpoint's own path without its trailing `/` (`''` for most). */
  readonly basePath: string
  readonly protocol: 'http:' | 'https:'
  readonly hostname: string
  readonly port: number | undefined
  readonly host: string
}

/**
 * Everything a call needs besides its input: one per client and service, shared by every call.
 *
 * @internal
 */
export interface CallContext {
  readonly service: ServiceDescription
  readonly endpoint: Endpoint
  readonly signingRegion: string
  /** `undefined`: the calls are not signed (STS `AssumeRoleWithWebIdentity`). */
  readonly credentials: (() => Promise<AwsCredentialIdentity>) | undefined
  readonly dispatcher: Dispatcher
  readonly policy: RetryPolicy
  readonly quota: RetryQuota
  /** Service time minus local time, learned from `Date` headers; shared by every service of a client. */
  readonly clock: { offsetMs: number }
  readonly runtime: Pick<Runtime, 'now' | 'random' | 'sleep' | 'uuid'>
  readonly requestTimeoutMs: number
  readonly maxResponseBytes: number
  readonly userAgent: string
  readonly logger: Logger | undefined
}

/**
 * Options of one call as the pipeline takes them: the caller's, and the operation's own deadline for one attempt
 * (an 8 MiB upload part is not bound by the deadline of a small request).
 *
 * @internal
 */
export interface ExecuteOptions extends CallOptions {
  readonly requestTimeoutMs?: number | undefined
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * An endpoint URL as the pipeline uses it.
 *
 * @internal
 */
export const endpointOf = (url: URL): Endpoint => ({
  origin: url.origin,
  basePath: url.pathname.replace(/\/+$/, ''),
  protocol: url.protocol === 'http:' ? 'http:' : 'https:',
  hostname: url.hostname,
  port: url.port === '' ? undefined : Number(url.port),
  host: url.host,
})

// -------------------------------------------------------------------------------------------------
// internal
// -------------------------------------------------------------------------------------------------

// A clock this far off is corrected from the service's `Date` header: within the 5 minutes most AWS services allow
// (EC2 allows 15), so a correction comes before the first RequestExpired.
const SKEW_THRESHOLD_MS = 4 * 60 * 1000

const left = <E>(e: E): { _tag: 'Left'; left: E } => ({ _tag: 'Left', left: e })
const right = <A>(a: A): { _tag: 'Right'; right: A } => ({ _tag: 'Right', right: a })

const header = (res: WireResponse, name: string): string | undefined => {
  const v = res.headers[name]
  return typeof v === 'string' ? v : v?.[0]
}

const withAttempts = (f: ServiceError | DecodeError, attempts: number): ServiceError | DecodeError => ({ ...f, attempts })

const getCredentials = async (
  ctx: CallContext,
): Promise<{ _tag: 'Left'; left: CredentialsError } | { _tag: 'Right'; right: AwsCredentialIdentity | undefined }> => {
  if (ctx.credentials === undefined) return right(undefined)
  try {
    return right(await ctx.credentials())
  } catch (e) {
    return left(credentialsError(e))
  }
}

// `Date` headers change once a second and every response has one: the last one parsed is kept.
let lastDateHeader = ''
let lastDateValue = NaN
const parseHttpDate = (date: string): number => {
  if (date !== lastDateHeader) {
    lastDateValue = Date.parse(date)
    lastDateHeader = date
  }
  return lastDateValue
}

/**
 * Learn the service's clock from a response's `Date` header: a local clock more than a few minutes off would make
 * every signature stale. Returns whether the offset changed (so a skew error is worth one retry).
 */
const learnClockSkew = (ctx: CallContext, date: string | undefined, sentAt: number): boolean => {
  const serverTime = date === undefined ? NaN : parseHttpDate(date)
  if (Number.isNaN(serverTime)) return false
  const offset = serverTime - sentAt
  if (Math.abs(offset - ctx.clock.offsetMs) <= SKEW_THRESHOLD_MS) return false
  ctx.clock.offsetMs = Math.abs(offset) > SKEW_THRESHOLD_MS ? offset : 0
  return true
}

// -------------------------------------------------------------------------------------------------
// pipeline
// -------------------------------------------------------------------------------------------------

/**
 * Run one call: validate, serialize, then attempts (sign, send, decode) until a result, a failure not worth
 * retrying, or the end of the attempts or the quota. Never rejects.
 *
 * @internal
 */
export const execute = async <I, O>(
  ctx: CallContext,
  op: Operation<I, O>,
  input: unknown,
  options: ExecuteOptions | undefined,
): Promise<{ _tag: 'Left'; left: Ec2ImportError } | { _tag: 'Right'; right: WithMetadata<O> }> => {
  const { runtime, policy, service, endpoint } = ctx
  const valid = validateRequest(op, input)
  if (valid._tag === 'Left') return valid
  // The idempotency token made for this call (ImportImage's ClientToken), kept so every Left can name it: a caller
  // whose answer was lost can retry with the same token and cannot start a second import.
  let clientToken = (valid.right as { ClientToken?: string }).ClientToken
  const serialized = service.protocol.serialize(op, valid.right, () => (clientToken = runtime.uuid()))
  const withToken = <E extends object>(e: E): E => (clientToken === undefined ? e : { ...e, clientToken })
  const unsigned: HttpRequest = {
    method: serialized.method,
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    port: endpoint.port,
    path: endpoint.basePath + serialized.path,
    headers: { ...serialized.headers, host: endpoint.host, 'user-agent': ctx.userAgent },
    body: serialized.body,
  }
  const signal = options?.signal
  const requestTimeoutMs = options?.requestTimeoutMs ?? ctx.requestTimeoutMs
  // Log records (and the redacted input, which walks the whole request) are only built when someone listens.
  const debug = ctx.logger?.debug !== undefined
  if (debug) logDebug(ctx.logger, 'ec2-import-image call', { operation: op.name, input: redact(op.input, valid.right) })

  let totalRetryDelay = 0
  let quotaTaken = 0
  let skewRetried = false
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted === true) {
      return left(withToken(transportError(op.name, { reason: 'aborted', code: 'ABORT_ERR', message: 'the request was aborted by the caller' }, attempt - 1)))
    }
    const creds = await getCredentials(ctx)
    if (creds._tag === 'Left') return creds
    let request = unsigned
    if (creds.right !== undefined) {
      try {
        // Signed afresh on every attempt: a new X-Amz-Date, the corrected clock, possibly refreshed credentials.
        request = signRequest(unsigned, creds.right, {
          region: ctx.signingRegion,
          service: service.signingName,
          now: new Date(runtime.now() + ctx.clock.offsetMs),
        })
      } catch (e) {
        return left(credentialsError(e))
      }
    }
    const sentAt = runtime.now()
    // The path sent is the path signed: the signer re-encodes the query strictly, and the server must read that.
    const res = await send(
      { origin: endpoint.origin, path: request.path, method: request.method, headers: request.headers, body: request.body },
      { dispatcher: ctx.dispatcher, requestTimeoutMs, maxResponseBytes: ctx.maxResponseBytes, signal },
    )

    let failure: AttemptFailure
    let skewChanged = false
    if ('_tag' in res) {
      failure = res
    } else {
      skewChanged = learnClockSkew(ctx, header(res, 'date'), sentAt)
      const decoded = service.protocol.decode(op, res, attempt)
      if (decoded._tag === 'Right') {
        ctx.quota.release(quotaTaken)
        if (debug) {
          logDebug(ctx.logger, 'ec2-import-image attempt', {
            operation: op.name,
            attempt,
            statusCode: res.statusCode,
            requestId: decoded.right.requestId,
          })
        }
        const $metadata: ResponseMetadata = {
          requestId: decoded.right.requestId,
          httpStatusCode: res.statusCode,
          attempts: attempt,
          totalRetryDelay,
        }
        // The decoded value was built for this call alone, so $metadata goes onto it rather than onto a copy.
        const value = decoded.right.value as O & { $metadata?: ResponseMetadata }
        value.$metadata = $metadata
        return right(value as WithMetadata<O>)
      }
      failure = decoded.left
    }

    const cls = classifyFailure(failure)
    const finalError = (): Ec2ImportError =>
      withToken(failure._tag === 'TransportFailure' ? transportError(op.name, failure, attempt) : withAttempts(failure, attempt))
    const retryable =
      attempt < policy.maxAttempts &&
      cls !== 'fatal' &&
      (op.idempotent || safeForNonIdempotent(failure)) &&
      (cls !== 'clock-skew' || (skewChanged && !skewRetried))
    let delay = 0
    let cost: number | undefined
    if (retryable) {
      cost = cls === 'clock-skew' ? 0 : ctx.quota.acquire(cls)
      if (cost !== undefined) {
        const after = '_tag' in res ? undefined : retryAfterMs(header(res, 'retry-after'), runtime.now())
        delay = cls === 'clock-skew' ? 0 : backoffDelay(policy, attempt, cls, runtime.random)
        if (after !== undefined) delay = Math.max(delay, Math.min(after, policy.maxDelayMs))
      }
    }
    logDebug(ctx.logger, 'ec2-import-image attempt', {
      operation: op.name,
      attempt,
      statusCode: '_tag' in res ? undefined : res.statusCode,
      requestId: failure._tag === 'TransportFailure' ? undefined : failure.requestId,
      error: failure._tag === 'TransportFailure' ? failure.code ?? failure.reason : failure._tag === 'ServiceError' ? failure.code : 'DecodeError',
      retry: retryable && cost !== undefined,
      delayMs: delay,
    })
    if (!retryable || cost === undefined) return left(finalError())
    if (cls === 'clock-skew') skewRetried = true
    quotaTaken += cost
    if (delay > 0) {
      await runtime.sleep(delay, signal)
      totalRetryDelay += delay
    }
  }
}
