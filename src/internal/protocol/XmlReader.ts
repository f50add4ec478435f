/**
 * The EC2 XML reader: a response body to a decoded result, or to the service's error.
 *
 * Three steps, each honest about the wire:
 * 1. `parseXml`: the element tree fast-xml-parser builds (built once), with every value kept as a string and XML's
 *    own entities (plus numeric character references, above U+FFFF too) decoded, and the indentation between
 *    elements left out; a body that is not well-formed XML is refused, not guessed at. A single-pass scanner
 *    (`XmlScanner.ts`) produces that same tree for the plain XML EC2 sends, with no second pass; whatever it does
 *    not vouch for goes to fast-xml-parser's validator and parser.
 * 2. `classify`: the `<Response><Errors><Error>` envelope is the service's error, whatever the HTTP status;
 *    `<{Action}Response>` is a result; anything else (a proxy's HTML page) is unreadable.
 * 3. `readXml`: walks the result's declaration (`Schema`), forcing lists where the declaration has a list (so an
 *    empty `<tagSet/>` is `[]`), converting strings to the member's type (its kind's `fromXml`, `ScalarKind`),
 *    ignoring elements it does not know and leaving out members that are absent.
 *
 * The AWS Query protocol (`AwsQuery.ts`) reads its responses with the same `parseXml` and `readXml`; only the
 * envelope it classifies differs.
 *
 * @since 0.1.0
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import * as t from 'io-ts'
import { INVALID } from '../schema/ScalarKind.js'
import { asWire, type Member, type WireCodec } from '../schema/Schema.js'
import { scan } from './XmlScanner.js'
import { DECLARATION, detach, isBlank, isSpace, isXmlChar, type XmlNode } from './XmlSyntax.js'

export { detach } from './XmlSyntax.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

export type { XmlNode } from './XmlSyntax.js'

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

/**
 * How fast-xml-parser reads a body here: values kept as the text they are, no namespace prefixes, no declaration or
 * processing instructions, and only XML's own entities (an empty map: no HTML named entities, but numeric references
 * are decoded, with code points). Attributes are left out; a reader that needs them turns them on.
 *
 * @internal
 */
export const XML_PARSER_OPTIONS = {
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: {} as unknown as boolean,
} as const

// The reference reader: fast-xml-parser's validator (strict: it refuses a truncated body, which the parser would
// close silently) and then its parser, built once on first use. It defines what `parseXml` returns; the scanner
// below is only a faster way to the same answer for the bodies EC2 actually sends.
let parser: XMLParser | undefined
const referenceParser = (): XMLParser => (parser ??= new XMLParser(XML_PARSER_OPTIONS))

const TEXT = '#text'

// What fast-xml-parser's validator lets through and XML 1.0 does not. EC2 sends none of it; a body with any of it
// is not EC2's, and guessing at it (keeping `&foo;` as text, dropping `&#0;`) would be an answer made up.
const MARKUP = /<!--([\s\S]*?)-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?([^\s?]*)[\s\S]*?\?>|<!DOCTYPE|&([^;&<\s]{0,32})(;?)|\]\]>/g
const NAMED_REFERENCE: ReadonlySet<string> = new Set(['lt', 'gt', 'amp', 'apos', 'quot'])

// An attribute value with a raw `<` (XML 1.0 §3.1, WFC: No < in Attribute Values).
const LT_IN_ATTRIBUTE = /<[A-Za-z_][^<>]*?\s[\w:.-]+\s*=\s*(?:"[^"]*<|'[^']*<)/

// The body without what XML lets follow the root element (whitespace, comments, processing instructions).
const withoutTrailingMisc = (body: string): string => {
  let s = body.trimEnd()
  for (;;) {
    const start = s.endsWith('-->') ? s.lastIndexOf('<!--') : s.endsWith('?>') ? s.lastIndexOf('<?') : -1
    if (start <= 0) return s
    s = s.slice(0, start).trimEnd()
  }
}

