/**
 * Waiting for what an import produces: an `ImportImage` task, an `ImportSnapshot` task, an AMI. Each waiter polls
 * its Describe call with backoff and jitter until the resource is done, has failed, is unknown to EC2, or the
 * deadline or an abort comes first. No AWS SDK, the CLI, Ansible or Terraform has the first; their
 * `SnapshotImported` and `ImageAvailable` waiters miss the failures EC2 actually reports (see each waiter).
 *
 * The three are one engine (`watch`) given three descriptions of what "done", "failed" and "not found" mean. Many
 * waiters on one client share their polls: the ids asked for in the same tick go into one Describe call, so
 * watching 200 imports costs one request per round, not 200.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'
import type {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  ImportImageTask,
} from './shapes/DescribeImportImageTasks.js'
import type {
  DescribeImportSnapshotTasksRequest,
  DescribeImportSnapshotTasksResult,
  ImportSnapshotTask,
} from './shapes/DescribeImportSnapshotTasks.js'
import type { DescribeImagesRequest, DescribeImagesResult } from './shapes/DescribeImages.js'
import type { Image } from './shapes/Image.js'
import type { SnapshotTaskDetail } from './shapes/ImportSnapshot.js'
import type {
  Ec2ImportError,
  ImageWaitError,
  ImportImageWaitError,
  ImportSnapshotWaitError,
  ServiceError,
  WaitError,
} from './Ec2ImportError.js'
import { classifyImportFailure } from './ImportTaskFailure.js'
import type { CallOptions, Runtime, WithMetadata } from './Call.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * One disk's progress.
 *
 * @public
 * @since 0.1.0
 */
export interface DiskProgress {
  readonly deviceName: string | undefined
  readonly status: string | undefined
  readonly statusMessage: string | undefined
  /** The percentage, parsed from the service's string; `undefined` when absent. */
  readonly progress: number | undefined
}

/**
 * What `waitForImportImageTask` reports after each poll.
 *
 * @public
 * @since 0.1.0
 */
export interface ImportProgress {
  readonly importTaskId: string
  readonly status: string | undefined
  /** `pending`, `converting`, `updating`, `booting`, `preparing ami`, … (an open set). */
  readonly statusMessage: string | undefined
  /** The task's percentage, parsed from the service's string; `undefined` when absent (as once completed). */
  readonly progress: number | undefined
  readonly disks: ReadonlyArray<DiskProgress>
  /** Milliseconds since the waiter started. */
  readonly elapsedMs: number
  readonly polls: number
  readonly task: ImportImageTask
}

/**
 * What `waitForImportSnapshotTask` reports after each poll: the `SnapshotTaskDetail`'s status, step and percentage.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportSnapshotProgress {
  readonly importTaskId: string
  readonly status: string | undefined
  /** `pending`, `converting`, `validating`, … (an open set). */
  readonly statusMessage: string | undefined
  /** The percentage, parsed from the service's string; `undefined` when absent (as once completed). */
  readonly progress: number | undefined
  /** Milliseconds since the waiter started. */
  readonly elapsedMs: number
  readonly polls: number
  readonly task: ImportSnapshotTask
}

/**
 * What `waitForImageAvailable` reports after each poll that found the image.
 *
 * @public
 * @since 0.2.0
 */
export interface ImageProgress {
  readonly imageId: string
  /** `pending`, `available`, … (an open set). */
  readonly state: string | undefined
  /** Milliseconds since the waiter started. */
  readonly elapsedMs: number
  readonly polls: number
  readonly image: Image
}

/**
 * The options every waiter takes. `P` is what it reports after each poll.
 *
 * @public
 * @since 0.2.0
 */
export interface WaitOptionsBase<P> {
  /** Called after each poll that saw the resource. A callback that throws is ignored. */
  readonly onProgress?: ((progress: P) => void) | undefined
  /** Stops waiting (and, where there is a task and `cancelOnAbort` is set, cancels it). */
  readonly signal?: AbortSignal | undefined
  /** Give up after this long (default 4 hours: imports over an hour are common). */
  readonly timeoutMs?: number | undefined
  /** The first wait between polls (default 15 s). */
  readonly minDelayMs?: number | undefined
  /** The longest wait between polls (default 120 s). */
  readonly maxDelayMs?: number | undefined
  /**
   * How long, from the waiter's start, an unknown id is taken for EC2 not listing a new resource yet rather than
   * for a wrong or expired one (defaults in `WAIT_DEFAULTS`). Past it, the waiter ends with a "not found" reason.
   */
  readonly notFoundGraceMs?: number | undefined
}

