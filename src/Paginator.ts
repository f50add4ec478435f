/**
 * Paging through `DescribeImportImageTasks`: async iterators over pages and over tasks.
 *
 * Each step yields an `Either`, so nothing throws out of a `for await`: a failure is yielded as a `Left` and ends the
 * iteration. A service that repeats a `NextToken` would page forever; that is a `PaginationError`, not a hang.
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
import type { Ec2ImportError, PaginationError } from './Ec2ImportError.js'
import type { CallOptions, WithMetadata } from './Call.js'

/**
 * What the paginator needs from a client.
 *
 * @internal
 */
export type DescribeFn = (
  input: DescribeImportImageTasksRequest,
  options?: CallOptions,
) => TaskEither<Ec2ImportError, WithMetadata<DescribeImportImageTasksResult>>

/**
 * Iterate the pages of `DescribeImportImageTasks`, following `NextToken` from `input.NextToken` (or the start).
 *
 * @internal
 */
export async function* paginateImportImageTasks(
  describe: DescribeFn,
  input: DescribeImportImageTasksRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, WithMetadata<DescribeImportImageTasksResult>>, void, undefined> {
  const seen = new Set<string>()
  let token = input.NextToken
  for (let pages = 1; ; pages++) {
    const r = await describe(token === undefined ? input : { ...input, NextToken: token }, options)()
    yield r
    if (r._tag === 'Left') return
    const next = r.right.NextToken
    if (next === undefined || next === '') return
    if (seen.has(next) || next === token) {
      const e: PaginationError = {
        _tag: 'PaginationError',
        message: `DescribeImportImageTasks returned NextToken ${JSON.stringify(next)} again after ${pages} pages; stopping rather than paging forever`,
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
 * Iterate the tasks of every page.
 *
 * @internal
 */
export async function* listImportImageTasks(
  describe: DescribeFn,
  input: DescribeImportImageTasksRequest = {},
  options?: CallOptions,
): AsyncGenerator<Either<Ec2ImportError, ImportImageTask>, void, undefined> {
  for await (const page of paginateImportImageTasks(describe, input, options)) {
    if (page._tag === 'Left') {
      yield page
      return
    }
    for (const task of page.right.ImportImageTasks ?? []) yield { _tag: 'Right', right: task }
  }
}
