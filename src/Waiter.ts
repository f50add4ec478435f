/**
 * Waiting for an import task: poll `DescribeImportImageTasks` with backoff and jitter until the task completes,
 * fails, disappears, or the deadline or an abort comes first. No AWS SDK, the CLI, Ansible or Terraform has this
 * waiter; every tool writes its own poller, and most treat `deleted` as "keep waiting".
 *
 * Many waiters on one client share their polls: the ids asked for in the same tick go into one
 * `DescribeImportImageTasks` call, so watching 200 imports costs one request per round, not 200.
 *
 * @since 0.1.0
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { CancelImportTaskRequest, CancelImportTaskResult } from './shapes/CancelImportTask.js'
import type {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
  ImportImageTask,
} from './shapes/DescribeImportImageTasks.js'
import type { Ec2ImportError, WaitError, WaitErrorReason } from './Ec2ImportError.js'
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
 * What the waiter reports after each poll.
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
 * Options of `waitForImportImageTask`.
 *
 * @public
 * @since 0.1.0
 */
export interface WaitOptions {
  /** Called after each poll with the task's progress. A callback that throws is ignored. */
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined
  /** Stops waiting (and, with `cancelOnAbort`, cancels the task). */
  readonly signal?: AbortSignal | undefined
  /** Give up after this long (default 4 hours: imports over an hour are common). */
  readonly timeoutMs?: number | undefined
  /** The first wait between polls (default 15 s). */
  readonly minDelayMs?: number | undefined
  /** The longest wait between polls (default 120 s). */
  readonly maxDelayMs?: number | undefined
  /** On abort or timeout, cancel the task with `CancelImportTask` (default false). */
  readonly cancelOnAbort?: boolean | undefined
  /** The `CancelReason` sent when cancelling (default names the cause). */
  readonly cancelReason?: string | undefined
}

/**
 * What the waiter needs from a client.
 *
 * @internal
 */
export interface WaiterDeps {
  readonly describe: (
    input: DescribeImportImageTasksRequest,
    options?: CallOptions,
  ) => TaskEither<Ec2ImportError, WithMetadata<DescribeImportImageTasksResult>>
  readonly cancel: (
    input: CancelImportTaskRequest,
    options?: CallOptions,
  ) => TaskEither<Ec2ImportError, WithMetadata<CancelImportTaskResult>>
  readonly runtime: Runtime
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The waiter's defaults.
 *
 * @public
 * @since 0.1.0
 */
export const WAIT_DEFAULTS = {
  timeoutMs: 4 * 60 * 60 * 1000,
  minDelayMs: 15_000,
  maxDelayMs: 120_000,
} as const

// Errors that say the id is unknown to the service (malformed, or older than the 7 days it keeps tasks).
const NOT_FOUND_CODES: ReadonlySet<string> = new Set([
  'InvalidConversionTaskId',
  'InvalidConversionTaskId.Malformed',
  'InvalidConversionTaskId.NotFound',
  'InvalidImportTaskId.NotFound',
  'InvalidImportTaskId.Malformed',
  'InvalidParameterValue',
])

// -------------------------------------------------------------------------------------------------
// batching
// -------------------------------------------------------------------------------------------------

type Poll = { readonly _tag: 'Left'; readonly left: Ec2ImportError } | { readonly _tag: 'Right'; readonly right: ImportImageTask | undefined }

/**
 * Coalesces the polls of many waiters into one `DescribeImportImageTasks` call per tick.
 *
 * @internal
 */
export class TaskPoller {
  private pending = new Map<string, Array<(r: Poll) => void>>()
  private scheduled = false
  constructor(private readonly deps: WaiterDeps) {}

