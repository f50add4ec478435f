/**
 * The embedded local endpoint: an HTTP server on 127.0.0.1 that speaks EC2's Query protocol for VM Import
 * (`ImportImage`, `DescribeImportImageTasks`, `CancelImportTask`) and the snapshot path around it (`ImportSnapshot`,
 * `DescribeImportSnapshotTasks`, `RegisterImage`, `DescribeImages`, `DeregisterImage`, `CreateTags`, `CopyImage`,
 * `ModifyImageAttribute`, `DescribeImageAttribute`, `ModifySnapshotAttribute`, `DeleteSnapshot`,
 * `DescribeSnapshots`), so the example, the command line, the tests and other tools can run a whole import without
 * an AWS account.
 *
 * One endpoint serves many regions: the region of a request is the region of its SigV4 credential scope, and each
 * region has its own tasks, snapshots and images (`CopyImage` reads its `SourceRegion`'s).
 *
 * One endpoint serves every service the package calls, chosen by the service of the SigV4 credential scope: `ec2`
 * (here), `s3` (`S3Service`: buckets, objects, multipart uploads with verified checksums), `iam` and `sts`
 * (`IamService`: roles and policies, `GetCallerIdentity`). IAM and S3 are per account, not per region. In strict
 * mode, `ImportImage` and `ImportSnapshot` check the service role and the S3 object as VM Import does.
 *
 * One request goes through a fixed pipe, each stage answering with EC2's error envelope when it refuses:
 *
 * ```
 * read body ─► faults (latency, reset, throttle, 5xx) ─► SigV4 ─► Action/Version ─► QueryReader (UnknownParameter)
 *          ─► permissions (UnauthorizedOperation) ─► codec + documented rules ─► DryRun (412)
 *          ─► the region's stores (TaskStore, ImageStore) ─► XmlWriter
 * ```
 *
 * Nothing a client sends can make the handler throw: an unexpected exception becomes `500 InternalError`.
 *
 * @since 0.1.0
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { CopyImageRequest } from '../shapes/CopyImage.js'
import type { CreateTagsRequest } from '../shapes/CreateTags.js'
import type { DeleteSnapshotRequest } from '../shapes/DeleteSnapshot.js'
import type { DeregisterImageRequest } from '../shapes/DeregisterImage.js'
import type { DescribeImageAttributeRequest } from '../shapes/DescribeImageAttribute.js'
import type { DescribeImagesRequest } from '../shapes/DescribeImages.js'
import type { ImportImageTask } from '../shapes/DescribeImportImageTasks.js'
import type { DescribeImportSnapshotTasksRequest, ImportSnapshotTask } from '../shapes/DescribeImportSnapshotTasks.js'
import type { DescribeSnapshotsRequest, Snapshot } from '../shapes/DescribeSnapshots.js'
import type { Image } from '../shapes/Image.js'
import type { ImportSnapshotRequest } from '../shapes/ImportSnapshot.js'
import type { ModifyImageAttributeRequest } from '../shapes/ModifyImageAttribute.js'
import type { ModifySnapshotAttributeRequest } from '../shapes/ModifySnapshotAttribute.js'
import type { RegisterImageRequest } from '../shapes/RegisterImage.js'
import type { Tag } from '../shapes/Tag.js'
import { validateRequest, type Operation } from '../internal/protocol/Operation.js'
import * as Operations from '../operations/Ec2.js'
import { asWire } from '../internal/schema/Schema.js'
import { partitionOf } from '../internal/config/Partition.js'
import { makeClock, type ClockMode, type EmulatorClock } from './Clock.js'
import {
  dryRunOperation,
  ec2Error,
  fromFieldErrors,
  missingParameter,
  unauthorizedOperation,
  type Ec2Error,
} from './Ec2Errors.js'
import { makeFaults, type EmulatorFaults } from './Faults.js'
import {
  applyTags,
  ImageStore,
  tagCountAfter,
  tagLimitExceeded,
} from './ImageStore.js'
import { left, right } from './Listing.js'
import { parseForm, readQuery, type QueryResult } from './QueryReader.js'
import { handleQuery, writeQueryError, type Caller } from './IamService.js'
import { IamStore, type EmulatorManagedPolicy, type EmulatorRole } from './IamStore.js'
import { isAllowed, trustAdmits } from './PolicyEvaluator.js'
import { drainBody, handleS3, writeS3Error, type S3Answer } from './S3Service.js'
import { S3Errors, S3Store, type EmulatorBucket, type S3Error } from './S3Store.js'
import { scopeServiceOf, verifySigV4, type Verdict } from './SigV4Verifier.js'
import { DEFAULT_PHASES, TaskStore, type Outcome, type PhaseDurations, type StrictFailure } from './TaskStore.js'
import { writeError, writeResult } from './XmlWriter.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The actions the emulator serves: VM Import's three (0.1) and the snapshot path's twelve (0.2).
 *
 * @public
 * @since 0.1.0
 */
export type EmulatorAction =
  | 'ImportImage'
  | 'DescribeImportImageTasks'
  | 'CancelImportTask'
  | 'ImportSnapshot'
  | 'DescribeImportSnapshotTasks'
  | 'RegisterImage'
  | 'DescribeImages'
  | 'DeregisterImage'
  | 'CreateTags'
  | 'CopyImage'
  | 'ModifyImageAttribute'
  | 'DescribeImageAttribute'
  | 'ModifySnapshotAttribute'
  | 'DeleteSnapshot'
  | 'DescribeSnapshots'

/**
 * The services one endpoint serves, by the service name of the SigV4 credential scope.
 *
 * @public
 * @since 0.2.0
 */
export type EmulatorService = 'ec2' | 's3' | 'iam' | 'sts'

/**
 * An S3 object as the emulator keeps it, for tests to assert on.
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorS3Object {
  readonly size: number
  /** Quoted, as in the `ETag` header (`"…-N"` for a multipart upload). */
  readonly etag: string
  /** The object's checksum as `HeadObject` reports it with `x-amz-checksum-mode: ENABLED`. */
  readonly checksum?: { readonly algorithm: 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256'; readonly type: 'FULL_OBJECT' | 'COMPOSITE'; readonly value: string }
  /** The SSE-KMS key, when the object is encrypted with one. */
  readonly kmsKeyId?: string
  /** The bytes, when the object is within `maxStoredObjectBytes`. */
  readonly body?: Uint8Array
}

