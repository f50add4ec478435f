/**
 * The errors of the client: a closed union, one variant per phase of the pipeline, each carrying what a person needs
 * to act on it. They are plain data (safe to log and to `JSON.stringify`): no secret is ever put in one.
 *
 * @since 0.1.0
 */

import type { ImportImageTask } from './shapes/DescribeImportImageTasks.js'
import type { ImportSnapshotTask } from './shapes/DescribeImportSnapshotTasks.js'
import type { Image, StateReason } from './shapes/Image.js'
import type { ImportFailure } from './ImportTaskFailure.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The client could not be configured (no region, an endpoint that is not `https`, a malformed setting).
 * Nothing was sent.
 *
 * @public
 * @since 0.1.0
 */
export interface ConfigError {
  readonly _tag: 'ConfigError'
  readonly message: string
}

/**
 * One reason a value failed its codec: where (a dotted member path) and why.
 *
 * @public
 * @since 0.1.0
 */
export interface FieldError {
  /** The member path, e.g. `DiskContainers.0.UserBucket.S3Key`; empty for the value itself. */
  readonly path: string
  readonly message: string
}

/**
 * The request broke its shape or a documented rule. Nothing was sent.
 *
 * @public
 * @since 0.1.0
 */
export interface ValidationError {
  readonly _tag: 'ValidationError'
  readonly operation: string
  readonly message: string
  readonly errors: ReadonlyArray<FieldError>
}

/**
 * No credentials could be had: which provider failed and why (never the secret itself).
 *
 * @public
 * @since 0.1.0
 */
export interface CredentialsError {
  readonly _tag: 'CredentialsError'
  readonly provider: string
  readonly message: string
}

/**
 * Why the transport gave up.
 *
 * @public
 * @since 0.1.0
 */
export type TransportErrorReason =
  | 'network'
  | 'connect-timeout'
  | 'request-timeout'
  | 'aborted'
  | 'body-too-large'
  | 'redirect'

/**
 * No usable HTTP response came back: the network failed, a timeout ran out, the caller aborted, or the body was
 * larger than allowed.
 *
 * @public
 * @since 0.1.0
 */
export interface TransportError {
  readonly _tag: 'TransportError'
  readonly reason: TransportErrorReason
  /** The undici or Node error code (`UND_ERR_CONNECT_TIMEOUT`, `ECONNRESET`, …), when there is one. */
  readonly code: string | undefined
  readonly operation: string
  readonly message: string
  readonly attempts: number
  /** The `ClientToken` the call carried (ImportImage): retry with it, and a lost answer cannot start a second import. */
  readonly clientToken?: string
}

/**
 * EC2 answered with its error envelope. `code` is EC2's code, verbatim (`DryRunOperation`,
 * `UnauthorizedOperation`, `RequestLimitExceeded`, `InvalidParameter`, …).
 *
 * @public
 * @since 0.1.0
 */
export interface ServiceError {
  readonly _tag: 'ServiceError'
  readonly code: string
  /** EC2's message, prefixed with the code. */
  readonly message: string
  /** EC2's message as it came. */
  readonly serviceMessage: string
  readonly requestId: string | undefined
  readonly statusCode: number
  /** The code is one EC2 uses to throttle (`RequestLimitExceeded`, …): retry later, slower. */
  readonly throttling: boolean
  readonly operation: string
  readonly attempts: number
  /** The `ClientToken` the call carried (ImportImage): retry with it, and a lost answer cannot start a second import. */
  readonly clientToken?: string
}

/**
 * The response could not be understood: not XML, truncated, not an EC2 envelope, or not matching the result's
 * codec. The raw body is kept (cut to `MAX_KEPT_BODY` characters) so a person can see what came back.
 *
 * @public
 * @since 0.1.0
 */
export interface DecodeError {
  readonly _tag: 'DecodeError'
  readonly operation: string
  readonly message: string
  readonly statusCode: number
  readonly requestId: string | undefined
  readonly body: string
  readonly errors: ReadonlyArray<FieldError>
  readonly attempts: number
  /** The `ClientToken` the call carried (ImportImage): retry with it, and a lost answer cannot start a second import. */
  readonly clientToken?: string
}

/**
 * Why waiting ended without the awaited result. An import-task waiter ends with `task-failed`, `task-not-found`,
 * `timeout` or `aborted` (0.1's set); `waitForImageAvailable` with `image-failed`, `image-not-found`, `timeout` or
 * `aborted`.
 *
 * @public
 * @since 0.1.0
 */
export type WaitErrorReason = ImportTaskWaitErrorReason | ImageWaitErrorReason

/**
 * Why waiting for an import task (image or snapshot) ended without a completed task.
 *
 * @public
 * @since 0.2.0
 */