/**
 * The options of a waiter for an import task, which can be cancelled.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportTaskWaitOptions<P> extends WaitOptionsBase<P> {
  /** On abort or timeout, cancel the task with `CancelImportTask` (default false). */
  readonly cancelOnAbort?: boolean | undefined
  /** The `CancelReason` sent when cancelling (default names the cause). */
  readonly cancelReason?: string | undefined
}

/**
 * Options of `waitForImportImageTask`.
 *
 * @public
 * @since 0.1.0
 */
export interface WaitOptions extends ImportTaskWaitOptions<ImportProgress> {}

/**
 * Options of `waitForImportSnapshotTask`.
 *
 * @public
 * @since 0.2.0
 */
export interface ImportSnapshotWaitOptions extends ImportTaskWaitOptions<ImportSnapshotProgress> {}

/**
 * Options of `waitForImageAvailable`. There is no task behind an AMI to cancel, so `cancelOnAbort` and
 * `cancelReason` are type errors here rather than options silently ignored.
 *
 * @public
 * @since 0.2.0
 */
export interface ImageWaitOptions extends WaitOptionsBase<ImageProgress> {
  readonly cancelOnAbort?: never
  readonly cancelReason?: never
}

/**
 * A snapshot task's detail once the import completed: the snapshot's id is there.
 *
 * @public
 * @since 0.2.0
 */
export interface CompletedSnapshotTaskDetail extends SnapshotTaskDetail {
  readonly Status: 'completed'
  readonly SnapshotId: string
}

/**
 * What `waitForImportSnapshotTask` returns: the task, completed, with `SnapshotTaskDetail.SnapshotId` present.
 *
 * @public
 * @since 0.2.0
 */
export interface CompletedImportSnapshotTask extends ImportSnapshotTask {
  readonly SnapshotTaskDetail: CompletedSnapshotTaskDetail
}

/**
 * What `waitForImageAvailable` returns: the image, `available`, with its id.
 *
 * @public
 * @since 0.2.0
 */
export interface AvailableImage extends Image {
  readonly State: 'available'
  readonly ImageId: string
}

/**
 * The errors one waiter can end with: any error but a `WaitError`, or its own kind of `WaitError`. Narrowing on
 * `_tag === 'WaitError'` gives that kind, with its id and its `task` typed (as in 0.1 for `waitForImportImageTask`).
 * Assignable to `Ec2ImportError`.
 *
 * @public
 * @since 0.2.0
 */
export type WaiterError<W extends WaitError> = Exclude<Ec2ImportError, WaitError> | W

/**
 * `DescribeImportImageTasks` as a client method.
 *
 * @internal
 */
export type DescribeImportImageTasksFn = (
  input: DescribeImportImageTasksRequest,
  options?: CallOptions,
) => TaskEither<Ec2ImportError, WithMetadata<DescribeImportImageTasksResult>>

/**
 * `DescribeImportSnapshotTasks` as a client method.
 *
 * @internal
 */
export type DescribeImportSnapshotTasksFn = (
  input: DescribeImportSnapshotTasksRequest,
  options?: CallOptions,
) => TaskEither<Ec2ImportError, WithMetadata<DescribeImportSnapshotTasksResult>>

/**
 * `DescribeImages` as a client method.
 *
 * @internal
 */
export type DescribeImagesFn = (
  input: DescribeImagesRequest,
  options?: CallOptions,
) => TaskEither<Ec2ImportError, WithMetadata<DescribeImagesResult>>

/**
 * `CancelImportTask` as a client method.
 *
 * @internal
 */
export type CancelImportTaskFn = (
  input: CancelImportTaskRequest,
  options?: CallOptions,
) => TaskEither<Ec2ImportError, WithMetadata<CancelImportTaskResult>>

/**
 * What `waitForImportImageTask` needs from a client.
 *
 * @internal
 */
