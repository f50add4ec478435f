/**
 * The EC2 XML reader: a response body to a decoded result, or to the service's error.
 *
 * Three steps, each honest about the wire:
 * 1. `parseXml`: the element tree fast-xml-parser builds (built once), with every value kept as a string and XML's
 *    own entities (plus numeric character references, above U+FFFF too) decoded, and the indentation between
 *    elements left out; a body that is not well-formed XML is refused, not guessed at. A single-pass scanner
 *    produces that same tree for the plain XML EC2 sends, with no second pass; whatever it does not vouch for goes
 *    to fast-xml-parser's validator and parser.
 * 2. `classify`: the `<Response><Errors><Error>` envelope is the service's error, whatever the HTTP status;
 *    `<{Action}Response>` is a result; anything else (a proxy's HTML page) is unreadable.
 * 3. `readXml`: walks the result's declaration (`Schema`), forcing lists where the declaration has a list (so an
 *    empty `<tagSet/>` is `[]`), converting strings to the member's type, ignoring elements it does not know and
 *    leaving out members that are absent.
 *
 * The AWS Query protocol (`AwsQuery.ts`) reads its responses with the same `parseXml` and `readXml`; only the
 * envelope it classifies differs.
 *
 * @since 0.1.0
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import * as t from 'io-ts'
import { asWire, type Member, type WireCodec } from '../schema/Schema.js'

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

// The reference reader: fast-xml-parser's validator (strict: it refuses a truncated body, which the parser would
// close silently) and then its parser, built once on first use. It defines what `parseXml` returns; the scanner
// below is only a faster way to the same answer for the bodies EC2 actually sends.
let parser: XMLParser | undefined
const referenceParser = (): XMLParser =>
  (parser ??= new XMLParser({
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
  }))

const TEXT = '#text'

// What fast-xml-parser's validator lets through and XML 1.0 does not. EC2 sends none of it; a body with any of it
// is not EC2's, and guessing at it (keeping `&foo;` as text, dropping `&#0;`) would be an answer made up.
const MARKUP = /<!--([\s\S]*?)-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?([^\s?]*)[\s\S]*?\?>|<!DOCTYPE|&([^;&<\s]{0,32})(;?)|\]\]>/g
const NAMED_REFERENCE: ReadonlySet<string> = new Set(['lt', 'gt', 'amp', 'apos', 'quot'])

// An attribute value with a raw `<` (XML 1.0 §3.1, WFC: No < in Attribute Values).
const LT_IN_ATTRIBUTE = /<[A-Za-z_][^<>]*?\s[\w:.-]+\s*=\s*(?:"[^"]*<|'[^']*<)/

const notWellFormed = (body: string): string | undefined => {
  const end = body.lastIndexOf('>')
  if (body.slice(end + 1).trim() !== '') return 'content after the root element'
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

// The fast path: one pass over the body, no regex, text taken as slices, building the very tree the reference
// builds (a leaf's text, or its children by name with repeats as arrays and any text that is not all whitespace
// under `#text`; `""` for an empty element; namespace prefixes removed; attributes, the declaration and the
// whitespace around the root dropped). test/XmlReader.test.ts checks that the two agree. It accepts only a strict
// subset of XML, one the reference also accepts:
//   - an optional `<?xml version="1.0" …?>` at the very start, then one root element and whitespace around it;
//   - ASCII names (`[A-Za-z_][\w.-]*`, one optional `prefix:`), none that fast-xml-parser renames or refuses;
//   - attributes `name="…"`/`name='…'`, each preceded by whitespace, no name twice;
//   - text in which `&` starts `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` or a reference to an XML 1.0 `Char`;
//   - at most MAX_DEPTH open elements.
// Anything else (a comment, CDATA, a DOCTYPE, a processing instruction, a truncated or mismatched body, an entity it
// does not know) returns `undefined`, and the reference reader decides, with its own result and error message.
// The scanner never says "not XML" itself, so it cannot refuse a body the reference accepts; where it accepts, it
// has checked at least what the validator checks (names, attribute syntax and uniqueness, `&`, nesting, one root,
// nothing but whitespace outside it), so it cannot accept a body the reference refuses.

const MAX_DEPTH = 64

// The scanner's text values are slices of the body, and V8 makes a slice of 13 characters or more a view into its
// parent string: one such value kept by the caller (a task id) would keep the whole body (megabytes, for a page of
// tasks) alive. Every string that leaves the reader is detached first: a flat copy of its own characters.
// (`padStart` writes a new flat string, and the slice of it keeps only that; half the cost of `(' ' + s).slice(1)`.)
/**
 * A flat copy of a string read from a body, so that keeping it does not keep the whole body alive (see above).
 *
 * @internal
 * @since 0.2.0
 */
