/**
 * An independent XML 1.0 well-formedness checker: the oracle the bad-input suite (`test/reliability/bad-input.test.ts`)
 * judges every decoded body by, and the property tests (`test/properties.test.ts`, which also test the checker itself)
 * use for written results. Written here from the spec, sharing nothing with the reader under test.
 */

/** The verdict on a body: well-formed with its root element's name, or the first reason it is not. */
export type WellFormed = { readonly ok: true; readonly root: string } | { readonly ok: false; readonly reason: string }

const NAME_START =
  'A-Z_a-z:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F' +
  '\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}'
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`
const NAME = new RegExp(`[${NAME_START}][${NAME_CHAR}]*`, 'uy')
// XML 1.0 §2.2 `Char`; with the `u` flag a lone surrogate is a code point outside it.
const NOT_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const REFERENCE = /&(?:#([0-9]+)|#x([0-9a-fA-F]+)|([^\s;&<]*));/y
const XML_DECL = /<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*\?>/y
const PREDEFINED = new Set(['lt', 'gt', 'amp', 'apos', 'quot'])

class NotWellFormed extends Error {}

/**
 * XML 1.0 (fifth edition) well-formedness, for documents without a DTD internal subset (EC2 never sends one; a
 * document with one is reported as not checked, `ok: false`). Namespaces are not checked. Iterative, so deep
 * nesting cannot overflow the stack.
 */
export const checkWellFormed = (input: string): WellFormed => {
  const s = input.startsWith('\uFEFF') ? input.slice(1) : input
  const bad = NOT_CHAR.exec(s)
  if (bad !== null) return { ok: false, reason: `a character outside XML's Char production (U+${bad[0].codePointAt(0)!.toString(16).toUpperCase()})` }
  let i = 0
  const fail = (reason: string): never => {
    throw new NotWellFormed(`${reason} (at ${i})`)
  }
  const at = (t: string) => s.startsWith(t, i)
  const ws = (): boolean => {
    const start = i
    while (i < s.length && (s[i] === ' ' || s[i] === '\t' || s[i] === '\r' || s[i] === '\n')) i++
    return i > start
  }
  const name = (): string => {
    NAME.lastIndex = i
    const m = NAME.exec(s)
    if (m === null) return fail('a name expected')
    i += m[0].length
    return m[0]
  }
  const reference = (): void => {
    REFERENCE.lastIndex = i
    const m = REFERENCE.exec(s)
    if (m === null) return fail('an `&` that starts no reference')
    const [all, dec, hex, named] = m
    if (dec !== undefined || hex !== undefined) {
      const digits = dec ?? hex!
      const cp = digits.length > 8 ? Infinity : parseInt(digits, dec !== undefined ? 10 : 16)
      if (!(cp <= 0x10ffff) || NOT_CHAR.test(String.fromCodePoint(cp))) fail(`a reference to a non-character (${all})`)
    } else if (!PREDEFINED.has(named!)) {
      fail(`a reference to an undeclared entity (${all})`)
    }
    i += all.length
  }
  const comment = (): void => {
    const end = s.indexOf('-->', i + 4)
    if (end < 0) return fail('an unclosed comment')
    const body = s.slice(i + 4, end)
    if (body.includes('--') || body.endsWith('-')) fail('`--` inside a comment')
    i = end + 3
  }
  const pi = (): void => {
    i += 2
    const target = name()
    if (target.toLowerCase() === 'xml') fail('a processing instruction named xml')
    if (at('?>')) {
      i += 2
      return
    }
    if (!ws()) fail('a processing instruction target not followed by space')
    const end = s.indexOf('?>', i)
    if (end < 0) fail('an unclosed processing instruction')
    i = end + 2
  }
  const misc = (): void => {
    for (;;) {
      if (ws()) continue
      if (at('<!--')) comment()
      else if (at('<?')) pi()
      else return
    }
  }
  // a start tag; returns its name, and whether it closed itself
  const startTag = (): [string, boolean] => {
    i += 1
    const tag = name()
    const attributes = new Set<string>()
    for (;;) {
      const spaced = ws()
      if (at('/>')) {
        i += 2
        return [tag, true]
      }
      if (at('>')) {
        i += 1
        return [tag, false]
      }
      if (!spaced) fail('an attribute not preceded by space')
      const attr = name()
      if (attributes.has(attr)) fail(`attribute ${attr} repeated`)
      attributes.add(attr)
      ws()
      if (!at('=')) fail('an attribute without `=`')
      i += 1
      ws()
      const quote = s[i]
      if (quote !== '"' && quote !== "'") fail('an unquoted attribute value')
      i += 1
      for (;;) {
        if (i >= s.length) fail('an unclosed attribute value')
        const c = s[i]
        if (c === quote) break
        if (c === '<') fail('`<` in an attribute value')
        if (c === '&') reference()
        else i += 1
      }
      i += 1
    }
  }
  try {
    if (/^<\?xml[ \t\r\n]/.test(s)) {
      XML_DECL.lastIndex = 0
      const m = XML_DECL.exec(s)
      if (m === null) return fail('a malformed XML declaration')
      i = m[0].length
    }
    misc()
    if (at('<!DOCTYPE')) {
      i += 9
      if (!ws()) fail('DOCTYPE without space')
      name()
      for (;;) {
        if (i >= s.length) fail('an unclosed DOCTYPE')
        const c = s[i]!
        if (c === '>') break
        if (c === '[') fail('a DTD internal subset (not checked)')
        if (c === '"' || c === "'") {
          const end = s.indexOf(c, i + 1)
          if (end < 0) fail('an unclosed DOCTYPE literal')
          i = end + 1
        } else i += 1
      }
      i += 1
      misc()
    }
    if (!at('<') || at('</') || at('<!')) fail('no root element')
    const [root, closed] = startTag()
    const stack: Array<string> = closed ? [] : [root]
    while (stack.length > 0) {
      if (i >= s.length) fail(`<${stack[stack.length - 1]}> is not closed`)
      const c = s[i]
      if (c === '<') {
        if (at('</')) {
          i += 2
          const end = name()
          ws()
          if (!at('>')) fail('a malformed end tag')
          i += 1
          const open = stack.pop()
          if (open !== end) fail(`</${end}> closes <${open}>`)
        } else if (at('<!--')) comment()
        else if (at('<![CDATA[')) {
          const end = s.indexOf(']]>', i + 9)
          if (end < 0) fail('an unclosed CDATA section')
          i = end + 3
        } else if (at('<?')) pi()
        else if (at('<!')) fail('a declaration inside an element')
        else {
          const [tag, selfClosed] = startTag()
          if (!selfClosed) stack.push(tag)
        }
      } else if (c === '&') {
        reference()
      } else {
        const start = i
        while (i < s.length && s[i] !== '<' && s[i] !== '&') i++
        if (s.slice(start, i).includes(']]>')) fail('`]]>` in character data')
      }
    }
    misc()
    if (i < s.length) fail('content after the root element')
    return { ok: true, root }
  } catch (e) {
    if (e instanceof NotWellFormed) return { ok: false, reason: e.message }
    throw e
  }
}

/** The local part of a qualified name (`a:Response` → `Response`). */
export const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1)

/** A checker reason without its position and particulars, to group findings by kind. */
export const reasonKind = (reason: string): string => reason.replace(/ \(at \d+\)$/, '').replace(/ \(.*\)$/, '')
