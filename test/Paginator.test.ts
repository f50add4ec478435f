/**
 * The paging engine through each of its iterators: fake Describe functions that answer pages by token.
 */
import { describe, expect, it } from 'vitest'
import type { Either } from 'fp-ts/lib/Either.js'
import type { WithMetadata } from '../src/Call.js'
import { serviceError, type Ec2ImportError } from '../src/Ec2ImportError.js'
import {
  listImages,
  listImportImageTasks,
  listImportSnapshotTasks,
  listSnapshots,
  paginateImages,
  paginateImportSnapshotTasks,
  paginateSnapshots,
} from '../src/Paginator.js'
import type { CallOptions } from '../src/Call.js'

const meta = { $metadata: { requestId: 'r', httpStatusCode: 200, attempts: 1, totalRetryDelay: 0 } }

/** A paged call over `pages` (token → page): records each input and the options it was given. */
const pagedFake = <I extends { readonly NextToken?: string | undefined }, O>(pages: Record<string, O | Ec2ImportError>) => {
  const calls: Array<{ input: I; options: CallOptions | undefined }> = []
  const fn = (input: I, options?: CallOptions) => async (): Promise<Either<Ec2ImportError, WithMetadata<O>>> => {
    calls.push({ input, options })
    // A paginator that ignored a repeated token would call forever: fail the test instead of hanging it.
    if (calls.length > 20) return { _tag: 'Left', left: { _tag: 'ConfigError', message: 'the paginator called more than 20 times' } }
    const p = pages[input.NextToken ?? '']
    if (p === undefined) throw new Error(`no page for ${String(input.NextToken)}`)
    return typeof p === 'object' && p !== null && '_tag' in p ? { _tag: 'Left', left: p as Ec2ImportError } : { _tag: 'Right', right: { ...(p as O), ...meta } }
  }
  return { fn, calls }
}

const collect = async <A>(it: AsyncIterable<A>): Promise<Array<A>> => {
  const out: Array<A> = []
  for await (const a of it) out.push(a)
  return out
}

const rights = <A>(rs: ReadonlyArray<Either<Ec2ImportError, A>>): Array<A> => rs.flatMap((r) => (r._tag === 'Right' ? [r.right] : []))

const denied = serviceError({ operation: 'Describe', code: 'UnauthorizedOperation', serviceMessage: 'no', requestId: 'r', statusCode: 403, attempts: 1 })

// Each iterator, with a function that makes one of its pages from item ids and a next token.
const cases = [
  {
    name: 'listImportSnapshotTasks',
    operation: 'DescribeImportSnapshotTasks',
    list: listImportSnapshotTasks,
    paginate: paginateImportSnapshotTasks,
    page: (ids: ReadonlyArray<string>, next?: string) => ({ ImportSnapshotTasks: ids.map((id) => ({ ImportTaskId: id })), ...(next === undefined ? {} : { NextToken: next }) }),
    idOf: (item: { readonly ImportTaskId?: string | undefined }) => item.ImportTaskId,
  },
  {
    name: 'listImages',
    operation: 'DescribeImages',
    list: listImages,
    paginate: paginateImages,
    page: (ids: ReadonlyArray<string>, next?: string) => ({ Images: ids.map((id) => ({ ImageId: id })), ...(next === undefined ? {} : { NextToken: next }) }),
    idOf: (item: { readonly ImageId?: string | undefined }) => item.ImageId,
  },
  {
    name: 'listSnapshots',
    operation: 'DescribeSnapshots',
    list: listSnapshots,
    paginate: paginateSnapshots,
    page: (ids: ReadonlyArray<string>, next?: string) => ({ Snapshots: ids.map((id) => ({ SnapshotId: id })), ...(next === undefined ? {} : { NextToken: next }) }),
    idOf: (item: { readonly SnapshotId?: string | undefined }) => item.SnapshotId,
  },
] as const

