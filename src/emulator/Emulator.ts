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
import { verifySigV4 } from './SigV4Verifier.js'
import { DEFAULT_PHASES, TaskStore, type Outcome, type PhaseDurations } from './TaskStore.js'
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
  /** The `Action` parameter, if any. */
  readonly action: string | undefined
  /** The form fields (or query parameters of a GET), decoded; a `Url`'s query string is redacted. */
  readonly params: Readonly<Record<string, string>>
  /** The request headers, names in lowercase; `Authorization` and `X-Amz-Security-Token` values redacted. */
  readonly headers: Readonly<Record<string, string>>
  /** The HTTP status sent; `0` when the connection was reset instead. */
  readonly status: number
  /** The EC2 error code sent, absent on success. */
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

  const dispatch = (action: EmulatorAction, input: unknown, inRegion: string): Outcome<unknown> => {
    const { tasks: store, images } = stateOf(inRegion)
    // An ImportImage task that completed since the last request has made an AMI: the image calls must see it.
    if (action !== 'ImportImage' && action !== 'DescribeImportImageTasks' && action !== 'CancelImportTask') {
      images.adoptImported(store.list())
    }
    switch (action) {
      case 'ImportImage':
        return store.importImage(input as Parameters<TaskStore['importImage']>[0])
      case 'DescribeImportImageTasks':
        return store.describe(input as Parameters<TaskStore['describe']>[0])
      case 'CancelImportTask':
        return store.cancel(input as Parameters<TaskStore['cancel']>[0])
      case 'ImportSnapshot':
        return images.importSnapshot(input as ImportSnapshotRequest)
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

  const send = (res: ServerResponse, requestId: string, status: number, body: string): void => {
    res.writeHead(status, {
      'Content-Type': 'text/xml;charset=UTF-8',
      'Content-Length': Buffer.byteLength(body),
      // The emulator's clock, not the host's: a client corrects its skew from this header.
      Date: new Date(clock.now()).toUTCString(),
      'x-amzn-RequestId': requestId,
      Server: 'AmazonEC2',
    })
    res.end(body)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID()
    const timestamp = clock.now()
    const headers = headersForLog(req.rawHeaders)
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
    const entry = { requestId, action, params: Object.fromEntries(pairs.map(redactParam)), headers, timestamp }

    const respond = (status: number, text: string, errorCode?: string, fault?: LoggedRequest['fault']): void => {
      if (closed) return
      // The client may have hung up after the emulator acted (a task may exist): the log still says what came in,
      // with status 0 for an answer nobody received.
      const delivered = !res.destroyed
      if (delivered) send(res, requestId, status, text)
      record({
        ...entry,
        status: delivered ? status : 0,
        ...(errorCode === undefined ? {} : { errorCode }),
        ...(fault === undefined ? {} : { fault }),
      })
    }
    const respondError = (e: Ec2Error, fault?: LoggedRequest['fault']): void =>
      respond(e.status, writeError(e.code, e.message, requestId), e.code, fault)

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
        respondError(ec2Error(503, 'RequestLimitExceeded', 'Request limit exceeded.'), 'throttle')
        return
      case 'ServerError':
        respondError(
          decision.code === 'InternalError'
            ? ec2Error(500, 'InternalError', 'An internal error has occurred')
            : ec2Error(503, 'Unavailable', "The server is overloaded and can't handle the request."),
          'server-error',
        )
        return
      case 'None':
        break
    }

    const a = answer(req, body, form, requestId)
    if (a._tag === 'Result') respond(200, a.body)
    else respondError(a.error)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // Unreachable by design; if it is ever reached, the client still gets EC2's envelope.
      if (!res.headersSent && !res.destroyed) {
        const requestId = randomUUID()
        send(res, requestId, 500, writeError('InternalError', 'An internal error has occurred', requestId))
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
