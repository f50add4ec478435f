/**
 * The fast path of `parseXml`: a single-pass scanner for the plain XML EC2 sends. A speed trick that earns its place:
 * `npm run bench` measures the client with and without it in the same run (bench/README.md, "Speed tricks").
 *
 * @since 0.2.0
 */
import { DECLARATION, isBlank, isSpace, isXmlChar, type XmlNode } from './XmlSyntax.js'

const TEXT = '#text'

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

// Character classes of the ASCII names the scanner reads: 1 may start a name, 2 may continue one.
const NAME_CHAR = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z_]/.test(ch)) NAME_CHAR[c] = 1
  else if (/[0-9.-]/.test(ch)) NAME_CHAR[c] = 2
}

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

// The first characters and the lengths of the reserved names, as tables: most names fail this test, which costs no
// hash of the name (hashing each new name string was a sixth of the scan) and no set lookup.
const RESERVED_FIRST = new Uint8Array(128)
const RESERVED_LENGTH = new Uint8Array(32)
for (const n of RESERVED_NAMES) {
  RESERVED_FIRST[n.charCodeAt(0)] = 1
  RESERVED_LENGTH[n.length] = 1
}

const isReserved = (key: string): boolean =>
  RESERVED_FIRST[key.charCodeAt(0)] === 1 && RESERVED_LENGTH[key.length] === 1 && RESERVED_NAMES.has(key)

// Whether `x` holds `name` at `pos` (a closing tag's name), compared in place.
const namedAt = (x: string, name: string, pos: number): boolean => {
  if (pos + name.length > x.length) return false
  for (let k = 0; k < name.length; k++) if (x.charCodeAt(pos + k) !== name.charCodeAt(k)) return false
  return true
}

const hasOwn = Object.prototype.hasOwnProperty

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

type Children = Record<string, XmlNode | Array<XmlNode>>

// One child into its parent's children: a second one of a name turns the entry into an array.
const attach = (children: Children, key: string, value: XmlNode): void => {
  const prev = children[key]
  if (prev === undefined || !hasOwn.call(children, key)) children[key] = value
  else if (Array.isArray(prev)) prev.push(value)
  else children[key] = [prev, value]
}

/**
 * The tree `parseXml` returns for `x`, or `undefined` for a body the scanner leaves to the reference parser.
 *
 * @internal
 */
export const scan = (x: string): Record<string, XmlNode> | undefined => {
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
  // `]]>` may not stand in text: looked for once in the body, then in a text only when the body has one.
  const mayHoldCdataEnd = x.includes(']]>')
  let attrNames: Array<string> | undefined
  let root: Record<string, XmlNode> | undefined

  for (;;) {
    // x[i] is '<'
    const c1 = x.charCodeAt(i + 1)
    if (c1 === 47 /* / */) {
      if (depth === 0) return undefined
      const raw = rawNames[depth - 1]!
      let j = i + 2 + raw.length
      if (!namedAt(x, raw, i + 2)) return undefined
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
        // (a store, not `{ [key]: value }`: an object literal with a computed name took a twentieth of the scan)
        root = {}
        root[keys[0]!] = value
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
      const raw = x.slice(i + 1, j)
      const key = colon === -1 ? raw : x.slice(colon + 1, j)
      if (isReserved(key)) return undefined
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
          root = {}
          root[key] = ''
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
        if (mayHoldCdataEnd && s.includes(']]>')) return undefined
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