// Where the root element starts: past what XML lets precede it (a byte order mark, XML's whitespace, the declaration,
// comments, processing instructions); -1 when something else comes first.
const rootStart = (body: string): number => {
  let i = body.charCodeAt(0) === 0xfeff ? 1 : 0
  for (;;) {
    while (i < body.length && isSpace(body.charCodeAt(i))) i++
    const end = body.startsWith('<?', i) ? body.indexOf('?>', i + 2) + 2 : body.startsWith('<!--', i) ? body.indexOf('-->', i + 4) + 3 : i
    if (end === i) break
    if (end < i) return -1
    i = end
  }
  const next = body[i + 1]
  return body[i] === '<' && next !== undefined && next !== '!' && next !== '?' && next !== '/' ? i : -1
}

// The root element's last tag: an end tag, or an empty-element tag (whose quoted attribute values may hold `>`).
const ROOT_END_TAG = /^(?:<\/[^<>]+>|<[^<>"']*(?:(?:"[^"]*"|'[^']*')[^<>"']*)*\/>)$/

const notWellFormed = (body: string): string | undefined => {
  // The validator lets a stray `>` follow an empty root element (`<a/>>`): what ends the body must be a tag.
  const rest = withoutTrailingMisc(body)
  if (!ROOT_END_TAG.test(rest.slice(rest.lastIndexOf('<')))) return 'content after the root element'
  if (LT_IN_ATTRIBUTE.test(body)) return 'a "<" in an attribute value'
  MARKUP.lastIndex = 0
  for (let m = MARKUP.exec(body); m !== null; m = MARKUP.exec(body)) {
    const [all, comment, piTarget, ref, semi] = m
    if (comment !== undefined) {
      if (comment.includes('--') || comment.endsWith('-')) return 'a comment holds "--"'
    } else if (all.startsWith('<![CDATA[')) {
      continue
    } else if (piTarget !== undefined) {
      if (!/^[A-Za-z_:][\w.:-]*$/.test(piTarget)) return 'a processing instruction without a valid target'
      if (piTarget.toLowerCase() === 'xml') {
        if (m.index !== 0) return 'an XML declaration that is not at the start'
        if (!DECLARATION.test(all)) return 'a malformed XML declaration'
      }
    } else if (all === '<!DOCTYPE') {
      // also shuts the door on entity declarations (XXE, billion laughs)
      return 'a document type declaration'
    } else if (all === ']]>') {
      return '"]]>" in character data'
    } else if (ref !== undefined) {
      if (semi !== ';') return 'an "&" that starts no reference'
      if (NAMED_REFERENCE.has(ref)) continue
      const numeric = /^#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}))$/.exec(ref)
      const cp = numeric === null ? NaN : numeric[1] !== undefined ? parseInt(numeric[1], 16) : Number(numeric[2])
      if (Number.isNaN(cp)) return `an undeclared entity "&${ref};"`
      if (!isXmlChar(cp)) return `a reference to a character XML does not allow ("&${ref};")`
    }
  }
  // The validator lets CDATA stand before the root element (`<![CDATA[]]><a/>`): what starts the body must be a tag.
  if (rootStart(body) === -1) return 'content before the root element'
  return undefined
}

// XML 1.0's `Char`: no C0 controls but tab and line ends, no surrogates (paired ones are fine: they make one
// character), no U+FFFE/U+FFFF.
const NOT_XML_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

// The tree's one rule that fast-xml-parser does not apply itself: an element with child elements keeps its text only
// when that text is not all whitespace. Indentation between elements is not content.
const dropBlankText = (node: XmlNode): XmlNode => {
  if (typeof node === 'string') return node
  const n = node as Record<string, XmlNode | Array<XmlNode>>
  for (const key of Object.keys(n)) {
    const v = n[key]!
    if (key === TEXT) {
      if (typeof v === 'string' && isBlank(v) && Object.keys(n).length > 1) delete n[key]
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = dropBlankText(v[i]!)
    } else {
      n[key] = dropBlankText(v)
    }
  }
  return n
}

