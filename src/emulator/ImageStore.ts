/**
 * The snapshot path of one region: snapshot import tasks, the snapshots they make, and the AMIs registered from
 * (or copied to) them, with their tags and permissions.
 *
 * As in `TaskStore`, nothing runs in the background. A task, snapshot or image stores when it started and when each
 * state is reached in work time; what `Describe*` shows is computed from the clock each time it is read. A snapshot
 * import task creates its snapshot when it is started, hidden until the task completes (never shown when the task
 * fails), so the snapshot appears in `DescribeSnapshots` at the very moment the task shows its `SnapshotId`.
 *
 * Where a behaviour comes from:
 * - `InvalidAMIName.Duplicate` ("AMI name … is already in use by AMI …"): names are unique per region and owner;
 * - `InvalidSnapshot.InUse` for a snapshot a registered AMI uses; `DeleteAssociatedSnapshots` reports each snapshot
 *   with a `ReturnCode`;
 * - snapshots made by VM Import and by `CopyImage` have `VolumeId` `vol-ffffffff`, as EC2 shows them;
 * - `InvalidAMIAttributeItemValue` for a launch permission user id that is not an account id;
 * - eventual consistency: for `eventualConsistencyMs` after `RegisterImage`/`CopyImage`, the new image is
 *   `InvalidAMIID.NotFound` by id and absent from listings, as EC2 documents for newly created resources.
 *
 * @since 0.2.0
 */
import { createHash, randomBytes } from 'node:crypto'
import type { StrictFailure } from './TaskStore.js'
import type { CopyImageRequest, CopyImageResult } from '../shapes/CopyImage.js'
import type { DeleteSnapshotRequest, DeleteSnapshotResult } from '../shapes/DeleteSnapshot.js'
import type { DeregisterImageRequest, DeregisterImageResult } from '../shapes/DeregisterImage.js'
import type { DescribeImageAttributeRequest, ImageAttribute } from '../shapes/DescribeImageAttribute.js'
import type { DescribeImagesRequest, DescribeImagesResult } from '../shapes/DescribeImages.js'
import type { ImportImageTask } from '../shapes/DescribeImportImageTasks.js'
import type {
  DescribeImportSnapshotTasksRequest,
  DescribeImportSnapshotTasksResult,
  ImportSnapshotTask,
} from '../shapes/DescribeImportSnapshotTasks.js'
import type { Image, ImageBlockDeviceMapping, ImageLaunchPermission } from '../shapes/Image.js'
import type { ImportSnapshotRequest, ImportSnapshotResult, SnapshotTaskDetail } from '../shapes/ImportSnapshot.js'
import type { DescribeSnapshotsRequest, DescribeSnapshotsResult } from '../shapes/DescribeSnapshots.js'
import type { ModifyImageAttributeRequest, ModifyImageAttributeResult } from '../shapes/ModifyImageAttribute.js'
import type { ModifySnapshotAttributeRequest, ModifySnapshotAttributeResult } from '../shapes/ModifySnapshotAttribute.js'
import type { RegisterImageRequest, RegisterImageResult } from '../shapes/RegisterImage.js'
import type { Tag } from '../shapes/Tag.js'
import type { EngineClock } from './Clock.js'
import {
  ec2Error,
  idempotentParameterMismatch,
  missingParameter,
  unknownImage,
  unknownSnapshot,
  unknownSnapshotTask,
  type Ec2Error,
} from './Ec2Errors.js'
import { checkFilters, left, matchesFilters, pageOf, right, type FilterFields, type Outcome } from './Listing.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * Settings of one region's store.
 *
 * @internal
 * @since 0.2.0
 */
export interface ImageStoreOptions {
  readonly clock: EngineClock
  readonly region: string
  /** The account every resource belongs to (`Owners: ['self']`). */
  readonly accountId: string
  /** Work milliseconds a snapshot import task spends `pending`, then `converting`, and a failed one `deleting`. */
  readonly snapshotPhases: { readonly pending: number; readonly converting: number; readonly deleting: number }
  /** Work milliseconds an image (and a copied snapshot) stays `pending`. */
  readonly imagePendingMs: number
  /** Clock milliseconds a new image answers `InvalidAMIID.NotFound`. */
  readonly eventualConsistencyMs: number
  readonly maxActiveTasks: number
  readonly failureMarker: string
  readonly failureMessage: string
  readonly retentionMs: number
}

/**
 * A snapshot as `DescribeSnapshots` shows it (the `Snapshot` shape's members).
 *
 * @internal
 * @since 0.2.0
 */
export interface SnapshotView {
  readonly SnapshotId: string
  readonly OwnerId: string
  readonly Description?: string
  readonly VolumeId: string
  readonly VolumeSize: number
  readonly State: 'pending' | 'completed'
  readonly Progress: string
  readonly StartTime: Date
  readonly Encrypted: boolean
  readonly KmsKeyId?: string
  readonly StorageTier: 'standard'
  readonly Tags: Array<Tag>
}

// A launch or create-volume permission as a request names it (the flat UserId/UserGroup lists become these too).
interface PermissionInput {
  readonly UserId?: string | undefined
  readonly Group?: string | undefined
  readonly OrganizationArn?: string | undefined
  readonly OrganizationalUnitArn?: string | undefined
}

interface TagSpec {
  readonly ResourceType?: string | undefined
  readonly Tags?: ReadonlyArray<Tag> | undefined
}

interface StoredSnapshotTask {
  readonly seq: number
  readonly id: string
  readonly snapshotId: string
  readonly diskSize: number
  readonly request: ImportSnapshotRequest
  readonly fingerprint: string
  readonly clientToken: string | undefined
  readonly createdClock: number
  readonly startWork: number
  /** Why and when the task fails, if it does. */
  readonly failure: StrictFailure | undefined
  readonly tags: Array<Tag>
}

interface StoredSnapshot {
  readonly seq: number
  readonly id: string
  readonly description: string
  readonly sizeGiB: number
  readonly encrypted: boolean
  readonly kmsKeyId: string | undefined
  readonly startClock: number
  /** Work time it appears at (a snapshot import task's completion); 0 for a copy, which is listed at once. */
  readonly visibleFromWork: number
  /** Work time it is `completed` at. */
  readonly completeAtWork: number
  readonly tags: Array<Tag>
  readonly createVolumeUsers: Set<string>
  createVolumePublic: boolean
}

interface StoredImage {
  readonly seq: number
  readonly id: string
  readonly name: string
  description: string | undefined
  readonly createdClock: number
  readonly availableAtWork: number
  readonly visibleAtClock: number
  readonly architecture: string
  readonly bootMode: string | undefined
  readonly enaSupport: boolean | undefined
  readonly sriovNetSupport: string | undefined
  imdsSupport: string | undefined
  readonly tpmSupport: string | undefined
  readonly uefiData: string | undefined
  readonly kernelId: string | undefined
  readonly ramdiskId: string | undefined
  readonly virtualizationType: string
  /** `Windows` for a Windows image (from `ImportImage`); absent for Linux, as EC2 leaves it. */
  readonly platform: string | undefined
  readonly rootDeviceName: string
  readonly mappings: ReadonlyArray<ImageBlockDeviceMapping>
  readonly tags: Array<Tag>
  /** Launch permissions, keyed by their JSON so one is never listed twice. */
  readonly launch: Map<string, ImageLaunchPermission>
  readonly sourceImageId: string | undefined
  readonly sourceRegion: string | undefined
  /** A copy's token and request, for `ClientToken` idempotency. */
  readonly copyToken: string | undefined
  readonly copyFingerprint: string | undefined
}