export type ImportTaskWaitErrorReason = 'task-failed' | 'task-not-found' | 'timeout' | 'aborted'

/**
 * Why waiting for an AMI ended without an available image.
 *
 * @public
 * @since 0.2.0
 */
export type ImageWaitErrorReason = 'image-failed' | 'image-not-found' | 'timeout' | 'aborted'

/**
 * Waiting for an `ImportImage` task ended without a completed task: the task failed (`deleted`/`deleting`, with its
 * `StatusMessage` classified), is unknown to EC2 (after the grace period), or the deadline or an abort came first.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportImageWaitError {
  readonly _tag: 'WaitError'
  /** What the waiter was watching: narrows `task` and `reason`. */
  readonly resource: 'import-image-task'
  readonly reason: ImportTaskWaitErrorReason
  readonly importTaskId: string
  readonly message: string
  /** The task as last seen, when it was seen. */
  readonly task: ImportImageTask | undefined
  /** For `task-failed`: the classified `StatusMessage`. */
  readonly failure: ImportFailure | undefined
  /** Whether the waiter cancelled the task on the way out (`cancelOnAbort`). */
  readonly cancelled: boolean
}

/**
 * Waiting for an `ImportSnapshot` task ended without a completed task: as for an image import, with the
 * `SnapshotTaskDetail.StatusMessage` classified.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportSnapshotWaitError {
  readonly _tag: 'WaitError'
  readonly resource: 'import-snapshot-task'
  readonly reason: ImportTaskWaitErrorReason
  readonly importTaskId: string
  readonly message: string
  /** The task as last seen, when it was seen. */
  readonly task: ImportSnapshotTask | undefined
  /** For `task-failed`: the classified `SnapshotTaskDetail.StatusMessage`. */
  readonly failure: ImportFailure | undefined
  /** Whether the waiter cancelled the task on the way out (`cancelOnAbort`). */
  readonly cancelled: boolean
}

/**
 * Waiting for an AMI to become `available` ended otherwise: the image went `failed`, `invalid`, `error` or
 * `deregistered` (with EC2's `StateReason`), stayed unknown past the grace period, or the deadline or an abort came
 * first. There is no task to cancel, so `cancelled` is always `false`.
 *
 * @public
 * @since 0.2.0
 */
export interface ImageWaitError {
  readonly _tag: 'WaitError'
  readonly resource: 'image'
  readonly reason: ImageWaitErrorReason
  readonly imageId: string
  readonly message: string
  /** The image as last seen, when it was seen. */
  readonly task: Image | undefined
  /** For `image-failed`: why, as EC2 put it (`Code`, `Message`), when it said. */
  readonly stateReason: StateReason | undefined
  /** Always `undefined`: an image's failure is not an import task's `StatusMessage`. */
  readonly failure: undefined
  readonly cancelled: false
}

/**
 * Waiting ended without the awaited result. `resource` says what was watched, and narrows the rest: the import
 * task's id and its classified failure, or the image's id and its `StateReason`.
 *
 * @public
 * @since 0.1.0
 */
export type WaitError = ImportImageWaitError | ImportSnapshotWaitError | ImageWaitError

/**
 * Paging through `DescribeImportImageTasks` went wrong: the service repeated a `NextToken`, which would page forever.
 *
 * @public
 * @since 0.1.0
 */
export interface PaginationError {
  readonly _tag: 'PaginationError'
  readonly message: string
  readonly nextToken: string
  readonly pages: number
}

/**
 * Every error the client returns in a `Left`.
 *
 * @public
 * @since 0.1.0
 */
export type Ec2ImportError =
  | ConfigError
  | ValidationError
  | CredentialsError
  | TransportError
  | ServiceError
  | DecodeError
  | WaitError
  | PaginationError

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * How much of an unreadable body a `DecodeError` keeps.
 *
 * @public
 * @since 0.1.0
 */
export const MAX_KEPT_BODY = 8192

/**
 * The codes EC2 and the AWS SDKs treat as throttling (smithy `service-error-classification`).
 *
 * @public
 * @since 0.1.0
 */
export const THROTTLING_CODES: ReadonlySet<string> = new Set([
  'RequestLimitExceeded',
  'EC2ThrottledException',
  'Throttling',
  'ThrottlingException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
])

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * @internal
 */
export const configError = (message: string): ConfigError => ({ _tag: 'ConfigError', message })

/**
 * @internal
 */
export const validationError = (operation: string, errors: ReadonlyArray<FieldError>): ValidationError => ({
  _tag: 'ValidationError',
  operation,
  message: `${operation} request is invalid: ${errors.map((e) => (e.path === '' ? e.message : `${e.path}: ${e.message}`)).join('; ')}`,
  errors,
})

/**
 * @internal
 */
