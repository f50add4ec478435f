// The waiters' types, through the client's methods in the published declarations: what each returns (narrowed),
// what each accepts, and how a WaitError narrows.
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd'
import type { Either } from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import {
  isResourceCountLimitExceeded,
  type AvailableImage,
  type CompletedImportSnapshotTask,
  type Ec2ImportClient,
  type Ec2ImportError,
  type Image,
  type ImageWaitError,
  type ImageWaitOptions,
  type ImportFailure,
  type ImportImageTask,
  type ImportImageWaitError,
  type ImportSnapshotTask,
  type ImportSnapshotWaitError,
  type ServiceError,
  type StateReason,
  type WaitError,
  type WaiterError,
  type WaitOptions,
} from '../dist/index.js'

declare const ec2: Ec2ImportClient

// 0.1's waiter keeps its type (its Left is narrower, and still an Ec2ImportError)
const done = await ec2.waitForImportImageTask('import-ami-1', { cancelOnAbort: true })()
expectType<Either<WaiterError<ImportImageWaitError>, ImportImageTask>>(done)
expectAssignable<TaskEither<Ec2ImportError, ImportImageTask>>(ec2.waitForImportImageTask('import-ami-1'))
// 0.1 code reading the WaitError of this waiter still compiles, without narrowing on `resource`
if (done._tag === 'Left' && done.left._tag === 'WaitError') {
  expectType<string>(done.left.importTaskId)
  expectType<string | undefined>(done.left.task?.ImageId)
  expectType<ImportFailure | undefined>(done.left.failure)
}

// the snapshot waiter returns the completed task, its SnapshotId typed present
const snap = await ec2.waitForImportSnapshotTask('import-snap-1', { cancelOnAbort: true, cancelReason: 'stop', notFoundGraceMs: 10_000 })()
expectType<Either<WaiterError<ImportSnapshotWaitError>, CompletedImportSnapshotTask>>(snap)
expectAssignable<Either<Ec2ImportError, CompletedImportSnapshotTask>>(snap)
if (snap._tag === 'Right') {
  expectType<string>(snap.right.SnapshotTaskDetail.SnapshotId)
  expectType<'completed'>(snap.right.SnapshotTaskDetail.Status)
  expectAssignable<ImportSnapshotTask>(snap.right)
}
// a task as described is not a completed one
expectNotAssignable<CompletedImportSnapshotTask>({ ImportTaskId: 'import-snap-1', SnapshotTaskDetail: { Status: 'completed' } })

// the image waiter returns the available image, its id typed present
const img = await ec2.waitForImageAvailable('ami-1', { timeoutMs: 60_000, notFoundGraceMs: 90_000, onProgress: (p) => p.state })()
expectType<Either<WaiterError<ImageWaitError>, AvailableImage>>(img)
expectAssignable<Either<Ec2ImportError, AvailableImage>>(img)
if (img._tag === 'Left' && img.left._tag === 'WaitError') {
  expectType<StateReason | undefined>(img.left.stateReason)
  expectType<string>(img.left.imageId)
}
if (img._tag === 'Right') {
  expectType<string>(img.right.ImageId)
  expectType<'available'>(img.right.State)
  expectAssignable<Image>(img.right)
}

// nothing to cancel behind an AMI: cancelOnAbort and cancelReason are type errors, literal or not
expectError(ec2.waitForImageAvailable('ami-1', { cancelOnAbort: true }))
expectError(ec2.waitForImageAvailable('ami-1', { cancelReason: 'why' }))
declare const taskOptions: WaitOptions
expectError(ec2.waitForImageAvailable('ami-1', taskOptions))
expectNotAssignable<ImageWaitOptions>({ cancelOnAbort: false })

// progress callbacks get the right report
ec2.waitForImportSnapshotTask('import-snap-1', { onProgress: (p) => expectType<ImportSnapshotTask>(p.task) })
ec2.waitForImageAvailable('ami-1', { onProgress: (p) => expectType<Image>(p.image) })
expectError(ec2.waitForImageAvailable('ami-1', { onProgress: (p: { task: ImportImageTask }) => p.task }))

// a WaitError narrows by what was watched
declare const e: WaitError
switch (e.resource) {
  case 'import-image-task':
    expectType<ImportImageTask | undefined>(e.task)
    expectType<string>(e.importTaskId)
    expectType<'task-failed' | 'task-not-found' | 'timeout' | 'aborted'>(e.reason)
    expectType<ImportFailure | undefined>(e.failure)
    break
  case 'import-snapshot-task':
    expectType<ImportSnapshotTask | undefined>(e.task)
    expectType<string>(e.importTaskId)
    break
  case 'image':
    expectType<Image | undefined>(e.task)
    expectType<string>(e.imageId)
    expectType<StateReason | undefined>(e.stateReason)
    expectType<'image-failed' | 'image-not-found' | 'timeout' | 'aborted'>(e.reason)
    expectType<false>(e.cancelled)
    break
  default:
    expectType<never>(e)
}
expectType<ImportImageTask | ImportSnapshotTask | Image | undefined>(e.task)

// ResourceCountLimitExceeded narrows to a ServiceError with that code
declare const err: Ec2ImportError
if (isResourceCountLimitExceeded(err)) {
  expectAssignable<ServiceError>(err)
  expectType<'ResourceCountLimitExceeded'>(err.code)
}