/**
 * An image as the source of a `CopyImage` sees it: what the copy takes over.
 *
 * @internal
 * @since 0.2.0
 */
export interface CopySource {
  readonly image: Image
  readonly snapshots: ReadonlyMap<string, { readonly sizeGiB: number; readonly encrypted: boolean }>
}

const GIB = 1024 ** 3
const MAX_TAGS = 50
const IMAGE_FILTERS = ['name', 'image-id', 'state', 'owner-id', 'architecture', 'is-public', 'description', 'image-type']

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const hex17 = (): string => randomBytes(9).toString('hex').slice(0, 17)

const sourceOf = (r: ImportSnapshotRequest): string => r.DiskContainer.Url ?? r.DiskContainer.UserBucket?.S3Key ?? ''

// A stable size per disk, so repeated reads agree: 1-16 GiB (not a whole number of GiB), picked from the source.
const diskSizeOf = (source: string): number => {
  const h = createHash('sha256').update(source).digest()
  return (1 + (h[0]! % 16)) * GIB - (h[1]! + 1) * 1024 * 1024
}

const tagsFor = (specs: ReadonlyArray<TagSpec> | undefined, resourceType: string): Array<Tag> =>
  (specs ?? [])
    .filter((s) => s.ResourceType === resourceType)
    .flatMap((s) => s.Tags ?? [])
    .map((t) => ({ ...t }))

const ACCOUNT_ID = /^[0-9]{12}$/

const permissionKey = (p: ImageLaunchPermission): string =>
  JSON.stringify([p.UserId ?? null, p.Group ?? null, p.OrganizationArn ?? null, p.OrganizationalUnitArn ?? null])

/**
 * Put `tags` on a resource's tag set: a key already there gets the new value, as `CreateTags` documents.
 *
 * @internal
 * @since 0.2.0
 */
export const applyTags = (target: Array<Tag>, tags: ReadonlyArray<Tag>): void => {
  for (const t of tags) {
    const at = target.findIndex((x) => x.Key === t.Key)
    if (at === -1) target.push({ ...t })
    else target[at] = { ...t }
  }
}

/**
 * How many tags a resource would have after `applyTags`, to refuse more than EC2's 50 before changing anything.
 *
 * @internal
 * @since 0.2.0
 */
export const tagCountAfter = (target: ReadonlyArray<Tag>, tags: ReadonlyArray<Tag>): number =>
  new Set([...target, ...tags].map((t) => t.Key)).size

/**
 * `TagLimitExceeded`, naming the resource.
 *
 * @internal
 * @since 0.2.0
 */
export const tagLimitExceeded = (id: string): Ec2Error =>
  ec2Error(400, 'TagLimitExceeded', `The maximum number of tags (${MAX_TAGS}) for resource ${id} has been reached.`)

// -------------------------------------------------------------------------------------------------
// store
// -------------------------------------------------------------------------------------------------

/**
 * The snapshot path's resources of one region.
 *
 * @internal
 * @since 0.2.0
 */
export class ImageStore {
  private readonly tasks = new Map<string, StoredSnapshotTask>()
  private readonly taskTokens = new Map<string, string>()
  private readonly snapshots = new Map<string, StoredSnapshot>()
  private readonly images = new Map<string, StoredImage>()
  /** The `ImportImage` tasks whose AMI is already here. */
  private readonly adopted = new Set<string>()
  private seq = 0

  constructor(private readonly options: ImageStoreOptions) {}

  private get work(): number {
    return this.options.clock.work()
  }

  private get now(): number {
    return this.options.clock.now()
  }

  // ---------------------------------------------------------------------------------------------
  // snapshot import tasks
  // ---------------------------------------------------------------------------------------------

  private taskEndWork(t: StoredSnapshotTask): number {
    const p = this.options.snapshotPhases
    return t.startWork + (t.failure === undefined ? p.pending + p.converting : this.failsAt(t.failure) + p.deleting)
  }

  /** Drop tasks past retention (and their tokens): EC2 lists tasks of the last 7 days. */
  private sweep(): void {
    const work = this.work
    const now = this.now
    const rate = this.options.clock.rate > 0 ? this.options.clock.rate : 1
    for (const t of this.tasks.values()) {
      const end = this.taskEndWork(t)
      if (work < end) continue
      const endedAt = t.createdClock + (end - t.startWork) / rate
      if (now - endedAt > this.options.retentionMs) {
        this.tasks.delete(t.id)
        if (t.clientToken !== undefined && this.taskTokens.get(t.clientToken) === t.id) this.taskTokens.delete(t.clientToken)
      }
    }
  }

  private taskView(t: StoredSnapshotTask, work: number): ImportSnapshotTask {
    const p = this.options.snapshotPhases
    const r = t.request
    const d = r.DiskContainer
    const elapsed = work - t.startWork
    const failAt = t.failure === undefined ? undefined : this.failsAt(t.failure)
    // The task's work is over when it is converted, or when it fails (a disk it cannot read fails earlier).
    const converted = elapsed >= (failAt ?? p.pending + p.converting)
    const detail: Record<string, unknown> = {}
    if (d.Description !== undefined) detail['Description'] = d.Description
    detail['DiskImageSize'] = elapsed >= p.pending ? t.diskSize : 0
    if (r.Encrypted !== undefined) detail['Encrypted'] = r.Encrypted
    if (d.Format !== undefined) detail['Format'] = d.Format.toUpperCase()
    if (r.KmsKeyId !== undefined) detail['KmsKeyId'] = r.KmsKeyId
    if (!converted) {
      // pending runs 0-9 %, converting 10-99 %: the value ImportSnapshot answers with first is 0.
      const progress =
        elapsed < p.pending
          ? Math.floor((10 * elapsed) / (p.pending === 0 ? 1 : p.pending))
          : 10 + Math.floor((89 * (elapsed - p.pending)) / (p.converting === 0 ? 1 : p.converting))
      detail['Progress'] = String(progress)
      detail['Status'] = 'active'
      detail['StatusMessage'] = elapsed < p.pending ? 'pending' : 'converting'
    } else if (t.failure !== undefined) {
      detail['Status'] = elapsed < failAt! + p.deleting ? 'deleting' : 'deleted'
      detail['StatusMessage'] = t.failure.message
    } else {
      detail['SnapshotId'] = t.snapshotId
      detail['Status'] = 'completed'
    }
    if (d.Url !== undefined) detail['Url'] = d.Url
    if (d.UserBucket !== undefined) detail['UserBucket'] = { ...d.UserBucket }
    const out: Record<string, unknown> = {}
    if (r.Description !== undefined) out['Description'] = r.Description
    out['ImportTaskId'] = t.id
    out['SnapshotTaskDetail'] = detail as SnapshotTaskDetail
    out['Tags'] = t.tags.map((x) => ({ ...x }))
    return out as unknown as ImportSnapshotTask
  }

