/**
 * The EC2 XML reader: a response body to a decoded result, or to the service's error.
 *
 * Three steps, each honest about the wire:
 * 1. `parseXml`: fast-xml-parser, built once, with every value kept as a string and XML's own entities (plus
 *    numeric character references, above U+FFFF too) decoded; a body that is not well-formed XML is refused, not
 *    guessed at.
 * 2. `classify`: the `<Response><Errors><Error>` envelope is the service's error, whatever the HTTP status;
 *    `<{Action}Response>` is a result; anything else (a proxy's HTML page) is unreadable.
 * 3. `readXml`: walks the result's declaration (`Schema`), forcing lists where the declaration has a list (so an
 *    empty `<tagSet/>` is `[]`), converting strings to the member's type, ignoring elements it does not know and
 *    leaving out members that are absent.
 *
 * @since 0.1.0
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import * as t from 'io-ts'
import { asWire, type Member, type WireCodec } from './Schema.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A parsed XML element: its text, or its children by name (repeated children as an array).
 *
 * @internal
 */
export type XmlNode = string | { readonly [name: string]: XmlNode | ReadonlyArray<XmlNode> }

/**
 * What a response body turned out to be.
 *
 * @internal
 */
export type Classified =
  | { readonly _tag: 'Result'; readonly node: XmlNode; readonly requestId: string | undefined }
  | {
      readonly _tag: 'ServiceError'
      readonly code: string
      readonly message: string
      readonly requestId: string | undefined
    }
  | { readonly _tag: 'Unreadable'; readonly reason: string; readonly requestId: string | undefined }

// -------------------------------------------------------------------------------------------------
// parse
// -------------------------------------------------------------------------------------------------

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  // An empty map: no HTML named entities (XML has five), but numeric references are decoded, with code points.
  htmlEntities: {} as unknown as boolean,
})

const TEXT = '#text'

/**
 * Parse a body into an element tree, or say why it is not XML.
 *
 * @internal
 */
