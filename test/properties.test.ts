/**
 * Property tests of the protocol engine on its own:
 *
 * - 10,000 random and mutated response bodies through `decodeResponse` for each of the three operations: it never
 *   throws; it returns a `Left` (`ServiceError`, or `DecodeError` keeping the raw body, cut to a bound) or a
 *   `Right`; and a `Right` only for a well-formed `<{Op}Response>`, judged by an independent XML 1.0
 *   well-formedness checker written here.
 * - Every generated invalid request is a `Left` naming the mutated member.
 * - Generated results survive XML encoding then decoding.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_KEPT_BODY } from '../src/Ec2ImportError.js'
import { decodeResponse, serializeRequest, validateRequest } from '../src/internal/protocol/Operation.js'
import {
  EC2_XMLNS,
  errorEnvelope,
  invalidRequest,
  mutationNames,
  operationOf,
  resultString,
  validRequest,
  writtenResult,
} from './helpers/arbitraries.js'
import type { OpName } from './helpers/sdk-oracle.js'

const OPS: ReadonlyArray<OpName> = ['ImportImage', 'DescribeImportImageTasks', 'CancelImportTask']

// -------------------------------------------------------------------------------------------------
// an independent XML 1.0 well-formedness check
// -------------------------------------------------------------------------------------------------

/** The verdict on a body: well-formed with its root element's name, or the first reason it is not. */
type WellFormed = { readonly ok: true; readonly root: string } | { readonly ok: false; readonly reason: string }

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
const checkWellFormed = (input: string): WellFormed => {
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

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1)

/** A checker reason without its position and particulars, to group findings by kind. */
const kind = (reason: string): string => reason.replace(/ \(at \d+\)$/, '').replace(/ \(.*\)$/, '')

describe('the well-formedness checker itself', () => {
  it.each([
    ['<a/>', true],
    ['<?xml version="1.0" encoding="UTF-8"?>\n<a x="1" y=\'&amp;\'>t&lt;&#x1F600;&#65;<![CDATA[<&]]><!-- c --><?pi x?><b/></a>\n', true],
    ['\uFEFF<a>x</a>', true],
    ['<!DOCTYPE html SYSTEM "about:legacy-compat"><html/>', true],
    ['', false],
    ['<a>', false],
    ['<a></b>', false],
    ['<a>&foo;</a>', false],
    ['<a>&#0;</a>', false],
    ['<a>&#xD800;</a>', false],
    ['<a>&#x110000;</a>', false],
    ['<a>&#99999999999999999999;</a>', false],
    ['<a>\u0001</a>', false],
    ['<a>\ud800</a>', false],
    ['<a>]]></a>', false],
    ['<a><!-- a -- b --></a>', false],
    ['<a><?xml version="1.0"?></a>', false],
    ['<a x="1" x="2"/>', false],
    ['<a x=1/>', false],
    ['<a/><b/>', false],
    ['<a/>text', false],
    ['<a>&amp</a>', false],
    ['<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', false],
  ])('%j well-formed: %s', (body, ok) => {
    expect(checkWellFormed(body).ok).toBe(ok)
  })
})

// -------------------------------------------------------------------------------------------------
// bodies
// -------------------------------------------------------------------------------------------------

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const envelope = fc
  .tuple(
    fc.constantFrom('RequestLimitExceeded', 'DryRunOperation', 'InvalidParameter', 'UnauthorizedOperation', 'InternalError'),
    resultString(30),
    fc.uuid(),
    fc.nat({ max: 3 }),
  )
  .map(([code, message, id, form]) =>
    form === 0
      ? errorEnvelope(code, escape(message), id)
      : form === 1
        ? `<ErrorResponse><Error><Code>${code}</Code><Message>${escape(message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`
        : form === 2
          ? `<Response><Errors><Error><Message>no code</Message></Error></Errors></Response>`
          : `<Response>\n  <Errors>\n    <Error>\n      <Code>${code}</Code>\n      <Message>${escape(message)}</Message>\n    </Error>\n  </Errors>\n  <RequestID>${id}</RequestID>\n</Response>`,
  )

