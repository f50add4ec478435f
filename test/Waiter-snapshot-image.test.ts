/**
 * The snapshot-task and image waiters, and what the generic engine changed for the image-task waiter: fake
 * Describe functions answer from a script, and a manual clock moves only when a waiter sleeps.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import type { Either } from 'fp-ts/lib/Either.js'
import type { Runtime, WithMetadata } from '../src/Call.js'
import { serviceError, type Ec2ImportError, type ServiceError, type WaitError } from '../src/Ec2ImportError.js'
import type { CancelImportTaskRequest, CancelImportTaskResult } from '../src/shapes/CancelImportTask.js'
import type { DescribeImagesRequest, DescribeImagesResult } from '../src/shapes/DescribeImages.js'
import type { DescribeImportImageTasksRequest, DescribeImportImageTasksResult } from '../src/shapes/DescribeImportImageTasks.js'
import type {
  DescribeImportSnapshotTasksRequest,
  DescribeImportSnapshotTasksResult,
  ImportSnapshotTask,
} from '../src/shapes/DescribeImportSnapshotTasks.js'
import type { Image } from '../src/shapes/Image.js'
import {
  ImagePoller,
  ImportSnapshotTaskPoller,
  WAIT_DEFAULTS,
  waitForImageAvailable,
  waitForImportImageTask,
  waitForImportSnapshotTask,
  type ImageProgress,
  type ImportSnapshotProgress,
} from '../src/Waiter.js'

// -------------------------------------------------------------------------------------------------
// fakes
// -------------------------------------------------------------------------------------------------

let now: number
let sleeps: Array<number>
const START = Date.UTC(2026, 10, 27, 12, 0, 0)

const runtime: Runtime = {
  now: () => now,
  random: () => 0,
  sleep: async (ms) => {
    sleeps.push(ms)
    now += ms
  },
  uuid: () => 'uuid',
}

beforeEach(() => {
  now = START
  sleeps = []
})

const meta = { $metadata: { requestId: 'r', httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 } }

type Answer<O> = Either<Ec2ImportError, O> | Promise<Either<Ec2ImportError, O>>

/** A client method that records its inputs and answers each call with `answer(input, callIndex)`. */
const fake = <I, O>(answer: (input: I, call: number) => Answer<O>) => {
  const calls: Array<I> = []
  const fn = (input: I) => async (): Promise<Either<Ec2ImportError, WithMetadata<O>>> => {
    calls.push(input)
    const r = await answer(input, calls.length - 1)
    return r._tag === 'Left' ? r : { _tag: 'Right', right: { ...r.right, ...meta } }
  }
  return { fn, calls }
}

const right = <O>(o: O): Either<Ec2ImportError, O> => ({ _tag: 'Right', right: o })
const left = (e: Ec2ImportError): Either<never, never> => ({ _tag: 'Left', left: e }) as never
const ec2Error = (code: string, message = 'm', statusCode = 400): ServiceError =>
  serviceError({ operation: 'Describe', code, serviceMessage: message, requestId: 'r', statusCode, attempts: 1 })

const snapTask = (id: string, status: string, statusMessage?: string, extra: Partial<NonNullable<ImportSnapshotTask['SnapshotTaskDetail']>> = {}): ImportSnapshotTask => ({
  ImportTaskId: id,
  SnapshotTaskDetail: { Status: status, ...(statusMessage === undefined ? {} : { StatusMessage: statusMessage }), ...extra },
})
const image = (id: string, state: string, reason?: { Code: string; Message: string }): Image => ({
  ImageId: id,
  State: state,
  ...(reason === undefined ? {} : { StateReason: reason }),
})

const describeSnapshots = (answer: (input: DescribeImportSnapshotTasksRequest, call: number) => Answer<DescribeImportSnapshotTasksResult>) =>
  fake(answer)
const describeImages = (answer: (input: DescribeImagesRequest, call: number) => Answer<DescribeImagesResult>) => fake(answer)
const cancelFake = () =>
  fake<CancelImportTaskRequest, CancelImportTaskResult>((input) => right({ ImportTaskId: input.ImportTaskId, State: 'deleting' }))