/**
 * A multipart upload in progress.
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorMultipartUpload {
  readonly bucket: string
  readonly key: string
  readonly uploadId: string
  /** The part numbers uploaded so far, ascending. */
  readonly parts: ReadonlyArray<number>
}

/**
 * A role as the emulator's IAM holds it.
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorRoleView {
  readonly name: string
  readonly arn: string
  readonly trustPolicy: string
  readonly inlinePolicies: Readonly<Record<string, string>>
  readonly attachedPolicyArns: ReadonlyArray<string>
  readonly permissionsBoundaryArn?: string
}

/**
 * A snapshot as the emulator's `DescribeSnapshots` shows it.
 *
 * @public
 * @since 0.2.0
 */
export type EmulatorSnapshot = Snapshot

/**
 * A key pair the emulator accepts (and that a client signs with).
 *
 * @public
 * @since 0.1.0
 */
export interface EmulatorCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  /** When set, every request must carry it as `X-Amz-Security-Token`, as temporary credentials must. */
  readonly sessionToken?: string
}

/**
 * One request as the emulator saw it, for tests to assert on.
 *
 * @public
 * @since 0.1.0
 */
export interface LoggedRequest {
  /** The `requestId` (or `RequestID`) of the response. */
  readonly requestId: string
  /**
   * The service that answered, from the request's credential scope (`ec2` when it names none the endpoint serves).
   *
   * @since 0.2.0
   */
  readonly service: EmulatorService
  /** The `Action` parameter, if any; for S3, the operation the method and path name (`UploadPart`). */
  readonly action: string | undefined
  /**
   * The form fields (or query parameters of a GET, and of every S3 request), decoded; a `Url`'s query string is
   * redacted.
   */
  readonly params: Readonly<Record<string, string>>
  /** The request headers, names in lowercase; `Authorization` and `X-Amz-Security-Token` values redacted. */
  readonly headers: Readonly<Record<string, string>>
  /** The HTTP status sent; `0` when the connection was reset instead. */
  readonly status: number
  /** The error code sent (EC2's, S3's, IAM's or STS's), absent on success. */
  readonly errorCode?: string
  /** The injected fault, absent when there was none. */
  readonly fault?: 'reset' | 'throttle' | 'server-error'
  /** When the request arrived, on the emulator's clock (ms since the epoch). */
  readonly timestamp: number
}

/**
 * Options of `startEmulator`. Every option has a default that runs a realistic import in a few seconds.
 *
 * @public
 * @since 0.1.0
 */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; `0` (the default) picks a free one. */
  readonly port?: number
  /**
   * The endpoint's main region: the one `Emulator.region` names and `tasks()` reads. Default the first of `regions`,
   * else `us-east-1`.
   */
  readonly region?: string
  /**
   * The regions a request may be for (its SigV4 credential scope names one); each has its own tasks, snapshots and
   * images. `'any'`: every well-formed region name (`us-east-1`, `eu-central-2`, `us-gov-west-1`, …). Default:
   * `region` alone, so a signature scoped to another region is refused, as in 0.1.
   *
   * @since 0.2.0
   */
  readonly regions?: ReadonlyArray<string> | 'any'
  /** The 12-digit account that owns every task, snapshot and image (`Owners: ['self']`). Default `123456789012`. */
  readonly accountId?: string
  /**
   * Emulator milliseconds of work a new image (`RegisterImage`, `CopyImage`) and a copied snapshot stay `pending`
   * before `available` / `completed`. Default 60 s (0.6 s of real time at the default speed).
   *
   * @since 0.2.0
   */
  readonly imagePendingMs?: number
  /**
   * Eventual consistency: for this many milliseconds of the emulator's clock after `RegisterImage` or `CopyImage`,
   * the new image answers `InvalidAMIID.NotFound` and is left out of `DescribeImages`, as EC2 may do right after
   * creating it. Default 0 (consistent at once).
   *
   * @since 0.2.0
   */
  readonly eventualConsistencyMs?: number
  /**
   * The `StatusMessage` of a snapshot import task whose source contains `failureMarker`. Default
   * `ClientError: Disk validation failed [Unsupported VMDK File Format]`.
   *
   * @since 0.2.0
   */
  readonly snapshotFailureMessage?: string
  /**
   * A snapshot import whose source contains this string fails. Default `failureMarker`; `''` disables, so a disk that
   * `ImportImage` refuses for its guest (unknown OS) still imports as a snapshot, as on AWS.
   *
   * @since 0.2.0
   */
  readonly snapshotFailureMarker?: string
  /** The key pair(s) accepted. Default `DEFAULT_EMULATOR_CREDENTIALS`. */
  readonly credentials?: EmulatorCredentials | ReadonlyArray<EmulatorCredentials>
  /**
   * How time moves. `'manual'`: only by `clock.advance`. `{ speed }`: the clock follows real time and import work
   * runs `speed` times faster. Default `{ speed: 100 }`, which completes a default import in about 3 s.
   */
  readonly clock?: ClockMode
  /** Phase durations in emulator milliseconds of work; missing ones keep `DEFAULT_PHASES`. */
  readonly phases?: Partial<PhaseDurations>
  /** How many tasks may be `active` at once before `ImportImage` answers `ResourceLimitExceeded`. Default 20. */
  readonly maxActiveTasks?: number
  /** A disk whose `S3Key` or `Url` contains this string fails after converting. Default `fail`; `''` disables. */
  readonly failureMarker?: string
  /** The `StatusMessage` of such a failure. Default `ClientError: Unknown OS / Missing OS files.` */
  readonly failureMessage?: string
  /** The actions the caller may perform; the others answer `403 UnauthorizedOperation`. Default all of them. */
  readonly permissions?: Iterable<EmulatorAction>
  /** Injected faults; none by default. */
  readonly faults?: EmulatorFaults
  /**
   * How far `X-Amz-Date` may be from the emulator's clock before `RequestExpired`. Default 15 minutes, as AWS's
   * Common Errors page states for `RequestExpired`.
   */
  readonly maxClockSkewMs?: number
  /** How long finished tasks stay visible, on the emulator's clock. Default 7 days, as EC2. */
  readonly retentionMs?: number
  /** Called after each response (or reset) with its log entry. An exception it throws is ignored. */
  readonly onRequest?: (request: LoggedRequest) => void
  /**
   * Strict mode: `ImportImage` and `ImportSnapshot` check what VM Import checks. A service role (`RoleName`, default
   * `vmimport`) that does not exist (or not yet, see `roleDelayMs`) or whose trust policy does not let
   * `vmie.amazonaws.com` assume it is refused at once with `InvalidParameter: The service role <name> provided does
   * not exist or does not have sufficient permissions`; a `UserBucket` object that is missing, in a bucket of another
   * region, or that the role may not `s3:GetObject` (its policies, boundary and the bucket policy) ends the task
   * `deleted` with `ClientError: Disk validation failed [We do not have access to the given resource. Reason 403
   * Forbidden]`. Default `false`: no role or object is looked at, as in 0.1.
   *
   * @since 0.2.0
   */
  readonly strict?: boolean
  /**
   * Who `sts:GetCallerIdentity` says the caller is: an IAM user `arn:<partition>:iam::<account>:user/emulator`
   * (default) or the account's root user (which VM Import refuses). Default `'user'`.
   *
   * @since 0.2.0
   */
  readonly caller?: 'user' | 'root'
  /**
   * Emulator milliseconds after `CreateRole` during which the new role reads as `NoSuchEntity` and VM Import cannot
   * use it, as IAM's eventual consistency may make a new role wait a few seconds on AWS. Default 0.
   *
   * @since 0.2.0
   */
  readonly roleDelayMs?: number
  /**
   * IAM roles that exist from the start (per account), with their trust, inline and attached policies.
   *
   * @since 0.2.0
   */
  readonly roles?: ReadonlyArray<EmulatorRole>
  /**
   * Managed policies that exist from the start, to attach to roles or use as permissions boundaries.
   *
   * @since 0.2.0
   */
  readonly managedPolicies?: ReadonlyArray<EmulatorManagedPolicy>
  /**
   * S3 buckets that exist from the start (per account), each in a region (default `region`), with a policy,
   * lifecycle rules and objects.
   *
   * @since 0.2.0
   */
  readonly buckets?: ReadonlyArray<EmulatorBucket>
  /**
   * The largest object whose bytes the emulator's S3 keeps (for `GetObject`); larger ones keep only their size,
   * ETag and checksums, so a large upload costs no memory. Default 1 MiB.
   *
   * @since 0.2.0
   */
  readonly maxStoredObjectBytes?: number
  /**
   * The smallest size of every part but the last in `CompleteMultipartUpload` (`EntityTooSmall` below it). Default
   * 5 MiB, as S3.
   *
   * @since 0.2.0
   */
  readonly minPartSizeBytes?: number
  /**
   * IAM actions of S3, IAM and STS the caller is refused (`s3:GetBucketPolicy`, `iam:GetRole`,
   * `sts:GetCallerIdentity`), answered with the service's `AccessDenied`. S3 operations are named by the action that
   * authorizes them (`HeadObject` by `s3:GetObject`, `UploadPart` by `s3:PutObject`). Default none. (EC2 actions
   * are limited by `permissions`.)
   *
   * @since 0.2.0
   */
  readonly deny?: Iterable<string>
}

