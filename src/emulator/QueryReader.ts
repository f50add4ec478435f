/**
 * The EC2 Query reader: a form body back into the request value it was serialized from.
 *
 * The inverse of `QuerySerializer`, walking the same declarations (`Schema`): a member is found under its query
 * name, a list under its 1-based flattened indices (`DiskContainer.1.UserBucket.S3Bucket`), a scalar is converted
 * as EC2 reads its wire kind (`fromQuery` in `ScalarKind`). What the declaration does not know is refused as EC2
 * refuses it, `UnknownParameter`, so a misspelt member cannot be dropped without a word. The value produced is the
 * *domain* value, ready for the operation's codec (`validateRequest`), which checks everything else.
 *
 * @since 0.1.0
 */
import { INVALID } from '../internal/schema/ScalarKind.js'
import { asWire, type Member, type WireCodec } from '../internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * Why a form body could not be read: an EC2 error code and message.
 *
 * @internal
 * @since 0.1.0
 */
export interface QueryProblem {
  readonly status: number
  readonly code: 'UnknownParameter' | 'InvalidParameterValue' | 'MalformedQueryString'
  readonly message: string
}

/**
 * The outcome of reading: the value, or the first problem met.
 *
 * @internal
 * @since 0.1.0
 */
export type QueryResult<A> =
  | { readonly _tag: 'Right'; readonly right: A }
  | { readonly _tag: 'Left'; readonly left: QueryProblem }