/** The snapshot tasks of a scripted page, by id, from a per-id list of statuses (the last one repeats). */
const scriptedTasks =
  (script: Record<string, ReadonlyArray<ImportSnapshotTask | undefined>>) =>
  (input: DescribeImportSnapshotTasksRequest): Answer<DescribeImportSnapshotTasksResult> => {
    const tasks: Array<ImportSnapshotTask> = []
    for (const id of input.ImportTaskIds ?? []) {
      const seq = script[id] ?? []
      const t = seq.length > 1 ? (script[id] = seq.slice(1), seq[0]) : seq[0]
      if (t !== undefined) tasks.push(t)
    }
    return right({ ImportSnapshotTasks: tasks })
  }

const waitError = (r: Either<Ec2ImportError, unknown>): WaitError => {
  if (r._tag !== 'Left' || r.left._tag !== 'WaitError') throw new Error(`expected a WaitError, got ${JSON.stringify(r)}`)
  return r.left
}

/** A promise the test resolves when it wants: an in-flight poll that has not answered yet. */
const deferred = <A>() => {
  let resolve!: (a: A) => void
  const promise = new Promise<A>((r) => (resolve = r))
  return { promise, resolve }
}

// -------------------------------------------------------------------------------------------------
// waitForImportSnapshotTask
// -------------------------------------------------------------------------------------------------