const parseReference = (body: string): t.Validation<Record<string, XmlNode>> | { readonly _tag: 'NotXml'; readonly reason: string } => {
  const strict = notWellFormed(body)
  if (strict !== undefined) return { _tag: 'NotXml', reason: `not well-formed XML: ${strict}` }
  const valid = XMLValidator.validate(body)
  if (valid !== true) return { _tag: 'NotXml', reason: `not well-formed XML: ${valid.err.msg} (line ${valid.err.line})` }
  try {
    return t.success(dropBlankText(referenceParser().parse(body) as XmlNode) as Record<string, XmlNode>)
  } catch (e) {
    return { _tag: 'NotXml', reason: `not well-formed XML: ${e instanceof Error ? e.message : String(e)}` }
  }
}

/**
 * The two readers `parseXml` chooses between, for the test that the scanner builds exactly the reference's tree.
 *
 * @internal
 */
export const xmlReaders = { scan, reference: parseReference } as const

/**
 * Parse a body into an element tree, or say why it is not XML.
 *
 * @internal
 */
export const parseXml = (body: string): t.Validation<Record<string, XmlNode>> | { readonly _tag: 'NotXml'; readonly reason: string } => {
  // (A body that starts with `<` is not blank; `trim` would copy a large one only to say so.)
  if (body.charCodeAt(0) !== 60 && body.trim() === '') return { _tag: 'NotXml', reason: 'the body is empty' }
  if (NOT_XML_CHAR.test(body)) return { _tag: 'NotXml', reason: 'not well-formed XML: a character XML does not allow' }
  // The reference normalizes line ends (`\r\n` and `\r` to `\n`) before it parses, and so does the scanner.
  const doc = scan(body.indexOf('\r') === -1 ? body : body.replace(/\r\n?/g, '\n'))
  return doc === undefined ? parseReference(body) : t.success(doc)
}

/**
 * `detach`, for a string that may be absent.
 *
 * @internal
 * @since 0.2.0
 */
export const detachOpt = (s: string | undefined): string | undefined => (s === undefined ? undefined : detach(s))

const isElement = (n: unknown): n is { readonly [name: string]: XmlNode | ReadonlyArray<XmlNode> } =>
  typeof n === 'object' && n !== null && !Array.isArray(n)

/**
 * The text of an element (`''` for an empty one), or `undefined` when it has child elements instead.
 *
 * @internal
 * @since 0.2.0
 */
export const textOf = (n: unknown): string | undefined => {
  if (typeof n === 'string') return n
  if (isElement(n)) {
    const text = n[TEXT]
    if (typeof text === 'string') return text
    // an element with no text child at all is empty
    return Object.keys(n).length === 0 ? '' : undefined
  }
  return undefined
}

/**
 * The child elements of `n` named `name`: one node, an array when the name repeats, `undefined` when absent.
 *
 * @internal
 * @since 0.2.0
 */
export const child = (n: XmlNode | undefined, name: string): XmlNode | ReadonlyArray<XmlNode> | undefined =>
  isElement(n) ? n[name] : undefined

/**
 * The first of what `child` returns.
 *
 * @internal
 * @since 0.2.0
 */
export const first = (n: XmlNode | ReadonlyArray<XmlNode> | undefined): XmlNode | undefined =>
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
    const requestId = detachOpt(textOf(first(child(root, 'RequestID') ?? child(root, 'RequestId') ?? child(root, 'requestId'))))
    const code = detachOpt(textOf(first(child(error, 'Code'))))
    if (code === undefined || code === '') {
      return { _tag: 'Unreadable', reason: `a <${rootName}> without an error code`, requestId }
    }
    return { _tag: 'ServiceError', code, message: detachOpt(textOf(first(child(error, 'Message')))) ?? '', requestId }
  }
  const requestId = detachOpt(textOf(first(child(root, 'requestId') ?? child(root, 'RequestId'))))
  if (rootName !== `${action}Response`) {
    return { _tag: 'Unreadable', reason: `expected <${action}Response>, found <${rootName}>`, requestId }
  }
  return { _tag: 'Result', node: root === undefined ? '' : (root as XmlNode), requestId }
}