describe.each(cases)('$name', ({ list, paginate, page, idOf, operation }) => {
  // The three iterators differ only in their types; one loosely typed handle runs them all.
  const listAny = list as unknown as (d: unknown, input?: object, options?: CallOptions) => AsyncGenerator<Either<Ec2ImportError, Record<string, unknown>>>
  const paginateAny = paginate as unknown as (d: unknown, input?: object) => AsyncGenerator<Either<Ec2ImportError, unknown>>
  const id = idOf as (item: Record<string, unknown>) => string

  it('yields every item of every page, in order, following NextToken and keeping the input', async () => {
    const d = pagedFake<{ NextToken?: string; MaxResults?: number }, object>({ '': page(['a', 'b'], 't1'), t1: page([], 't2'), t2: page(['c']) })
    const ac = new AbortController()
    const items = await collect(listAny(d.fn, { MaxResults: 2 }, { signal: ac.signal }))
    expect(rights(items).map(id)).toEqual(['a', 'b', 'c'])
    expect(d.calls.map((c) => c.input)).toEqual([{ MaxResults: 2 }, { MaxResults: 2, NextToken: 't1' }, { MaxResults: 2, NextToken: 't2' }])
    expect(d.calls.every((c) => c.options?.signal === ac.signal)).toBe(true)
  })

  it('starts from the input NextToken', async () => {
    const d = pagedFake<{ NextToken?: string }, object>({ t5: page(['x']) })
    expect(rights(await collect(listAny(d.fn, { NextToken: 't5' }))).map(id)).toEqual(['x'])
  })

  it('stops with a PaginationError naming the call when a NextToken comes back again', async () => {
    const d = pagedFake<{ NextToken?: string }, object>({ '': page(['a'], 't1'), t1: page(['b'], 't2'), t2: page(['c'], 't1') })
    const out = await collect(listAny(d.fn))
    expect(rights(out).map(id)).toEqual(['a', 'b', 'c'])
    const last = out.at(-1)!
    if (last._tag !== 'Left' || last.left._tag !== 'PaginationError') throw new Error(JSON.stringify(last))
    expect(last.left.nextToken).toBe('t1')
    expect(last.left.pages).toBe(3)
    expect(last.left.message).toContain(operation)
    expect(d.calls).toHaveLength(3)
  })

  it('stops on a page that repeats its own token', async () => {
    const d = pagedFake<{ NextToken?: string }, object>({ '': page(['a'], 't1'), t1: page(['b'], 't1') })
    const out = await collect(paginateAny(d.fn))
    expect(out.map((r) => r._tag)).toEqual(['Right', 'Right', 'Left'])
  })

  it('yields a failed page as a Left and ends', async () => {
    const d = pagedFake<{ NextToken?: string }, object>({ '': page(['a'], 't1'), t1: denied })
    const out = await collect(listAny(d.fn))
    expect(out.map((r) => (r._tag === 'Right' ? id(r.right) : r.left._tag))).toEqual(['a', 'ServiceError'])
  })

  it('treats an empty NextToken as the last page', async () => {
    const d = pagedFake<{ NextToken?: string }, object>({ '': page(['a'], '') })
    expect((await collect(paginateAny(d.fn))).length).toBe(1)
  })
})

describe('listImportImageTasks on the generic engine', () => {
  it('pages as in 0.1, and its repeated-token error still names DescribeImportImageTasks', async () => {
    const d = pagedFake<{ NextToken?: string }, object>({
      '': { ImportImageTasks: [{ ImportTaskId: 'import-ami-1' }], NextToken: 'n' },
      n: { ImportImageTasks: [{ ImportTaskId: 'import-ami-2' }], NextToken: 'n' },
    })
    const out = await collect(listImportImageTasks(d.fn as never))
    expect(rights(out).map((t) => t.ImportTaskId)).toEqual(['import-ami-1', 'import-ami-2'])
    const last = out.at(-1)!
    expect(last._tag === 'Left' && last.left._tag === 'PaginationError' && last.left.message).toContain(
      'DescribeImportImageTasks returned NextToken "n" again after 2 pages',
    )
  })
})