/**
 * A running emulator.
 *
 * @public
 * @since 0.1.0
 */
export interface Emulator {
  /** `http://127.0.0.1:PORT`, for a client's `endpoint`. */
  readonly endpoint: string
  readonly port: number
  /** The main region (see `EmulatorOptions.region`). */
  readonly region: string
  /**
   * The regions served: a list, or `'any'`.
   *
   * @since 0.2.0
   */
  readonly regions: ReadonlyArray<string> | 'any'
  /**
   * The account that owns every resource.
   *
   * @since 0.2.0
   */
  readonly accountId: string
  /** The (first) key pair the emulator accepts. */
  readonly credentials: EmulatorCredentials
  /** Every request so far, oldest first (a copy). */
  readonly requests: ReadonlyArray<LoggedRequest>
  readonly clock: EmulatorClock
  /** The import image tasks visible now in `region` (default the main one), as `DescribeImportImageTasks` shows them. */
  tasks(region?: string): ReadonlyArray<ImportImageTask>
  /**
   * The snapshot import tasks visible now in `region`, as `DescribeImportSnapshotTasks` shows them, oldest first.
   *
   * @since 0.2.0
   */
  snapshotTasks(region?: string): ReadonlyArray<ImportSnapshotTask>
  /**
   * The images of `region` as `DescribeImages` shows them (past eventual consistency), oldest first.
   *
   * @since 0.2.0
   */
  images(region?: string): ReadonlyArray<Image>
  /**
   * The snapshots of `region` as `DescribeSnapshots` shows them, oldest first.
   *
   * @since 0.2.0
   */
  snapshots(region?: string): ReadonlyArray<EmulatorSnapshot>
  /**
   * Whether strict mode is on.
   *
   * @since 0.2.0
   */
  readonly strict: boolean
  /**
   * The S3 object `bucket`/`key` as the emulator keeps it, `undefined` when there is none.
   *
   * @since 0.2.0
   */
  s3Object(bucket: string, key: string): EmulatorS3Object | undefined
  /**
   * The multipart uploads in progress, of one bucket or of all, by key then initiation.
   *
   * @since 0.2.0
   */
  multipartUploads(bucket?: string): ReadonlyArray<EmulatorMultipartUpload>
  /**
   * The IAM role `name` (whether or not it is visible yet), `undefined` when there is none.
   *
   * @since 0.2.0
   */
  role(name: string): EmulatorRoleView | undefined
  /** Stop listening, drop every connection and free the port. */
  close(): Promise<void>
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The key pair an emulator accepts unless told otherwise. Not a real AWS key: it works only against an emulator.
 *
 * @public
 * @since 0.1.0
 */
export const DEFAULT_EMULATOR_CREDENTIALS: EmulatorCredentials = {
  accessKeyId: 'AKIAEMULATOREXAMPLE0',
  secretAccessKey: 'emulator/SECRET/key/for/local/use/only00',
}

const MAX_BODY = 1024 * 1024

const ACTIONS: ReadonlyArray<EmulatorAction> = [
  'ImportImage',
  'DescribeImportImageTasks',
  'CancelImportTask',
  'ImportSnapshot',
  'DescribeImportSnapshotTasks',
  'RegisterImage',
  'DescribeImages',
  'DeregisterImage',
  'CreateTags',
  'CopyImage',
  'ModifyImageAttribute',
  'DescribeImageAttribute',
  'ModifySnapshotAttribute',
  'DeleteSnapshot',
  'DescribeSnapshots',
]

// The operation table is the one the client uses (Operations.ts), looked up by action name: the emulator reads and
// writes exactly the shapes the client sends and decodes. An action whose descriptor the table does not have is
// not served (InvalidAction), rather than served with a shape of the emulator's own.
const OPERATIONS: ReadonlyMap<EmulatorAction, Operation<unknown, unknown>> = new Map(
  ACTIONS.flatMap((action) => {
    const op: unknown = (Operations as Readonly<Record<string, unknown>>)[action]
    return typeof op === 'object' && op !== null && (op as { name?: unknown }).name === action
      ? [[action, op as Operation<unknown, unknown>] as const]
      : []
  }),
)

const isAction = (s: string): s is EmulatorAction => OPERATIONS.has(s as EmulatorAction)

// What a region name looks like: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `us-isob-east-1`, `cn-north-1`.
const REGION_NAME = /^[a-z]{2}(?:-[a-z]+){1,2}-[0-9]{1,2}$/

const ACCOUNT_ID = /^[0-9]{12}$/

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const redactParam = ([k, v]: readonly [string, string]): [string, string] => {
  if (!/(^|\.)Url$/.test(k)) return [k, v]
  const q = v.indexOf('?')
  // A presigned URL's query holds its signature: keep where it points, not how.
  return [k, q === -1 ? v : `${v.slice(0, q)}?[redacted]`]
}

const headersForLog = (raw: ReadonlyArray<string>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    const value = name === 'authorization' || name === 'x-amz-security-token' ? '[redacted]' : raw[i + 1]!
    out[name] = out[name] === undefined ? value : `${out[name]},${value}`
  }
  return out
}