export interface WaiterDeps {
  readonly describe: DescribeImportImageTasksFn
  readonly cancel: CancelImportTaskFn
  readonly runtime: Runtime
}

/**
 * What `waitForImportSnapshotTask` needs from a client.
 *
 * @internal
 */
export interface ImportSnapshotWaiterDeps {
  readonly describe: DescribeImportSnapshotTasksFn
  readonly cancel: CancelImportTaskFn
  readonly runtime: Runtime
}

/**
 * What `waitForImageAvailable` needs from a client: no cancel, there is nothing to cancel.
 *
 * @internal
 */
export interface ImageWaiterDeps {
  readonly describe: DescribeImagesFn
  readonly runtime: Runtime
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The waiters' defaults.
 *
 * @public
 * @since 0.1.0
 */
export const WAIT_DEFAULTS = {
  timeoutMs: 4 * 60 * 60 * 1000,
  minDelayMs: 15_000,
  maxDelayMs: 120_000,
  /** An import task is listed within seconds of `ImportImage`/`ImportSnapshot` answering. @since 0.2.0 */
  importTaskNotFoundGraceMs: 30_000,
  /** A new AMI (`RegisterImage`, and `CopyImage` in the target region) can take longer to be listed. @since 0.2.0 */
  imageNotFoundGraceMs: 60_000,
} as const

// Errors that say an import task id is unknown to the service (malformed, or older than the 7 days it keeps tasks:
// for those real EC2 answers `InvalidConversionTaskId.Malformed`, not a NotFound code).
const IMPORT_TASK_NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'InvalidConversionTaskId',
  'InvalidConversionTaskId.Malformed',
  'InvalidConversionTaskId.NotFound',
  'InvalidImportTaskId.NotFound',
  'InvalidImportTaskId.Malformed',
  'InvalidParameterValue',
])

// With the `image-id` filter an unknown id is just absent; these come back only if an id is also malformed.
const IMAGE_NOT_FOUND_CODES: ReadonlySet<string> = new Set(['InvalidAMIID.NotFound', 'InvalidAMIID.Malformed', 'InvalidAMIID.Unavailable'])

// States an AMI does not leave for `available` (AWS's `ImageAvailable` waiter fails only on `failed`).
const IMAGE_FAILED_STATES: ReadonlySet<string> = new Set(['failed', 'invalid', 'error', 'deregistered'])

// Past a limit on a filter's values EC2 answers `FilterLimitExceeded`; a batch of image ids is cut to this size.
const IMAGE_IDS_PER_CALL = 200

// -------------------------------------------------------------------------------------------------
// batching
// -------------------------------------------------------------------------------------------------

/**
 * One poll's answer: an error, the resource, or `undefined` when the service did not list it.
 *
 * @internal
 */
export type PollAnswer<A> = Either<Ec2ImportError, A | undefined>

/**
 * A page of a Describe call, reduced to what batching needs.
 *
 * @internal
 */
export interface ResourcePage<A> {
  readonly items: ReadonlyArray<A> | undefined
  readonly nextToken: string | undefined
}

/**
 * Coalesces the polls of many waiters into one Describe call per tick: every id asked for before the next turn of
 * the event loop goes into the same request (`maxBatch` ids at most per request).
 *
 * @internal
 */
export class BatchPoller<A> {
  private pending = new Map<string, Array<(r: PollAnswer<A>) => void>>()
  private scheduled = false
  constructor(
    private readonly fetch: (ids: ReadonlyArray<string>) => Promise<ReadonlyMap<string, PollAnswer<A>>>,
    private readonly maxBatch: number = Number.POSITIVE_INFINITY,
  ) {}

  poll(id: string): Promise<PollAnswer<A>> {
    return new Promise((resolve) => {
      const waiting = this.pending.get(id)
      if (waiting === undefined) this.pending.set(id, [resolve])
      else waiting.push(resolve)
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => void this.flush())
      }
    })
  }

  private async flush(): Promise<void> {
    const batch = this.pending
    this.pending = new Map()
    this.scheduled = false
    const ids = [...batch.keys()]
    const chunks: Array<ReadonlyArray<string>> = []
    for (let i = 0; i < ids.length; i += Math.max(1, this.maxBatch)) chunks.push(ids.slice(i, i + Math.max(1, this.maxBatch)))
    await Promise.all(
      chunks.map(async (chunk) => {
        const answers = await this.fetch(chunk)
        for (const id of chunk) {
          const answer: PollAnswer<A> = answers.get(id) ?? { _tag: 'Right', right: undefined }
          for (const resolve of batch.get(id) ?? []) resolve(answer)
        }
      }),
    )
  }
}

