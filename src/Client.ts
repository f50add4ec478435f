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
import type { Either } from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CallOptions, DryRunOutcome, Runtime, WithMetadata } from './Call.js'
import type { ClientConfig } from './ClientConfig.js'
import { decodeError, type Ec2ImportError } from './Ec2ImportError.js'
import {
  CancelImportTask,
  CopyImage,
  CreateTags,
  DeleteSnapshot,
  DeregisterImage,
  DescribeImageAttribute,
  DescribeImages,
  DescribeImportImageTasks,
  DescribeImportSnapshotTasks,
  DescribeSnapshots,
  EC2,
  ImportImage,
  ImportSnapshot,
  ModifyImageAttribute,
  ModifySnapshotAttribute,
  RegisterImage,
  type Operation,
} from './operations/Ec2.js'
import {
  listImages,
  listImportImageTasks,
  listImportSnapshotTasks,
  listSnapshots,
  paginateImages,
  paginateImportImageTasks,
  paginateImportSnapshotTasks,
  paginateSnapshots,
} from './Paginator.js'
import {
  waitForImageAvailable,
  waitForImportImageTask,
  waitForImportSnapshotTask,
  type AvailableImage,
  type CompletedImportSnapshotTask,
  type ImageWaitOptions,
  type ImportSnapshotWaitOptions,
  type WaitOptions,
  type WaiterError,
} from './Waiter.js'
import type { ImageWaitError, ImportImageWaitError, ImportSnapshotWaitError } from './Ec2ImportError.js'
import type { Image } from './shapes/Image.js'
import type { ImportSnapshotTask } from './shapes/DescribeImportSnapshotTasks.js'
import type { Snapshot } from './shapes/DescribeSnapshots.js'
import type { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'
import type {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  ImportImageTask,
} from './shapes/DescribeImportImageTasks.js'
import type { ImportImageRequest, ImportImageResult } from './shapes/ImportImage.js'
import type { ImportSnapshotRequest, ImportSnapshotResult } from './shapes/ImportSnapshot.js'
import type { DescribeImportSnapshotTasksRequest, DescribeImportSnapshotTasksResult } from './shapes/DescribeImportSnapshotTasks.js'
import type { RegisterImageRequest, RegisterImageResult } from './shapes/RegisterImage.js'
import type { DescribeImagesRequest, DescribeImagesResult } from './shapes/DescribeImages.js'
import type { DeregisterImageRequest, DeregisterImageResult } from './shapes/DeregisterImage.js'
import type { CreateTagsRequest, CreateTagsResult } from './shapes/CreateTags.js'
import type { CopyImageRequest, CopyImageResult } from './shapes/CopyImage.js'
import type { ModifyImageAttributeRequest, ModifyImageAttributeResult } from './shapes/ModifyImageAttribute.js'
import type { DescribeImageAttributeRequest, ImageAttribute } from './shapes/DescribeImageAttribute.js'
import type { ModifySnapshotAttributeRequest, ModifySnapshotAttributeResult } from './shapes/ModifySnapshotAttribute.js'
import type { DeleteSnapshotRequest, DeleteSnapshotResult } from './shapes/DeleteSnapshot.js'
import type { DescribeSnapshotsRequest, DescribeSnapshotsResult } from './shapes/DescribeSnapshots.js'
import { createServiceCaller } from './ServiceCaller.js'

export type { CallOptions, DryRunOutcome, ResponseMetadata, Runtime, WithMetadata } from './Call.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A client of EC2's VM Import calls and the AMI calls around an import.
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
  /** Start a snapshot import. A `ClientToken` is generated when absent, so retries can never start a second import. */
  readonly importSnapshot: (input: ImportSnapshotRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<ImportSnapshotResult>>
  /** Describe snapshot import tasks (one page). */
  readonly describeImportSnapshotTasks: (input?: DescribeImportSnapshotTasksRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<DescribeImportSnapshotTasksResult>>
  /** Register an AMI from a snapshot (or an S3 manifest). Not retried once it may have reached EC2: it carries no token. */
  readonly registerImage: (input: RegisterImageRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<RegisterImageResult>>
  /** Describe AMIs (one page). */
  readonly describeImages: (input?: DescribeImagesRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<DescribeImagesResult>>
  /** Deregister an AMI, with `DeleteAssociatedSnapshots` its snapshots too. */
  readonly deregisterImage: (input: DeregisterImageRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<DeregisterImageResult>>
  /** Add or overwrite tags on resources (AMIs, snapshots, import tasks). */
  readonly createTags: (input: CreateTagsRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<CreateTagsResult>>
  /** Copy an AMI from `SourceRegion` into the client's region. A `ClientToken` is generated when absent. */
  readonly copyImage: (input: CopyImageRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<CopyImageResult>>
  /** Change an AMI attribute: its launch permissions, description, … */
  readonly modifyImageAttribute: (input: ModifyImageAttributeRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<ModifyImageAttributeResult>>
  /** Read one attribute of an AMI. */
  readonly describeImageAttribute: (input: DescribeImageAttributeRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<ImageAttribute>>
  /** Change a snapshot's create-volume permissions. */
  readonly modifySnapshotAttribute: (input: ModifySnapshotAttributeRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<ModifySnapshotAttributeResult>>
  /** Delete a snapshot. */
  readonly deleteSnapshot: (input: DeleteSnapshotRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<DeleteSnapshotResult>>
  /** Describe snapshots (one page). */
  readonly describeSnapshots: (input?: DescribeSnapshotsRequest, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<DescribeSnapshotsResult>>
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
    readonly importSnapshot: (input: ImportSnapshotRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly describeImportSnapshotTasks: (input?: DescribeImportSnapshotTasksRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly registerImage: (input: RegisterImageRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly describeImages: (input?: DescribeImagesRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly deregisterImage: (input: DeregisterImageRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly createTags: (input: CreateTagsRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly copyImage: (input: CopyImageRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly modifyImageAttribute: (input: ModifyImageAttributeRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly describeImageAttribute: (input: DescribeImageAttributeRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly modifySnapshotAttribute: (input: ModifySnapshotAttributeRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly deleteSnapshot: (input: DeleteSnapshotRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
    readonly describeSnapshots: (input?: DescribeSnapshotsRequest, options?: CallOptions) => TaskEither<Ec2ImportError, DryRunOutcome>
  }
  /**
   * Wait for an import task to complete: polls with backoff and jitter (15 s to 120 s by default), reports
   * progress, fails fast when the task is `deleted` (its `StatusMessage` classified), and honours an abort signal and
   * a deadline, optionally cancelling the task on the way out.
   */
  readonly waitForImportImageTask: (
    importTaskId: string,
    options?: WaitOptions,
  ) => TaskEither<WaiterError<ImportImageWaitError>, ImportImageTask>
  /**
   * Wait for a snapshot import task to complete: the completed task, its `SnapshotId` typed present. Fails fast on
   * `deleting`/`deleted` with the reason classified (AWS's own `SnapshotImported` waiter waits out its deadline).
   */
  readonly waitForImportSnapshotTask: (
    importTaskId: string,
    options?: ImportSnapshotWaitOptions,
  ) => TaskEither<WaiterError<ImportSnapshotWaitError>, CompletedImportSnapshotTask>
  /**
   * Wait for an AMI to become `available`; fails on `failed`, `invalid`, `error` or `deregistered` with its
   * `StateReason`, and tolerates `InvalidAMIID.NotFound` for a while after `RegisterImage`/`CopyImage`.
   */
  readonly waitForImageAvailable: (imageId: string, options?: ImageWaitOptions) => TaskEither<WaiterError<ImageWaitError>, AvailableImage>
  /** The pages of `DescribeImportSnapshotTasks`, following `NextToken`; a `Left` ends the iteration. */
  readonly paginateImportSnapshotTasks: (
    input?: DescribeImportSnapshotTasksRequest,
    options?: CallOptions,
  ) => AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeImportSnapshotTasksResult>>, void, undefined>
  /** The tasks of every page of `DescribeImportSnapshotTasks`; a `Left` ends the iteration. */
  readonly listImportSnapshotTasks: (
    input?: DescribeImportSnapshotTasksRequest,
    options?: CallOptions,
  ) => AsyncGenerator<Either<Ec2ImportError, ImportSnapshotTask>, void, undefined>
  /** The pages of `DescribeImages`; a `Left` ends the iteration. */
  readonly paginateImages: (
    input?: DescribeImagesRequest,
    options?: CallOptions,
  ) => AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeImagesResult>>, void, undefined>
  /** The images of every page of `DescribeImages`; a `Left` ends the iteration. */
  readonly listImages: (input?: DescribeImagesRequest, options?: CallOptions) => AsyncGenerator<Either<Ec2ImportError, Image>, void, undefined>
  /** The pages of `DescribeSnapshots`; a `Left` ends the iteration. */
  readonly paginateSnapshots: (
    input?: DescribeSnapshotsRequest,
    options?: CallOptions,
  ) => AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeSnapshotsResult>>, void, undefined>
  /** The snapshots of every page of `DescribeSnapshots`; a `Left` ends the iteration. */
  readonly listSnapshots: (
    input?: DescribeSnapshotsRequest,
    options?: CallOptions,
  ) => AsyncGenerator<Either<Ec2ImportError, Snapshot>, void, undefined>
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

const left = <E>(e: E): Either<E, never> => ({ _tag: 'Left', left: e })
const right = <A>(a: A): Either<never, A> => ({ _tag: 'Right', right: a })

const ENCODED_MESSAGE = /Encoded authorization failure message:\s*(\S+)/

/**
 * Turn a dry run's answer into an outcome: `DryRunOperation` means allowed, `UnauthorizedOperation` not allowed.
 *
 * @internal
 * @since 0.1.0
 */
export const dryRunOutcome = (e: Either<Ec2ImportError, unknown>): Either<Ec2ImportError, DryRunOutcome> => {
  if (e._tag === 'Right') {
    // The service acted as if DryRun were not set: say so rather than pretend it was a dry run.
    return left(
      decodeError({
        operation: 'DryRun',
        message: 'the service answered a DryRun request with a result instead of DryRunOperation',
        statusCode: 200,
        requestId: undefined,
        body: '',
        attempts: 1,
      }),
    )
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
  const caller = createServiceCaller(config, runtime)
  const rt = caller.runtime
  const call =
    <I, O>(op: Operation<I, O>) =>
    (input: unknown, options?: CallOptions): TaskEither<Ec2ImportError, WithMetadata<O>> =>
      caller.call(EC2, op, input, options)

  const importImage = call(ImportImage)
  const importSnapshot = call(ImportSnapshot)
  const describeImportSnapshotTasks = call(DescribeImportSnapshotTasks)
  const registerImage = call(RegisterImage)
  const describeImages = call(DescribeImages)
  const deregisterImage = call(DeregisterImage)
  const createTags = call(CreateTags)
  const copyImage = call(CopyImage)
  const modifyImageAttribute = call(ModifyImageAttribute)
  const describeImageAttribute = call(DescribeImageAttribute)
  const modifySnapshotAttribute = call(ModifySnapshotAttribute)
  const deleteSnapshot = call(DeleteSnapshot)
  const describeSnapshots = call(DescribeSnapshots)
  const describe = call(DescribeImportImageTasks)
  const cancel = call(CancelImportTask)
  const dry =
    <I extends object>(f: (input: unknown, options?: CallOptions) => TaskEither<Ec2ImportError, unknown>) =>
    (input: I | undefined, options?: CallOptions): TaskEither<Ec2ImportError, DryRunOutcome> =>
    async () =>
      dryRunOutcome(await f({ ...(input ?? {}), DryRun: true }, options)()) as never

  const describeTasks = (input: DescribeImportImageTasksRequest = {}, options?: CallOptions) => describe(input, options)
  const cancelTask = (input: CancelImportTaskRequest, options?: CallOptions) => cancel(input, options)
  const describeSnapshotTasks = (input: DescribeImportSnapshotTasksRequest = {}, options?: CallOptions) => describeImportSnapshotTasks(input, options)
  const describeImgs = (input: DescribeImagesRequest = {}, options?: CallOptions) => describeImages(input, options)
  const describeSnaps = (input: DescribeSnapshotsRequest = {}, options?: CallOptions) => describeSnapshots(input, options)

  return {
    importImage,
    describeImportImageTasks: describeTasks,
    // One poller per waiter kind and client: concurrent waiters share one Describe call per round.
    waitForImportImageTask: waitForImportImageTask({ describe: describeTasks, cancel: cancelTask, runtime: rt }),
    waitForImportSnapshotTask: waitForImportSnapshotTask({ describe: describeSnapshotTasks, cancel: cancelTask, runtime: rt }),
    waitForImageAvailable: waitForImageAvailable({ describe: describeImgs, runtime: rt }),
    paginateImportSnapshotTasks: (input, options) => paginateImportSnapshotTasks(describeSnapshotTasks, input, options),
    listImportSnapshotTasks: (input, options) => listImportSnapshotTasks(describeSnapshotTasks, input, options),
    paginateImages: (input, options) => paginateImages(describeImgs, input, options),
    listImages: (input, options) => listImages(describeImgs, input, options),
    paginateSnapshots: (input, options) => paginateSnapshots(describeSnaps, input, options),
    listSnapshots: (input, options) => listSnapshots(describeSnaps, input, options),
    paginateImportImageTasks: (input, options) => paginateImportImageTasks(describeTasks, input, options),
    listImportImageTasks: (input, options) => listImportImageTasks(describeTasks, input, options),
    cancelImportTask: cancel,
    importSnapshot,
    describeImportSnapshotTasks,
    registerImage,
    describeImages,
    deregisterImage,
    createTags,
    copyImage,
    modifyImageAttribute,
    describeImageAttribute,
    modifySnapshotAttribute,
    deleteSnapshot,
    describeSnapshots,
    dryRun: {
      importImage: dry(importImage),
      describeImportImageTasks: dry(describe),
      cancelImportTask: dry(cancel),
      importSnapshot: dry(importSnapshot),
      describeImportSnapshotTasks: dry(describeImportSnapshotTasks),
      registerImage: dry(registerImage),
      describeImages: dry(describeImages),
      deregisterImage: dry(deregisterImage),
      createTags: dry(createTags),
      copyImage: dry(copyImage),
      modifyImageAttribute: dry(modifyImageAttribute),
      describeImageAttribute: dry(describeImageAttribute),
      modifySnapshotAttribute: dry(modifySnapshotAttribute),
      deleteSnapshot: dry(deleteSnapshot),
      describeSnapshots: dry(describeSnapshots),
    },
    close: caller.close,
  }
}