const htmlPage = fc
  .tuple(fc.constantFrom('502 Bad Gateway', '503 Service Unavailable', '403 Forbidden', 'Access Denied'), fc.nat({ max: 4 }), fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 12_000 }) }))
  .map(([title, form, pad]) => {
    const filler = 'x'.repeat(pad)
    switch (form) {
      case 0:
        return `<!DOCTYPE html><html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><hr><center>nginx</center></body></html>`
      case 1:
        return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<h1>${title}</h1><p>${filler}</p>\r\n</body>\r\n</html>\r\n`
      case 2:
        return `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body><p>${title}</p><!-- ${filler} --></body></html>`
      case 3:
        return `<HTML><BODY>${title}<BR>&nbsp;${filler}</BODY></HTML>`
      default:
        return `<Error><Code>AccessDenied</Code><Message>${title}</Message><RequestId>1</RequestId></Error>`
    }
  })

const randomText = fc.oneof(
  fc.constantFrom('', ' ', '\n\n', '{"__type":"ThrottlingException","message":"Rate exceeded"}', 'OK', '<', '<?xml version="1.0"?>'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('<', '>', '/', '&', ';', '#', 'a', 'b', 'item', ' ', '"', '=', '!', '-', '?', 'x', '1'), maxLength: 80 }),
)

/** A valid result body, of any operation (so also a well-formed body of another operation's response). */
const validBody = writtenResult.map((r) => r.written.body)

const INSERTS = [
  '<x>', '</x>', '<item/>', '<item>', '</item>', '<description>', '</tagSet>', '<tagSet/>', '<![CDATA[', ']]>', '<!--',
  '-->', '<?pi x?>', '<?xml version="1.0"?>', '<!DOCTYPE x>', '<', '>', '&', '</', '/>', '"', "'", '=', '<a b="1" b="2">',
  '<ImportImageResponse>', '</ImportImageResponse>', '<DescribeImportImageTasksResponse/>', '<CancelImportTaskResponse>',
  '<Response><Errors><Error><Code>Throttling</Code></Error></Errors></Response>', '<__proto__>', '<constructor/>',
  '<importImageTaskSet><item><tagSet><item><key>k</key></item></tagSet></item></importImageTaskSet>',
  '<snapshotDetailSet>', '<encrypted>yes</encrypted>', '<encrypted>true</encrypted>', '<encrypted/>',
  '<importTaskId>x</importTaskId>', '<nextToken><a/></nextToken>',
] as const

const ENTITIES = [
  '&foo;', '&nbsp;', '&#0;', '&#1;', '&#8;', '&#xD800;', '&#xDFFF;', '&#xFFFE;', '&#xFFFF;', '&#x110000;',
  '&#99999999999;', '&#x;', '&#;', '&amp', '&', '&#65', '&lt', '&#x1F600;', '&#128512;', '&quot;', '&apos;', '&#9;',
  '&#x10FFFF;', '&AMP;', '&#X41;', '&#-1;', '&#+65;',
] as const

const HUGE_NUMBERS = [
  '9'.repeat(400), '1e400', '-1e-400', '0x1F', '0b101', '0o17', '1'.repeat(5000), 'NaN', 'Infinity', '-Infinity', 'INF',
  '1.7976931348623157e309', '\u0661\u0662', '1_000', ' 12 ', '', '+.5e-3', '1e', '--1',
] as const

const CONTROL = ['\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\ufffe', '\uffff', '\ud800', '\udfff', '\u000b', '\u000c'] as const

type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly bits: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string; readonly inText: boolean }
  | { readonly kind: 'nest'; readonly at: number; readonly depth: number; readonly tag: string }
  | { readonly kind: 'number'; readonly at: number; readonly value: string; readonly member: string }
  | { readonly kind: 'duplicate'; readonly from: number; readonly to: number; readonly at: number }

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('flip' as const), at: fraction, bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...INSERTS), inText: fc.boolean() }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...ENTITIES), inText: fc.constant(true) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...CONTROL), inText: fc.constant(true) }),
  fc.record({
    kind: fc.constant('nest' as const),
    at: fraction,
    depth: fc.constantFrom(2, 20, 200, 1000),
    tag: fc.constantFrom('a', 'item', 'snapshotDetailSet', 'tagSet'),
  }),
  fc.record({
    kind: fc.constant('number' as const),
    at: fraction,
    value: fc.constantFrom(...HUGE_NUMBERS),
    member: fc.constantFrom('diskImageSize', 'encrypted'),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fraction, to: fraction, at: fraction }),
)

/** A position in `s`: anywhere, or (for `inText`) just after a `>`, where character data starts. */
const position = (s: string, at: number, inText: boolean): number => {
  if (!inText) return Math.floor(at * (s.length + 1))
  const ends: Array<number> = []
  for (let k = s.indexOf('>'); k >= 0; k = s.indexOf('>', k + 1)) ends.push(k + 1)
  return ends.length === 0 ? Math.floor(at * (s.length + 1)) : ends[Math.floor(at * ends.length)]!
}

const apply = (s: string, m: Mutation): string => {
  switch (m.kind) {
    case 'truncate':
      return s.slice(0, Math.floor(m.at * s.length))
    case 'flip': {
      const bytes = Buffer.from(s, 'utf8')
      if (bytes.length === 0) return s
      const k = Math.floor(m.at * bytes.length)
      bytes[k] = bytes[k]! ^ m.bits
      return new TextDecoder().decode(bytes)
    }
    case 'insert': {
      const k = position(s, m.at, m.inText)
      return s.slice(0, k) + m.text + s.slice(k)
    }
    case 'nest': {
      const k = position(s, m.at, true)
      return s.slice(0, k) + `<${m.tag}>`.repeat(m.depth) + `</${m.tag}>`.repeat(m.depth) + s.slice(k)
    }
    case 'number': {
      const k = position(s, m.at, true)
      const inner = `<${m.member}>${m.value}</${m.member}>`
      return s.slice(0, k) + `<snapshotDetailSet><item>${inner}</item></snapshotDetailSet>${inner}` + s.slice(k)
    }
    case 'duplicate': {
      const a = Math.floor(Math.min(m.from, m.to) * s.length)
      const b = Math.floor(Math.max(m.from, m.to) * s.length)
      const k = Math.floor(m.at * (s.length + 1))
      return s.slice(0, k) + s.slice(a, b) + s.slice(k)
    }
  }
}

const body: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validBody },
  { weight: 1, arbitrary: envelope },
  { weight: 8, arbitrary: fc.tuple(fc.oneof(validBody, validBody, envelope), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([b, ms]) => ms.reduce(apply, b)) },
  { weight: 1, arbitrary: htmlPage },
  { weight: 1, arbitrary: randomText },
)

const statusCode = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  { weight: 1, arbitrary: fc.constantFrom(201, 204, 400, 403, 412, 500, 503) },
)

// -------------------------------------------------------------------------------------------------
// properties
// -------------------------------------------------------------------------------------------------

describe('decodeResponse on 10,000 random and mutated bodies, for each operation', () => {
  // Right-without-well-formedness cases are collected, not thrown, so the run also checks every other invariant
  // on all 10,000 bodies, and the failure lists each kind of leniency once.
  it('never throws, and returns a bounded Left or a Right only for a well-formed <{Op}Response>', () => {
    const tally = { right: 0, serviceError: 0, decodeError: 0, bodies: 0, big: 0 }
    const lenient = new Map<string, { op: OpName; body: string }>()
    fc.assert(
      fc.property(body, statusCode, (raw, status) => {
        tally.bodies += 1
        if (raw.length > MAX_KEPT_BODY) tally.big += 1
        let verdict: WellFormed | undefined
        const wellFormed = () => (verdict ??= checkWellFormed(raw))
        for (const op of OPS) {
          let r: ReturnType<typeof decodeResponse>
          try {
            r = decodeResponse(operationOf(op), { statusCode: status, headers: { 'x-amzn-requestid': 'hdr' }, body: raw }, 1)
          } catch (e) {
            throw new Error(`decodeResponse(${op}) threw ${String(e)} on ${JSON.stringify(raw.slice(0, 300))}`)
          }
          if (r._tag === 'Right') {
            tally.right += 1
            expect(status >= 200 && status < 300).toBe(true)
            expect(operationOf(op).output.is(r.right.value)).toBe(true)
            const v = wellFormed()
            if (!v.ok || localName(v.root) !== `${op}Response`) {
              const reason = v.ok ? `root <${v.root}>` : kind(v.reason)
              if (!lenient.has(reason)) lenient.set(reason, { op, body: raw })
            }
            continue
          }
          const left = r.left
          expect(left.statusCode).toBe(status)
          expect(left.attempts).toBe(1)
          expect(left.operation).toBe(op)
          if (left._tag === 'ServiceError') {
            tally.serviceError += 1
            expect(left.code.length).toBeGreaterThan(0)
            expect(left.message).toContain(left.serviceMessage)
            const v = wellFormed()
            if (!v.ok || !['Response', 'ErrorResponse'].includes(localName(v.root))) {
              const reason = `ServiceError: ${v.ok ? `root <${v.root}>` : kind(v.reason)}`
              if (!lenient.has(reason)) lenient.set(reason, { op, body: raw })
            }
          } else {
            tally.decodeError += 1
            expect(left._tag).toBe('DecodeError')
            // the raw body, kept up to the bound
            if (raw.length <= MAX_KEPT_BODY) expect(left.body).toBe(raw)
            else {
              expect(left.body.startsWith(raw.slice(0, MAX_KEPT_BODY))).toBe(true)
              expect(left.body.length).toBeLessThanOrEqual(MAX_KEPT_BODY + 40)
            }
            expect(left.message).toContain(op)
            expect(Array.isArray(left.errors)).toBe(true)
          }
        }
      }),
      { numRuns: 10_000 },
    )
    console.info(`decoded ${tally.bodies} bodies x 3 operations: ${JSON.stringify(tally)}`)
    expect(tally.right).toBeGreaterThan(1000)
    expect(tally.serviceError).toBeGreaterThan(100)
    expect(tally.decodeError).toBeGreaterThan(10_000)
    expect(tally.big).toBeGreaterThan(0)
    const found = [...lenient]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([reason, { op, body }]) => `${reason} — e.g. as ${op}: ${JSON.stringify(body.length > 200 ? `${body.slice(0, 200)}…` : body)}`)
    expect(found, `[engine bug] decoded as a result although not well-formed XML:\n${found.join('\n')}`).toEqual([])
  })

  it('deep nesting (100,000 levels) is a DecodeError, not a stack overflow', () => {
    const deep = `<ImportImageResponse xmlns="${EC2_XMLNS}">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</ImportImageResponse>`
    for (const op of OPS) {
      const r = decodeResponse(operationOf(op), { statusCode: 200, headers: {}, body: deep }, 1)
      expect(r._tag).toBe('Left')
    }
  })
})

// Each of these bodies is a result element, but not well-formed XML (XML 1.0 §2.2 Char, §4.1 WFC Legal Character
// and Entity Declared, §2.5 comments, §2.4 `]]>`). The reader's own doc says "a body that is not well-formed XML is
// refused, not guessed at"; today fast-xml-parser's validator lets them through and the reader keeps the reference
// as literal text, drops it, or keeps the illegal character.
describe('bodies that are not well-formed XML are refused', () => {
  const wrap = (inner: string) =>
    `<ImportImageResponse xmlns="${EC2_XMLNS}"><requestId>r</requestId><description>${inner}</description></ImportImageResponse>`
  it.each([
    ['an undeclared entity', '&foo;'],
    ['an HTML entity', '&nbsp;'],
    ['a reference to U+0000', '&#0;'],
    ['a reference to a control character', '&#1;'],
    ['a reference to a surrogate', '&#xD800;'],
    ['a reference to U+FFFE', '&#xFFFE;'],
    ['a reference beyond U+10FFFF', '&#x110000;'],
    ['an empty hexadecimal reference', '&#x;'],
    ['a raw control character', '\u0001'],
    ['a raw U+FFFE', '\ufffe'],
    ['a lone surrogate', '\ud800'],
    ['`]]>` in character data', 'a]]>b'],
    ['`--` in a comment', '<!-- a -- b -->'],
  ])('%s: %j', (_, inner) => {
    expect(checkWellFormed(wrap(inner)).ok).toBe(false)
    const r = decodeResponse(operationOf('ImportImage'), { statusCode: 200, headers: {}, body: wrap(inner) }, 1)
    expect(r._tag === 'Left' && r.left._tag).toBe('DecodeError')
  })
})

// xsd:double (and Smithy's `NaN`/`Infinity`/`-Infinity`) has no hexadecimal, binary or octal form; the reader's
// `Number(text)` reads `0x10` as 16. The SDK does the same (`Number(data)`), so this is no disagreement, but it is
// a guess at a value the service cannot have sent.
describe('numbers in a form no XML serializer writes are refused', () => {
  it.each(['0x10', '0b11', '0o17'])('%s', (text) => {
    const body = `<ImportImageResponse><snapshotDetailSet><item><diskImageSize>${text}</diskImageSize></item></snapshotDetailSet></ImportImageResponse>`
    const r = decodeResponse(operationOf('ImportImage'), { statusCode: 200, headers: {}, body }, 1)
    expect(r._tag === 'Left' && r.left._tag).toBe('DecodeError')
  })
})

describe('requests', () => {
  it('every generated valid request validates and serializes (1,000 runs)', () => {
    fc.assert(
      fc.property(validRequest, (req) => {
        const op = operationOf(req.op)
        const v = validateRequest(op, req.input)
        if (v._tag === 'Left') throw new Error(v.left.message)
        expect(serializeRequest(op, v.right, () => 'token')).toMatch(new RegExp(`^Action=${req.op}&Version=2016-11-15`))
      }),
      { numRuns: 1000 },
    )
  })

  it('every generated invalid request is a Left naming the mutated member (3,000 runs)', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(invalidRequest, (bad) => {
        const r = validateRequest(operationOf(bad.op), bad.input)
        if (r._tag === 'Right') throw new Error(`${bad.op} ${bad.mutation}: accepted ${JSON.stringify(bad.input)}`)
        expect(r.left._tag).toBe('ValidationError')
        expect(r.left.operation).toBe(bad.op)
        expect(r.left.errors.map((e) => e.path), `${bad.op}: ${bad.mutation}`).toContain(bad.path)
        for (const e of r.left.errors) expect(e.message.length).toBeGreaterThan(0)
        seen.add(`${bad.op}: ${bad.mutation}`)
      }),
      { numRuns: 3000 },
    )
    expect([...mutationNames].filter((n) => !seen.has(n))).toEqual([])
  })

  it('a rule the service states only in prose is refused with a message quoting it', () => {
    const base = { ClientToken: 't', DiskContainers: [{ SnapshotId: 'snap-1' }] }
    const preferred = validateRequest(operationOf('ImportImage'), { ...base, BootMode: 'uefi-preferred' })
    expect(preferred._tag === 'Left' && preferred.left.message).toContain("isn't supported for importing images")
    const platform = validateRequest(operationOf('ImportImage'), { ...base, BootMode: 'uefi' })
    expect(platform._tag === 'Left' && platform.left.message).toContain('you must specify a value for the platform')
  })
})

describe('results', () => {
  it('XML-encode then decode is the value (2,000 runs)', () => {
    fc.assert(
      fc.property(writtenResult, (r) => {
        const d = decodeResponse(operationOf(r.op), { statusCode: 200, headers: {}, body: r.written.body }, 1)
        if (d._tag === 'Left') throw new Error(`${d.left.message}\n${r.written.body}`)
        expect(d.right.value).toStrictEqual(r.value)
        expect(d.right.requestId).toBe(r.written.requestId)
        expect(checkWellFormed(r.written.body)).toMatchObject({ ok: true, root: `${r.op}Response` })
      }),
      { numRuns: 2000 },
    )
  })
})