/**
 * Ask for many ids at once, page by page, and answer each id. One unknown id can fail a whole call (an import task
 * id EC2 does not know): then each id is asked for alone, so the others still get their answer.
 *
 * @internal
 */
export const fetchByIds = async <A>(
  ids: ReadonlyArray<string>,
  page: (ids: ReadonlyArray<string>, nextToken: string | undefined) => Promise<Either<Ec2ImportError, ResourcePage<A>>>,
  idOf: (a: A) => string | undefined,
  notFoundCodes: ReadonlySet<string>,
): Promise<ReadonlyMap<string, PollAnswer<A>>> => {
  const found = new Map<string, A>()
  let nextToken: string | undefined
  let error: Ec2ImportError | undefined
  for (let pages = 0; pages < 100; pages++) {
    const r = await page(ids, nextToken)
    if (r._tag === 'Left') {
      error = r.left
      break
    }
    for (const item of r.right.items ?? []) {
      const id = idOf(item)
      if (id !== undefined) found.set(id, item)
    }
    if (r.right.nextToken === undefined || r.right.nextToken === nextToken) break
    nextToken = r.right.nextToken
  }
  const answers = new Map<string, PollAnswer<A>>()
  if (error !== undefined && ids.length > 1 && error._tag === 'ServiceError' && notFoundCodes.has(error.code)) {
    await Promise.all(
      ids.map(async (id) => {
        const r = await page([id], undefined)
        answers.set(id, r._tag === 'Left' ? r : { _tag: 'Right', right: (r.right.items ?? []).find((a) => idOf(a) === id) })
      }),
    )
    return answers
  }
  for (const id of ids) answers.set(id, error !== undefined ? { _tag: 'Left', left: error } : { _tag: 'Right', right: found.get(id) })
  return answers
}

/**
 * Coalesces the polls of many `waitForImportImageTask` waiters into one `DescribeImportImageTasks` call per tick.
 *
 * @internal
 */
export class TaskPoller extends BatchPoller<ImportImageTask> {
  constructor(deps: Pick<WaiterDeps, 'describe'>) {
    super((ids) =>
      fetchByIds(
        ids,
        async (chunk, token) => {
          const r = await deps.describe({ ImportTaskIds: [...chunk], ...(token === undefined ? {} : { NextToken: token }) })()
          return r._tag === 'Left' ? r : { _tag: 'Right', right: { items: r.right.ImportImageTasks, nextToken: r.right.NextToken } }
        },
        (task) => task.ImportTaskId,
        IMPORT_TASK_NOT_FOUND_CODES,
      ),
    )
  }
}

/**
 * Coalesces the polls of many `waitForImportSnapshotTask` waiters into one `DescribeImportSnapshotTasks` call per
 * tick.
 *
 * @internal
 */
export class ImportSnapshotTaskPoller extends BatchPoller<ImportSnapshotTask> {
  constructor(deps: Pick<ImportSnapshotWaiterDeps, 'describe'>) {
    super((ids) =>
      fetchByIds(
        ids,
        async (chunk, token) => {
          const r = await deps.describe({ ImportTaskIds: [...chunk], ...(token === undefined ? {} : { NextToken: token }) })()
          return r._tag === 'Left' ? r : { _tag: 'Right', right: { items: r.right.ImportSnapshotTasks, nextToken: r.right.NextToken } }
        },
        (task) => task.ImportTaskId,
        IMPORT_TASK_NOT_FOUND_CODES,
      ),
    )
  }
}

/**
 * Coalesces the polls of many `waitForImageAvailable` waiters into one `DescribeImages` call per tick. The ids go
 * in the `image-id` filter, not in `ImageIds`: one id EC2 does not list yet (a new AMI, eventual consistency) fails
 * a whole `ImageIds` call with `InvalidAMIID.NotFound`, while a filter just leaves it out.
 *
 * @internal
 */