export const parseXml = (body: string): t.Validation<Record<string, XmlNode>> | { readonly _tag: 'NotXml'; readonly reason: string } => {
  if (body.trim() === '') return { _tag: 'NotXml', reason: 'the body is empty' }
  // fast-xml-parser's parser is lenient (it closes what a truncated body left open); its validator is not.
  const valid = XMLValidator.validate(body)
  if (valid !== true) return { _tag: 'NotXml', reason: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` }
  try {
    return t.success(parser.parse(body) as Record<string, XmlNode>)
  } catch (e) {
    return { _tag: 'NotXml', reason: `not well-formed XML: ${e instanceof Error ? e.message : String(e)}` }
  }
}

const isElement = (n: unknown): n is { readonly [name: string]: XmlNode | ReadonlyArray<XmlNode> } =>
  typeof n === 'object' && n !== null && !Array.isArray(n)

const textOf = (n: unknown): string | undefined => {
  if (typeof n === 'string') return n
  if (isElement(n)) {
    const text = n[TEXT]
    if (typeof text === 'string') return text
    // an element with no text child at all is empty
    return Object.keys(n).length === 0 ? '' : undefined
  }
  return undefined
}

const child = (n: XmlNode | undefined, name: string): XmlNode | ReadonlyArray<XmlNode> | undefined =>
  isElement(n) ? n[name] : undefined

const first = (n: XmlNode | ReadonlyArray<XmlNode> | undefined): XmlNode | undefined =>
  Array.isArray(n) ? (n as ReadonlyArray<XmlNode>)[0] : (n as XmlNode | undefined)

// -------------------------------------------------------------------------------------------------
// classify
// -------------------------------------------------------------------------------------------------

/**
 * Sort a parsed body into a result of `action`, the service's error, or something unreadable.
 *
 * @internal
 */
export const classify = (doc: Record<string, XmlNode>, action: string): Classified => {
  const roots = Object.keys(doc)
  if (roots.length !== 1) return { _tag: 'Unreadable', reason: 'expected one root element', requestId: undefined }
  const rootName = roots[0]!
  const root = doc[rootName]
  if (rootName === 'Response' || rootName === 'ErrorResponse') {
    const errors = child(root, 'Errors')
    const error = first(errors === undefined ? child(root, 'Error') : child(first(errors), 'Error'))
    const requestId = textOf(first(child(root, 'RequestID') ?? child(root, 'RequestId') ?? child(root, 'requestId')))
    const code = textOf(first(child(error, 'Code')))
    if (code === undefined || code === '') {
      return { _tag: 'Unreadable', reason: `a <${rootName}> without an error code`, requestId }
    }
    return { _tag: 'ServiceError', code, message: textOf(first(child(error, 'Message'))) ?? '', requestId }
  }
  const requestId = textOf(first(child(root, 'requestId') ?? child(root, 'RequestId')))
  if (rootName !== `${action}Response`) {
    return { _tag: 'Unreadable', reason: `expected <${action}Response>, found <${rootName}>`, requestId }
  }
  return { _tag: 'Result', node: root === undefined ? '' : (root as XmlNode), requestId }
}

// -------------------------------------------------------------------------------------------------
// read
// -------------------------------------------------------------------------------------------------

// A path kept as a linked list, turned into an io-ts context only when something fails: the common case allocates
// nothing per member.
interface Path {
  readonly parent: Path | undefined
  readonly key: string
  readonly codec: t.Decoder<unknown, unknown>
}

const contextOf = (path: Path | undefined, actual: unknown): t.Context => {
  const entries: Array<t.ContextEntry> = []
  for (let p = path; p !== undefined; p = p.parent) entries.push({ key: p.key, type: p.codec, actual })
  return entries.reverse()
}

type Errors = Array<t.ValidationError>

const fail = (errors: Errors, path: Path | undefined, actual: unknown, message: string): undefined => {
  errors.push({ value: actual, context: contextOf(path, actual), message })
  return undefined
}

const INTEGER = /^[+-]?\d+$/
const EPOCH = /^[+-]?\d+(\.\d+)?$/

const readScalar = (
  codec: WireCodec & { readonly _tag: 'ScalarType' },
  node: unknown,
  path: Path,
  errors: Errors,
): unknown => {
  const s = textOf(node)
  if (s === undefined) return fail(errors, path, node, 'expected text, found elements')
  switch (codec.kind) {
    case 'string':
      return s
    case 'character':
      return s
    case 'boolean': {
      const v = s.trim()
      if (v === 'true') return true
      if (v === 'false') return false
      return fail(errors, path, s, 'expected true or false')
    }
    case 'integer':
    case 'long': {
      const v = s.trim()
      return INTEGER.test(v) ? Number(v) : fail(errors, path, s, 'expected an integer')
    }
    case 'float':
    case 'double': {
      const v = s.trim()
      if (v === 'NaN') return NaN
      if (v === 'Infinity') return Infinity
      if (v === '-Infinity') return -Infinity
      const n = v === '' ? NaN : Number(v)
      return Number.isNaN(n) ? fail(errors, path, s, 'expected a number') : n
    }
    case 'timestamp': {
      const v = s.trim()
      const d = EPOCH.test(v) ? new Date(Number(v) * 1000) : new Date(v)
      return Number.isNaN(d.getTime()) ? fail(errors, path, s, 'expected a timestamp') : d
    }
    case 'blob':
      return new Uint8Array(Buffer.from(s.trim(), 'base64'))
  }
}

const asArray = (n: XmlNode | ReadonlyArray<XmlNode> | undefined): ReadonlyArray<XmlNode> =>
  n === undefined ? [] : Array.isArray(n) ? (n as ReadonlyArray<XmlNode>) : [n as XmlNode]

const readItems = (
  item: WireCodec,
  nodes: ReadonlyArray<XmlNode>,
  path: Path,
  errors: Errors,
): Array<unknown> => {
  const out: Array<unknown> = new Array(nodes.length)
  for (let i = 0; i < nodes.length; i++) {
    out[i] = read(item, nodes[i], { parent: path, key: String(i), codec: item }, errors)
  }
  return out
}

const readEntries = (
  codec: WireCodec & { readonly _tag: 'MapType' },
  entries: ReadonlyArray<XmlNode>,
  path: Path,
  errors: Errors,
): Record<string, unknown> => {
  const value = asWire(codec.value)
  const out: Record<string, unknown> = {}
  for (const entry of entries) {
    const key = textOf(first(child(entry, codec.keyName)))
    if (key === undefined) {
      fail(errors, path, entry, `a map entry without <${codec.keyName}>`)
      continue
    }
    out[key] = read(value, first(child(entry, codec.valueName)) ?? '', { parent: path, key, codec: value }, errors)
  }
  return out
}

const readMember = (m: Member, node: XmlNode, path: Path, errors: Errors): unknown => {
  const codec = asWire(m.codec)
  const raw = child(node, m.xmlName)
  if (m.flattened) {
    // A flattened list or map repeats its element right here, with no wrapper.
    if (codec._tag === 'ListType') return readItems(asWire(codec.item), asArray(raw), path, errors)
    if (codec._tag === 'MapType') return readEntries(codec, asArray(raw), path, errors)
  }
  if (Array.isArray(raw)) {
    return fail(errors, path, raw, `<${m.xmlName}> appears ${raw.length} times`)
  }
  return read(codec, raw as XmlNode, path, errors)
}

const read = (codec: WireCodec, node: XmlNode | undefined, path: Path, errors: Errors): unknown => {
  switch (codec._tag) {
    case 'ScalarType':
      return readScalar(codec, node, path, errors)
    case 'ListType': {
      // `<tagSet/>` and whitespace-only wrappers are empty lists; a single item is still a list.
      const items = asArray(child(node, codec.itemName))
      return readItems(asWire(codec.item), items, path, errors)
    }
    case 'MapType':
      return readEntries(codec, asArray(child(node, 'entry')), path, errors)
    case 'StructType': {
      const out: Record<string, unknown> = {}
      if (!isElement(node)) {
        // `<userBucket/>`: present, with no members. Text where elements belong is not this shape.
        if (typeof node === 'string' && node.trim() === '') return out
        return fail(errors, path, node, `expected the elements of ${codec.name}`)
      }
      for (const m of codec.members) {
        if (node[m.xmlName] === undefined) continue
        const v = readMember(m, node, { parent: path, key: m.name, codec: m.codec }, errors)
        if (v !== undefined) out[m.name] = v
      }
      return out
    }
  }
}

/**
 * Read an element tree as the value a declaration describes, or say where it does not fit.
 *
 * @internal
 */
export const readXml = (codec: WireCodec, node: XmlNode): t.Validation<unknown> => {
  const errors: Errors = []
  const value = read(codec, node, { parent: undefined, key: '', codec }, errors)
  return errors.length > 0 ? t.failures(errors) : t.success(value)
}