const pairsOf = (raw: ReadonlyArray<string>): Array<readonly [string, string]> => {
  const out: Array<readonly [string, string]> = []
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!])
  return out
}

interface RegionState {
  readonly tasks: TaskStore
  readonly images: ImageStore
}

/**
 * `CreateTags` over every kind of resource of a region: each id is checked (it exists, and stays within 50 tags)
 * before any tag is put, so a call either tags every resource or none.
 */
const createTags = (tasks: TaskStore, images: ImageStore, r: CreateTagsRequest): Outcome<Record<string, never>> => {
  const targets: Array<Array<Tag>> = []
  for (const id of new Set(r.Resources)) {
    const found = id.startsWith('import-ami-')
      ? tasks.tagsOf(id)
      : (images.tagsOf(id) ?? left(ec2Error(400, 'InvalidID', `The ID '${id}' is not valid`)))
    if (found._tag === 'Left') return found
    if (tagCountAfter(found.right, r.Tags) > 50) return left(tagLimitExceeded(id))
    targets.push(found.right)
  }
  for (const t of targets) applyTags(t, r.Tags)
  return right({})
}

type Answer =
  | { readonly _tag: 'Result'; readonly body: string }
  | { readonly _tag: 'Error'; readonly error: Ec2Error }

const fail = (error: Ec2Error): Answer => ({ _tag: 'Error', error })

// -------------------------------------------------------------------------------------------------
// emulator
// -------------------------------------------------------------------------------------------------

/**
 * Start an emulator on 127.0.0.1 and resolve once it is listening.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'ec2-import-image/emulator'
 *
 * const emulator = await startEmulator({ clock: 'manual' })
 * // createClient({ endpoint: emulator.endpoint, region: emulator.region, credentials: emulator.credentials })
 * emulator.clock.advance(10 * 60_000) // every import started so far is now completed
 * await emulator.close()
 * ```
 *
 * @public
 * @since 0.1.0
 */