export class ImagePoller extends BatchPoller<Image> {
  constructor(deps: Pick<ImageWaiterDeps, 'describe'>) {
    super(
      (ids) =>
        fetchByIds(
          ids,
          async (chunk, token) => {
            const r = await deps.describe({
              Filters: [{ Name: 'image-id', Values: [...chunk] }],
              ...(token === undefined ? {} : { NextToken: token }),
            })()
            return r._tag === 'Left' ? r : { _tag: 'Right', right: { items: r.right.Images, nextToken: r.right.NextToken } }
          },
          (image) => image.ImageId,
          IMAGE_NOT_FOUND_CODES,
        ),
      IMAGE_IDS_PER_CALL,
    )
  }
}

// -------------------------------------------------------------------------------------------------
// engine
// -------------------------------------------------------------------------------------------------

/** What one sighting of the resource says: done (narrowed), failed (why, in words), or not yet. */
type Verdict<R> = { readonly _tag: 'done'; readonly value: R } | { readonly _tag: 'failed'; readonly message: string } | { readonly _tag: 'pending' }

/** How a wait ended without the resource done, before the waiter-specific error is built. */
interface Ending<A> {
  readonly kind: 'failed' | 'not-found' | 'timeout' | 'aborted'
  readonly message: string
  readonly last: A | undefined
  readonly cancelled: boolean
}

/** One waiter, described: what to poll, and what its answers mean. */
interface WatchSpec<A, R extends A, P, W extends WaitError> {
  readonly id: string
  /** `import task import-ami-…`, `image ami-…`: the subject of the messages. */
  readonly subject: string
  /** `complete`, `become available`. */
  readonly goal: string
  readonly poll: (id: string) => Promise<PollAnswer<A>>
  readonly notFoundCodes: ReadonlySet<string>
  readonly notFoundGraceMs: number
  /** Why an id may be unknown, appended to the not-found message. */
  readonly notFoundNote: string
  readonly judge: (a: A) => Verdict<R>
  readonly progress: (a: A, elapsedMs: number, polls: number) => P
  /** Cancels what is being waited for on abort or timeout; resolves whether it was cancelled. */
  readonly cancel: ((cause: 'aborted' | 'timeout') => Promise<boolean>) | undefined
  readonly fail: (ending: Ending<A>) => W
}

const percent = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined
  const n = Number.parseFloat(s)
  return Number.isFinite(n) ? n : undefined
}

// Transient trouble while polling (a dropped connection, throttling that outlasted the client's own retries) is no
// reason to stop waiting for an import that runs for an hour: the waiter polls again at its next turn.
const keepPolling = (e: Ec2ImportError): boolean =>
  (e._tag === 'TransportError' && e.reason !== 'aborted') ||
  (e._tag === 'ServiceError' && (e.throttling || e.statusCode >= 500)) ||
  (e._tag === 'DecodeError' && e.statusCode >= 500)

// The poll's answer, or why waiting for it stopped first.
const stopEarly = <A>(p: Promise<A>, signal: AbortSignal | undefined, remainingMs: number): Promise<A | 'aborted' | 'timeout'> => {
  if (remainingMs <= 0) return Promise.resolve('timeout')
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish('timeout'), Math.min(remainingMs, 2 ** 31 - 1))
    timer.unref?.()
    const onAbort = () => finish('aborted')
    const finish = (v: A | 'aborted' | 'timeout') => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      resolve(v)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    p.then(finish, () => finish('aborted'))
  })
}

/**
 * The one polling loop every waiter runs: poll, report, judge, back off with jitter; the deadline and an abort beat
 * an in-flight poll; an unknown id is tolerated for the grace period, then ends the wait.
 */