export const detach = (s: string): string => (s.length < 13 ? s : s.padStart(s.length + 1).slice(1))

// Names fast-xml-parser refuses (`__proto__`, `constructor`, `prototype`) or renames (`toString` → `__toString`).
const RESERVED_NAMES: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
])

// Character classes of the ASCII names the scanner reads: 1 may start a name, 2 may continue one.
const NAME_CHAR = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z_]/.test(ch)) NAME_CHAR[c] = 1
  else if (/[0-9.-]/.test(ch)) NAME_CHAR[c] = 2
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13

const isBlank = (s: string): boolean => {
  for (let k = 0; k < s.length; k++) if (!isSpace(s.charCodeAt(k))) return false
  return true
}

// `<?xml version="1.0" encoding="…" standalone="…"?>`, as the reference reads it (attributes ignored).
const DECLARATION = /^<\?xml\s+version\s*=\s*(["'])1\.0\1(\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?(\s+standalone\s*=\s*(["'])(yes|no)\5)?\s*\?>/

const hasOwn = Object.prototype.hasOwnProperty

const isXmlChar = (cp: number): boolean =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)

// The text of `s` with its references decoded, as fast-xml-parser's decoder does for the ones accepted here.
const decodeText = (s: string, amp: number): string | undefined => {
  let out = ''
  let last = 0
  while (amp !== -1) {
    const semi = s.indexOf(';', amp + 1)
    if (semi === -1 || semi - amp > 32) return undefined
    out += s.slice(last, amp)
    if (s.charCodeAt(amp + 1) === 35 /* # */) {
      const hex = s.charCodeAt(amp + 2) === 120 /* x */
      const from = hex ? amp + 3 : amp + 2
      if (from === semi) return undefined
      let cp = 0
      for (let k = from; k < semi; k++) {
        const c = s.charCodeAt(k)
        let d: number
        if (c >= 48 && c <= 57) d = c - 48
        else if (hex && c >= 97 && c <= 102) d = c - 87
        else if (hex && c >= 65 && c <= 70) d = c - 55
        else return undefined
        cp = cp * (hex ? 16 : 10) + d
        if (cp > 0x10ffff) return undefined
      }
      if (!isXmlChar(cp)) return undefined
      out += String.fromCodePoint(cp)
    } else {
      switch (s.slice(amp + 1, semi)) {
        case 'amp':
          out += '&'
          break
        case 'lt':
          out += '<'
          break
        case 'gt':
          out += '>'
          break
        case 'quot':
          out += '"'
          break
        case 'apos':
          out += "'"
          break
        default:
          return undefined
      }
    }
    last = semi + 1
    amp = s.indexOf('&', last)
  }
  return out + s.slice(last)
}

// Element names seen before, by length and first character: a name the scanner has met costs a comparison, not a
// new string (nor hashing it again to use it as a key). Only names that passed the checks below get in, and the
// cache stops growing at NAME_CACHE_LIMIT names, so a body full of made-up names cannot make it grow without bound.
interface Name {
  readonly raw: string
  readonly key: string
}
const NAME_CACHE_LIMIT = 2048
const nameCache = new Map<number, Array<Name>>()
let nameCacheSize = 0

// The name at x[start, end) (`colon` is its `:` or -1), from the cache or checked and added to it; `undefined` for
// a name the scanner leaves to the reference.
const nameAt = (x: string, start: number, end: number, colon: number): Name | undefined => {
  const id = (end - start) * 128 + x.charCodeAt(start)
  const bucket = nameCache.get(id)
  if (bucket !== undefined) {
    for (let k = 0; k < bucket.length; k++) {
      const n = bucket[k]!
      if (x.startsWith(n.raw, start)) return n
    }
  }
  // detached: a cached name must not keep the body it was first read from alive
  const raw = detach(x.slice(start, end))
  const key = colon === -1 ? raw : raw.slice(colon + 1 - start)
  if (RESERVED_NAMES.has(key)) return undefined
  const n: Name = { raw, key }
  if (nameCacheSize < NAME_CACHE_LIMIT) {
    nameCacheSize++
    if (bucket === undefined) nameCache.set(id, [n])
    else bucket.push(n)
  }
  return n
}

type Children = Record<string, XmlNode | Array<XmlNode>>

// One child into its parent's children: a second one of a name turns the entry into an array.
const attach = (children: Children, key: string, value: XmlNode): void => {
  const prev = children[key]
  if (prev === undefined || !hasOwn.call(children, key)) children[key] = value
  else if (Array.isArray(prev)) prev.push(value)
  else children[key] = [prev, value]
}

const scan = (x: string): Record<string, XmlNode> | undefined => {
  const len = x.length
  let i = 0
  if (x.startsWith('<?xml', 0)) {
    const end = x.indexOf('?>', 5)
    if (end === -1 || !DECLARATION.test(x.slice(0, end + 2))) return undefined
    i = end + 2
  }
  while (i < len && isSpace(x.charCodeAt(i))) i++
  if (x.charCodeAt(i) !== 60 /* < */) return undefined

  // The open elements: raw name (for the closing tag), name without prefix, children so far, text so far.
  const rawNames: Array<string> = []
  const keys: Array<string> = []
  const children: Array<Children | undefined> = []
  const texts: Array<string | undefined> = []
  // Where an element's first run of whitespace-only text starts and ends, or -1: kept as a range and sliced only if
  // the element turns out to be a leaf (`<description>  </description>`). Indentation between elements, which is
  // most of the text in a pretty-printed body, is never copied.
  const blankStarts: Array<number> = []
  const blankEnds: Array<number> = []
  let depth = 0
  let nextAmp = x.indexOf('&')
  let attrNames: Array<string> | undefined
  let root: Record<string, XmlNode> | undefined

  for (;;) {
    // x[i] is '<'
    const c1 = x.charCodeAt(i + 1)
    if (c1 === 47 /* / */) {
      if (depth === 0) return undefined
      const raw = rawNames[depth - 1]!
      let j = i + 2 + raw.length
      if (!x.startsWith(raw, i + 2)) return undefined
      let c = x.charCodeAt(j)
      while (isSpace(c)) c = x.charCodeAt(++j)
      if (c !== 62 /* > */) return undefined
      i = j + 1
      depth--
      const own = children[depth]
      const text = texts[depth]
      let value: XmlNode
      if (own === undefined) {
        const blank = blankStarts[depth]!
        value = text ?? (blank === -1 ? '' : x.slice(blank, blankEnds[depth]))
      } else {
        // (text, when there is any, is not all whitespace: see below)
        if (text !== undefined) own[TEXT] = text
        value = own
      }
      if (depth === 0) {
        root = { [keys[0]!]: value }
        break
      }
      attach((children[depth - 1] ??= {}), keys[depth]!, value)
    } else {
      // an opening tag; anything else after '<' is left to the reference
      if (c1 >= 128 || NAME_CHAR[c1] !== 1) return undefined
      let j = i + 2
      let colon = -1
      for (;;) {
        const c = x.charCodeAt(j)
        if (c < 128 && NAME_CHAR[c] !== 0) j++
        else if (c === 58 /* : */ && colon === -1) {
          const next = x.charCodeAt(j + 1)
          if (next >= 128 || NAME_CHAR[next] !== 1) return undefined
          colon = j
          j += 2
        } else break
      }
      const name = nameAt(x, i + 1, j, colon)
      if (name === undefined) return undefined
      const raw = name.raw
      const key = name.key
      let c = x.charCodeAt(j)
      if (isSpace(c)) {
        // attributes: checked, then dropped
        if (attrNames !== undefined) attrNames.length = 0
        for (;;) {
          while (isSpace(c)) c = x.charCodeAt(++j)
          if (c === 62 /* > */ || c === 47 /* / */) break
          const nameStart = j
          if (c >= 128 || NAME_CHAR[c] !== 1) return undefined
          c = x.charCodeAt(++j)
          let attrColon = false
          for (;;) {
            if (c < 128 && NAME_CHAR[c] !== 0) c = x.charCodeAt(++j)
            else if (c === 58 && !attrColon) {
              attrColon = true
              const next = x.charCodeAt(j + 1)
              if (next >= 128 || NAME_CHAR[next] !== 1) return undefined
              j += 2
              c = x.charCodeAt(j)
            } else break
          }
          const attrName = x.slice(nameStart, j)
          if ((attrNames ??= []).includes(attrName)) return undefined
          attrNames.push(attrName)
          while (isSpace(c)) c = x.charCodeAt(++j)
          if (c !== 61 /* = */) return undefined
          c = x.charCodeAt(++j)
          while (isSpace(c)) c = x.charCodeAt(++j)
          if (c !== 34 /* " */ && c !== 39 /* ' */) return undefined
          const close = x.indexOf(c === 34 ? '"' : "'", j + 1)
          if (close === -1) return undefined
          // a `<` or a reference in an attribute value: left to the reference path, which checks both
          const lt = x.indexOf('<', j + 1)
          if (lt !== -1 && lt < close) return undefined
          const amp = x.indexOf('&', j + 1)
          if (amp !== -1 && amp < close) return undefined
          j = close + 1
          c = x.charCodeAt(j)
          // the next attribute needs whitespace before it
          if (!isSpace(c) && c !== 62 && c !== 47) return undefined
        }
      }
      if (c === 47 /* / */) {
        if (x.charCodeAt(j + 1) !== 62) return undefined
        i = j + 2
        if (depth === 0) {
          root = { [key]: '' }
          break
        }
        attach((children[depth - 1] ??= {}), key, '')
      } else if (c === 62 /* > */) {
        if (depth === MAX_DEPTH) return undefined
        rawNames[depth] = raw
        keys[depth] = key
        children[depth] = undefined
        texts[depth] = undefined
        blankStarts[depth] = -1
        depth++
        i = j + 1
      } else return undefined
    }

    // text, up to the next tag (depth > 0 here: the root closing ends the loop)
    const lt = x.indexOf('<', i)
    if (lt === -1) return undefined
    if (lt > i) {
      const d = depth - 1
      let k = i
      while (k < lt && isSpace(x.charCodeAt(k))) k++
      if (k === lt && texts[d] === undefined) {
        // whitespace only, and no other text yet: remember where the first such run is, copy nothing
        if (blankStarts[d] === -1) {
          blankStarts[d] = i
          blankEnds[d] = lt
        }
      } else {
        // Text after whitespace-only runs (`<a>  <b/>t</a>`): mixed content EC2 never sends; the reference decides.
        if (texts[d] === undefined && blankStarts[d] !== -1) return undefined
        let s = x.slice(i, lt)
        // `]]>` may not stand in text; the reference path says so
        if (s.length > 2 && s.includes(']]>')) return undefined
        if (nextAmp !== -1 && nextAmp < i) nextAmp = x.indexOf('&', i)
        if (nextAmp !== -1 && nextAmp < lt) {
          const decoded = decodeText(s, nextAmp - i)
          if (decoded === undefined) return undefined
          // References that spell only whitespace (`&#32;`) where no text is yet: blank or not depends on what
          // follows, and the range trick above cannot hold the decoded text; the reference decides.
          if (texts[d] === undefined && isBlank(decoded)) return undefined
          s = decoded
        }
        const before = texts[d]
        texts[d] = before === undefined ? s : before + s
      }
    }
    i = lt
  }

  // after the root, only whitespace
  for (; i < len; i++) if (!isSpace(x.charCodeAt(i))) return undefined
  return root
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

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const INTEGER = /^[+-]?\d+$/
const EPOCH = /^[+-]?\d+(\.\d+)?$/

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
  switch (codec.kind) {
    case 'string':
      return detach(s)
    case 'character':
      return detach(s)
    case 'boolean': {
      const v = s.trim()
      if (v === 'true') return true
      if (v === 'false') return false
      return fail(errors, { parent, key, codec: pathCodec }, s, 'expected true or false')
    }
    case 'integer':
    case 'long': {
      const v = s.trim()
      return INTEGER.test(v) ? Number(v) : fail(errors, { parent, key, codec: pathCodec }, s, 'expected an integer')
    }
    case 'float':
    case 'double': {
      const v = s.trim()
      if (v === 'NaN') return NaN
      if (v === 'Infinity') return Infinity
      if (v === '-Infinity') return -Infinity
      // Decimal only: `Number()` would also read `0x10`, `0b11` and `0o17`, which no XML number is.
      return DECIMAL.test(v) ? Number(v) : fail(errors, { parent, key, codec: pathCodec }, s, 'expected a number')
    }
    case 'timestamp': {
      const v = s.trim()
      const d = EPOCH.test(v) ? new Date(Number(v) * 1000) : new Date(v)
      return Number.isNaN(d.getTime()) ? fail(errors, { parent, key, codec: pathCodec }, s, 'expected a timestamp') : d
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
