/**
 * The emulator's import tasks: what each one is at any moment, and the three operations over them.
 *
 * Nothing runs in the background. A task stores only its request and when things happened to it (started,
 * cancelled); its `Status`, `StatusMessage`, `Progress` and disks are computed from the work time each time it is
 * looked at. So a manual clock is exact (advance past a phase and the next read shows the next phase) and a closed
 * emulator leaves no timer behind.
 *
 * @since 0.1.0
 */
import { createHash, randomBytes } from 'node:crypto'
import type { CancelImportTaskRequest, CancelImportTaskResult } from '../shapes/CancelImportTask.js'
import type {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  Filter,
  ImportImageTask,
} from '../shapes/DescribeImportImageTasks.js'
import { ImportImageRequest, type ImageDiskContainer, type SnapshotDetail } from '../shapes/ImportImage.js'
import type { Tag } from '../shapes/Tag.js'
import type { EngineClock } from './Clock.js'
import { ec2Error, missingParameter, unknownTask, type Ec2Error } from './Ec2Errors.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * How long each phase of an import lasts, in emulator milliseconds of work.
 *
 * @public
 * @since 0.1.0
 */
export interface PhaseDurations {
  /** `active` / `pending`: queued, nothing read yet. */
  readonly pending: number
  /** `active` / `converting`: the disks are read and converted; each disk ends `completed`. */
  readonly converting: number
  /** `active` / `updating`: drivers and boot configuration are updated. */
  readonly updating: number
  /** `active` / `booting`: a test boot of the image. */
  readonly booting: number
  /** `active` / `preparing ami`: the AMI is registered. */
  readonly preparingAmi: number
  /** `deleting`, after a cancellation or a failure, before `deleted`. */
  readonly deleting: number
}

/**
 * The default phase durations: a 4 min 50 s import, which the default clock speed (100) turns into about 2.9 s of
 * real time.
 *
 * @public
 * @since 0.1.0
 */
export const DEFAULT_PHASES: PhaseDurations = {
  pending: 20_000,
  converting: 120_000,
  updating: 60_000,
  booting: 60_000,
  preparingAmi: 30_000,
  deleting: 10_000,
}

/**
 * An EC2-style outcome: the value, or the error to answer with.
 *
 * @internal
 * @since 0.1.0
 */
export type Outcome<A> =
  | { readonly _tag: 'Right'; readonly right: A }
  | { readonly _tag: 'Left'; readonly left: Ec2Error }

/**
 * Settings of the task store.
 *
 * @internal
 * @since 0.1.0
 */
export interface TaskStoreOptions {
  readonly clock: EngineClock
  readonly phases: PhaseDurations
  readonly maxActiveTasks: number
  readonly failureMarker: string
  readonly failureMessage: string
  /** How long a finished task stays visible: EC2 shows tasks "completed or canceled in the previous 7 days". */
  readonly retentionMs: number
}

interface Cancellation {
  readonly atWork: number
  readonly reason: string | undefined
}

/**
 * A failure an import task is started with (strict mode, or the failure marker): its `StatusMessage`, and whether it
 * comes when the disk is validated (end of `pending`) or after converting.
 *
 * @internal
 * @since 0.2.0
 */
export interface StrictFailure {
  readonly message: string
  readonly phase: 'validation' | 'conversion'
}

interface StoredTask {
  readonly seq: number
  readonly id: string
  readonly imageId: string
  readonly snapshotIds: ReadonlyArray<string>
  readonly diskSizes: ReadonlyArray<number>
  readonly request: ImportImageRequest
  readonly fingerprint: string
  readonly clientToken: string | undefined
  readonly createdClock: number
  readonly startWork: number
  /** Why and when (work since the start) the task fails, if it does. */
  readonly failure: StrictFailure | undefined
  cancellation: Cancellation | undefined
  /** The task's tags: those of the request, then what `CreateTags` put on it. */
  readonly tags: Array<Tag>
}

type Phase = 'pending' | 'converting' | 'updating' | 'booting' | 'preparing ami'

// The Progress each active phase starts and ends at. The first value is what ImportImage answers with ("2" in
// AWS's own CLI example).
const PROGRESS: Readonly<Record<Phase, readonly [number, number]>> = {
  pending: [2, 10],
  converting: [10, 40],
  updating: [40, 65],
  booting: [65, 85],
  'preparing ami': [85, 99],
}

