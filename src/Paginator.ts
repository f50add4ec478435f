/**
 * Paging through EC2's Describe calls: async iterators over pages and over the items of every page, for
 * `DescribeImportImageTasks`, `DescribeImportSnapshotTasks`, `DescribeImages` and `DescribeSnapshots`.
 *
 * One engine (`paginate`) follows any call's token, given the call, the token's names in its input and output, and
 * the member that holds the items. Each step yields an `Either`, so nothing throws out of a `for await`: a failure
 * is yielded as a `Left` and ends the iteration. A service that repeats a `NextToken` would page forever; that is a
 * `PaginationError`, not a hang.
 *
 * @since 0.1.0
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Either } from 'fp-ts/lib/Either.js'
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
import type { DescribeSnapshotsRequest, DescribeSnapshotsResult, Snapshot } from './shapes/DescribeSnapshots.js'
import type { Image } from './shapes/Image.js'
import type { Ec2ImportError, PaginationError } from './Ec2ImportError.js'
import type { CallOptions, WithMetadata } from './Call.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A paged call, as a client method.
 *
 * @internal
 */
export type PagedCall<I, O> = (input: I, options?: CallOptions) => TaskEither<Ec2ImportError, WithMetadata<O>>

/**
 * The members of `T` that hold a token (an optional string).
 *
 * @internal
 */
export type TokenKey<T> = { [K in keyof T]-?: [NonNullable<T[K]>] extends [string] ? K : never }[keyof T]

/**
 * The members of `T` that hold a list.
 *
 * @internal
 */
export type ItemsKey<T> = { [K in keyof T]-?: [NonNullable<T[K]>] extends [ReadonlyArray<unknown>] ? K : never }[keyof T]

/**
 * The element type of the list in `T[K]`.
 *
 * @internal
 */
export type ItemOf<T, K extends keyof T> = NonNullable<T[K]> extends ReadonlyArray<infer A> ? A : never

/**
 * How a call pages: its name (for messages), where the token goes in and comes out, and where the items are.
 *
 * @internal
 */
export interface Paging<I, O, K extends ItemsKey<O>> {
  readonly operation: string
  readonly inputToken: TokenKey<I>
  readonly outputToken: TokenKey<O>
  readonly items: K
}

/**
 * What `paginateImportImageTasks` and `listImportImageTasks` need from a client.
 *
 * @internal
 */
export type DescribeFn = PagedCall<DescribeImportImageTasksRequest, DescribeImportImageTasksResult>

// -------------------------------------------------------------------------------------------------
// engine
// -------------------------------------------------------------------------------------------------

/**
 * Iterate the pages of a call, following its token from the input's (or the start).
 *
 * @internal
 */