  /** Every snapshot import task still listed, oldest first. */
  listTasks(): Array<ImportSnapshotTask> {
    this.sweep()
    const work = this.work
    return [...this.tasks.values()].map((t) => this.taskView(t, work))
  }

  // Work since the start at which a failure ends the task (see TaskStore's).
  private failsAt(f: StrictFailure): number {
    const p = this.options.snapshotPhases
    return f.phase === 'validation' ? p.pending : p.pending + p.converting
  }

  /**
   * `ImportSnapshot`: a new task, or the one an earlier call with the same `ClientToken` started. `failure`, from
   * strict mode, makes the new task end `deleted` with its message.
   */
  importSnapshot(r: ImportSnapshotRequest, failure?: StrictFailure): Outcome<ImportSnapshotResult> {
    this.sweep()
    const work = this.work
    const { ClientToken: _token, DryRun: _dryRun, ...rest } = r
    const fingerprint = JSON.stringify(rest)
    if (r.ClientToken !== undefined) {
      const id = this.taskTokens.get(r.ClientToken)
      const existing = id === undefined ? undefined : this.tasks.get(id)
      if (existing !== undefined) {
        return existing.fingerprint === fingerprint ? right(this.taskView(existing, work)) : left(idempotentParameterMismatch)
      }
    }
    const p = this.options.snapshotPhases
    const active = [...this.tasks.values()].filter((t) => work - t.startWork < p.pending + p.converting).length
    if (active >= this.options.maxActiveTasks) {
      return left(
        ec2Error(
          400,
          'ResourceLimitExceeded',
          `You have reached the limit of ${this.options.maxActiveTasks} active import snapshot tasks. Wait for a task to finish, or cancel one, and try again.`,
        ),
      )
    }
    const marker = this.options.failureMarker
    const source = sourceOf(r)
    const marked = marker !== '' && source.includes(marker)
    const taskFailure: StrictFailure | undefined =
      failure ?? (marked ? { message: this.options.failureMessage, phase: 'conversion' } : undefined)
    const fails = taskFailure !== undefined
    const diskSize = diskSizeOf(source)
    const task: StoredSnapshotTask = {
      seq: ++this.seq,
      id: `import-snap-${hex17()}`,
      snapshotId: `snap-${hex17()}`,
      diskSize,
      request: r,
      fingerprint,
      clientToken: r.ClientToken,
      createdClock: this.now,
      startWork: work,
      failure: taskFailure,
      tags: tagsFor(r.TagSpecifications, 'import-snapshot-task'),
    }
    this.tasks.set(task.id, task)
    if (r.ClientToken !== undefined) this.taskTokens.set(r.ClientToken, task.id)
    if (!fails) {
      const done = work + p.pending + p.converting
      this.snapshots.set(task.snapshotId, {
        seq: ++this.seq,
        id: task.snapshotId,
        description: `Created by AWS-VMImport service for ${task.id}`,
        sizeGiB: Math.ceil(diskSize / GIB),
        encrypted: r.Encrypted === true,
        kmsKeyId: r.KmsKeyId,
        startClock: this.now,
        visibleFromWork: done,
        completeAtWork: done,
        tags: [],
        createVolumeUsers: new Set(),
        createVolumePublic: false,
      })
    }
    return right(this.taskView(task, work))
  }

  /** `DescribeImportSnapshotTasks`: by id and filters, a page at a time. */
  describeTasks(r: DescribeImportSnapshotTasksRequest): Outcome<DescribeImportSnapshotTasksResult> {
    this.sweep()
    const work = this.work
    const filters = r.Filters ?? []
    const fields: FilterFields<ImportSnapshotTask> = { 'task-state': (t) => [t.SnapshotTaskDetail?.Status ?? ''] }
    const checked = checkFilters(filters, fields)
    if (checked._tag === 'Left') return checked
    let candidates: Array<StoredSnapshotTask>
    if (r.ImportTaskIds !== undefined && r.ImportTaskIds.length > 0) {
      candidates = []
      for (const id of new Set(r.ImportTaskIds)) {
        const t = this.tasks.get(id)
        if (t === undefined) return left(unknownSnapshotTask(id))
        candidates.push(t)
      }
      candidates.sort((a, b) => a.seq - b.seq)
    } else {
      candidates = [...this.tasks.values()]
    }
    const entries = candidates
      .map((t) => ({ seq: t.seq, view: this.taskView(t, work) }))
      .filter((e) => matchesFilters(filters, fields, e.view, e.view.Tags ?? []))
    if (r.MaxResults !== undefined && r.MaxResults < 1) {
      return left(
        ec2Error(400, 'InvalidParameterValue', `Value (${r.MaxResults}) for parameter MaxResults is invalid. Expected a value of at least 1.`),
      )
    }
    // As DescribeImportImageTasks: at most 1,000 a page, whatever MaxResults asks for.
    const page = pageOf(entries, [r.ImportTaskIds ?? [], filters], { ...r, MaxResults: Math.min(r.MaxResults ?? 1000, 1000) }, { min: 1, max: 1000 })
    if (page._tag === 'Left') return page
    const out: { ImportSnapshotTasks: Array<ImportSnapshotTask>; NextToken?: string } = {
      ImportSnapshotTasks: page.right.items.map((e) => e.view),
    }
    if (page.right.nextToken !== undefined) out.NextToken = page.right.nextToken
    return right(out)
  }

  // ---------------------------------------------------------------------------------------------
  // snapshots
  // ---------------------------------------------------------------------------------------------

  private liveSnapshot(id: string, work: number): StoredSnapshot | undefined {
    const s = this.snapshots.get(id)
    return s !== undefined && work >= s.visibleFromWork ? s : undefined
  }

  private snapshotView(s: StoredSnapshot, work: number): SnapshotView {
    const completed = work >= s.completeAtWork
    const span = s.completeAtWork - s.visibleFromWork
    const progress = completed ? 100 : Math.floor((100 * (work - s.visibleFromWork)) / (span <= 0 ? 1 : span))
    return {
      SnapshotId: s.id,
      OwnerId: this.options.accountId,
      Description: s.description,
      VolumeId: 'vol-ffffffff',
      VolumeSize: s.sizeGiB,
      State: completed ? 'completed' : 'pending',
      Progress: `${progress}%`,
      StartTime: new Date(s.startClock),
      Encrypted: s.encrypted,
      ...(s.kmsKeyId === undefined ? {} : { KmsKeyId: s.kmsKeyId }),
      StorageTier: 'standard',
      Tags: s.tags.map((t) => ({ ...t })),
    }
  }

