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
import { headerValue, validateRequest, type Operation } from '../protocol/Operation.js'
import type { Protocol } from '../protocol/Protocol.js'
import { redact } from '../schema/Schema.js'
import {
  classifyFailure,
  retryAfterMs,
  retrying,
  safeForNonIdempotent,
  type AttemptFailure,
  type RetryClass,
  type RetryPolicy,
  type RetryQuota,
} from './Retry.js'
import { signRequest, type HttpRequest } from './Signer.js'
import { send } from './Transport.js'

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

const withAttempts = (f: ServiceError | DecodeError, attempts: number): ServiceError | DecodeError => ({ ...f, attempts })

// The serialized headers with `host` and `user-agent` set, in a new object built key by key: an object spread here
// made a slow object that every later stage paid to read (a twentieth of a request's own CPU at concurrency 16).
const withHostAndAgent = (headers: Readonly<Record<string, string>>, host: string, userAgent: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name in headers) out[name] = headers[name]!
  out['host'] = host
  out['user-agent'] = userAgent
  return out
}

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

/**
 * Learn the service's clock from a response's `Date` header: a local clock more than a few minutes off would make
 * every signature stale. Returns whether the offset changed (so a skew error is worth one retry).
 */
const learnClockSkew = (ctx: CallContext, date: string | undefined, sentAt: number): boolean => {
  const serverTime = date === undefined ? NaN : Date.parse(date)
  if (Number.isNaN(serverTime)) return false
  const offset = serverTime - sentAt
  if (Math.abs(offset - ctx.clock.offsetMs) <= SKEW_THRESHOLD_MS) return false
  ctx.clock.offsetMs = Math.abs(offset) > SKEW_THRESHOLD_MS ? offset : 0
  return true
}

/** A decoded result and what the response said about it. */
interface Answer<O> {
  readonly value: O
  readonly requestId: string | undefined
  readonly statusCode: number
}

/**
 * How a failed attempt may be retried: as `Retry` classifies it, but never for a call that is not idempotent unless
 * the failure proves nothing reached the service, and a clock-skew failure only once and only when the clock
 * estimate moved.
 */
const retryClassOf = <I, O>(op: Operation<I, O>, f: AttemptFailure, skewWorthRetrying: boolean): RetryClass => {
  const cls = classifyFailure(f)
  if (cls === 'fatal') return cls
  if (!op.idempotent && !safeForNonIdempotent(f)) return 'fatal'
  if (cls === 'clock-skew' && !skewWorthRetrying) return 'fatal'
  return cls
}

// -------------------------------------------------------------------------------------------------
// pipeline
// -------------------------------------------------------------------------------------------------

/**
 * Run one call: validate, serialize, then attempts (sign, send, decode) through `Retry.retrying` until a result, a
 * failure not worth retrying, or the end of the attempts or the quota. Never rejects.
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
    headers: withHostAndAgent(serialized.headers, endpoint.host, ctx.userAgent),
    body: serialized.body,
  }
  const signal = options?.signal
  const requestTimeoutMs = options?.requestTimeoutMs ?? ctx.requestTimeoutMs
  // Log records (and the redacted input, which walks the whole request) are only built when someone listens.
  const debug = ctx.logger?.debug !== undefined
  if (debug) logDebug(ctx.logger, 'ec2-import-image call', { operation: op.name, input: redact(op.input, valid.right) })

  let skewRetried = false
  const outcome = await retrying<Answer<O>, AttemptFailure | CredentialsError>(
    { policy, quota: ctx.quota, random: runtime.random, sleep: runtime.sleep, signal },
    async (attempt) => {
      const creds = await getCredentials(ctx)
      if (creds._tag === 'Left') return { _tag: 'Failed', failure: creds.left, retry: 'fatal' }
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
          return { _tag: 'Failed', failure: credentialsError(e), retry: 'fatal' }
        }
      }
      const sentAt = runtime.now()
      // The path sent is the path signed: the signer re-encodes the query strictly, and the server must read that.
      const res = await send(
        { origin: endpoint.origin, path: request.path, method: request.method, headers: request.headers, body: request.body },
        { dispatcher: ctx.dispatcher, requestTimeoutMs, maxResponseBytes: ctx.maxResponseBytes, signal },
      )
      if ('_tag' in res) return { _tag: 'Failed', failure: res, retry: retryClassOf(op, res, false) }
      const skewChanged = learnClockSkew(ctx, headerValue(res.headers, 'date'), sentAt)
      const decoded = service.protocol.decode(op, res, attempt)
      if (decoded._tag === 'Right') {
        if (debug) {
          logDebug(ctx.logger, 'ec2-import-image attempt', { operation: op.name, attempt, statusCode: res.statusCode, requestId: decoded.right.requestId })
        }
        // The decoded value was built for this call alone, so $metadata goes onto it (below) rather than a copy.
        return { _tag: 'Done', value: { value: decoded.right.value, requestId: decoded.right.requestId, statusCode: res.statusCode } }
      }
      const retry = retryClassOf(op, decoded.left, skewChanged && !skewRetried)
      if (retry === 'clock-skew') skewRetried = true
      return { _tag: 'Failed', failure: decoded.left, retry, retryAfterMs: retryAfterMs(headerValue(res.headers, 'retry-after'), runtime.now()) }
    },
    (attempt, o, delayMs) =>
      logDebug(ctx.logger, 'ec2-import-image attempt', {
        operation: op.name,
        attempt,
        statusCode: o.failure._tag === 'ServiceError' || o.failure._tag === 'DecodeError' ? o.failure.statusCode : undefined,
        requestId: o.failure._tag === 'ServiceError' || o.failure._tag === 'DecodeError' ? o.failure.requestId : undefined,
        error:
          o.failure._tag === 'TransportFailure' ? o.failure.code ?? o.failure.reason : o.failure._tag === 'ServiceError' ? o.failure.code : o.failure._tag,
        retry: delayMs !== undefined,
        delayMs: delayMs ?? 0,
      }),
  )
  switch (outcome._tag) {
    case 'Done': {
      const { value, requestId, statusCode } = outcome.value
      const $metadata: ResponseMetadata = { requestId, httpStatusCode: statusCode, attempts: outcome.attempts, totalRetryDelay: outcome.totalRetryDelay }
      ;(value as O & { $metadata?: ResponseMetadata }).$metadata = $metadata
      return right(value as WithMetadata<O>)
    }
    case 'Aborted':
      return left(withToken(transportError(op.name, { reason: 'aborted', code: 'ABORT_ERR', message: 'the request was aborted by the caller' }, outcome.attempts)))
    case 'Failed': {
      const f = outcome.failure
      if (f._tag === 'CredentialsError') return left(f)
      return left(withToken(f._tag === 'TransportFailure' ? transportError(op.name, f, outcome.attempts) : withAttempts(f, outcome.attempts)))
    }
  }
}