export async function* paginate<I, O, K extends ItemsKey<O>>(
  paging: Paging<I, O, K>,
  call: PagedCall<I, O>,
  input: I,
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, WithMetadata<O>>, void, undefined> {
  const seen = new Set<string>()
  // TokenKey<I> names a string member: reading and writing it as one is what the key's type says.
  let token = input[paging.inputToken] as string | undefined
  for (let pages = 1; ; pages++) {
    const r = await call(token === undefined ? input : ({ ...input, [paging.inputToken]: token } as I), options)()
    yield r
    if (r._tag === 'Left') return
    const next = r.right[paging.outputToken] as string | undefined
    if (next === undefined || next === '') return
    if (seen.has(next) || next === token) {
      const e: PaginationError = {
        _tag: 'PaginationError',
        message: `${paging.operation} returned ${String(paging.outputToken)} ${JSON.stringify(next)} again after ${pages} pages; stopping rather than paging forever`,
        nextToken: next,
        pages,
      }
      yield { _tag: 'Left', left: e }
      return
    }
    seen.add(next)
    token = next
  }
}

/**
 * Iterate the items of every page of a call.
 *
 * @internal
 */
export async function* listAll<I, O, K extends ItemsKey<O>>(
  paging: Paging<I, O, K>,
  call: PagedCall<I, O>,
  input: I,
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, ItemOf<O, K>>, void, undefined> {
  for await (const page of paginate(paging, call, input, options)) {
    if (page._tag === 'Left') {
      yield page
      return
    }
    // ItemsKey<O> names a list member, whose elements are ItemOf<O, K>.
    const items = (page.right[paging.items] ?? []) as ReadonlyArray<ItemOf<O, K>>
    for (const item of items) yield { _tag: 'Right', right: item }
  }
}

// -------------------------------------------------------------------------------------------------
// paged calls
// -------------------------------------------------------------------------------------------------

const IMPORT_IMAGE_TASKS: Paging<DescribeImportImageTasksRequest, DescribeImportImageTasksResult, 'ImportImageTasks'> = {
  operation: 'DescribeImportImageTasks',
  inputToken: 'NextToken',
  outputToken: 'NextToken',
  items: 'ImportImageTasks',
}

const IMPORT_SNAPSHOT_TASKS: Paging<DescribeImportSnapshotTasksRequest, DescribeImportSnapshotTasksResult, 'ImportSnapshotTasks'> = {
  operation: 'DescribeImportSnapshotTasks',
  inputToken: 'NextToken',
  outputToken: 'NextToken',
  items: 'ImportSnapshotTasks',
}

const IMAGES: Paging<DescribeImagesRequest, DescribeImagesResult, 'Images'> = {
  operation: 'DescribeImages',
  inputToken: 'NextToken',
  outputToken: 'NextToken',
  items: 'Images',
}

const SNAPSHOTS: Paging<DescribeSnapshotsRequest, DescribeSnapshotsResult, 'Snapshots'> = {
  operation: 'DescribeSnapshots',
  inputToken: 'NextToken',
  outputToken: 'NextToken',
  items: 'Snapshots',
}

/**
 * Iterate the pages of `DescribeImportImageTasks`, following `NextToken` from `input.NextToken` (or the start).
 *
 * @internal
 */
export const paginateImportImageTasks = (
  describe: DescribeFn,
  input: DescribeImportImageTasksRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeImportImageTasksResult>>, void, undefined> =>
  paginate(IMPORT_IMAGE_TASKS, describe, input, options)

/**
 * Iterate the tasks of every page of `DescribeImportImageTasks`.
 *
 * @internal
 */
export const listImportImageTasks = (
  describe: DescribeFn,
  input: DescribeImportImageTasksRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, ImportImageTask>, void, undefined> => listAll(IMPORT_IMAGE_TASKS, describe, input, options)

/**
 * Iterate the pages of `DescribeImportSnapshotTasks`.
 *
 * @internal
 */
export const paginateImportSnapshotTasks = (
  describe: PagedCall<DescribeImportSnapshotTasksRequest, DescribeImportSnapshotTasksResult>,
  input: DescribeImportSnapshotTasksRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeImportSnapshotTasksResult>>, void, undefined> =>
  paginate(IMPORT_SNAPSHOT_TASKS, describe, input, options)

/**
 * Iterate the snapshot import tasks of every page of `DescribeImportSnapshotTasks`.
 *
 * @internal
 */
export const listImportSnapshotTasks = (
  describe: PagedCall<DescribeImportSnapshotTasksRequest, DescribeImportSnapshotTasksResult>,
  input: DescribeImportSnapshotTasksRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, ImportSnapshotTask>, void, undefined> => listAll(IMPORT_SNAPSHOT_TASKS, describe, input, options)

/**
 * Iterate the pages of `DescribeImages` (EC2 refuses `MaxResults` together with `ImageIds`: page with filters).
 *
 * @internal
 */
export const paginateImages = (
  describe: PagedCall<DescribeImagesRequest, DescribeImagesResult>,
  input: DescribeImagesRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeImagesResult>>, void, undefined> => paginate(IMAGES, describe, input, options)

/**
 * Iterate the AMIs of every page of `DescribeImages`.
 *
 * @internal
 */
export const listImages = (
  describe: PagedCall<DescribeImagesRequest, DescribeImagesResult>,
  input: DescribeImagesRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, Image>, void, undefined> => listAll(IMAGES, describe, input, options)

/**
 * Iterate the pages of `DescribeSnapshots`.
 *
 * @internal
 */
export const paginateSnapshots = (
  describe: PagedCall<DescribeSnapshotsRequest, DescribeSnapshotsResult>,
  input: DescribeSnapshotsRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeSnapshotsResult>>, void, undefined> => paginate(SNAPSHOTS, describe, input, options)

/**
 * Iterate the snapshots of every page of `DescribeSnapshots`.
 *
 * @internal
 */
export const listSnapshots = (
  describe: PagedCall<DescribeSnapshotsRequest, DescribeSnapshotsResult>,
  input: DescribeSnapshotsRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, Snapshot>, void, undefined> => listAll(SNAPSHOTS, describe, input, options)