  /** Every snapshot listed now, oldest first. */
  listSnapshots(): Array<SnapshotView> {
    const work = this.work
    return [...this.snapshots.values()].filter((s) => work >= s.visibleFromWork).map((s) => this.snapshotView(s, work))
  }

  private usersOf(id: string): Array<string> {
    return [...this.images.values()].filter((i) => i.mappings.some((m) => m.Ebs?.SnapshotId === id)).map((i) => i.id)
  }

  /** `DescribeSnapshots`: by id, owner, who may restore them, and filters, a page at a time. */
  describeSnapshots(r: DescribeSnapshotsRequest): Outcome<DescribeSnapshotsResult> {
    const work = this.work
    const account = this.options.accountId
    const filters = r.Filters ?? []
    const fields: FilterFields<SnapshotView> = {
      'snapshot-id': (s) => [s.SnapshotId],
      status: (s) => [s.State],
      'owner-id': (s) => [s.OwnerId],
      description: (s) => [s.Description ?? ''],
      'volume-size': (s) => [String(s.VolumeSize)],
      encrypted: (s) => [String(s.Encrypted)],
      progress: (s) => [s.Progress],
    }
    const checked = checkFilters(filters, fields)
    if (checked._tag === 'Left') return checked
    const ids = r.SnapshotIds ?? []
    if (ids.length > 0 && r.MaxResults !== undefined) {
      return left(
        ec2Error(400, 'InvalidParameterCombination', 'The parameter snapshotSet cannot be used with the parameter maxResults'),
      )
    }
    let candidates: Array<StoredSnapshot>
    if (ids.length > 0) {
      candidates = []
      for (const id of new Set(ids)) {
        const s = this.liveSnapshot(id, work)
        if (s === undefined) return left(unknownSnapshot(id))
        candidates.push(s)
      }
      candidates.sort((a, b) => a.seq - b.seq)
    } else {
      candidates = [...this.snapshots.values()].filter((s) => work >= s.visibleFromWork)
    }
    const owners = (r.OwnerIds ?? []).map((o) => (o === 'self' ? account : o))
    const restorers = (r.RestorableByUserIds ?? []).map((o) => (o === 'self' ? account : o))
    const entries = candidates
      .filter((s) => owners.length === 0 || owners.includes(account))
      .filter(
        (s) =>
          restorers.length === 0 ||
          restorers.some((u) =>
            u === 'all' ? s.createVolumePublic : u === account || s.createVolumeUsers.has(u) || s.createVolumePublic,
          ),
      )
      .map((s) => ({ seq: s.seq, view: this.snapshotView(s, work) }))
      .filter((e) => matchesFilters(filters, fields, e.view, e.view.Tags))
    const page = pageOf(entries, [ids, owners, restorers, filters], r, { min: 5, max: 1000 })
    if (page._tag === 'Left') return page
    return right({
      Snapshots: page.right.items.map((e) => e.view),
      ...(page.right.nextToken === undefined ? {} : { NextToken: page.right.nextToken }),
    })
  }

  /** `DeleteSnapshot`: refused while a registered AMI uses the snapshot. */
  deleteSnapshot(r: DeleteSnapshotRequest): Outcome<DeleteSnapshotResult> {
    if (r.SnapshotId === undefined || r.SnapshotId === '') return left(missingParameter('SnapshotId'))
    const s = this.liveSnapshot(r.SnapshotId, this.work)
    if (s === undefined) return left(unknownSnapshot(r.SnapshotId))
    const users = this.usersOf(s.id)
    if (users.length > 0) {
      return left(ec2Error(400, 'InvalidSnapshot.InUse', `The snapshot ${s.id} is currently in use by ${users[0]!}`))
    }
    this.snapshots.delete(s.id)
    return right({})
  }

  /** `ModifySnapshotAttribute`: who may create volumes from the snapshot. */
  modifySnapshotAttribute(r: ModifySnapshotAttributeRequest): Outcome<ModifySnapshotAttributeResult> {
    if (r.SnapshotId === undefined || r.SnapshotId === '') return left(missingParameter('SnapshotId'))
    if (r.Attribute !== undefined && r.Attribute !== 'createVolumePermission') {
      return left(ec2Error(400, 'InvalidParameterValue', `The attribute ${r.Attribute} cannot be modified.`))
    }
    const s = this.liveSnapshot(r.SnapshotId, this.work)
    if (s === undefined) return left(unknownSnapshot(r.SnapshotId))
    const add: Array<PermissionInput> = [...(r.CreateVolumePermission?.Add ?? [])]
    const remove: Array<PermissionInput> = [...(r.CreateVolumePermission?.Remove ?? [])]
    const flat = [...(r.UserIds ?? []).map((UserId) => ({ UserId })), ...(r.GroupNames ?? []).map((Group) => ({ Group }))]
    if (flat.length > 0) {
      if (r.OperationType === 'add') add.push(...flat)
      else if (r.OperationType === 'remove') remove.push(...flat)
      else return left(missingParameter('OperationType'))
    }
    if (add.length === 0 && remove.length === 0) {
      return left(ec2Error(400, 'InvalidParameterCombination', 'No attributes specified.'))
    }
    for (const p of [...add, ...remove]) {
      if (p.UserId !== undefined && !ACCOUNT_ID.test(p.UserId)) {
        return left(ec2Error(400, 'InvalidUserID.Malformed', `Invalid user id: '${p.UserId}'`))
      }
      if (p.Group !== undefined && p.Group !== 'all') {
        return left(ec2Error(400, 'InvalidParameterValue', `Invalid value '${p.Group}' for group name. Only 'all' is supported.`))
      }
      if (p.UserId === undefined && p.Group === undefined) {
        return left(ec2Error(400, 'InvalidParameterValue', 'A create volume permission names a UserId or a Group.'))
      }
    }
    for (const p of add) {
      if (p.UserId !== undefined) s.createVolumeUsers.add(p.UserId)
      if (p.Group === 'all') s.createVolumePublic = true
    }
    for (const p of remove) {
      if (p.UserId !== undefined) s.createVolumeUsers.delete(p.UserId)
      if (p.Group === 'all') s.createVolumePublic = false
    }
    return right({})
  }

  /** Who may create volumes from a snapshot, for tests; `undefined` for a snapshot the region does not list. */
  createVolumePermissions(id: string): Array<{ UserId?: string; Group?: 'all' }> | undefined {
    const s = this.liveSnapshot(id, this.work)
    if (s === undefined) return undefined
    return [...(s.createVolumePublic ? [{ Group: 'all' as const }] : []), ...[...s.createVolumeUsers].map((UserId) => ({ UserId }))]
  }

  // ---------------------------------------------------------------------------------------------
  // images
  // ---------------------------------------------------------------------------------------------

  // An image exists for callers once its creation has propagated.
  private liveImage(id: string): StoredImage | undefined {
    const i = this.images.get(id)
    return i !== undefined && this.now >= i.visibleAtClock ? i : undefined
  }