export const startEmulator = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const listed = options.regions === undefined || options.regions === 'any' ? undefined : [...options.regions]
  if (listed !== undefined) {
    if (listed.length === 0) throw new RangeError('startEmulator: regions must name at least one region, or be "any"')
    const bad = listed.find((r) => !REGION_NAME.test(r))
    if (bad !== undefined) throw new RangeError(`startEmulator: regions: '${bad}' is not a region name`)
  }
  const region = options.region ?? listed?.[0] ?? 'us-east-1'
  if (listed !== undefined && !listed.includes(region)) {
    throw new RangeError(`startEmulator: region '${region}' is not one of regions (${listed.join(', ')})`)
  }
  const regions: ReadonlyArray<string> | 'any' = options.regions === 'any' ? 'any' : (listed ?? [region])
  const servesRegion = (r: string): boolean => (regions === 'any' ? REGION_NAME.test(r) || r === region : regions.includes(r))
  const accountId = options.accountId ?? '123456789012'
  if (!ACCOUNT_ID.test(accountId)) throw new RangeError('startEmulator: accountId must be 12 digits')
  const imagePendingMs = options.imagePendingMs ?? 60_000
  const eventualConsistencyMs = options.eventualConsistencyMs ?? 0
  for (const [name, ms] of [
    ['imagePendingMs', imagePendingMs],
    ['eventualConsistencyMs', eventualConsistencyMs],
  ] as const) {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`startEmulator: ${name} must be a finite number >= 0`)
  }
  const accepted: ReadonlyArray<EmulatorCredentials> =
    options.credentials === undefined
      ? [DEFAULT_EMULATOR_CREDENTIALS]
      : Array.isArray(options.credentials)
        ? (options.credentials as ReadonlyArray<EmulatorCredentials>)
        : [options.credentials as EmulatorCredentials]
  const primary = accepted[0]
  if (primary === undefined) throw new RangeError('startEmulator: credentials must name at least one key pair')
  const byKey = new Map(accepted.map((c) => [c.accessKeyId, c]))
  const clock = makeClock(options.clock ?? { speed: 100 })
  const faults = makeFaults(options.faults)
  const permissions = new Set<string>(options.permissions ?? ACTIONS)
  const maxSkewMs = options.maxClockSkewMs ?? 15 * 60_000
  const phases: PhaseDurations = { ...DEFAULT_PHASES, ...options.phases }
  for (const [name, ms] of Object.entries(phases)) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`startEmulator: phases.${name} must be a finite number >= 0`)
    }
  }
  const maxActiveTasks = options.maxActiveTasks ?? 20
  if (!Number.isSafeInteger(maxActiveTasks) || maxActiveTasks < 0) {
    throw new RangeError('startEmulator: maxActiveTasks must be an integer >= 0')
  }
  const failureMarker = options.failureMarker ?? 'fail'
  const retentionMs = options.retentionMs ?? 7 * 24 * 60 * 60_000
  const strict = options.strict ?? false
  const partition = partitionOf(region).id
  const roleDelayMs = options.roleDelayMs ?? 0
  const maxStoredObjectBytes = options.maxStoredObjectBytes ?? 1024 * 1024
  const minPartSizeBytes = options.minPartSizeBytes ?? 5 * 1024 * 1024
  for (const [name, n] of [
    ['roleDelayMs', roleDelayMs],
    ['maxStoredObjectBytes', maxStoredObjectBytes],
    ['minPartSizeBytes', minPartSizeBytes],
  ] as const) {
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`startEmulator: ${name} must be a finite number >= 0`)
  }
  const denied = new Set<string>([...(options.deny ?? [])].map((a) => a.toLowerCase()))
  const isDenied = (action: string): boolean => denied.has(action.toLowerCase())
  const caller: Caller =
    options.caller === 'root'
      ? { arn: `arn:${partition}:iam::${accountId}:root`, userId: accountId, account: accountId }
      : { arn: `arn:${partition}:iam::${accountId}:user/emulator`, userId: 'AIDAEMULATOREXAMPLE00', account: accountId }
  // IAM and S3 are global: one store each for the account, whichever region a request is signed for.
  const iam = new IamStore({ accountId, partition, now: clock.now, roleDelayMs })
  iam.seed(options.managedPolicies ?? [], options.roles ?? [])
  const s3 = new S3Store({ now: clock.now, maxStoredObjectBytes, minPartSizeBytes, defaultRegion: region })
  s3.seed(options.buckets ?? [])
  // S3, IAM and STS are signed for any region (IAM and STS for us-east-1 or the caller's): any well-formed name.
  const anyRegion = (r: string): boolean => REGION_NAME.test(r) || r === region
  // Each region's state, made when a request for it first arrives.
  const states = new Map<string, RegionState>()
  const stateOf = (r: string): RegionState => {
    let st = states.get(r)
    if (st === undefined) {
      st = {
        tasks: new TaskStore({
          clock,
          phases,
          maxActiveTasks,
          failureMarker,
          failureMessage: options.failureMessage ?? 'ClientError: Unknown OS / Missing OS files.',
          retentionMs,
        }),
        images: new ImageStore({
          clock,
          region: r,
          accountId,
          snapshotPhases: { pending: phases.pending, converting: phases.converting, deleting: phases.deleting },
          imagePendingMs,
          eventualConsistencyMs,
          maxActiveTasks,
          failureMarker: options.snapshotFailureMarker ?? failureMarker,
          failureMessage: options.snapshotFailureMessage ?? 'ClientError: Disk validation failed [Unsupported VMDK File Format]',
          retentionMs,
        }),
      }
      states.set(r, st)
    }
    return st
  }
  const inspect = (r: string | undefined): RegionState | undefined => {
    const st = states.get(r ?? region)
    st?.images.adoptImported(st.tasks.list())
    return st
  }
  const log: Array<LoggedRequest> = []
  let closed = false
  // Requests waiting out injected latency; `close` releases them so none is left pending.
  const sleepers = new Set<() => void>()

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        sleepers.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      sleepers.add(done)
    })

  const record = (entry: LoggedRequest): void => {
    log.push(entry)
    try {
      options.onRequest?.(entry)
    } catch {
      // A test's hook must not take the server down with it.
    }
  }

  // The request pipe after the body is read and faults are passed: everything here answers with EC2's envelope.
  const answer = (
    req: IncomingMessage,
    body: Buffer,
    form: QueryResult<ReadonlyArray<readonly [string, string]>>,
    requestId: string,
  ): Answer => {
    const method = (req.method ?? 'GET').toUpperCase()
    if (method !== 'POST' && method !== 'GET') {
      return fail(ec2Error(400, 'InvalidAction', `The HTTP method ${method} is not supported: use GET or POST.`))
    }
    const verdict = verifySigV4(
      { method, target: req.url ?? '/', headers: pairsOf(req.rawHeaders), body },
      {
        region: regions === 'any' ? region : regions.join("', '"),
        acceptsRegion: servesRegion,
        service: 'ec2',
        now: clock.now(),
        maxSkewMs,
        credentials: (id) => byKey.get(id),
      },
    )
    if (verdict._tag === 'Rejected') return fail(ec2Error(verdict.status, verdict.code, verdict.message))
    // A body that is not even a form is reported only to a caller whose signature checked out.
    if (form._tag === 'Left') return fail(ec2Error(form.left.status, form.left.code, form.left.message))
    const params = form.right
    const action = params.find(([k]) => k === 'Action')?.[1]
    if (action === undefined || action === '') {
      return fail(ec2Error(400, 'MissingAction', 'The request must contain the parameter Action'))
    }
    if (!isAction(action)) {
      return fail(ec2Error(400, 'InvalidAction', `The action ${action} is not valid for this web service.`))
    }
    if (params.find(([k]) => k === 'Version') === undefined) return fail(missingParameter('Version'))
    const op = OPERATIONS.get(action)!
    const input = asWire(op.input)
    const read = readQuery(
      input,
      params.filter(([k]) => k !== 'Action' && k !== 'Version'),
    )
    if (read._tag === 'Left') return fail(ec2Error(read.left.status, read.left.code, read.left.message))
    // Authorization comes before the semantic checks: a caller without the permission learns nothing more.
    if (!permissions.has(action)) return fail(unauthorizedOperation(action, requestId))
    const valid = validateRequest(op, read.right)
    if (valid._tag === 'Left') return fail(fromFieldErrors(input, valid.left.errors, new Map(params)))
    if ((valid.right as { DryRun?: boolean }).DryRun === true) return fail(dryRunOperation)
    const outcome = dispatch(action, valid.right, verdict.region)
    return outcome._tag === 'Left'
      ? fail(outcome.left)
      : { _tag: 'Result', body: writeResult(action, asWire(op.output), outcome.right, requestId) }
  }

  // Strict mode, synchronously: the service role must exist (and be visible) and let VM Import assume it.
  const strictRole = (roleName: string | undefined): Outcome<ReturnType<IamStore['usableRole']> & object> => {
    const name = roleName ?? 'vmimport'
    const role = iam.usableRole(name)
    return role !== undefined && trustAdmits(role.trust, 'vmie.amazonaws.com', { externalId: 'vmimport', accountId })
      ? right(role)
      : left(
          ec2Error(400, 'InvalidParameter', `The service role ${name} provided does not exist or does not have sufficient permissions`),
        )
  }
  // Strict mode, asynchronously: each S3 disk must be an object of a bucket in the import's region that the role
  // may read; if one is not, the task fails as it validates the disk.
  const strictDisks = (
    role: NonNullable<ReturnType<IamStore['usableRole']>>,
    sources: ReadonlyArray<{ readonly S3Bucket?: string | undefined; readonly S3Key?: string | undefined } | undefined>,
    inRegion: string,
  ): StrictFailure | undefined => {
    const docs = iam.documentsOf(role)
    for (const source of sources) {
      if (source === undefined) continue
      const bucket = s3.bucket(source.S3Bucket ?? '')
      const key = source.S3Key ?? ''
      const readable =
        bucket !== undefined &&
        bucket.region === inRegion &&
        bucket.objects.has(key) &&
        isAllowed(
          {
            identity: docs.identity,
            boundary: docs.boundary,
            resource: bucket.policy === undefined ? [] : [bucket.policy],
            principalArn: role.arn,
            accountId,
          },
          's3:GetObject',
          `arn:${partition}:s3:::${bucket.name}/${key}`,
        )
      if (!readable) {
        return {
          message: 'ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]',
          phase: 'validation',
        }
      }
    }
    return undefined
  }

  const dispatch = (action: EmulatorAction, input: unknown, inRegion: string): Outcome<unknown> => {
    const { tasks: store, images } = stateOf(inRegion)
    // An ImportImage task that completed since the last request has made an AMI: the image calls must see it.
    if (action !== 'ImportImage' && action !== 'DescribeImportImageTasks' && action !== 'CancelImportTask') {
      images.adoptImported(store.list())
    }
    switch (action) {
      case 'ImportImage': {
        const r = input as Parameters<TaskStore['importImage']>[0]
        if (!strict) return store.importImage(r)
        const role = strictRole(r.RoleName)
        if (role._tag === 'Left') return role
        return store.importImage(r, strictDisks(role.right, r.DiskContainers.map((d) => d.UserBucket), inRegion))
      }
      case 'DescribeImportImageTasks':
        return store.describe(input as Parameters<TaskStore['describe']>[0])
      case 'CancelImportTask':
        return store.cancel(input as Parameters<TaskStore['cancel']>[0])
      case 'ImportSnapshot': {
        const r = input as ImportSnapshotRequest
        if (!strict) return images.importSnapshot(r)
        const role = strictRole(r.RoleName)
        if (role._tag === 'Left') return role
        return images.importSnapshot(r, strictDisks(role.right, [r.DiskContainer?.UserBucket], inRegion))
      }
      case 'DescribeImportSnapshotTasks':
        return images.describeTasks(input as DescribeImportSnapshotTasksRequest)
      case 'RegisterImage':
        return images.registerImage(input as RegisterImageRequest)
      case 'DescribeImages':
        return images.describeImages(input as DescribeImagesRequest)
      case 'DeregisterImage':
        return images.deregisterImage(input as DeregisterImageRequest)
      case 'CreateTags':
        return createTags(store, images, input as CreateTagsRequest)
      case 'CopyImage': {
        const r = input as CopyImageRequest
        const from = r.SourceRegion
        if (from === undefined || from === '') return left(missingParameter('SourceRegion'))
        // A region the endpoint does not serve holds no images: the same answer as for an unknown image there,
        // but saying why.
        const source = servesRegion(from)
          ? stateOf(from).images.copySource(r.SourceImageId)
          : left(ec2Error(400, 'InvalidParameterValue', `Invalid value '${from}' for SourceRegion: this endpoint does not serve that region.`))
        return images.copyImage(r, source, from)
      }
      case 'ModifyImageAttribute':
        return images.modifyImageAttribute(input as ModifyImageAttributeRequest)
      case 'DescribeImageAttribute':
        return images.describeImageAttribute(input as DescribeImageAttributeRequest)
      case 'ModifySnapshotAttribute':
        return images.modifySnapshotAttribute(input as ModifySnapshotAttributeRequest)
      case 'DeleteSnapshot':
        return images.deleteSnapshot(input as DeleteSnapshotRequest)
      case 'DescribeSnapshots':
        return images.describeSnapshots(input as DescribeSnapshotsRequest)
    }
  }

  const send = (res: ServerResponse, requestId: string, status: number, body: string, service: EmulatorService = 'ec2'): void => {
    res.writeHead(status, {
      'Content-Type': 'text/xml;charset=UTF-8',
      'Content-Length': Buffer.byteLength(body),
      // The emulator's clock, not the host's: a client corrects its skew from this header.
      Date: new Date(clock.now()).toUTCString(),
      'x-amzn-RequestId': requestId,
      ...(service === 'ec2' ? { Server: 'AmazonEC2' } : {}),
    })
    res.end(body)
  }

  // An error body in the envelope of the service that answers.
  const errorBody = (service: EmulatorService, e: Ec2Error, requestId: string): string => {
    switch (service) {
      case 'ec2':
        return writeError(e.code, e.message, requestId)
      case 'iam':
      case 'sts':
        return writeQueryError(service, e.status, e.code, e.message, requestId)
      case 's3':
        return writeS3Error(e, requestId)
    }
  }

  // An injected fault in the words of each service: EC2 throttles with RequestLimitExceeded, S3 with SlowDown, IAM
  // and STS with Throttling.
  const faultError = (service: EmulatorService, decision: { readonly _tag: 'Throttle' } | { readonly _tag: 'ServerError'; readonly code: 'InternalError' | 'Unavailable' }): Ec2Error => {
    if (decision._tag === 'Throttle') {
      return service === 'ec2'
        ? ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.')
        : service === 's3'
          ? ec2Error(503, 'SlowDown', 'Please reduce your request rate.')
          : ec2Error(400, 'Throttling', 'Rate exceeded')
    }
    if (decision.code === 'InternalError') {
      return ec2Error(500, service === 'ec2' ? 'InternalError' : service === 's3' ? 'InternalError' : 'InternalFailure', 'An internal error has occurred')
    }
    return service === 'ec2'
      ? ec2Error(503, 'Unavailable', "The server is overloaded and can't handle the request.")
      : ec2Error(503, 'ServiceUnavailable', 'Service is unable to handle request.')
  }

  // The verifier speaks EC2's codes; IAM and STS call an unknown key InvalidClientTokenId.
  const queryRejection = (v: Verdict & { readonly _tag: 'Rejected' }): Ec2Error =>
    v.code === 'AuthFailure'
      ? ec2Error(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.')
      : ec2Error(v.status, v.code, v.message)

  // ... and S3 has words of its own for each.
  const s3Rejection = (v: Verdict & { readonly _tag: 'Rejected' }): S3Error => {
    switch (v.code) {
      case 'MissingAuthenticationToken':
        return S3Errors.accessDenied()
      case 'IncompleteSignature':
        return S3Errors.s3Error(400, 'AuthorizationHeaderMalformed', v.message)
      case 'AuthFailure':
        return S3Errors.s3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.')
      case 'RequestExpired':
        return S3Errors.s3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.')
      default:
        return S3Errors.s3Error(v.status, v.code, v.message)
    }
  }

  // IAM and STS: AWS Query over the same form reading as EC2's.
  const answerQuery = (
    service: 'iam' | 'sts',
    req: IncomingMessage,
    body: Buffer,
    form: QueryResult<ReadonlyArray<readonly [string, string]>>,
    requestId: string,
  ): { readonly status: number; readonly body: string; readonly errorCode?: string } => {
    const refuse = (e: Ec2Error) => ({ status: e.status, body: writeQueryError(service, e.status, e.code, e.message, requestId), errorCode: e.code })
    const method = (req.method ?? 'GET').toUpperCase()
    if (method !== 'POST' && method !== 'GET') {
      return refuse(ec2Error(400, 'InvalidAction', `The HTTP method ${method} is not supported: use GET or POST.`))
    }
    const verdict = verifySigV4(
      { method, target: req.url ?? '/', headers: pairsOf(req.rawHeaders), body },
      { region, acceptsRegion: anyRegion, service, now: clock.now(), maxSkewMs, credentials: (id) => byKey.get(id) },
    )
    if (verdict._tag === 'Rejected') return refuse(queryRejection(verdict))
    if (form._tag === 'Left') return refuse(ec2Error(form.left.status === 404 ? 400 : form.left.status, 'MalformedQueryString', form.left.message))
    return handleQuery(service, form.right, { iam, caller, denied: isDenied, requestId })
  }

  const handleS3Request = async (
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    timestamp: number,
    headers: Record<string, string>,
  ): Promise<void> => {
    const target = req.url ?? '/'
    const q = target.indexOf('?')
    const query = parseForm(q === -1 ? '' : target.slice(q + 1))
    const entry = {
      requestId,
      service: 's3' as const,
      params: Object.fromEntries((query._tag === 'Right' ? query.right : []).map(redactParam)),
      headers,
      timestamp,
    }
    const sendS3 = (a: S3Answer, fault?: LoggedRequest['fault']): void => {
      if (closed) return
      const delivered = !res.destroyed
      if (delivered) {
        const body = typeof a.body === 'string' ? Buffer.from(a.body, 'utf8') : a.body
        res.writeHead(a.status, {
          'content-length': String(body.length),
          ...a.headers,
          date: new Date(clock.now()).toUTCString(),
          'x-amz-request-id': requestId,
          'x-amz-id-2': Buffer.from(requestId).toString('base64'),
          server: 'AmazonS3',
        })
        // A HEAD answer has headers only (its Content-Length is the object's).
        res.end(req.method === 'HEAD' ? undefined : body)
      }
      record({
        ...entry,
        action: a.operation,
        status: delivered ? a.status : 0,
        ...(a.errorCode === undefined ? {} : { errorCode: a.errorCode }),
        ...(fault === undefined ? {} : { fault }),
      })
    }
    const s3Fail = (e: S3Error): S3Answer => ({
      status: e.status,
      headers: { 'content-type': 'application/xml' },
      body: req.method === 'HEAD' ? '' : writeS3Error(e, requestId),
      operation: undefined,
      errorCode: e.code,
    })

    const decision = faults.decide()
    if (faults.latencyMs > 0) await sleep(faults.latencyMs)
    if (closed) {
      req.socket.destroy()
      return
    }
    if (decision._tag === 'Reset') {
      req.socket.destroy()
      record({ ...entry, action: undefined, status: 0, fault: 'reset' })
      return
    }
    if (decision._tag === 'Throttle' || decision._tag === 'ServerError') {
      await drainBody(req)
      sendS3(s3Fail(faultError('s3', decision)), decision._tag === 'Throttle' ? 'throttle' : 'server-error')
      return
    }
    const a = await handleS3(req, {
      store: s3,
      verify: (r) => {
        const v = verifySigV4(
          { method: (r.method ?? 'GET').toUpperCase(), target: r.url ?? '/', headers: pairsOf(r.rawHeaders), body: new Uint8Array(0) },
          { region, acceptsRegion: anyRegion, service: 's3', s3: true, now: clock.now(), maxSkewMs, credentials: (id) => byKey.get(id) },
        )
        return v._tag === 'Rejected' ? s3Rejection(v) : { region: v.region }
      },
      denied: isDenied,
      accountId,
      partition,
      requestId,
    })
    sendS3(a)
  }

  // The service a request is for: its credential scope's. An unsigned request (or one scoped to a service the
  // endpoint does not serve) is EC2's to refuse, in EC2's words, as in 0.1 — unless it can only be S3's: EC2 takes
  // POST and GET on `/` alone.
  const serviceOf = (req: IncomingMessage): EmulatorService => {
    const scoped = scopeServiceOf(pairsOf(req.rawHeaders))
    if (scoped === 's3' || scoped === 'iam' || scoped === 'sts' || scoped === 'ec2') return scoped
    const method = (req.method ?? 'GET').toUpperCase()
    const path = (req.url ?? '/').split('?')[0]
    return scoped === undefined && ((method !== 'GET' && method !== 'POST') || (path !== '/' && path !== '')) ? 's3' : 'ec2'
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID()
    const timestamp = clock.now()
    const headers = headersForLog(req.rawHeaders)
    const service = serviceOf(req)
    if (service === 's3') {
      await handleS3Request(req, res, requestId, timestamp, headers)
      return
    }
    const chunks: Array<Buffer> = []
    let size = 0
    let tooLarge = false
    try {
      for await (const chunk of req) {
        const b = chunk as Buffer
        size += b.length
        if (size > MAX_BODY) {
          tooLarge = true
          break
        }
        chunks.push(b)
      }
    } catch {
      // The client went away mid-body: there is no one to answer.
      req.socket.destroy()
      return
    }
    const body = Buffer.concat(chunks)
    const method = (req.method ?? 'GET').toUpperCase()
    const target = req.url ?? '/'
    const q = target.indexOf('?')
    const form = parseForm(method === 'GET' ? (q === -1 ? '' : target.slice(q + 1)) : body.toString('utf8'))
    const pairs = form._tag === 'Right' ? form.right : []
    const action = pairs.find(([k]) => k === 'Action')?.[1]
    const entry = { requestId, service, action, params: Object.fromEntries(pairs.map(redactParam)), headers, timestamp }

    const respond = (status: number, text: string, errorCode?: string, fault?: LoggedRequest['fault']): void => {
      if (closed) return
      // The client may have hung up after the emulator acted (a task may exist): the log still says what came in,
      // with status 0 for an answer nobody received.
      const delivered = !res.destroyed
      if (delivered) send(res, requestId, status, text, service)
      record({
        ...entry,
        status: delivered ? status : 0,
        ...(errorCode === undefined ? {} : { errorCode }),
        ...(fault === undefined ? {} : { fault }),
      })
    }
    const respondError = (e: Ec2Error, fault?: LoggedRequest['fault']): void =>
      respond(e.status, errorBody(service, e, requestId), e.code, fault)

    if (tooLarge) {
      respondError(ec2Error(413, 'RequestEntityTooLarge', `The request body is larger than ${MAX_BODY} bytes.`))
      req.socket.destroySoon()
      return
    }

    const decision = faults.decide()
    if (faults.latencyMs > 0) await sleep(faults.latencyMs)
    if (closed) {
      req.socket.destroy()
      return
    }
    switch (decision._tag) {
      case 'Reset':
        // Destroyed before a byte of the response: the client sees a reset, and no task was touched.
        req.socket.destroy()
        record({ ...entry, status: 0, fault: 'reset' })
        return
      case 'Throttle':
        respondError(faultError(service, decision), 'throttle')
        return
      case 'ServerError':
        respondError(faultError(service, decision), 'server-error')
        return
      case 'None':
        break
    }

    if (service === 'iam' || service === 'sts') {
      const a = answerQuery(service, req, body, form, requestId)
      respond(a.status, a.body, a.errorCode)
      return
    }
    const a = answer(req, body, form, requestId)
    if (a._tag === 'Result') respond(200, a.body)
    else respondError(a.error)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Unreachable by design; if it is ever reached, the client still gets its service's envelope.
      if (!res.headersSent && !res.destroyed) {
        const requestId = randomUUID()
        const service = serviceOf(req)
        const e = ec2Error(500, service === 'iam' || service === 'sts' ? 'InternalFailure' : 'InternalError', 'An internal error has occurred')
        send(res, requestId, 500, errorBody(service, e, requestId), service)
      }
    })
  })
  const sockets = new Set<Socket>()
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  server.on('clientError', (_err, socket) => {
    // A request Node could not even parse: answer as EC2 would to a malformed request, then hang up.
    if (socket.writable) {
      const requestId = randomUUID()
      const body = writeError('MalformedQueryString', 'The request could not be parsed.', requestId)
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml;charset=UTF-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nDate: ${new Date(clock.now()).toUTCString()}\r\nConnection: close\r\n\r\n${body}`,
      )
    } else {
      socket.destroy()
    }
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closing: Promise<void> | undefined

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    region,
    regions: regions === 'any' ? 'any' : [...regions],
    accountId,
    credentials: primary,
    get requests() {
      return log.slice()
    },
    clock: { now: clock.now, advance: clock.advance },
    tasks: (r) => inspect(r)?.tasks.list() ?? [],
    snapshotTasks: (r) => inspect(r)?.images.listTasks() ?? [],
    images: (r) => inspect(r)?.images.listImages() ?? [],
    snapshots: (r) => inspect(r)?.images.listSnapshots() ?? [],
    strict,
    s3Object: (bucket, key) => {
      const o = s3.bucket(bucket)?.objects.get(key)
      if (o === undefined) return undefined
      return {
        size: o.size,
        etag: o.etag,
        ...(o.checksum === undefined
          ? {}
          : {
              checksum: {
                algorithm: o.checksum.algorithm.toUpperCase() as 'CRC32' | 'CRC32C' | 'SHA1' | 'SHA256',
                type: o.checksum.type,
                value: o.checksum.value,
              },
            }),
        ...(o.encryption.kmsKeyId === undefined ? {} : { kmsKeyId: o.encryption.kmsKeyId }),
        ...(o.body === undefined ? {} : { body: new Uint8Array(o.body) }),
      }
    },
    multipartUploads: (bucket) =>
      s3
        .listBuckets()
        .filter((b) => bucket === undefined || b.name === bucket)
        .flatMap((b) =>
          [...b.uploads.values()]
            .sort((x, y) => (x.key === y.key ? x.initiated - y.initiated : x.key < y.key ? -1 : 1))
            .map((u) => ({ bucket: b.name, key: u.key, uploadId: u.id, parts: [...u.parts.keys()].sort((x, y) => x - y) })),
        ),
    role: (name) => {
      const r = iam.listRoles().find((x) => x.name === name)
      if (r === undefined) return undefined
      return {
        name: r.name,
        arn: r.arn,
        trustPolicy: r.trust,
        inlinePolicies: Object.fromEntries(r.inline),
        attachedPolicyArns: [...r.attached],
        ...(r.boundaryArn === undefined ? {} : { permissionsBoundaryArn: r.boundaryArn }),
      }
    },
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        closed = true
        for (const wake of [...sleepers]) wake()
        server.close(() => resolve())
        server.closeAllConnections()
        for (const s of sockets) s.destroy()
      })
      return closing
    },
  }
}