const PHASE_ORDER: ReadonlyArray<readonly [Phase, keyof PhaseDurations]> = [
  ['pending', 'pending'],
  ['converting', 'converting'],
  ['updating', 'updating'],
  ['booting', 'booting'],
  ['preparing ami', 'preparingAmi'],
]

/** The largest page `DescribeImportImageTasks` serves, whatever `MaxResults` asks for. */
const MAX_PAGE = 1000

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const hex17 = (): string => randomBytes(9).toString('hex').slice(0, 17)

const right = <A>(a: A): Outcome<A> => ({ _tag: 'Right', right: a })
const left = (e: Ec2Error): Outcome<never> => ({ _tag: 'Left', left: e })

const sourceOf = (d: ImageDiskContainer): string => d.Url ?? d.UserBucket?.S3Key ?? d.SnapshotId ?? ''

// A stable size per disk, so repeated reads agree: 1-16 GiB, picked from the source's name.
const diskSizeOf = (d: ImageDiskContainer): number => {
  const h = createHash('sha256').update(sourceOf(d)).digest()
  return (1 + (h[0]! % 16)) * 1024 ** 3
}

const deviceName = (i: number): string => (i === 0 ? '/dev/sda1' : `/dev/sd${String.fromCharCode(98 + (i % 25))}`)