  private imageView(i: StoredImage, work: number): Image {
    const available = work >= i.availableAtWork
    const launch = [...i.launch.values()]
    const out: Record<string, unknown> = {
      PlatformDetails: i.platform === 'Windows' ? 'Windows' : 'Linux/UNIX',
      ...(i.platform === 'Windows' ? { Platform: 'Windows' } : {}),
      UsageOperation: 'RunInstances',
      BlockDeviceMappings: i.mappings.map((m) => ({ ...m, ...(m.Ebs === undefined ? {} : { Ebs: { ...m.Ebs } }) })),
      ...(i.description === undefined ? {} : { Description: i.description }),
      ...(i.enaSupport === undefined ? {} : { EnaSupport: i.enaSupport }),
      Hypervisor: 'xen',
      Name: i.name,
      RootDeviceName: i.rootDeviceName,
      RootDeviceType: 'ebs',
      ...(i.sriovNetSupport === undefined ? {} : { SriovNetSupport: i.sriovNetSupport }),
      ...(available ? {} : { StateReason: { Code: 'pending', Message: 'pending' } }),
      Tags: i.tags.map((t) => ({ ...t })),
      VirtualizationType: i.virtualizationType,
      ...(i.bootMode === undefined ? {} : { BootMode: i.bootMode }),
      ...(i.tpmSupport === undefined ? {} : { TpmSupport: i.tpmSupport }),
      ...(i.imdsSupport === undefined ? {} : { ImdsSupport: i.imdsSupport }),
      ...(i.sourceImageId === undefined ? {} : { SourceImageId: i.sourceImageId }),
      ...(i.sourceRegion === undefined ? {} : { SourceImageRegion: i.sourceRegion }),
      ImageId: i.id,
      ImageLocation: `${this.options.accountId}/${i.name}`,
      State: available ? 'available' : 'pending',
      OwnerId: this.options.accountId,
      CreationDate: new Date(i.createdClock).toISOString(),
      Public: launch.some((p) => p.Group === 'all'),
      Architecture: i.architecture,
      ImageType: 'machine',
      ...(i.kernelId === undefined ? {} : { KernelId: i.kernelId }),
      ...(i.ramdiskId === undefined ? {} : { RamdiskId: i.ramdiskId }),
    }
    return out as Image
  }

  /** Every image visible now (past eventual consistency), oldest first. */
  listImages(): Array<Image> {
    const work = this.work
    return [...this.images.values()].filter((i) => this.now >= i.visibleAtClock).map((i) => this.imageView(i, work))
  }

  private nameTaken(name: string): StoredImage | undefined {
    // Unique among the owner's images in the region, whether or not the creation has propagated yet.
    return [...this.images.values()].find((i) => i.name === name)
  }