// -------------------------------------------------------------------------------------------------
// read
// -------------------------------------------------------------------------------------------------

// A path kept as a linked list, turned into an io-ts context only when something fails. A scalar's own link is made
// only when it fails (its parent, key and codec are passed instead), so the common case allocates nothing per scalar
// member or item; a list index stays a number until then.
interface Path {
  readonly parent: Path | undefined
  readonly key: string | number
  readonly codec: t.Decoder<unknown, unknown>
}

const contextOf = (path: Path | undefined, actual: unknown): t.Context => {
  const entries: Array<t.ContextEntry> = []
  for (let p = path; p !== undefined; p = p.parent) entries.push({ key: String(p.key), type: p.codec, actual })
  return entries.reverse()
}

type Errors = Array<t.ValidationError>

const fail = (errors: Errors, path: Path | undefined, actual: unknown, message: string): undefined => {
  errors.push({ value: actual, context: contextOf(path, actual), message })
  return undefined
}

// `parent`, `key` and `pathCodec` are the scalar's path, made into a `Path` only on failure.
const readScalar = (
  codec: WireCodec & { readonly _tag: 'ScalarType' },
  node: unknown,
  parent: Path | undefined,
  key: string | number,
  pathCodec: t.Decoder<unknown, unknown>,
  errors: Errors,
): unknown => {
  const s = textOf(node)
  if (s === undefined) return fail(errors, { parent, key, codec: pathCodec }, node, 'expected text, found elements')
  const v = codec.rules.fromXml(s)
  if (v === INVALID) return fail(errors, { parent, key, codec: pathCodec }, s, codec.rules.textExpected)
  // A string read is the body's own text: detached, so keeping it does not keep the body.
  return typeof v === 'string' ? detach(v) : v
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
  if (item._tag === 'ScalarType') {
    for (let i = 0; i < nodes.length; i++) out[i] = readScalar(item, nodes[i], path, i, item, errors)
  } else {
    for (let i = 0; i < nodes.length; i++) out[i] = read(item, nodes[i], { parent: path, key: i, codec: item }, errors)
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
    out[detach(key)] = read(value, first(child(entry, codec.valueName)) ?? '', { parent: path, key, codec: value }, errors)
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
      return readScalar(codec, node, path.parent, path.key, path.codec, errors)
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
        if (typeof node === 'string' && node.trim() === '') {
          for (const m of codec.members) if (m.required) fail(errors, { parent: path, key: m.name, codec: m.codec }, undefined, `<${m.xmlName}> is missing`)
          return out
        }
        return fail(errors, path, node, `expected the elements of ${codec.name}`)
      }
      const members = codec.members
      for (let i = 0; i < members.length; i++) {
        const m = members[i]!
        const raw = node[m.xmlName]
        if (raw === undefined) {
          // A member the service always sends (a task's id) is typed as present; its absence is a broken response.
          if (m.required) fail(errors, { parent: path, key: m.name, codec: m.codec }, undefined, `<${m.xmlName}> is missing`)
          continue
        }
        const mc = asWire(m.codec)
        // A scalar member that appears once is read in place; anything else through `readMember`, with its path.
        const v =
          mc._tag === 'ScalarType' && !Array.isArray(raw)
            ? readScalar(mc, raw, path, m.name, m.codec, errors)
            : readMember(m, node, { parent: path, key: m.name, codec: m.codec }, errors)
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