describe('waitForImportSnapshotTask', () => {
  it('reports progress and returns the completed task with its SnapshotId', async () => {
    const d = describeSnapshots(
      scriptedTasks({
        'import-snap-1': [
          snapTask('import-snap-1', 'active', 'pending', { Progress: '3' }),
          snapTask('import-snap-1', 'active', 'converting', { Progress: '41' }),
          snapTask('import-snap-1', 'completed', undefined, { SnapshotId: 'snap-0123456789abcdef0' }),
        ],
      }),
    )
    const seen: Array<ImportSnapshotProgress> = []
    const r = await waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-snap-1', {
      onProgress: (p) => seen.push(p),
    })()
    if (r._tag !== 'Right') throw new Error(JSON.stringify(r))
    expect(r.right.SnapshotTaskDetail.SnapshotId).toBe('snap-0123456789abcdef0')
    expect(seen.map((p) => [p.status, p.statusMessage, p.progress, p.polls])).toEqual([
      ['active', 'pending', 3, 1],
      ['active', 'converting', 41, 2],
      ['completed', undefined, undefined, 3],
    ])
    expect(sleeps).toEqual([15_000, 15_000])
    expect(d.calls.map((c) => c.ImportTaskIds)).toEqual(Array(3).fill(['import-snap-1']))
  })

  it.each([
    ['deleting', 'ClientError: Footers not identical', 'vhd-footer-mismatch'],
    ['deleted', 'CLIENT_ERROR : Uncompressed data has an invalid length', 'vmdk-corrupt'],
    ['deleted', 'ClientError: Unsupported kernel version 6.9.0', 'unsupported-kernel'],
  ])('fails fast on %s with the reason classified (%s)', async (status, message, reason) => {
    const d = describeSnapshots(scriptedTasks({ 'import-snap-2': [snapTask('import-snap-2', status, message)] }))
    const e = waitError(await waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-snap-2')())
    expect(e.resource).toBe('import-snapshot-task')
    expect(e.reason).toBe('task-failed')
    expect(e.failure?.reason).toBe(reason)
    expect(e.failure?.statusMessage).toBe(message)
    expect(e.message).toContain(message)
    expect(e.message).toContain(`ended ${status}`)
    expect(e.resource === 'import-snapshot-task' && e.task?.SnapshotTaskDetail?.Status).toBe(status)
    expect(d.calls).toHaveLength(1)
    expect(sleeps).toEqual([])
  })

  it('polls again when a task says completed before its SnapshotId is there', async () => {
    const d = describeSnapshots(
      scriptedTasks({
        'import-snap-3': [snapTask('import-snap-3', 'completed'), snapTask('import-snap-3', 'completed', undefined, { SnapshotId: 'snap-3' })],
      }),
    )
    const r = await waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-snap-3')()
    expect(r._tag === 'Right' && r.right.SnapshotTaskDetail.SnapshotId).toBe('snap-3')
    expect(d.calls).toHaveLength(2)
  })

  it('tolerates an unknown id for the grace period, then ends with task-not-found', async () => {
    const d = describeSnapshots(() => left(ec2Error('InvalidConversionTaskId.Malformed', "The given conversion task ID 'import-snap-old' is malformed")))
    const e = waitError(await waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-snap-old')())
    expect(e.reason).toBe('task-not-found')
    expect(e.message).toContain('InvalidConversionTaskId.Malformed')
    // polls at 0, 15 and 30 s: the last one is past the default 30 s grace
    expect(now - START).toBe(WAIT_DEFAULTS.importTaskNotFoundGraceMs)
    expect(d.calls).toHaveLength(3)
  })

  it('takes the grace period from the options, and a task listed within it is waited for', async () => {
    const d = describeSnapshots(
      scriptedTasks({
        'import-snap-4': [undefined, undefined, snapTask('import-snap-4', 'active', 'pending'), snapTask('import-snap-4', 'completed', undefined, { SnapshotId: 'snap-4' })],
      }),
    )
    const waiter = waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime })
    const r = await waiter('import-snap-4', { notFoundGraceMs: 40_000 })()
    expect(r._tag === 'Right' && r.right.SnapshotTaskDetail.SnapshotId).toBe('snap-4')

    now = START
    const gone = describeSnapshots(() => right({ ImportSnapshotTasks: [] }))
    const e = waitError(await waitForImportSnapshotTask({ describe: gone.fn, cancel: cancelFake().fn, runtime })('import-snap-5', { notFoundGraceMs: 0 })())
    expect(e.reason).toBe('task-not-found')
    expect(gone.calls).toHaveLength(1)
  })

  it('cancels the task on abort when asked, with the reason given', async () => {
    const d = describeSnapshots(scriptedTasks({ 'import-snap-6': [snapTask('import-snap-6', 'active', 'converting', { Progress: '20' })] }))
    const cancel = cancelFake()
    const ac = new AbortController()
    const e = waitError(
      await waitForImportSnapshotTask({ describe: d.fn, cancel: cancel.fn, runtime })('import-snap-6', {
        signal: ac.signal,
        onProgress: () => ac.abort(),
        cancelOnAbort: true,
        cancelReason: 'operator stopped the pipeline',
      })(),
    )
    expect([e.reason, e.cancelled]).toEqual(['aborted', true])
    expect(cancel.calls).toEqual([{ ImportTaskId: 'import-snap-6', CancelReason: 'operator stopped the pipeline' }])
  })

  it('does not cancel on abort unless asked', async () => {
    const d = describeSnapshots(scriptedTasks({ 'import-snap-7': [snapTask('import-snap-7', 'active', 'converting')] }))
    const cancel = cancelFake()
    const ac = new AbortController()
    const e = waitError(
      await waitForImportSnapshotTask({ describe: d.fn, cancel: cancel.fn, runtime })('import-snap-7', { signal: ac.signal, onProgress: () => ac.abort() })(),
    )
    expect([e.reason, e.cancelled]).toEqual(['aborted', false])
    expect(cancel.calls).toEqual([])
  })

  it('an abort beats an in-flight poll, and the task is cancelled', async () => {
    const hanging = deferred<Either<Ec2ImportError, DescribeImportSnapshotTasksResult>>()
    const d = describeSnapshots(() => hanging.promise)
    const cancel = cancelFake()
    const ac = new AbortController()
    const waiting = waitForImportSnapshotTask({ describe: d.fn, cancel: cancel.fn, runtime })('import-snap-8', { signal: ac.signal, cancelOnAbort: true })()
    while (d.calls.length === 0) await new Promise((r) => setImmediate(r))
    ac.abort()
    const e = waitError(await waiting)
    expect([e.reason, e.cancelled]).toEqual(['aborted', true])
    expect(cancel.calls[0]?.CancelReason).toBe('Cancelled: the waiter was aborted')
    hanging.resolve(right({ ImportSnapshotTasks: [] }))
  })

  it('the deadline beats an in-flight poll', async () => {
    const hanging = deferred<Either<Ec2ImportError, DescribeImportSnapshotTasksResult>>()
    const d = describeSnapshots(() => hanging.promise)
    const cancel = cancelFake()
    const e = waitError(
      await waitForImportSnapshotTask({ describe: d.fn, cancel: cancel.fn, runtime })('import-snap-9', { timeoutMs: 30, cancelOnAbort: true })(),
    )
    expect([e.reason, e.cancelled]).toEqual(['timeout', true])
    expect(e.message).toContain('did not complete within 30 ms')
    expect(cancel.calls[0]?.CancelReason).toBe('Cancelled: the waiter timed out')
    hanging.resolve(right({ ImportSnapshotTasks: [] }))
  })

  it('batches concurrent waiters into one DescribeImportSnapshotTasks call per tick', async () => {
    const ids = ['import-snap-a', 'import-snap-b', 'import-snap-c']
    const d = describeSnapshots((input, call) =>
      right({
        ImportSnapshotTasks: (input.ImportTaskIds ?? []).map((id) =>
          call < 2 ? snapTask(id, 'active', 'converting') : snapTask(id, 'completed', undefined, { SnapshotId: id.replace('import-', '') }),
        ),
      }),
    )
    const waiter = waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime })
    const results = await Promise.all(ids.map((id) => waiter(id)()))
    expect(results.map((r) => r._tag === 'Right' && r.right.SnapshotTaskDetail.SnapshotId)).toEqual(['snap-a', 'snap-b', 'snap-c'])
    expect(d.calls.map((c) => c.ImportTaskIds)).toEqual([ids, ids, ids])
  })

  it('when one unknown id fails the batch, asks for each id alone so the others are answered', async () => {
    const d = describeSnapshots((input) =>
      // as EC2 does: any unknown id in ImportTaskIds fails the whole call
      (input.ImportTaskIds ?? []).includes('import-snap-gone')
        ? left(ec2Error('InvalidConversionTaskId.Malformed'))
        : right({ ImportSnapshotTasks: [snapTask(input.ImportTaskIds![0]!, 'completed', undefined, { SnapshotId: 'snap-ok' })] }),
    )
    const poller = new ImportSnapshotTaskPoller({ describe: d.fn })
    const waiter = waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime }, poller)
    const [ok, gone] = await Promise.all([waiter('import-snap-ok')(), waiter('import-snap-gone', { notFoundGraceMs: 0 })()])
    expect(ok._tag === 'Right' && ok.right.SnapshotTaskDetail.SnapshotId).toBe('snap-ok')
    expect(waitError(gone).reason).toBe('task-not-found')
    expect(d.calls.map((c) => c.ImportTaskIds)).toEqual([['import-snap-ok', 'import-snap-gone'], ['import-snap-ok'], ['import-snap-gone']])
  })

  it('keeps polling through throttling and a 5xx, and stops on any other error', async () => {
    const d = describeSnapshots((_, call) =>
      call === 0
        ? left(ec2Error('RequestLimitExceeded', 'slow down', 503))
        : call === 1
          ? left(ec2Error('InternalError', 'oops', 500))
          : right({ ImportSnapshotTasks: [snapTask('import-snap-t', 'completed', undefined, { SnapshotId: 'snap-t' })] }),
    )
    const r = await waitForImportSnapshotTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-snap-t')()
    expect(r._tag === 'Right' && r.right.SnapshotTaskDetail.SnapshotId).toBe('snap-t')

    const denied = describeSnapshots(() => left(ec2Error('UnauthorizedOperation', 'no', 403)))
    const e = await waitForImportSnapshotTask({ describe: denied.fn, cancel: cancelFake().fn, runtime })('import-snap-u')()
    expect(e._tag === 'Left' && e.left._tag === 'ServiceError' && e.left.code).toBe('UnauthorizedOperation')
    expect(denied.calls).toHaveLength(1)
  })
})