  poll(importTaskId: string): Promise<Poll> {
    return new Promise((resolve) => {
      const waiting = this.pending.get(importTaskId)
      if (waiting === undefined) this.pending.set(importTaskId, [resolve])
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
    // EC2 returns at most MaxResults tasks per call; ask for all the ids at once, page by page.
    const found = new Map<string, ImportImageTask>()
    let nextToken: string | undefined
    let error: Ec2ImportError | undefined
    for (let page = 0; page < 100; page++) {
      const r = await this.deps.describe({
        ImportTaskIds: ids,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      })()
      if (r._tag === 'Left') {
        error = r.left
        break
      }
      for (const task of r.right.ImportImageTasks ?? []) {
        if (task.ImportTaskId !== undefined) found.set(task.ImportTaskId, task)
      }
      if (r.right.NextToken === undefined || r.right.NextToken === nextToken) break
      nextToken = r.right.NextToken
    }
    if (error !== undefined && ids.length > 1 && error._tag === 'ServiceError' && NOT_FOUND_CODES.has(error.code)) {
      // One unknown id fails the whole batch: ask for each alone so the others still get their answer.
      await Promise.all(
        ids.map(async (id) => {
          const r = await this.deps.describe({ ImportTaskIds: [id] })()
          const answer: Poll =
            r._tag === 'Left'
              ? r
              : { _tag: 'Right', right: (r.right.ImportImageTasks ?? []).find((t) => t.ImportTaskId === id) }
          for (const resolve of batch.get(id) ?? []) resolve(answer)
        }),
      )
      return
    }
    for (const [id, resolvers] of batch) {
      const answer: Poll = error !== undefined ? { _tag: 'Left', left: error } : { _tag: 'Right', right: found.get(id) }
      for (const resolve of resolvers) resolve(answer)
    }
  }
}

// -------------------------------------------------------------------------------------------------
// waiter
// -------------------------------------------------------------------------------------------------

const percent = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined
  const n = Number.parseFloat(s)
  return Number.isFinite(n) ? n : undefined
}

const progressOf = (task: ImportImageTask, importTaskId: string, elapsedMs: number, polls: number): ImportProgress => ({
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
})

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
 * Wait for one import task to complete.
 *
 * @internal
 */
export const waitForImportImageTask =
  (deps: WaiterDeps, poller: TaskPoller) =>
  (importTaskId: string, options: WaitOptions = {}): TaskEither<Ec2ImportError, ImportImageTask> =>
  async () => {
    const { runtime } = deps
    const timeoutMs = options.timeoutMs ?? WAIT_DEFAULTS.timeoutMs
    const minDelayMs = options.minDelayMs ?? WAIT_DEFAULTS.minDelayMs
    const maxDelayMs = Math.max(minDelayMs, options.maxDelayMs ?? WAIT_DEFAULTS.maxDelayMs)
    const start = runtime.now()
    const deadline = start + timeoutMs
    const signal = options.signal
    let lastTask: ImportImageTask | undefined

    const end = async (reason: WaitErrorReason, message: string): Promise<{ _tag: 'Left'; left: WaitError }> => {
      let cancelled = false
      if ((reason === 'aborted' || reason === 'timeout') && options.cancelOnAbort === true) {
        const r = await deps.cancel({
          ImportTaskId: importTaskId,
          CancelReason: options.cancelReason ?? (reason === 'aborted' ? 'Cancelled: the waiter was aborted' : 'Cancelled: the waiter timed out'),
        })()
        cancelled = r._tag === 'Right'
      }
      const failure = reason === 'task-failed' ? classifyImportFailure(lastTask?.StatusMessage) : undefined
      return {
        _tag: 'Left',
        left: {
          _tag: 'WaitError',
          reason,
          importTaskId,
          message: failure === undefined ? message : `${message}: ${failure.statusMessage} (${failure.reason}). ${failure.hint}`,
          task: lastTask,
          failure,
          cancelled,
        },
      }
    }

    for (let polls = 1; ; polls++) {
      if (signal?.aborted === true) return end('aborted', `waiting for ${importTaskId} was aborted`)
      // A poll can take a while (its own retries and timeouts); the deadline and an abort do not wait for it. The
      // batched request goes on for the other waiters.
      const r = await stopEarly(poller.poll(importTaskId), signal, deadline - runtime.now())
      if (r === 'aborted') return end('aborted', `waiting for ${importTaskId} was aborted`)
      if (r === 'timeout') return end('timeout', `import task ${importTaskId} did not complete within ${timeoutMs} ms`)
      if (r._tag === 'Left') {
        const e = r.left
        if (e._tag === 'ServiceError' && NOT_FOUND_CODES.has(e.code)) {
          return end('task-not-found', `import task ${importTaskId} is unknown to EC2 (${e.code}: ${e.serviceMessage}); tasks are kept 7 days`)
        }
        if (!keepPolling(e)) return r
      } else if (r.right === undefined) {
        return end('task-not-found', `import task ${importTaskId} was not found; EC2 keeps tasks 7 days after they end`)
      } else {
        const task = r.right
        lastTask = task
        if (options.onProgress !== undefined) {
          try {
            options.onProgress(progressOf(task, importTaskId, runtime.now() - start, polls))
          } catch {
            // A progress callback must not end the wait.
          }
        }
        if (task.Status === 'completed') return { _tag: 'Right', right: task }
        if (task.Status === 'deleted' || task.Status === 'deleting') {
          return end('task-failed', `import task ${importTaskId} ended ${task.Status}`)
        }
      }
      // Backoff with jitter: uniform in [min, min(max, min·2^(n-1))], as AWS SDK waiters do.
      const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(polls - 1, 20))
      let delay = minDelayMs + Math.floor(runtime.random() * (ceiling - minDelayMs + 1))
      const left = deadline - runtime.now()
      if (left <= 0) return end('timeout', `import task ${importTaskId} did not complete within ${timeoutMs} ms`)
      delay = Math.min(delay, left)
      await runtime.sleep(delay, signal)
    }
  }