// `*` and `?` are EC2's filter wildcards.
const globMatch = (pattern: string, value: string): boolean => {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${body}$`, 's').test(value)
}

const fingerprintOf = (r: ImportImageRequest): string => {
  const { ClientToken: _token, DryRun: _dryRun, ...rest } = r
  return JSON.stringify(ImportImageRequest.encode(rest as ImportImageRequest))
}

const tagsOf = (r: ImportImageRequest): Array<Tag> =>
  (r.TagSpecifications ?? [])
    .filter((s) => s.ResourceType === 'import-image-task')
    .flatMap((s) => s.Tags ?? [])
    .map((t) => ({ ...t }))

// -------------------------------------------------------------------------------------------------
// store
// -------------------------------------------------------------------------------------------------

/**
 * The tasks of one emulator.
 *
 * @internal
 * @since 0.1.0
 */
export class TaskStore {
  private readonly tasks = new Map<string, StoredTask>()
  private readonly tokens = new Map<string, string>()
  private seq = 0

  constructor(private readonly options: TaskStoreOptions) {}

  private get total(): number {
    const p = this.options.phases
    return p.pending + p.converting + p.updating + p.booting + p.preparingAmi
  }

  // Where a task ends, in work time: completion, or the end of `deleting` after a cancellation or a failure.
  private endWork(t: StoredTask): number {
    const p = this.options.phases
    if (t.cancellation !== undefined) return t.cancellation.atWork + p.deleting
    if (t.failure !== undefined) return t.startWork + this.failsAt(t.failure) + p.deleting
    return t.startWork + this.total
  }

  // A finished task stays visible for the retention period of the *clock*. Work time runs `rate` times faster than
  // the clock, so the clock time the task ended at is its creation plus its work divided by the rate (exact for a
  // manual clock, where both move together; close enough for a sped-up one).
  private visible(t: StoredTask, work: number, now: number): boolean {
    const end = this.endWork(t)
    if (work < end) return true
    const rate = this.options.clock.rate > 0 ? this.options.clock.rate : 1
    const endedAt = t.createdClock + (end - t.startWork) / rate
    return now - endedAt <= this.options.retentionMs
  }

  /** Drop tasks past retention (and their client tokens), so a long-running emulator does not grow forever. */
  private sweep(): void {
    const work = this.options.clock.work()
    const now = this.options.clock.now()
    for (const t of this.tasks.values()) {
      if (!this.visible(t, work, now)) {
        this.tasks.delete(t.id)
        if (t.clientToken !== undefined && this.tokens.get(t.clientToken) === t.id) this.tokens.delete(t.clientToken)
      }
    }
  }

  /** A task as DescribeImportImageTasks shows it at work time `work`. */
  private snapshot(t: StoredTask, work: number): ImportImageTask {
    const p = this.options.phases
    const r = t.request
    const elapsed = work - t.startWork
    const cancelledAt = t.cancellation === undefined ? undefined : t.cancellation.atWork - t.startWork
    const failsAt = t.failure === undefined ? undefined : this.failsAt(t.failure)
    // The work done by the import itself stops when it is cancelled or fails.
    const progressed = Math.min(elapsed, cancelledAt ?? Infinity, failsAt ?? Infinity)

    let phase: Phase | 'completed' = 'completed'
    let progress = 0
    let start = 0
    for (const [name, key] of PHASE_ORDER) {
      const d = p[key]
      if (progressed < start + d) {
        phase = name
        const [lo, hi] = PROGRESS[name]
        progress = Math.floor(lo + ((hi - lo) * (progressed - start)) / d)
        break
      }
      start += d
    }
    const converted = progressed >= p.pending + p.converting
    const convertingFraction = Math.max(
      0,
      Math.min(1, (progressed - p.pending) / (p.converting === 0 ? 1 : p.converting)),
    )
    const completed = cancelledAt === undefined && failsAt === undefined && elapsed >= this.total

    const disks: Array<SnapshotDetail> = r.DiskContainers.map((d, i) => {
      const detail: Record<string, unknown> = {}
      if (d.Description !== undefined) detail['Description'] = d.Description
      if (converted) detail['DeviceName'] = d.DeviceName ?? deviceName(i)
      else if (d.DeviceName !== undefined) detail['DeviceName'] = d.DeviceName
      if (progressed >= p.pending) detail['DiskImageSize'] = t.diskSizes[i]
      if (d.Format !== undefined) detail['Format'] = d.Format
      if (!converted && progressed >= p.pending) detail['Progress'] = String(Math.floor(convertingFraction * 100))
      if (completed) detail['SnapshotId'] = t.snapshotIds[i]
      detail['Status'] = converted ? 'completed' : 'active'
      if (d.Url !== undefined) detail['Url'] = d.Url
      else if (d.UserBucket !== undefined) {
        detail['Url'] = `s3://${d.UserBucket.S3Bucket ?? ''}/${d.UserBucket.S3Key ?? ''}`
        detail['UserBucket'] = { ...d.UserBucket }
      }
      return detail as SnapshotDetail
    })

    const out: Record<string, unknown> = {}
    // What the service learns while converting: the values it would detect, unless the request gave them.
    const platform = r.Platform ?? (converted ? 'Linux' : undefined)
    const architecture = r.Architecture ?? (converted ? 'x86_64' : undefined)
    const licenseType =
      r.LicenseType ??
      (converted && r.UsageOperation === undefined ? (platform === 'Windows' ? 'AWS' : 'BYOL') : undefined)
    if (architecture !== undefined) out['Architecture'] = architecture
    if (r.Description !== undefined) out['Description'] = r.Description
    if (r.Encrypted !== undefined) out['Encrypted'] = r.Encrypted
    if (r.Hypervisor !== undefined) out['Hypervisor'] = r.Hypervisor
    if (completed) out['ImageId'] = t.imageId
    out['ImportTaskId'] = t.id
    if (r.KmsKeyId !== undefined) out['KmsKeyId'] = r.KmsKeyId
    if (licenseType !== undefined) out['LicenseType'] = licenseType
    if (platform !== undefined) out['Platform'] = platform
    out['SnapshotDetails'] = disks
    if (r.LicenseSpecifications !== undefined) {
      out['LicenseSpecifications'] = r.LicenseSpecifications.map((l) => ({ ...l }))
    }
    out['Tags'] = t.tags.map((x) => ({ ...x }))
    if (r.UsageOperation !== undefined) out['UsageOperation'] = r.UsageOperation
    const bootMode = r.BootMode ?? (converted ? 'legacy-bios' : undefined)
    if (bootMode !== undefined) out['BootMode'] = bootMode

    if (completed) {
      out['Status'] = 'completed'
    } else if (cancelledAt !== undefined || (failsAt !== undefined && elapsed >= failsAt)) {
      const endedAt = cancelledAt ?? failsAt!
      out['Status'] = elapsed < endedAt + p.deleting ? 'deleting' : 'deleted'
      out['StatusMessage'] =
        cancelledAt !== undefined ? (t.cancellation?.reason ?? 'User canceled') : t.failure!.message
    } else {
      out['Status'] = 'active'
      out['StatusMessage'] = phase
      out['Progress'] = String(progress)
    }
    return out as ImportImageTask
  }

  private statusOf(t: StoredTask, work: number): string {
    return this.snapshot(t, work).Status ?? 'active'
  }

  /** Every task still visible, oldest first. */
  list(): Array<ImportImageTask> {
    this.sweep()
    const work = this.options.clock.work()
    return [...this.tasks.values()].map((t) => this.snapshot(t, work))
  }

  // Work since the start at which a failure ends the import: a disk the service cannot read fails as it is
  // validated, at the end of `pending`; one it cannot convert, after `converting`.
  private failsAt(f: StrictFailure): number {
    const p = this.options.phases
    return f.phase === 'validation' ? p.pending : p.pending + p.converting
  }

  /**
   * `ImportImage`: a new task, or the one an earlier call with the same `ClientToken` started. `failure`, from
   * strict mode, makes the new task end `deleted` with its message.
   */
  importImage(r: ImportImageRequest, failure?: StrictFailure): Outcome<ImportImageTask> {
    this.sweep()
    const work = this.options.clock.work()
    const fingerprint = fingerprintOf(r)
    if (r.ClientToken !== undefined) {
      const id = this.tokens.get(r.ClientToken)
      const existing = id === undefined ? undefined : this.tasks.get(id)
      if (existing !== undefined) {
        return existing.fingerprint === fingerprint
          ? right(this.snapshot(existing, work))
          : left(
              ec2Error(
                400,
                'IdempotentParameterMismatch',
                `The client token you have provided is associated with a resource that is already deleted or was created with different parameters. Please use a different client token.`,
              ),
            )
      }
    }
    const active = [...this.tasks.values()].filter((t) => this.statusOf(t, work) === 'active').length
    if (active >= this.options.maxActiveTasks) {
      return left(
        ec2Error(
          400,
          'ResourceLimitExceeded',
          `You have reached the limit of ${this.options.maxActiveTasks} active import image tasks. Wait for a task to finish, or cancel one, and try again.`,
        ),
      )
    }
    const marker = this.options.failureMarker
    const fails =
      marker !== '' &&
      r.DiskContainers.some((d) => (d.UserBucket?.S3Key ?? '').includes(marker) || (d.Url ?? '').includes(marker))
    const taskFailure: StrictFailure | undefined =
      failure ?? (fails ? { message: this.options.failureMessage, phase: 'conversion' } : undefined)
    const task: StoredTask = {
      seq: ++this.seq,
      id: `import-ami-${hex17()}`,
      imageId: `ami-${hex17()}`,
      snapshotIds: r.DiskContainers.map(() => `snap-${hex17()}`),
      diskSizes: r.DiskContainers.map(diskSizeOf),
      request: r,
      fingerprint,
      clientToken: r.ClientToken,
      createdClock: this.options.clock.now(),
      startWork: work,
      failure: taskFailure,
      cancellation: undefined,
      tags: tagsOf(r),
    }
    this.tasks.set(task.id, task)
    if (r.ClientToken !== undefined) this.tokens.set(r.ClientToken, task.id)
    return right(this.snapshot(task, work))
  }

  /** `DescribeImportImageTasks`: by id and filters, a page at a time. */
  describe(r: DescribeImportImageTasksRequest): Outcome<DescribeImportImageTasksResult> {
    this.sweep()
    const work = this.options.clock.work()
    if (r.MaxResults !== undefined && r.MaxResults < 1) {
      return left(
        ec2Error(
          400,
          'InvalidParameterValue',
          `Value (${r.MaxResults}) for parameter MaxResults is invalid. Expected a value of at least 1.`,
        ),
      )
    }
    const filters = r.Filters ?? []
    for (const f of filters) {
      const name = f.Name ?? ''
      if (name !== 'task-state' && name !== 'tag-key' && !name.startsWith('tag:')) {
        return left(ec2Error(400, 'InvalidParameterValue', `The filter '${name}' is invalid`))
      }
      if ((f.Values ?? []).length === 0) {
        return left(ec2Error(400, 'InvalidParameterValue', `The filter '${name}' requires at least one value`))
      }
    }
    let candidates: Array<StoredTask>
    if (r.ImportTaskIds !== undefined && r.ImportTaskIds.length > 0) {
      candidates = []
      for (const id of new Set(r.ImportTaskIds)) {
        const t = this.tasks.get(id)
        if (t === undefined) return left(unknownTask(id))
        candidates.push(t)
      }
      candidates.sort((a, b) => a.seq - b.seq)
    } else {
      candidates = [...this.tasks.values()]
    }
    const snapshots = candidates
      .map((t) => [t, this.snapshot(t, work)] as const)
      .filter(([, s]) => filters.every((f) => matches(f, s)))

    // The token names the query and the last task served: tasks started (or expired) between pages neither
    // repeat nor hide an entry, because tasks are served in start order.
    const query = createHash('sha256')
      .update(JSON.stringify([r.ImportTaskIds ?? [], filters]))
      .digest('hex')
      .slice(0, 16)
    let after = 0
    if (r.NextToken !== undefined) {
      const decoded = decodeToken(r.NextToken)
      if (decoded === undefined || decoded.q !== query) {
        return left(ec2Error(400, 'InvalidPaginationToken', `Invalid pagination token: ${r.NextToken}`))
      }
      after = decoded.after
    }
    const rest = snapshots.filter(([t]) => t.seq > after)
    const size = Math.min(r.MaxResults ?? MAX_PAGE, MAX_PAGE)
    const page = rest.slice(0, size)
    const out: { ImportImageTasks: Array<ImportImageTask>; NextToken?: string } = {
      ImportImageTasks: page.map(([, s]) => s),
    }
    const lastServed = page[page.length - 1]
    if (rest.length > size && lastServed !== undefined) {
      out.NextToken = encodeToken({ q: query, after: lastServed[0].seq })
    }
    return right(out)
  }

  /**
   * The tag set of an import image task, to change in place (`CreateTags`), or the error for an id it does not list.
   *
   * @since 0.2.0
   */
  tagsOf(id: string): Outcome<Array<Tag>> {
    this.sweep()
    const t = this.tasks.get(id)
    return t === undefined ? left(unknownTask(id)) : right(t.tags)
  }

  /** `CancelImportTask`: an active task moves to `deleting`, then `deleted`. */
  cancel(r: CancelImportTaskRequest): Outcome<CancelImportTaskResult> {
    this.sweep()
    const work = this.options.clock.work()
    if (r.ImportTaskId === undefined || r.ImportTaskId === '') return left(missingParameter('ImportTaskId'))
    const t = this.tasks.get(r.ImportTaskId)
    if (t === undefined) return left(unknownTask(r.ImportTaskId))
    const state = this.statusOf(t, work)
    if (state !== 'active') {
      return left(
        ec2Error(
          400,
          'InvalidParameterValue',
          `The import task ${t.id} cannot be canceled because it is in the '${state}' state. Only active tasks can be canceled.`,
        ),
      )
    }
    t.cancellation = { atWork: work, reason: r.CancelReason }
    return right({ ImportTaskId: t.id, PreviousState: 'active', State: 'deleting' })
  }
}

const matches = (f: Filter, s: ImportImageTask): boolean => {
  const name = f.Name ?? ''
  const values = f.Values ?? []
  const tags = s.Tags ?? []
  if (name === 'task-state') return values.some((v) => globMatch(v, s.Status ?? ''))
  if (name === 'tag-key') return tags.some((t) => values.some((v) => globMatch(v, t.Key ?? '')))
  const key = name.slice('tag:'.length)
  return tags.some((t) => t.Key === key && values.some((v) => globMatch(v, t.Value ?? '')))
}

const encodeToken = (t: { readonly q: string; readonly after: number }): string =>
  Buffer.from(JSON.stringify(t), 'utf8').toString('base64url')

const decodeToken = (s: string): { readonly q: string; readonly after: number } | undefined => {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'))
    if (typeof v !== 'object' || v === null) return undefined
    const { q, after } = v as Record<string, unknown>
    return typeof q === 'string' && typeof after === 'number' && Number.isSafeInteger(after) ? { q, after } : undefined
  } catch {
    return undefined
  }
}