// -------------------------------------------------------------------------------------------------
// waitForImageAvailable
// -------------------------------------------------------------------------------------------------

const imagesById =
  (state: (id: string, call: number) => Image | undefined) =>
  (input: DescribeImagesRequest, call: number): Answer<DescribeImagesResult> => {
    const ids = input.Filters?.find((f) => f.Name === 'image-id')?.Values ?? []
    return right({ Images: ids.map((id) => state(id, call)).filter((i): i is Image => i !== undefined) })
  }

describe('waitForImageAvailable', () => {
  it('tolerates an image not listed yet (eventual consistency), then returns it available', async () => {
    const d = describeImages(imagesById((id, call) => (call === 0 ? undefined : call === 1 ? image(id, 'pending') : image(id, 'available'))))
    const seen: Array<ImageProgress> = []
    const r = await waitForImageAvailable({ describe: d.fn, runtime })('ami-0123456789abcdef0', { onProgress: (p) => seen.push(p) })()
    if (r._tag !== 'Right') throw new Error(JSON.stringify(r))
    expect([r.right.ImageId, r.right.State]).toEqual(['ami-0123456789abcdef0', 'available'])
    expect(seen.map((p) => [p.state, p.polls])).toEqual([
      ['pending', 2],
      ['available', 3],
    ])
    // every poll asks through the image-id filter, never ImageIds
    expect(d.calls).toEqual(Array(3).fill({ Filters: [{ Name: 'image-id', Values: ['ami-0123456789abcdef0'] }] }))
  })

  it('tolerates InvalidAMIID.NotFound within the grace period', async () => {
    const d = describeImages((input, call) =>
      call < 2 ? left(ec2Error('InvalidAMIID.NotFound', "The image id '[ami-1]' does not exist")) : imagesById((id) => image(id, 'available'))(input, call),
    )
    const r = await waitForImageAvailable({ describe: d.fn, runtime })('ami-1')()
    expect(r._tag === 'Right' && r.right.ImageId).toBe('ami-1')
    expect(d.calls).toHaveLength(3)
  })

  it('ends with image-not-found once the grace period (default 60 s) has passed', async () => {
    const d = describeImages(() => right({ Images: [] }))
    const e = waitError(await waitForImageAvailable({ describe: d.fn, runtime })('ami-nope')())
    expect(e.resource).toBe('image')
    expect(e.reason).toBe('image-not-found')
    expect(e.resource === 'image' && e.imageId).toBe('ami-nope')
    expect(now - START).toBe(WAIT_DEFAULTS.imageNotFoundGraceMs)
    expect(d.calls).toHaveLength(5) // 0, 15, 30, 45, 60 s

    now = START
    const short = describeImages(() => right({ Images: [] }))
    const e2 = waitError(await waitForImageAvailable({ describe: short.fn, runtime })('ami-nope', { notFoundGraceMs: 20_000 })())
    expect(e2.reason).toBe('image-not-found')
    expect(short.calls).toHaveLength(3) // 0, 15, 30 s
  })

  it.each([
    ['failed', 'Client.InvalidSnapshot.NotFound', 'The snapshot snap-1 does not exist'],
    ['invalid', 'Server.InternalError', 'An internal error has occurred'],
    ['error', 'Client.UserInitiatedShutdown', 'copy aborted'],
    ['deregistered', 'Client.DeregisterImage', 'deregistered by its owner'],
  ])('fails fast on %s with the StateReason', async (state, code, message) => {
    const d = describeImages(imagesById((id) => image(id, state, { Code: code, Message: message })))
    const e = waitError(await waitForImageAvailable({ describe: d.fn, runtime })('ami-2')())
    if (e.resource !== 'image') throw new Error(e.resource)
    expect(e.reason).toBe('image-failed')
    expect(e.stateReason).toEqual({ Code: code, Message: message })
    expect(e.message).toContain(`image ami-2 is ${state}: ${code}: ${message}`)
    expect(e.task?.State).toBe(state)
    expect([e.failure, e.cancelled]).toEqual([undefined, false])
    expect(d.calls).toHaveLength(1)
  })

  it('batches N concurrent waiters into one DescribeImages call per tick, through the image-id filter', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `ami-${String(i).padStart(17, '0')}`)
    const d = describeImages(imagesById((id, call) => image(id, call < 2 ? 'pending' : 'available')))
    const waiter = waitForImageAvailable({ describe: d.fn, runtime })
    const results = await Promise.all(ids.map((id) => waiter(id)()))
    expect(results.every((r) => r._tag === 'Right')).toBe(true)
    expect(d.calls).toHaveLength(3) // three rounds, one call each
    for (const c of d.calls) {
      expect(c.ImageIds).toBeUndefined()
      expect(c.Filters).toEqual([{ Name: 'image-id', Values: ids }])
    }
  })

  it('cuts a batch of more than 200 ids into several calls of at most 200', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `ami-${String(i).padStart(17, '0')}`)
    const d = describeImages(imagesById((id) => image(id, 'available')))
    const poller = new ImagePoller({ describe: d.fn })
    const waiter = waitForImageAvailable({ describe: d.fn, runtime }, poller)
    const results = await Promise.all(ids.map((id) => waiter(id)()))
    expect(results.every((r) => r._tag === 'Right')).toBe(true)
    expect(d.calls.map((c) => c.Filters?.[0]?.Values?.length)).toEqual([200, 200, 50])
    expect(d.calls.flatMap((c) => c.Filters?.[0]?.Values ?? [])).toEqual(ids)
  })

  it('follows NextToken within one poll', async () => {
    const d = describeImages((input) =>
      input.NextToken === undefined ? right({ Images: [image('ami-a', 'available')], NextToken: 't1' }) : right({ Images: [image('ami-b', 'available')] }),
    )
    const waiter = waitForImageAvailable({ describe: d.fn, runtime })
    const [a, b] = await Promise.all([waiter('ami-a')(), waiter('ami-b')()])
    expect([a._tag, b._tag]).toEqual(['Right', 'Right'])
    expect(d.calls.map((c) => c.NextToken)).toEqual([undefined, 't1'])
  })

  it('an abort and the deadline beat an in-flight poll', async () => {
    const hanging = deferred<Either<Ec2ImportError, DescribeImagesResult>>()
    const d = describeImages(() => hanging.promise)
    const ac = new AbortController()
    const waiting = waitForImageAvailable({ describe: d.fn, runtime })('ami-3', { signal: ac.signal })()
    while (d.calls.length === 0) await new Promise((r) => setImmediate(r))
    ac.abort()
    const aborted = waitError(await waiting)
    expect([aborted.reason, aborted.cancelled]).toEqual(['aborted', false])

    const timedOut = waitError(await waitForImageAvailable({ describe: d.fn, runtime })('ami-4', { timeoutMs: 30 })())
    expect(timedOut.reason).toBe('timeout')
    expect(timedOut.message).toContain('image ami-4 did not become available within 30 ms')
    hanging.resolve(right({ Images: [] }))
  })

  it('times out on the manual clock while the image stays pending', async () => {
    const d = describeImages(imagesById((id) => image(id, 'pending')))
    const e = waitError(await waitForImageAvailable({ describe: d.fn, runtime })('ami-5', { timeoutMs: 100_000, minDelayMs: 10_000, maxDelayMs: 40_000 })())
    expect(e.reason).toBe('timeout')
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(100_000)
    expect(sleeps[0]).toBe(10_000)
  })
})