const watch = async <A, R extends A, P, W extends WaitError>(
  runtime: Runtime,
  spec: WatchSpec<A, R, P, W>,
  options: WaitOptionsBase<P>,
): Promise<Either<WaiterError<W>, R>> => {
  const timeoutMs = options.timeoutMs ?? WAIT_DEFAULTS.timeoutMs
  const minDelayMs = options.minDelayMs ?? WAIT_DEFAULTS.minDelayMs
  const maxDelayMs = Math.max(minDelayMs, options.maxDelayMs ?? WAIT_DEFAULTS.maxDelayMs)
  const start = runtime.now()
  const deadline = start + timeoutMs
  const signal = options.signal
  let last: A | undefined

  const end = async (kind: Ending<A>['kind'], message: string): Promise<Either<WaiterError<W>, R>> => {
    const cancelled = (kind === 'aborted' || kind === 'timeout') && spec.cancel !== undefined ? await spec.cancel(kind) : false
    return { _tag: 'Left', left: spec.fail({ kind, message, last, cancelled }) }
  }
  const aborted = () => end('aborted', `waiting for ${spec.id} was aborted`)
  const timedOut = () => end('timeout', `${spec.subject} did not ${spec.goal} within ${timeoutMs} ms`)

  for (let polls = 1; ; polls++) {
    if (signal?.aborted === true) return aborted()
    // A poll can take a while (its own retries and timeouts); the deadline and an abort do not wait for it. The
    // batched request goes on for the other waiters.
    const r = await stopEarly(spec.poll(spec.id), signal, deadline - runtime.now())
    if (r === 'aborted') return aborted()
    if (r === 'timeout') return timedOut()
    // Right after the call that created it, EC2 may not list the resource yet: an unknown id means "not yet" for
    // the grace period and "not there" after it.
    const inGrace = runtime.now() - start < spec.notFoundGraceMs
    if (r._tag === 'Left') {
      const e = r.left
      if (e._tag === 'ServiceError' && spec.notFoundCodes.has(e.code)) {
        if (!inGrace) return end('not-found', `${spec.subject} is unknown to EC2 (${e.code}: ${e.serviceMessage})${spec.notFoundNote}`)
      } else if (!keepPolling(e)) {
        // A Describe call's error is never a WaitError: only waiters make those.
        return { _tag: 'Left', left: e as Exclude<Ec2ImportError, WaitError> }
      }
    } else if (r.right === undefined) {
      if (!inGrace) return end('not-found', `${spec.subject} was not found${spec.notFoundNote}`)
    } else {
      const item = r.right
      last = item
      if (options.onProgress !== undefined) {
        try {
          options.onProgress(spec.progress(item, runtime.now() - start, polls))
        } catch {
          // A progress callback must not end the wait.
        }
      }
      const verdict = spec.judge(item)
      if (verdict._tag === 'done') return { _tag: 'Right', right: verdict.value }
      if (verdict._tag === 'failed') return end('failed', verdict.message)
    }
    // Backoff with jitter: uniform in [min, min(max, min·2^(n-1))], as AWS SDK waiters do.
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(polls - 1, 20))
    let delay = minDelayMs + Math.floor(runtime.random() * (ceiling - minDelayMs + 1))
    const left = deadline - runtime.now()
    if (left <= 0) return timedOut()
    delay = Math.min(delay, left)
    await runtime.sleep(delay, signal)
  }
}

// -------------------------------------------------------------------------------------------------
// waiters
// -------------------------------------------------------------------------------------------------

const TASKS_KEPT = '; EC2 keeps tasks 7 days after they end'

const cancelTask =
  (cancel: CancelImportTaskFn, importTaskId: string, cancelReason: string | undefined) =>
  async (cause: 'aborted' | 'timeout'): Promise<boolean> => {
    const r = await cancel({
      ImportTaskId: importTaskId,
      CancelReason: cancelReason ?? (cause === 'aborted' ? 'Cancelled: the waiter was aborted' : 'Cancelled: the waiter timed out'),
    })()
    return r._tag === 'Right'
  }

// A failed task's message: the status it ended in, then the classified StatusMessage and what to do about it.
const taskFailure = (ending: Ending<unknown>, statusMessage: string | undefined) => {
  const failure = ending.kind === 'failed' ? classifyImportFailure(statusMessage) : undefined
  const message = failure === undefined ? ending.message : `${ending.message}: ${failure.statusMessage} (${failure.reason}). ${failure.hint}`
  const reason = ending.kind === 'failed' ? ('task-failed' as const) : ending.kind === 'not-found' ? ('task-not-found' as const) : ending.kind
  return { failure, message, reason }
}