  private duplicateName(name: string, by: StoredImage): Ec2Error {
    return ec2Error(400, 'InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${by.id}`)
  }

  private newImage(fields: Omit<StoredImage, 'seq' | 'id' | 'createdClock' | 'availableAtWork' | 'visibleAtClock' | 'launch'> & { readonly id: string }): StoredImage {
    const image: StoredImage = {
      ...fields,
      seq: ++this.seq,
      createdClock: this.now,
      availableAtWork: this.work + this.options.imagePendingMs,
      visibleAtClock: this.now + this.options.eventualConsistencyMs,
      launch: new Map(),
    }
    this.images.set(image.id, image)
    return image
  }

  /**
   * Bring the AMIs of completed `ImportImage` tasks (as `DescribeImportImageTasks` shows them) into the region, with
   * their snapshots, so they can be described, tagged, shared, copied and deregistered like registered ones. Each
   * task's AMI comes once; it stays after the task itself is no longer listed, as on EC2.
   */
  adoptImported(tasks: ReadonlyArray<ImportImageTask>): void {
    for (const t of tasks) {
      if (t.Status !== 'completed' || t.ImageId === undefined || this.adopted.has(t.ImportTaskId ?? t.ImageId)) continue
      this.adopted.add(t.ImportTaskId ?? t.ImageId)
      const work = this.work
      const mappings: Array<ImageBlockDeviceMapping> = []
      for (const [i, d] of (t.SnapshotDetails ?? []).entries()) {
        if (d.SnapshotId === undefined) continue
        const sizeGiB = Math.max(1, Math.ceil((d.DiskImageSize ?? GIB) / GIB))
        this.snapshots.set(d.SnapshotId, {
          seq: ++this.seq,
          id: d.SnapshotId,
          description: `Created by AWS-VMImport service for ${t.ImportTaskId ?? ''}`,
          sizeGiB,
          encrypted: t.Encrypted === true,
          kmsKeyId: t.KmsKeyId,
          startClock: this.now,
          visibleFromWork: work,
          completeAtWork: work,
          tags: [],
          createVolumeUsers: new Set(),
          createVolumePublic: false,
        })
        mappings.push({
          DeviceName: d.DeviceName ?? (i === 0 ? '/dev/sda1' : `/dev/sd${String.fromCharCode(98 + (i % 25))}`),
          Ebs: { DeleteOnTermination: true, SnapshotId: d.SnapshotId, VolumeSize: sizeGiB, VolumeType: 'gp2', Encrypted: t.Encrypted === true },
        })
      }
      const image: StoredImage = {
        seq: ++this.seq,
        id: t.ImageId,
        // EC2 names an imported AMI after its task.
        name: t.ImportTaskId ?? t.ImageId,
        description: t.Description,
        createdClock: this.now,
        // The task's `preparing ami` phase was the image's pending time: it is available with the task completed.
        availableAtWork: work,
        visibleAtClock: this.now,
        architecture: t.Architecture ?? 'x86_64',
        bootMode: t.BootMode,
        enaSupport: true,
        sriovNetSupport: undefined,
        imdsSupport: undefined,
        tpmSupport: undefined,
        uefiData: undefined,
        kernelId: undefined,
        ramdiskId: undefined,
        virtualizationType: 'hvm',
        platform: t.Platform === 'Windows' ? 'Windows' : undefined,
        rootDeviceName: mappings[0]?.DeviceName ?? '/dev/sda1',
        mappings,
        tags: [],
        launch: new Map(),
        sourceImageId: undefined,
        sourceRegion: undefined,
        copyToken: undefined,
        copyFingerprint: undefined,
      }
      this.images.set(image.id, image)
    }
  }

  /** `RegisterImage`: an EBS-backed AMI from completed snapshots, `pending` until `imagePendingMs` of work. */
  registerImage(r: RegisterImageRequest): Outcome<RegisterImageResult> {
    const work = this.work
    const mappingsIn = r.BlockDeviceMappings ?? []
    const rootName = r.RootDeviceName ?? mappingsIn[0]?.DeviceName ?? '/dev/xvda'
    const root = mappingsIn.find((m) => m.DeviceName === rootName)
    if (root?.Ebs?.SnapshotId === undefined) {
      return left(
        ec2Error(
          400,
          'InvalidBlockDeviceMapping',
          `The root device ${rootName} must map an EBS snapshot (BlockDeviceMapping with Ebs.SnapshotId): this endpoint registers EBS-backed images only.`,
        ),
      )
    }
    const mappings: Array<ImageBlockDeviceMapping> = []
    for (const m of mappingsIn) {
      if (m.Ebs === undefined) {
        mappings.push({ ...m } as ImageBlockDeviceMapping)
        continue
      }
      const e = m.Ebs
      let size = e.VolumeSize
      let encrypted = e.Encrypted ?? false
      if (e.SnapshotId !== undefined) {
        const s = this.liveSnapshot(e.SnapshotId, work)
        if (s === undefined) return left(unknownSnapshot(e.SnapshotId))
        if (work < s.completeAtWork) {
          return left(ec2Error(400, 'IncorrectState', `Snapshot '${s.id}' is not in the 'completed' state; it is 'pending'.`))
        }
        if (size !== undefined && size < s.sizeGiB) {
          return left(
            ec2Error(
              400,
              'InvalidBlockDeviceMapping',
              `Volume of size ${size}GB is smaller than snapshot '${s.id}', expect size >= ${s.sizeGiB}GB`,
            ),
          )
        }
        size ??= s.sizeGiB
        encrypted = s.encrypted
      } else if (size === undefined) {
        return left(missingParameter(`BlockDeviceMapping.${mappingsIn.indexOf(m) + 1}.Ebs.VolumeSize`))
      }
      mappings.push({
        ...(m.DeviceName === undefined ? {} : { DeviceName: m.DeviceName }),
        Ebs: {
          DeleteOnTermination: e.DeleteOnTermination ?? true,
          ...(e.Iops === undefined ? {} : { Iops: e.Iops }),
          ...(e.SnapshotId === undefined ? {} : { SnapshotId: e.SnapshotId }),
          VolumeSize: size!,
          VolumeType: e.VolumeType ?? 'gp2',
          ...(e.Throughput === undefined ? {} : { Throughput: e.Throughput }),
          Encrypted: encrypted,
        },
      })
    }
    const taken = this.nameTaken(r.Name)
    if (taken !== undefined) return left(this.duplicateName(r.Name, taken))
    const image = this.newImage({
      id: `ami-${hex17()}`,
      name: r.Name,
      description: r.Description,
      architecture: r.Architecture ?? 'x86_64',
      bootMode: r.BootMode,
      enaSupport: r.EnaSupport,
      sriovNetSupport: r.SriovNetSupport,
      imdsSupport: r.ImdsSupport,
      tpmSupport: r.TpmSupport,
      uefiData: r.UefiData,
      kernelId: r.KernelId,
      ramdiskId: r.RamdiskId,
      virtualizationType: r.VirtualizationType ?? 'hvm',
      platform: undefined,
      rootDeviceName: rootName,
      mappings,
      tags: tagsFor(r.TagSpecifications, 'image'),
      sourceImageId: undefined,
      sourceRegion: undefined,
      copyToken: undefined,
      copyFingerprint: undefined,
    })
    this.tagSnapshotsOf(image, tagsFor(r.TagSpecifications, 'snapshot'))
    return right({ ImageId: image.id })
  }

  // `TagSpecifications` with `ResourceType: 'snapshot'` tag the snapshots of the new image.
  private tagSnapshotsOf(image: StoredImage, tags: ReadonlyArray<Tag>): void {
    if (tags.length === 0) return
    for (const m of image.mappings) {
      const s = m.Ebs?.SnapshotId === undefined ? undefined : this.snapshots.get(m.Ebs.SnapshotId)
      if (s !== undefined) applyTags(s.tags, tags)
    }
  }

  /** `DescribeImages`: by id, owner, who may launch them, and filters, a page at a time. */
  describeImages(r: DescribeImagesRequest): Outcome<DescribeImagesResult> {
    const work = this.work
    const account = this.options.accountId
    const filters = r.Filters ?? []
    const fields: FilterFields<Image> = Object.fromEntries(
      IMAGE_FILTERS.map((name) => [
        name,
        (i: Image): ReadonlyArray<string> => {
          switch (name) {
            case 'name':
              return [i.Name ?? '']
            case 'image-id':
              return [i.ImageId ?? '']
            case 'state':
              return [i.State ?? '']
            case 'owner-id':
              return [i.OwnerId ?? '']
            case 'architecture':
              return [i.Architecture ?? '']
            case 'is-public':
              return [String(i.Public ?? false)]
            case 'description':
              return [i.Description ?? '']
            default:
              return [i.ImageType ?? '']
          }
        },
      ]),
    )
    const checked = checkFilters(filters, fields)
    if (checked._tag === 'Left') return checked
    const ids = r.ImageIds ?? []
    if (ids.length > 0 && r.MaxResults !== undefined) {
      return left(
        ec2Error(400, 'InvalidParameterCombination', 'The parameter imageIdsSet cannot be used with the parameter maxResults'),
      )
    }
    for (const o of r.Owners ?? []) {
      if (o !== 'self' && o !== 'amazon' && o !== 'aws-marketplace' && o !== 'aws-backup-vault' && !ACCOUNT_ID.test(o)) {
        return left(ec2Error(400, 'InvalidUserID.Malformed', `Invalid user id: '${o}'`))
      }
    }
    let candidates: Array<StoredImage>
    if (ids.length > 0) {
      candidates = []
      // One unknown id fails the whole call, as EC2 does (which is why waiters batch with the image-id filter).
      for (const id of new Set(ids)) {
        const i = this.liveImage(id)
        if (i === undefined) return left(unknownImage(id))
        candidates.push(i)
      }
      candidates.sort((a, b) => a.seq - b.seq)
    } else {
      candidates = [...this.images.values()].filter((i) => this.now >= i.visibleAtClock)
    }
    // Only this account's images exist here: an owner alias (amazon, aws-marketplace) owns none of them.
    const owners = (r.Owners ?? []).map((o) => (o === 'self' ? account : o))
    const executors = (r.ExecutableUsers ?? []).map((o) => (o === 'self' ? account : o))
    const entries = candidates
      .filter((i) => owners.length === 0 || owners.includes(account))
      .filter((i) => executors.length === 0 || executors.some((u) => this.mayLaunch(i, u)))
      .map((i) => ({ seq: i.seq, view: this.imageView(i, work) }))
      .filter((e) => matchesFilters(filters, fields, e.view, e.view.Tags ?? []))
    const page = pageOf(entries, [ids, owners, executors, filters], r, { min: 5, max: 1000 })
    if (page._tag === 'Left') return page
    return right({
      Images: page.right.items.map((e) => e.view),
      ...(page.right.nextToken === undefined ? {} : { NextToken: page.right.nextToken }),
    })
  }

  private mayLaunch(i: StoredImage, user: string): boolean {
    const perms = [...i.launch.values()]
    if (perms.some((p) => p.Group === 'all')) return true
    if (user === 'all') return false
    return user === this.options.accountId || perms.some((p) => p.UserId === user)
  }

  /** `DeregisterImage`, and with `DeleteAssociatedSnapshots` the snapshots no other image uses. */
  deregisterImage(r: DeregisterImageRequest): Outcome<DeregisterImageResult> {
    const i = this.liveImage(r.ImageId)
    if (i === undefined) return left(unknownImage(r.ImageId))
    this.images.delete(i.id)
    if (r.DeleteAssociatedSnapshots !== true) return right({ Return: true })
    const results: Array<{ SnapshotId: string; ReturnCode: string }> = []
    for (const m of i.mappings) {
      const id = m.Ebs?.SnapshotId
      if (id === undefined) continue
      if (!this.snapshots.has(id)) {
        results.push({ SnapshotId: id, ReturnCode: 'client-error' })
      } else if (this.usersOf(id).length > 0) {
        // Still the root of another AMI: EC2 leaves it and says so.
        results.push({ SnapshotId: id, ReturnCode: 'skipped' })
      } else {
        this.snapshots.delete(id)
        results.push({ SnapshotId: id, ReturnCode: 'success' })
      }
    }
    return right({ Return: true, DeleteSnapshotResults: results } as DeregisterImageResult)
  }

  /** What a `CopyImage` from this region takes over; the error is the one the destination answers with. */
  copySource(id: string | undefined): Outcome<CopySource> {
    if (id === undefined || id === '') return left(missingParameter('SourceImageId'))
    const i = this.liveImage(id)
    if (i === undefined) return left(unknownImage(id))
    const work = this.work
    if (work < i.availableAtWork) {
      return left(ec2Error(400, 'IncorrectState', `Image '${i.id}' is not in the 'available' state; it is 'pending'.`))
    }
    const snapshots = new Map<string, { sizeGiB: number; encrypted: boolean }>()
    for (const m of i.mappings) {
      const s = m.Ebs?.SnapshotId === undefined ? undefined : this.snapshots.get(m.Ebs.SnapshotId)
      if (s !== undefined) snapshots.set(s.id, { sizeGiB: s.sizeGiB, encrypted: s.encrypted })
    }
    return right({ image: this.imageView(i, work), snapshots })
  }

  /**
   * `CopyImage` into this region from `source` (the source region's `copySource`): a new image and new snapshots,
   * `pending` until `imagePendingMs` of work. A repeated `ClientToken` answers the same image.
   */
  copyImage(r: CopyImageRequest, source: Outcome<CopySource>, sourceRegion: string): Outcome<CopyImageResult> {
    const { ClientToken: token, ...rest } = r as CopyImageRequest & { DryRun?: unknown }
    const fingerprint = JSON.stringify({ ...rest, DryRun: undefined })
    if (token !== undefined) {
      const existing = [...this.images.values()].find((i) => i.copyToken === token)
      if (existing !== undefined) {
        return existing.copyFingerprint === fingerprint ? right({ ImageId: existing.id }) : left(idempotentParameterMismatch)
      }
    }
    if (source._tag === 'Left') return source
    if (r.Name === undefined || r.Name === '') return left(missingParameter('Name'))
    const taken = this.nameTaken(r.Name)
    if (taken !== undefined) return left(this.duplicateName(r.Name, taken))
    const src = source.right.image
    const id = `ami-${hex17()}`
    const work = this.work
    const done = work + this.options.imagePendingMs
    // Each snapshot of the source gets a copy here, pending as long as the image.
    const renamed = new Map<string, string>()
    for (const [snapId, s] of source.right.snapshots) {
      const copyId = `snap-${hex17()}`
      renamed.set(snapId, copyId)
      this.snapshots.set(copyId, {
        seq: ++this.seq,
        id: copyId,
        description: `Copied for DestinationAmi ${id} from SourceAmi ${src.ImageId ?? ''} for SourceSnapshot ${snapId}. Task created on ${new Date(this.now).toISOString()}.`,
        sizeGiB: s.sizeGiB,
        encrypted: r.Encrypted === true || s.encrypted,
        kmsKeyId: r.KmsKeyId,
        startClock: this.now,
        visibleFromWork: work,
        completeAtWork: done,
        tags: [],
        createVolumeUsers: new Set(),
        createVolumePublic: false,
      })
    }
    const mappings = (src.BlockDeviceMappings ?? []).map((m): ImageBlockDeviceMapping => {
      if (m.Ebs === undefined) return { ...m }
      const snap = m.Ebs.SnapshotId === undefined ? undefined : renamed.get(m.Ebs.SnapshotId)
      return {
        ...m,
        Ebs: {
          ...m.Ebs,
          ...(snap === undefined ? {} : { SnapshotId: snap }),
          ...(r.Encrypted === true ? { Encrypted: true } : {}),
        },
      }
    })
    const image = this.newImage({
      id,
      name: r.Name,
      description: r.Description ?? src.Description,
      architecture: src.Architecture ?? 'x86_64',
      bootMode: src.BootMode,
      enaSupport: src.EnaSupport,
      sriovNetSupport: src.SriovNetSupport,
      imdsSupport: src.ImdsSupport,
      tpmSupport: src.TpmSupport,
      uefiData: undefined,
      kernelId: src.KernelId,
      ramdiskId: src.RamdiskId,
      virtualizationType: src.VirtualizationType ?? 'hvm',
      platform: src.Platform,
      rootDeviceName: src.RootDeviceName ?? '/dev/xvda',
      mappings,
      tags: r.CopyImageTags === true ? (src.Tags ?? []).map((t) => ({ ...t })) : [],
      sourceImageId: src.ImageId,
      sourceRegion,
      copyToken: token,
      copyFingerprint: fingerprint,
    })
    // Tags asked for in the request win over copied ones with the same key.
    applyTags(image.tags, tagsFor(r.TagSpecifications, 'image'))
    this.tagSnapshotsOf(image, tagsFor(r.TagSpecifications, 'snapshot'))
    return right({ ImageId: image.id })
  }

  /** `ModifyImageAttribute`: description, launch permissions, IMDSv2. */
  modifyImageAttribute(r: ModifyImageAttributeRequest): Outcome<ModifyImageAttributeResult> {
    if (r.ImageId === undefined || r.ImageId === '') return left(missingParameter('ImageId'))
    const i = this.liveImage(r.ImageId)
    if (i === undefined) return left(unknownImage(r.ImageId))
    const attribute = r.Attribute
    const add: Array<PermissionInput> = [...(r.LaunchPermission?.Add ?? [])]
    const remove: Array<PermissionInput> = [...(r.LaunchPermission?.Remove ?? [])]
    const flat: Array<PermissionInput> = [
      ...(r.UserIds ?? []).map((UserId) => ({ UserId })),
      ...(r.UserGroups ?? []).map((Group) => ({ Group })),
      ...(r.OrganizationArns ?? []).map((OrganizationArn) => ({ OrganizationArn })),
      ...(r.OrganizationalUnitArns ?? []).map((OrganizationalUnitArn) => ({ OrganizationalUnitArn })),
    ]
    if (flat.length > 0) {
      if (attribute !== undefined && attribute !== 'launchPermission') {
        return left(ec2Error(400, 'InvalidParameterCombination', `UserId, UserGroup and organization ARNs modify launchPermission, not ${attribute}.`))
      }
      if (r.OperationType === 'add') add.push(...flat)
      else if (r.OperationType === 'remove') remove.push(...flat)
      else return left(missingParameter('OperationType'))
    }
    let description = r.Description?.Value
    let imds = r.ImdsSupport?.Value
    if (r.Value !== undefined) {
      if (attribute === 'description') description = r.Value
      else if (attribute === 'imdsSupport') imds = r.Value
      else {
        return left(ec2Error(400, 'InvalidParameterCombination', `Value modifies the description or imdsSupport attribute, not ${attribute ?? 'none'}.`))
      }
    }
    if (r.ProductCodes !== undefined && r.ProductCodes.length > 0) {
      return left(ec2Error(400, 'InvalidParameterValue', 'Product codes cannot be added to an image registered from an imported snapshot.'))
    }
    if (attribute !== undefined && !['launchPermission', 'description', 'imdsSupport'].includes(attribute)) {
      return left(ec2Error(400, 'InvalidParameterValue', `The attribute ${attribute} cannot be modified.`))
    }
    if (add.length === 0 && remove.length === 0 && description === undefined && imds === undefined) {
      return left(ec2Error(400, 'InvalidParameterCombination', 'No attributes specified.'))
    }
    if (imds !== undefined && imds !== 'v2.0') {
      return left(ec2Error(400, 'InvalidParameterValue', `Value (${imds}) for parameter ImdsSupport is invalid. Only v2.0 is supported.`))
    }
    for (const p of [...add, ...remove]) {
      const bad = checkLaunchPermission(p)
      if (bad !== undefined) return left(bad)
    }
    // Everything checked: apply all of it, or (above) nothing.
    for (const p of add) {
      const perm = launchPermissionOf(p)
      i.launch.set(permissionKey(perm), perm)
    }
    for (const p of remove) i.launch.delete(permissionKey(launchPermissionOf(p)))
    if (description !== undefined) i.description = description
    // IMDSv2 cannot be switched off again once on, as EC2 documents.
    if (imds !== undefined) i.imdsSupport = imds
    return right({})
  }

  /** `DescribeImageAttribute`: one attribute of an image. */
  describeImageAttribute(r: DescribeImageAttributeRequest): Outcome<ImageAttribute> {
    if (r.ImageId === undefined || r.ImageId === '') return left(missingParameter('ImageId'))
    if (r.Attribute === undefined) return left(missingParameter('Attribute'))
    const i = this.liveImage(r.ImageId)
    if (i === undefined) return left(unknownImage(r.ImageId))
    const value = (v: string | undefined) => (v === undefined ? {} : { Value: v })
    const base = { ImageId: i.id }
    switch (r.Attribute) {
      case 'description':
        return right({ ...base, Description: value(i.description) })
      case 'kernel':
        return right({ ...base, KernelId: value(i.kernelId) })
      case 'ramdisk':
        return right({ ...base, RamdiskId: value(i.ramdiskId) })
      case 'launchPermission':
        return right({ ...base, LaunchPermissions: [...i.launch.values()].map((p) => ({ ...p })) })
      case 'productCodes':
        return right({ ...base, ProductCodes: [] })
      case 'blockDeviceMapping':
        return right({ ...base, BlockDeviceMappings: this.imageView(i, this.work).BlockDeviceMappings ?? [] })
      case 'sriovNetSupport':
        return right({ ...base, SriovNetSupport: value(i.sriovNetSupport) })
      case 'bootMode':
        return right({ ...base, BootMode: value(i.bootMode) })
      case 'tpmSupport':
        return right({ ...base, TpmSupport: value(i.tpmSupport) })
      case 'uefiData':
        return right({ ...base, UefiData: value(i.uefiData) })
      case 'lastLaunchedTime':
        return right({ ...base, LastLaunchedTime: {} })
      case 'imdsSupport':
        return right({ ...base, ImdsSupport: value(i.imdsSupport) })
      case 'deregistrationProtection':
        return right({ ...base, DeregistrationProtection: { Value: 'disabled' } })
      default:
        return left(ec2Error(400, 'InvalidParameterValue', `Value (${r.Attribute}) for parameter attribute is invalid. Unknown attribute.`))
    }
  }

  // ---------------------------------------------------------------------------------------------
  // tags
  // ---------------------------------------------------------------------------------------------

  /**
   * The tag set of a resource of this store (an image, snapshot or snapshot import task), to change in place, or the
   * error `CreateTags` answers for an id it does not hold; `undefined` for an id of another kind.
   */
  tagsOf(id: string): Outcome<Array<Tag>> | undefined {
    if (id.startsWith('ami-')) {
      const i = this.liveImage(id)
      return i === undefined ? left(unknownImage(id)) : right(i.tags)
    }
    if (id.startsWith('snap-')) {
      const s = this.liveSnapshot(id, this.work)
      return s === undefined ? left(unknownSnapshot(id)) : right(s.tags)
    }
    if (id.startsWith('import-snap-')) {
      this.sweep()
      const t = this.tasks.get(id)
      return t === undefined ? left(unknownSnapshotTask(id)) : right(t.tags)
    }
    return undefined
  }
}

const checkLaunchPermission = (p: PermissionInput): Ec2Error | undefined => {
  const given = [p.UserId, p.Group, p.OrganizationArn, p.OrganizationalUnitArn].filter((x) => x !== undefined)
  if (given.length !== 1) {
    return ec2Error(400, 'InvalidParameterCombination', 'A launch permission names exactly one of UserId, Group, OrganizationArn or OrganizationalUnitArn.')
  }
  if (p.UserId !== undefined && !ACCOUNT_ID.test(p.UserId)) {
    return ec2Error(400, 'InvalidAMIAttributeItemValue', `Invalid attribute item value "${p.UserId}" for userId item type.`)
  }
  if (p.Group !== undefined && p.Group !== 'all') {
    return ec2Error(400, 'InvalidAMIAttributeItemValue', `Invalid attribute item value "${p.Group}" for group item type.`)
  }
  if (p.OrganizationArn !== undefined && !/^arn:aws[a-z-]*:organizations::[0-9]{12}:organization\/o-[a-z0-9]{10,32}$/.test(p.OrganizationArn)) {
    return ec2Error(400, 'InvalidAMIAttributeItemValue', `Invalid attribute item value "${p.OrganizationArn}" for organizationArn item type.`)
  }
  if (
    p.OrganizationalUnitArn !== undefined &&
    !/^arn:aws[a-z-]*:organizations::[0-9]{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/.test(p.OrganizationalUnitArn)
  ) {
    return ec2Error(
      400,
      'InvalidAMIAttributeItemValue',
      `Invalid attribute item value "${p.OrganizationalUnitArn}" for organizationalUnitArn item type.`,
    )
  }
  return undefined
}

const launchPermissionOf = (p: PermissionInput): ImageLaunchPermission =>
  p.UserId !== undefined
    ? { UserId: p.UserId }
    : p.Group !== undefined
      ? { Group: p.Group }
      : p.OrganizationArn !== undefined
        ? { OrganizationArn: p.OrganizationArn }
        : { OrganizationalUnitArn: p.OrganizationalUnitArn ?? '' }