// A parameter tree: `DiskContainer.1.Format=VMDK` becomes DiskContainer -> 1 -> Format = 'VMDK'.
interface Node {
  value: string | undefined
  readonly children: Map<string, Node>
  /** The first full parameter name under this node, to name in an error. */
  readonly key: string
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const left = (code: QueryProblem['code'], message: string, status = 400): QueryResult<never> => ({
  _tag: 'Left',
  left: { status, code, message },
})
const right = <A>(a: A): QueryResult<A> => ({ _tag: 'Right', right: a })

const unknown = (key: string) => left('UnknownParameter', `The parameter ${key} is not recognized`)
const invalid = (key: string, value: string, why: string) =>
  left('InvalidParameterValue', `Value (${value}) for parameter ${key} is invalid. ${why}`)

/**
 * Decode an `application/x-www-form-urlencoded` string (a body or a URL query) into its pairs, in order.
 *
 * @internal
 * @since 0.1.0
 */
export const parseForm = (form: string): QueryResult<Array<readonly [string, string]>> => {
  const out: Array<readonly [string, string]> = []
  for (const part of form.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawKey = eq === -1 ? part : part.slice(0, eq)
    const rawValue = eq === -1 ? '' : part.slice(eq + 1)
    try {
      out.push([decodeURIComponent(rawKey.replace(/\+/g, ' ')), decodeURIComponent(rawValue.replace(/\+/g, ' '))])
    } catch {
      // EC2 documents MalformedQueryString with HTTP 404 (CommonErrors).
      return left('MalformedQueryString', `The query string contains an invalid escape sequence: ${rawKey}`, 404)
    }
  }
  return right(out)
}

const buildTree = (params: ReadonlyArray<readonly [string, string]>): QueryResult<Node> => {
  const root: Node = { value: undefined, children: new Map(), key: '' }
  for (const [key, value] of params) {
    let node = root
    for (const seg of key.split('.')) {
      let next = node.children.get(seg)
      if (next === undefined) {
        next = { value: undefined, children: new Map(), key }
        node.children.set(seg, next)
      }
      node = next
    }
    if (node.value !== undefined) {
      return left('InvalidParameterValue', `The parameter ${key} is given more than once`)
    }
    node.value = value
  }
  return right(root)
}

// A scalar is read as EC2 reads its kind (`fromQuery`), and refused in EC2's words when it is none.
const readScalar = (
  codec: WireCodec & { readonly _tag: 'ScalarType' },
  node: Node,
  key: string,
): QueryResult<unknown> => {
  const first = node.children.values().next()
  if (!first.done) return unknown(first.value.key)
  const v = node.value ?? ''
  const r = codec.rules.fromQuery(v)
  return r === INVALID ? invalid(key, v, codec.rules.queryExpected) : right(r)
}

const read = (codec: WireCodec, node: Node, key: string): QueryResult<unknown> => {
  switch (codec._tag) {
    case 'ScalarType':
      return readScalar(codec, node, key)
    case 'ListType': {
      // EC2 flattens every list: `Name.1`, `Name.2`. A bare `Name=…` or `Name.x` is not a parameter of it.
      if (node.value !== undefined) return unknown(key)
      const entries: Array<[number, Node]> = []
      for (const [seg, child] of node.children) {
        if (!/^[1-9]\d{0,5}$/.test(seg)) return unknown(child.key)
        entries.push([Number(seg), child])
      }
      entries.sort((a, b) => a[0] - b[0])
      const item = asWire(codec.item)
      const out: Array<unknown> = []
      for (const [i, child] of entries) {
        const r = read(item, child, `${key}.${i}`)
        if (r._tag === 'Left') return r
        out.push(r.right)
      }
      return right(out)
    }
    case 'MapType': {
      // No EC2 input has a map; read the Query protocol's `Name.entry.N.key/value` for completeness.
      if (node.value !== undefined) return unknown(key)
      const entries = node.children.get('entry')
      const extra = [...node.children.keys()].find((k) => k !== 'entry')
      if (extra !== undefined) return unknown(node.children.get(extra)!.key)
      const out: Record<string, unknown> = {}
      for (const [seg, entry] of entries?.children ?? []) {
        const k = entry.children.get(codec.keyName)?.value
        const v = entry.children.get(codec.valueName)
        if (k === undefined || v === undefined) return unknown(`${key}.entry.${seg}`)
        const r = read(asWire(codec.value), v, `${key}.entry.${seg}.${codec.valueName}`)
        if (r._tag === 'Left') return r
        out[k] = r.right
      }
      return right(out)
    }
    case 'StructType': {
      if (node.value !== undefined && key !== '') return unknown(key)
      const out: Record<string, unknown> = {}
      const known = new Set<string>()
      for (const m of codec.members) {
        known.add(m.queryName)
        const child = node.children.get(m.queryName)
        if (child === undefined) continue
        const r = read(asWire(m.codec), child, key === '' ? m.queryName : `${key}.${m.queryName}`)
        if (r._tag === 'Left') return r
        out[m.name] = r.right
      }
      for (const [seg, child] of node.children) {
        if (!known.has(seg)) return unknown(child.key)
      }
      return right(out)
    }
  }
}

// -------------------------------------------------------------------------------------------------
// reader
// -------------------------------------------------------------------------------------------------

/**
 * Read query parameters (without `Action` and `Version`) as the value `codec` declares, or the first parameter
 * EC2 would refuse.
 *
 * @internal
 * @since 0.1.0
 */
export const readQuery = (codec: WireCodec, params: ReadonlyArray<readonly [string, string]>): QueryResult<unknown> => {
  const tree = buildTree(params)
  return tree._tag === 'Left' ? tree : read(codec, tree.right, '')
}

/**
 * The query name of a member path of the domain value (`DiskContainers.0.UserBucket` →
 * `DiskContainer.1.UserBucket`), so an error names the parameter the caller actually sent.
 *
 * @internal
 * @since 0.1.0
 */
export const queryPathOf = (codec: WireCodec, domainPath: string): string => {
  if (domainPath === '') return ''
  const out: Array<string> = []
  let c: WireCodec | undefined = codec
  for (const seg of domainPath.split('.')) {
    if (c?._tag === 'StructType') {
      const m: Member | undefined = c.members.find((x) => x.name === seg)
      out.push(m?.queryName ?? seg)
      c = m === undefined ? undefined : asWire(m.codec)
    } else if (c?._tag === 'ListType' && /^\d+$/.test(seg)) {
      out.push(String(Number(seg) + 1))
      c = asWire(c.item)
    } else {
      out.push(seg)
      c = undefined
    }
  }
  return out.join('.')
}