/**
 * Wait for one `ImportImage` task to complete. Fails fast when the task ends `deleting` or `deleted`, with its
 * `StatusMessage` classified (`classifyImportFailure`); an id EC2 does not know (`InvalidConversionTaskId.Malformed`
 * is what it answers for tasks older than 7 days) ends the wait with `task-not-found` once the grace period from
 * the waiter's start has passed. Without `poller`, the waiters made by one call of this factory share a fresh one.
 *
 * @internal
 */
export const waitForImportImageTask = (deps: WaiterDeps, poller: BatchPoller<ImportImageTask> = new TaskPoller(deps)) =>
  (importTaskId: string, options: WaitOptions = {}): TaskEither<WaiterError<ImportImageWaitError>, ImportImageTask> =>
  () =>
    watch<ImportImageTask, ImportImageTask, ImportProgress, ImportImageWaitError>(
      deps.runtime,
      {
        id: importTaskId,
        subject: `import task ${importTaskId}`,
        goal: 'complete',
        poll: (id) => poller.poll(id),
        notFoundCodes: IMPORT_TASK_NOT_FOUND_CODES,
        notFoundGraceMs: options.notFoundGraceMs ?? WAIT_DEFAULTS.importTaskNotFoundGraceMs,
        notFoundNote: TASKS_KEPT,
        judge: (task) =>
          task.Status === 'completed'
            ? { _tag: 'done', value: task }
            : task.Status === 'deleted' || task.Status === 'deleting'
              ? { _tag: 'failed', message: `import task ${importTaskId} ended ${task.Status}` }
              : { _tag: 'pending' },
        progress: (task, elapsedMs, polls) => ({
          importTaskId,
          status: task.Status,
          statusMessage: task.StatusMessage,
          progress: percent(task.Progress),
          disks: (task.SnapshotDetails ?? []).map((d) => ({
            deviceName: d.DeviceName,
            status: d.Status,
            statusMessage: d.StatusMessage,
            progress: percent(d.Progress),
          })),
          elapsedMs,
          polls,
          task,
        }),
        cancel: options.cancelOnAbort === true ? cancelTask(deps.cancel, importTaskId, options.cancelReason) : undefined,
        fail: (ending): ImportImageWaitError => {
          const { failure, message, reason } = taskFailure(ending, ending.last?.StatusMessage)
          return { _tag: 'WaitError', resource: 'import-image-task', reason, importTaskId, message, task: ending.last, failure, cancelled: ending.cancelled }
        },
      },
      options,
    )

const isCompletedSnapshotTask = (task: ImportSnapshotTask): task is CompletedImportSnapshotTask =>
  task.SnapshotTaskDetail?.Status === 'completed' && task.SnapshotTaskDetail.SnapshotId !== undefined

/**
 * Wait for one `ImportSnapshot` task to complete, and return it with its `SnapshotTaskDetail.SnapshotId` present.
 *
 * Fails fast when the task's `SnapshotTaskDetail.Status` is `deleting` or `deleted` (or `error`), with its
 * `StatusMessage` classified. AWS's own `SnapshotImported` waiter (botocore, AWS SDK v3, `aws ec2 wait
 * snapshot-imported`) fails only on `error`, a status real failures never reach: they end `deleting` → `deleted`,
 * so it waits out its whole deadline on every one of them. A task that says `completed` without a `SnapshotId` is
 * polled again rather than returned half-done. Unknown ids, grace period and `cancelOnAbort` as for
 * `waitForImportImageTask`.
 *
 * @internal
 */