export const serviceError = (args: {
  readonly operation: string
  readonly code: string
  readonly serviceMessage: string
  readonly requestId: string | undefined
  readonly statusCode: number
  readonly attempts: number
}): ServiceError => ({
  _tag: 'ServiceError',
  code: args.code,
  message: `${args.code}: ${args.serviceMessage}`,
  serviceMessage: args.serviceMessage,
  requestId: args.requestId,
  statusCode: args.statusCode,
  throttling: THROTTLING_CODES.has(args.code),
  operation: args.operation,
  attempts: args.attempts,
})

/**
 * No usable response: what the transport said, after how many attempts.
 *
 * @internal
 */
export const transportError = (
  operation: string,
  f: { readonly reason: TransportErrorReason; readonly code: string | undefined; readonly message: string },
  attempts: number,
): TransportError => ({
  _tag: 'TransportError',
  reason: f.reason,
  code: f.code,
  operation,
  message: `${operation}: ${f.message}${f.code === undefined ? '' : ` (${f.code})`} after ${attempts} attempt${attempts === 1 ? '' : 's'}`,
  attempts,
})

/**
 * A credentials provider failed (it rejected, or its credentials could not sign). The provider's name comes from
 * the error (`CredentialsProviderError.provider`, as AWS SDK v3's providers set it) when it has one.
 *
 * @internal
 */
export const credentialsError = (e: unknown): CredentialsError => {
  const provider =
    typeof e === 'object' && e !== null && typeof (e as { provider?: unknown }).provider === 'string'
      ? (e as { provider: string }).provider
      : 'credentials'
  const message = e instanceof Error ? e.message : 'the credentials provider failed'
  return { _tag: 'CredentialsError', provider, message: `could not get credentials from ${provider}: ${message}` }
}

// EC2 echoes a disk's `url`, often presigned: its query holds a signature and maybe a session token.
const URL_QUERY = /(https?:\/\/[^\s"'<>?]*)\?[^\s"'<>]*/gi

const keptBody = (body: string): string => {
  const cut = body.length > MAX_KEPT_BODY ? `${body.slice(0, MAX_KEPT_BODY)}…[${body.length - MAX_KEPT_BODY} more characters]` : body
  return cut.replace(URL_QUERY, '$1?[redacted]')
}

/**
 * @internal
 */
export const decodeError = (args: {
  readonly operation: string
  readonly message: string
  readonly statusCode: number
  readonly requestId: string | undefined
  readonly body: string
  readonly errors?: ReadonlyArray<FieldError>
  readonly attempts: number
}): DecodeError => ({
  _tag: 'DecodeError',
  operation: args.operation,
  message: args.message,
  statusCode: args.statusCode,
  requestId: args.requestId,
  body: keptBody(args.body),
  errors: args.errors ?? [],
  attempts: args.attempts,
})

// -------------------------------------------------------------------------------------------------
// refinements
// -------------------------------------------------------------------------------------------------

/**
 * Whether an error is EC2's error with this code.
 *
 * @public
 * @since 0.1.0
 */
export const isServiceError =
  (code?: string) =>
  (e: Ec2ImportError): e is ServiceError =>
    e._tag === 'ServiceError' && (code === undefined || e.code === code)

/**
 * A `DryRun` request that would have succeeded comes back as this error (HTTP 412).
 *
 * @public
 * @since 0.1.0
 */
export const isDryRunOperation: (e: Ec2ImportError) => e is ServiceError = isServiceError('DryRunOperation')

/**
 * The caller lacks a permission. The message may hold an encoded authorization failure
 * (`sts:DecodeAuthorizationMessage` decodes it).
 *
 * @public
 * @since 0.1.0
 */
export const isUnauthorizedOperation: (e: Ec2ImportError) => e is ServiceError =
  isServiceError('UnauthorizedOperation')

/**
 * What to do about `ResourceCountLimitExceeded`.
 *
 * @public
 * @since 0.2.0
 */
export const RESOURCE_COUNT_LIMIT_HINT =
  'Too many import tasks are active in this account and region (a VM Import quota): ' +
  'wait for running tasks to complete (or cancel stale ones with CancelImportTask) and retry, or ask for a higher quota in Service Quotas.'

/**
 * Too many import tasks are active at once (`ImportImage`, `ImportSnapshot`). Nothing was started, and retrying at
 * once fails the same way: it is not throttling, so the client does not retry it; retry when a running task has
 * ended (`RESOURCE_COUNT_LIMIT_HINT` says so in words).
 *
 * @public
 * @since 0.2.0
 */
export const isResourceCountLimitExceeded = (
  e: Ec2ImportError,
): e is ServiceError & { readonly code: 'ResourceCountLimitExceeded' } =>
  e._tag === 'ServiceError' && e.code === 'ResourceCountLimitExceeded'
