/**
 * What every `Describe*` call of the emulator shares: EC2's filters (`Name` + `Values`, `*` and `?` wildcards,
 * `tag:<key>` and `tag-key`), and pages with a `NextToken` that names the query and the last entry served.
 *
 * Entries are served in creation order (`seq`), so resources created or removed between two pages neither repeat
 * nor hide an entry of the pages still to come.
 *
 * @since 0.2.0
 */
import { createHash } from 'node:crypto'
import type { Filter } from '../shapes/DescribeImportImageTasks.js'
import type { Tag } from '../shapes/Tag.js'
import { ec2Error, type Ec2Error } from './Ec2Errors.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * An EC2-style outcome: the value, or the error to answer with.
 *
 * @internal
 * @since 0.2.0
 */
export type Outcome<A> =
  | { readonly _tag: 'Right'; readonly right: A }
  | { readonly _tag: 'Left'; readonly left: Ec2Error }

/**
 * The filter names a listing understands besides `tag:<key>` and `tag-key`: each one the values it compares for an
 * entry (a filter matches when any of its values matches any of these).
 *
 * @internal
 * @since 0.2.0
 */
export type FilterFields<A> = Readonly<Record<string, (a: A) => ReadonlyArray<string>>>

/**
 * A page of entries and the token of the next one.
 *
 * @internal
 * @since 0.2.0
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly nextToken?: string
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/** @internal @since 0.2.0 */
export const right = <A>(a: A): Outcome<A> => ({ _tag: 'Right', right: a })

/** @internal @since 0.2.0 */
export const left = (e: Ec2Error): Outcome<never> => ({ _tag: 'Left', left: e })

// -------------------------------------------------------------------------------------------------
// filters
// -------------------------------------------------------------------------------------------------

/**
 * `*` and `?` are EC2's filter wildcards; everything else matches itself.
 *
 * @internal
 * @since 0.2.0
 */
export const globMatch = (pattern: string, value: string): boolean => {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${body}$`, 's').test(value)
}

/**
 * Refuse a filter the listing does not know, or one without values, as EC2 does, before anything is listed.
 *
 * @internal
 * @since 0.2.0
 */
export const checkFilters = <A>(filters: ReadonlyArray<Filter>, fields: FilterFields<A>): Outcome<void> => {
  for (const f of filters) {
    const name = f.Name ?? ''
    const known = Object.prototype.hasOwnProperty.call(fields, name) || name === 'tag-key' || /^tag:./s.test(name)
    if (!known) return left(ec2Error(400, 'InvalidParameterValue', `The filter '${name}' is invalid`))
    if ((f.Values ?? []).length === 0) {
      return left(ec2Error(400, 'InvalidParameterValue', `The filter '${name}' requires at least one value`))
    }
  }
  return right(undefined)
}

/**
 * Whether an entry passes every filter (the filters are ANDed, the values of one filter ORed).
 *
 * @internal
 * @since 0.2.0
 */
export const matchesFilters = <A>(
  filters: ReadonlyArray<Filter>,
  fields: FilterFields<A>,
  entry: A,
  tags: ReadonlyArray<Tag>,
): boolean =>
  filters.every((f) => {
    const name = f.Name ?? ''
    const values = f.Values ?? []
    if (name === 'tag-key') return tags.some((t) => values.some((v) => globMatch(v, t.Key ?? '')))
    if (name.startsWith('tag:')) {
      const key = name.slice('tag:'.length)
      return tags.some((t) => t.Key === key && values.some((v) => globMatch(v, t.Value ?? '')))
    }
    const field = fields[name]
    if (field === undefined) return false
    const actual = field(entry)
    return actual.some((a) => values.some((v) => globMatch(v, a)))
  })

// -------------------------------------------------------------------------------------------------
// pages
// -------------------------------------------------------------------------------------------------

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

/**
 * One page of `entries` (already filtered, in `seq` order). `query` is whatever defines the listing (ids, filters,
 * owners): a token from another query is refused with `InvalidPaginationToken`.
 *
 * @internal
 * @since 0.2.0
 */
export const pageOf = <A extends { readonly seq: number }>(
  entries: ReadonlyArray<A>,
  query: unknown,
  request: { readonly MaxResults?: number | undefined; readonly NextToken?: string | undefined },
  limits: { readonly min: number; readonly max: number },
): Outcome<Page<A>> => {
  const max = request.MaxResults
  if (max !== undefined && (max < limits.min || max > limits.max)) {
    return left(
      ec2Error(
        400,
        'InvalidParameterValue',
        `Value (${max}) for parameter maxResults is invalid. Expecting a value between ${limits.min} and ${limits.max}.`,
      ),
    )
  }
  const q = createHash('sha256').update(JSON.stringify(query)).digest('hex').slice(0, 16)
  let after = 0
  if (request.NextToken !== undefined) {
    const decoded = decodeToken(request.NextToken)
    if (decoded === undefined || decoded.q !== q) {
      return left(ec2Error(400, 'InvalidPaginationToken', `Invalid pagination token: ${request.NextToken}`))
    }
    after = decoded.after
  }
  const rest = entries.filter((e) => e.seq > after)
  // Without MaxResults EC2 answers everything in one page.
  const size = max ?? rest.length
  const items = rest.slice(0, size)
  const last = items[items.length - 1]
  return right(
    rest.length > size && last !== undefined ? { items, nextToken: encodeToken({ q, after: last.seq }) } : { items },
  )
}