// -------------------------------------------------------------------------------------------------
// waitForImportImageTask through the engine
// -------------------------------------------------------------------------------------------------

describe('waitForImportImageTask on the shared engine', () => {
  const describeTasks = (answer: (input: DescribeImportImageTasksRequest, call: number) => Answer<DescribeImportImageTasksResult>) => fake(answer)

  it('with notFoundGraceMs: 0 ends at the first unknown answer, as 0.1 did', async () => {
    const d = describeTasks(() => left(ec2Error('InvalidConversionTaskId.Malformed')))
    const e = waitError(await waitForImportImageTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-ami-x', { notFoundGraceMs: 0 })())
    expect([e.resource, e.reason]).toEqual(['import-image-task', 'task-not-found'])
    expect(d.calls).toHaveLength(1)
  })

  it('a task listed only after a few seconds is waited for, not reported missing', async () => {
    const d = describeTasks((input, call) =>
      right({
        ImportImageTasks:
          call === 0 ? [] : [{ ImportTaskId: input.ImportTaskIds![0]!, Status: call === 1 ? 'active' : 'completed', ImageId: 'ami-x' }],
      }),
    )
    const r = await waitForImportImageTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-ami-y')()
    expect(r._tag === 'Right' && r.right.ImageId).toBe('ami-x')
  })

  it('keeps the failed task and its classified message in the error', async () => {
    const message = 'CLIENT_ERROR : Unsupported configuration - Logical volume group activation failed'
    const d = describeTasks(() => right({ ImportImageTasks: [{ ImportTaskId: 'import-ami-z', Status: 'deleted', StatusMessage: message }] }))
    const e = waitError(await waitForImportImageTask({ describe: d.fn, cancel: cancelFake().fn, runtime })('import-ami-z')())
    if (e.resource !== 'import-image-task') throw new Error(e.resource)
    expect(e.importTaskId).toBe('import-ami-z')
    expect(e.task?.StatusMessage).toBe(message)
    expect(e.failure?.reason).toBe('lvm-activation')
  })
})