export const waitForImportSnapshotTask = (
  deps: ImportSnapshotWaiterDeps,
  poller: BatchPoller<ImportSnapshotTask> = new ImportSnapshotTaskPoller(deps),
) =>
  (importTaskId: string, options: ImportSnapshotWaitOptions = {}): TaskEither<WaiterError<ImportSnapshotWaitError>, CompletedImportSnapshotTask> =>
  () =>
    watch<ImportSnapshotTask, CompletedImportSnapshotTask, ImportSnapshotProgress, ImportSnapshotWaitError>(
      deps.runtime,
      {
        id: importTaskId,
        subject: `snapshot import task ${importTaskId}`,
        goal: 'complete',
        poll: (id) => poller.poll(id),
        notFoundCodes: IMPORT_TASK_NOT_FOUND_CODES,
        notFoundGraceMs: options.notFoundGraceMs ?? WAIT_DEFAULTS.importTaskNotFoundGraceMs,
        notFoundNote: TASKS_KEPT,
        judge: (task) => {
          if (isCompletedSnapshotTask(task)) return { _tag: 'done', value: task }
          const status = task.SnapshotTaskDetail?.Status
          return status === 'deleted' || status === 'deleting' || status === 'error'
            ? { _tag: 'failed', message: `snapshot import task ${importTaskId} ended ${status}` }
            : { _tag: 'pending' }
        },
        progress: (task, elapsedMs, polls) => ({
          importTaskId,
          status: task.SnapshotTaskDetail?.Status,
          statusMessage: task.SnapshotTaskDetail?.StatusMessage,
          progress: percent(task.SnapshotTaskDetail?.Progress),
          elapsedMs,
          polls,
          task,
        }),
        cancel: options.cancelOnAbort === true ? cancelTask(deps.cancel, importTaskId, options.cancelReason) : undefined,
        fail: (ending): ImportSnapshotWaitError => {
          const { failure, message, reason } = taskFailure(ending, ending.last?.SnapshotTaskDetail?.StatusMessage)
          return { _tag: 'WaitError', resource: 'import-snapshot-task', reason, importTaskId, message, task: ending.last, failure, cancelled: ending.cancelled }
        },
      },
      options,
    )

const isAvailableImage = (image: Image): image is AvailableImage => image.State === 'available' && image.ImageId !== undefined

/**
 * Wait for an AMI to become `available` (after `RegisterImage`, `CopyImage`, or an import), and return it.
 *
 * Fails fast when the image is `failed`, `invalid`, `error` or `deregistered`, with EC2's `StateReason` (its code
 * and message in the error's `message`, the value in `stateReason`); AWS's `ImageAvailable` waiter fails only on
 * `failed`. EC2 is eventually consistent: a new AMI may be unknown for a while after the call that made it, so an
 * id that is not listed is polled again until the grace period from the waiter's start has passed (default 60 s),
 * and only then ends the wait with `image-not-found`. There is no task to cancel: `cancelOnAbort` is not an option.
 *
 * @internal
 */
export const waitForImageAvailable = (deps: ImageWaiterDeps, poller: BatchPoller<Image> = new ImagePoller(deps)) =>
  (imageId: string, options: ImageWaitOptions = {}): TaskEither<WaiterError<ImageWaitError>, AvailableImage> =>
  () =>
    watch<Image, AvailableImage, ImageProgress, ImageWaitError>(
      deps.runtime,
      {
        id: imageId,
        subject: `image ${imageId}`,
        goal: 'become available',
        poll: (id) => poller.poll(id),
        notFoundCodes: IMAGE_NOT_FOUND_CODES,
        notFoundGraceMs: options.notFoundGraceMs ?? WAIT_DEFAULTS.imageNotFoundGraceMs,
        notFoundNote: ' (or is not visible to this account)',
        judge: (image) =>
          isAvailableImage(image)
            ? { _tag: 'done', value: image }
            : image.State !== undefined && IMAGE_FAILED_STATES.has(image.State)
              ? { _tag: 'failed', message: `image ${imageId} is ${image.State}` }
              : { _tag: 'pending' },
        progress: (image, elapsedMs, polls) => ({ imageId, state: image.State, elapsedMs, polls, image }),
        cancel: undefined,
        fail: (ending): ImageWaitError => {
          const stateReason = ending.kind === 'failed' ? ending.last?.StateReason : undefined
          const why = [stateReason?.Code, stateReason?.Message].filter((s) => s !== undefined && s !== '').join(': ')
          const reason = ending.kind === 'failed' ? ('image-failed' as const) : ending.kind === 'not-found' ? ('image-not-found' as const) : ending.kind
          return {
            _tag: 'WaitError',
            resource: 'image',
            reason,
            imageId,
            message: why === '' ? ending.message : `${ending.message}: ${why}`,
            task: ending.last,
            stateReason,
            failure: undefined,
            cancelled: false,
          }
        },
      },
      options,
    )
