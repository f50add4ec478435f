/**
 * The client: `createClient(config)` and the pipeline every call runs through.
 *
 * ```
 * input ─► validate ─► serialize ─► [per attempt: credentials ─► sign ─► send ─► parse/classify/decode] ─► Either
 * ```
 *
 * The stages are the pure functions of `Operation` (validate, serialize, decode), `Signer` and `Transport`; this
 * module only runs them in order, retries the attempt loop by the `Retry` policy, and keeps the per-client state
 * a retrying client needs (the dispatcher, the retry quota, the learned clock offset).
 *
 * @since 0.1.0
 */
import { randomUUID } from 'node:crypto'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Dispatcher } from 'undici'
import type { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'
import { defaultEnvironment, resolveConfig, type ClientConfig, type Logger, type ResolvedConfig } from './ClientConfig.js'
import type { AwsCredentialIdentity } from './Credentials.js'
import type { ProviderEnvironment } from './internal/config/SharedConfigFiles.js'
import type {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  ImportImageTask,
} from './shapes/DescribeImportImageTasks.js'
import type { Either } from 'fp-ts/lib/Either.js'
import { listImportImageTasks, paginateImportImageTasks } from './Paginator.js'
import { TaskPoller, waitForImportImageTask, type WaitOptions } from './Waiter.js'
import type {
  ConfigError,
  CredentialsError,
  DecodeError,
  Ec2ImportError,
  ServiceError,
  TransportError,
} from './Ec2ImportError.js'
import type { ImportImageRequest, ImportImageResult } from './shapes/ImportImage.js'
import { CancelImportTask, DescribeImportImageTasks, ImportImage } from './Operations.js'
import {
  decodeResponse,
  serializeRequest,
  validateRequest,
  type Operation,
} from './internal/protocol/Operation.js'
import {
  RetryQuota,
  backoffDelay,
  classifyFailure,
  retryAfterMs,
  safeForNonIdempotent,
  type AttemptFailure,
  type RetryPolicy,
} from './internal/http/Retry.js'
import { redact } from './internal/schema/Schema.js'
import { signRequest, type HttpRequest } from './internal/http/Signer.js'
import { createDispatcher, send, type TransportFailure, type WireResponse } from './internal/http/Transport.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * What every result carries about the call that produced it, as AWS SDK v3's `$metadata` does.
 *
 * @public
 * @since 0.1.0
 */
export interface ResponseMetadata {
  /** EC2's request id, from the body (`requestId`), else the `x-amzn-requestid` header. */
  readonly requestId: string | undefined
  readonly httpStatusCode: number
  /** Attempts made, the successful one included. */
  readonly attempts: number
  /** Milliseconds spent waiting between attempts. */
  readonly totalRetryDelay: number
}

/**
 * A result with its `$metadata`.
 *
 * @public
 * @since 0.1.0
 */
export type WithMetadata<O> = O & { readonly $metadata: ResponseMetadata }

/**
 * Options of one call.
 *
 * @public
 * @since 0.1.0
 */
export interface CallOptions {
  /** Aborts the call, between attempts as well as during one. */
  readonly signal?: AbortSignal
}

/**
 * The effects a client depends on. Tests pass fixed ones; everyone else takes the defaults.
 *
 * @public
 * @since 0.1.0
 */
export interface Runtime {
  /** Milliseconds since the epoch. */
  readonly now: () => number
  /** Uniform in [0, 1), for backoff jitter. */
  readonly random: () => number
  /** Resolves after `ms`, or early when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  /** A fresh idempotency token. */
  readonly uuid: () => string
  /** The environment the config edge reads (`process.env` and `~` by default). */
  readonly environment?: ProviderEnvironment
}

/**
 * A client of the three operations.
 *
 * @example
 * ```ts
 * import { createClient } from 'ec2-import-image'
 *
 * const ec2 = createClient({ region: 'eu-west-1' })
 * const started = await ec2.importImage({
 *   DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }],
 *   BootMode: 'uefi',
 *   Platform: 'Linux',
 *   LicenseType: 'BYOL',
 * })()
 * // started: Either<Ec2ImportError, ImportImageResult & { $metadata }>
 * await ec2.close()
 * ```
 *
 * @public
 * @since 0.1.0
 */
export interface Ec2ImportClient {
  /** Start an import. A `ClientToken` is generated when absent, so retries can never start a second import. */
  readonly importImage: (
    input: ImportImageRequest,
    options?: CallOptions,
  ) => TaskEither<Ec2ImportError, WithMetadata<ImportImageResult>>
  /** Describe import tasks (one page). */
  readonly describeImportImageTasks: (
    input?: DescribeImportImageTasksRequest,
    options?: CallOptions,
  ) => TaskEither<Ec2ImportError, WithMetadata<DescribeImportImageTasksResult>>
  /** Cancel an active import task. */
  readonly cancelImportTask: (
    input: CancelImportTaskRequest,
    options?: CallOptions,
  ) => TaskEither<Ec2ImportError, WithMetadata<CancelImportTaskResult>>
  /**
   * Run a call with `DryRun: true` and turn EC2's answer into a plain outcome: `DryRunOperation` (HTTP 412) is
   * `{ allowed: true }`, `UnauthorizedOperation` is `{ allowed: false }` with its (possibly encoded) message; any
   * other error stays a `Left`.
   */
  readonly dryRun: {
    readonly importImage: (input: ImportImageRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly describeImportImageTasks: (
      input?: DescribeImportImageTasksRequest,
      options?: CallOptions,
    ) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly cancelImportTask: (
      input: CancelImportTaskRequest,
      options?: CallOptions,
    ) => TaskEither<Ec2ImportError, DryRunOutcome>
  }
  /**
   * Wait for an import task to complete: polls with backoff and jitter (15 s to 120 s by default), reports
   * progress, fails fast when the task is `deleted` (its `StatusMessage` classified), and honours an abort signal and
   * a deadline, optionally cancelling the task on the way out.
   */
  readonly waitForImportImageTask: (importTaskId: string, options?: WaitOptions) => TaskEither<Ec2ImportError, ImportImageTask>
  /** The pages of `DescribeImportImageTasks`, following `NextToken`; a `Left` ends the iteration. */
  readonly paginateImportImageTasks: (
    input?: DescribeImportImageTasksRequest,
    options?: CallOptions,
  ) => AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeImportImageTasksResult>>, void, undefined>
  /** The tasks of every page of `DescribeImportImageTasks`; a `Left` ends the iteration. */
  readonly listImportImageTasks: (
    input?: DescribeImportImageTasksRequest,
    options?: CallOptions,
  ) => AsyncGenerator<Either<Ec2ImportError, ImportImageTask>, void, undefined>
  /** Release every socket the client opened. A dispatcher the caller passed in is left open: it is theirs. */
  readonly close: () => Promise<void>
}

/**
 * What a dry run says: whether the caller may make the call.
 *
 * @public
 * @since 0.1.0
 */
export type DryRunOutcome =
  | { readonly allowed: true; readonly requestId: string | undefined }
  | {
      readonly allowed: false
      readonly message: string
      /** The encoded authorization failure, for `sts:DecodeAuthorizationMessage`, when EC2 sent one. */
      readonly encodedMessage: string | undefined
      readonly requestId: string | undefined
    }

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/** The form body's content type, as the AWS SDKs send it. @internal */
export const CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8'

const USER_AGENT = `ec2-import-image/0.1.0 node/${process.version}`

// A clock this far off is corrected from the service's `Date` header: within the 5 minutes most AWS services allow
// (EC2 allows 15), so a correction comes before the first RequestExpired.
const SKEW_THRESHOLD_MS = 4 * 60 * 1000

// -------------------------------------------------------------------------------------------------
// defaults
// -------------------------------------------------------------------------------------------------

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
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

const defaultRuntime: Runtime = {
  now: Date.now,
  random: Math.random,
  sleep,
  uuid: randomUUID,
}

// -------------------------------------------------------------------------------------------------
// pipeline
// -------------------------------------------------------------------------------------------------

const left = <E>(e: E): Either<E, never> => ({ _tag: 'Left', left: e })
const right = <A>(a: A): Either<never, A> => ({ _tag: 'Right', right: a })

const transportError = (operation: string, f: TransportFailure, attempts: number): TransportError => ({
  _tag: 'TransportError',
  reason: f.reason,
  code: f.code,
  operation,
  message: `${operation}: ${f.message}${f.code === undefined ? '' : ` (${f.code})`} after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
  attempts,
})

const credentialsError = (e: unknown): CredentialsError => {
  const provider =
    typeof e === 'object' && e !== null && typeof (e as { provider?: unknown }).provider === 'string'
      ? (e as { provider: string }).provider
      : 'credentials'
  const message = e instanceof Error ? e.message : 'the credentials provider failed'
  return { _tag: 'CredentialsError', provider, message: `could not get credentials from ${provider}: ${message}` }
}

const withAttempts = (f: ServiceError | DecodeError, attempts: number): ServiceError | DecodeError => ({ ...f, attempts })

const header = (res: WireResponse, name: string): string | undefined => {
  const v = res.headers[name]
  return typeof v === 'string' ? v : v?.[0]
}

interface ClientState {
  readonly config: ResolvedConfig
  readonly runtime: Runtime
  readonly dispatcher: Dispatcher
  readonly quota: RetryQuota
  /** Service time minus local time, learned from `Date` headers. */
  clockOffsetMs: number
  /** Where every call is posted, worked out once from the endpoint. */
  readonly target: Target
}

interface Target {
  readonly origin: string
  readonly path: string
  readonly protocol: 'http:' | 'https:'
  readonly hostname: string
  readonly port: number | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly policy: RetryPolicy
}

const targetOf = (config: ResolvedConfig): Target => {
  const endpoint = config.endpoint
  return {
    origin: endpoint.origin,
    // An endpoint with a path (`https://host/custom`) posts to `/custom/`, as the Smithy ec2Query tests expect.
    path: `${endpoint.pathname.replace(/\/+$/, '')}/`,
    protocol: endpoint.protocol === 'http:' ? 'http:' : 'https:',
    hostname: endpoint.hostname,
    port: endpoint.port === '' ? undefined : Number(endpoint.port),
    headers: { 'content-type': CONTENT_TYPE, host: endpoint.host, 'user-agent': USER_AGENT },
    policy: { maxAttempts: config.maxAttempts, ...config.retry },
  }
}

/** Operations that may be retried after the request may have reached the service. */
const IDEMPOTENT: ReadonlySet<string> = new Set(['ImportImage', 'DescribeImportImageTasks'])

const log = (logger: Logger | undefined, msg: string, fields: Record<string, unknown>): void => {
  try {
    logger?.debug?.(msg, fields)
  } catch {
    // A logger that throws must not break a call.
  }
}

const getCredentials = async (state: ClientState): Promise<Either<CredentialsError, AwsCredentialIdentity>> => {
  try {
    return right(await state.config.credentials())
  } catch (e) {
    return left(credentialsError(e))
  }
}

/**
 * Learn the service's clock from a response's `Date` header: a local clock more than a few minutes off would make
 * every signature stale. Returns whether the offset changed (so a skew error is worth one retry).
 */
const learnClockSkew = (state: ClientState, date: string | undefined, sentAt: number): boolean => {
  const serverTime = date === undefined ? NaN : parseHttpDate(date)
  if (Number.isNaN(serverTime)) return false
  const offset = serverTime - sentAt
  if (Math.abs(offset - state.clockOffsetMs) <= SKEW_THRESHOLD_MS) return false
  state.clockOffsetMs = Math.abs(offset) > SKEW_THRESHOLD_MS ? offset : 0
  return true
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

const runCall = async <I, O>(
  state: ClientState,
  op: Operation<I, O>,
  input: unknown,
  options: CallOptions | undefined,
): Promise<Either<Ec2ImportError, WithMetadata<O>>> => {
  const { config, runtime } = state
  const valid = validateRequest(op, input)
  if (valid._tag === 'Left') return valid
  // The idempotency token made for this call (ImportImage's ClientToken), kept so every Left can name it: a caller
  // whose answer was lost can retry with the same token and cannot start a second import.
  let clientToken = (valid.right as { ClientToken?: string }).ClientToken
  const body = serializeRequest(op, valid.right, () => (clientToken = runtime.uuid()))
  const withToken = <E extends object>(e: E): E => (clientToken === undefined ? e : { ...e, clientToken })
  const target = state.target
  const policy = target.policy
  const unsigned: HttpRequest = {
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port,
    path: target.path,
    headers: target.headers,
    body,
  }
  const idempotent = IDEMPOTENT.has(op.name)
  const signal = options?.signal
  // Log records (and the redacted input, which walks the whole request) are only built when someone listens.
  const debug = config.logger?.debug !== undefined
  if (debug) {
    log(config.logger, 'ec2-import-image call', { operation: op.name, input: redact(op.input, valid.right) })
  }

  let totalRetryDelay = 0
  let quotaTaken = 0
  let skewRetried = false
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted === true) {
      return left(withToken(transportError(op.name, { _tag: 'TransportFailure', reason: 'aborted', code: 'ABORT_ERR', message: 'the request was aborted by the caller' }, attempt - 1)))
    }
    const creds = await getCredentials(state)
    if (creds._tag === 'Left') return creds
    let signed
    try {
      // Signed afresh on every attempt: a new X-Amz-Date, the corrected clock, possibly refreshed credentials.
      signed = signRequest(unsigned, creds.right, {
        region: config.signingRegion,
        service: 'ec2',
        now: new Date(runtime.now() + state.clockOffsetMs),
      })
    } catch (e) {
      return left(credentialsError(e))
    }
    const sentAt = runtime.now()
    const res = await send(
      { origin: target.origin, path: target.path, method: 'POST', headers: signed.headers, body },
      {
        dispatcher: state.dispatcher,
        requestTimeoutMs: config.requestTimeoutMs,
        maxResponseBytes: config.maxResponseBytes,
        signal,
      },
    )

    let failure: AttemptFailure
    let skewChanged = false
    if ('_tag' in res) {
      failure = res
    } else {
      skewChanged = learnClockSkew(state, header(res, 'date'), sentAt)
      const decoded = decodeResponse(op, res, attempt)
      if (decoded._tag === 'Right') {
        state.quota.release(quotaTaken)
        if (debug) {
          log(config.logger, 'ec2-import-image attempt', {
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
      (idempotent || safeForNonIdempotent(failure)) &&
      (cls !== 'clock-skew' || (skewChanged && !skewRetried))
    let delay = 0
    let cost: number | undefined
    if (retryable) {
      cost = cls === 'clock-skew' ? 0 : state.quota.acquire(cls)
      if (cost !== undefined) {
        const after = '_tag' in res ? undefined : retryAfterMs(header(res, 'retry-after'), runtime.now())
        delay = cls === 'clock-skew' ? 0 : backoffDelay(policy, attempt, cls, runtime.random)
        if (after !== undefined) delay = Math.max(delay, Math.min(after, policy.maxDelayMs))
      }
    }
    log(config.logger, 'ec2-import-image attempt', {
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

const ENCODED_MESSAGE = /Encoded authorization failure message:\s*(\S+)/

/**
 * Turn a dry run's answer into an outcome: `DryRunOperation` means allowed, `UnauthorizedOperation` not allowed.
 *
 * @public
 * @since 0.1.0
 */
export const dryRunOutcome = (e: Either<Ec2ImportError, unknown>): Either<Ec2ImportError, DryRunOutcome> => {
  if (e._tag === 'Right') {
    // The service acted as if DryRun were not set: say so rather than pretend it was a dry run.
    return left({
      _tag: 'DecodeError',
      operation: 'DryRun',
      message: 'the service answered a DryRun request with a result instead of DryRunOperation',
      statusCode: 200,
      requestId: undefined,
      body: '',
      errors: [],
      attempts: 1,
    })
  }
  const err = e.left
  if (err._tag === 'ServiceError' && err.code === 'DryRunOperation') {
    return right({ allowed: true, requestId: err.requestId })
  }
  if (err._tag === 'ServiceError' && err.code === 'UnauthorizedOperation') {
    return right({
      allowed: false,
      message: err.serviceMessage,
      encodedMessage: ENCODED_MESSAGE.exec(err.serviceMessage)?.[1],
      requestId: err.requestId,
    })
  }
  return e as Either<Ec2ImportError, never>
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Make a client. It never throws: a configuration problem (no region, a plain-`http` endpoint off loopback) is
 * the `Left` of every call, a `ConfigError`.
 *
 * Anything left out of `config` is resolved as the AWS SDKs and CLI resolve it: the environment, the shared config
 * and credentials files, container and instance metadata.
 *
 * @example
 * ```ts
 * import { createClient } from 'ec2-import-image'
 *
 * const ec2 = createClient({ region: 'us-east-1', maxAttempts: 5 })
 * const page = await ec2.describeImportImageTasks({ Filters: [{ Name: 'task-state', Values: ['active'] }] })()
 * await ec2.close()
 * ```
 *
 * @public
 * @since 0.1.0
 */
export const createClient = (config: ClientConfig = {}, runtime: Partial<Runtime> = {}): Ec2ImportClient => {
  const rt: Runtime = { ...defaultRuntime, ...runtime }
  const resolved = resolveConfig(config, rt.environment ?? defaultEnvironment())
  let state: ClientState | undefined
  let closed = false
  let closing: Promise<void> | undefined
  const ownsDispatcher = config.dispatcher === undefined
  if (resolved._tag === 'Right') {
    const r = resolved.right
    state = {
      config: r,
      runtime: rt,
      dispatcher: r.dispatcher ?? createDispatcher({ connectTimeoutMs: r.connectTimeoutMs, proxy: r.proxy }),
      quota: new RetryQuota(),
      clockOffsetMs: 0,
      target: targetOf(r),
    }
  }
  const configLeft: ConfigError | undefined = resolved._tag === 'Left' ? resolved.left : undefined

  const call =
    <I, O>(op: Operation<I, O>) =>
    (input: unknown, options?: CallOptions): TaskEither<Ec2ImportError, WithMetadata<O>> =>
    async () => {
      if (state === undefined) return left(configLeft!)
      if (closed) return left({ _tag: 'ConfigError', message: `${op.name}: the client is closed` } as ConfigError)
      try {
        return (await runCall(state, op, input, options)) as never
      } catch (e) {
        // Unreachable by design; if a bug gets here, it is still a value, not a rejection.
        return left({
          _tag: 'TransportError',
          reason: 'network',
          code: 'INTERNAL',
          operation: op.name,
          message: `${op.name}: unexpected failure: ${e instanceof Error ? e.message : String(e)}`,
          attempts: 0,
        } as TransportError)
      }
    }

  const importImage = call(ImportImage)
  const describe = call(DescribeImportImageTasks)
  const cancel = call(CancelImportTask)
  const dry =
    <I extends object>(f: (input: unknown, options?: CallOptions) => TaskEither<Ec2ImportError, unknown>) =>
    (input: I | undefined, options?: CallOptions): TaskEither<Ec2ImportError, DryRunOutcome> =>
    async () =>
      dryRunOutcome(await f({ ...(input ?? {}), DryRun: true }, options)()) as never

  const describeTasks = (input: DescribeImportImageTasksRequest = {}, options?: CallOptions) => describe(input, options)
  const cancelTask = (input: CancelImportTaskRequest, options?: CallOptions) => cancel(input, options)
  const waiterDeps = { describe: describeTasks, cancel: cancelTask, runtime: rt }
  const poller = new TaskPoller(waiterDeps)

  return {
    importImage,
    describeImportImageTasks: describeTasks,
    waitForImportImageTask: waitForImportImageTask(waiterDeps, poller),
    paginateImportImageTasks: (input, options) => paginateImportImageTasks(describeTasks, input, options),
    listImportImageTasks: (input, options) => listImportImageTasks(describeTasks, input, options),
    cancelImportTask: cancel,
    dryRun: {
      importImage: dry(importImage),
      describeImportImageTasks: dry(describe),
      cancelImportTask: dry(cancel),
    },
    // One close, however often it is called: undici refuses to close an agent twice.
    close: () =>
      (closing ??= (async () => {
        closed = true
        if (state !== undefined && ownsDispatcher) await state.dispatcher.close()
      })()),
  }
}
