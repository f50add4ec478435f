/**
 * Bad responses for the bad-input suite (`test/reliability/bad-input.test.ts`): one fast-check arbitrary of an EC2
 * answer — status, `Content-Type` and body — that the suite serves to the client and also feeds to the reader
 * (`decodeResponse`) directly.
 *
 * A body is a written result of one of the three operations (`test/helpers/arbitraries.ts`), an EC2 error envelope
 * (in each form EC2 and its proxies use), a proxy's HTML page or random text; a result or an envelope is then mostly
 * damaged by one to three mutations (truncated, bit-flipped, spliced, re-rooted, deeply nested, entity-laden, an
 * external entity declared, …) and sometimes by invalid UTF-8 bytes last.
 */
import fc from 'fast-check'
import { errorEnvelope, resultString, writtenResult } from '../../helpers/arbitraries.js'
import type { OpName } from '../../helpers/sdk-oracle.js'

export const OPS: ReadonlyArray<OpName> = ['ImportImage', 'DescribeImportImageTasks', 'CancelImportTask']

/** One response to serve, and how it was made. */
export interface BadResponse {
  /** The operation called: the one whose result the body was written as, else any of the three. */
  readonly op: OpName
  readonly status: number
  /** `''`: no `Content-Type` header. */
  readonly contentType: string
  /** Text (any UTF-16, lone surrogates included), or bytes when a last mutation broke their UTF-8. */
  readonly body: string | Buffer
  /** What the body started as (`result`, `error envelope`, `HTML page`, `random text`). */
  readonly source: string
  /** The mutations applied, in order (`[]`: served as written). */
  readonly mutations: ReadonlyArray<string>
  /** The last mutation cut the body before its end: it must not decode to a Right. */
  readonly cutShort: boolean
}

// -------------------------------------------------------------------------------------------------
// sources
// -------------------------------------------------------------------------------------------------

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const op = fc.constantFrom(...OPS)

const envelope = fc
  .tuple(
    fc.constantFrom('RequestLimitExceeded', 'DryRunOperation', 'InvalidParameter', 'InvalidParameterValue', 'UnauthorizedOperation', 'InternalError'),
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
  .tuple(
    fc.constantFrom('502 Bad Gateway', '503 Service Unavailable', '403 Forbidden', 'Access Denied'),
    fc.nat({ max: 4 }),
    fc.oneof({ weight: 4, arbitrary: fc.nat({ max: 300 }) }, { weight: 1, arbitrary: fc.integer({ min: 8_000, max: 12_000 }) }),
  )
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

interface Source {
  readonly op: OpName
  readonly source: string
  readonly body: string
}

/** A valid result body, called as its own operation (so a Right is possible through the client). */
const resultSource: fc.Arbitrary<Source> = writtenResult.map((r) => ({ op: r.op, source: 'result', body: r.written.body }))
const envelopeSource: fc.Arbitrary<Source> = fc.tuple(envelope, op).map(([body, o]) => ({ op: o, source: 'error envelope', body }))

// -------------------------------------------------------------------------------------------------
// mutations
// -------------------------------------------------------------------------------------------------

const INSERTS = [
  '<x>', '</x>', '<item/>', '<item>', '</item>', '<description>', '</tagSet>', '<tagSet/>', '<![CDATA[', ']]>', '<!--',
  '-->', '<?pi x?>', '<?xml version="1.0"?>', '<!DOCTYPE x>', '<', '>', '&', '</', '/>', '"', "'", '=', '<a b="1" b="2">',
  '<ImportImageResponse>', '</ImportImageResponse>', '<DescribeImportImageTasksResponse/>', '<CancelImportTaskResponse>',
  '<Response><Errors><Error><Code>Throttling</Code></Error></Errors></Response>', '<__proto__>', '<constructor/>',
  '<importImageTaskSet><item><tagSet><item><key>k</key></item></tagSet></item></importImageTaskSet>',
  '<snapshotDetailSet>', '<encrypted>yes</encrypted>', '<encrypted>true</encrypted>', '<encrypted/>',
  '<importTaskId>x</importTaskId>', '<nextToken><a/></nextToken>',
  // EC2 echoes a disk's presigned URL: a DecodeError keeps the body with the URL's query redacted
  '<url>https://images.s3.amazonaws.com/web.vmdk?X-Amz-Signature=0123abcd&amp;X-Amz-Security-Token=t0k3n</url>',
] as const

/** Inserted one or two at a time, anywhere. */
const FRAGMENTS = [
  '<', '>', '</', '/>', '&', '&amp', '&#0;', '&#x110000;', '&#xD800;', '&#65535;', '&nope;', ']]>', '<![CDATA[', '<![CDATA[x]]>', '<!--', '-->',
  '<?xml version="1.0"?>', '<?pi x?>', '\u0000', '\u0001', '\uFFFE', '\uD800', '\uDC00', '😀', '\r\n', '<item>', '</item>', '<item/>',
  '<requestId>dup</requestId>', '<importTaskId>import-ami-x</importTaskId>', '<Errors><Error><Code>X</Code></Error></Errors>',
  'xmlns:a="b"', '<a:b xmlns:a="urn:x">t</a:b>', '<!DOCTYPE r [<!ENTITY e "expanded">]>', '&e;', '<html>', '</html>', '"', "'", '\u202E',
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

/** Declares two external entities (a file, a URL); a mutation then references one where the request id goes. */
const XXE_PROLOG = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY xxe2 SYSTEM "http://127.0.0.1:9/x">]>'

/** One change to a body; `applyMutation` makes it. (test/properties-snapshot-path.test.ts uses a few of the kinds.) */
export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly bits: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string; readonly inText: boolean }
  | { readonly kind: 'replace char'; readonly at: number; readonly text: string }
  | { readonly kind: 'delete range'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly from: number; readonly to: number; readonly at: number }
  | { readonly kind: 'splice'; readonly from: number; readonly to: number }
  | { readonly kind: 'nest'; readonly at: number; readonly depth: number; readonly tag: string }
  | { readonly kind: 'number'; readonly at: number; readonly value: string; readonly member: string }
  | { readonly kind: 'other root'; readonly root: string }
  | { readonly kind: 'huge text'; readonly unit: string; readonly count: number }
  | { readonly kind: 'drop closing tags'; readonly which: number }
  | { readonly kind: 'many items'; readonly count: number }
  | { readonly kind: 'BOM and CRLF' }
  | { readonly kind: 'external entity'; readonly entity: string }

/** A position as a fraction of a body's length. */
export const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true })

/**
 * Mostly `usual`; one time in 128 `huge` (a few of each in 10,000 bodies: a huge one costs tens of milliseconds per
 * decode, and each body is decoded three times).
 */
const sometimesHuge = (usual: ReadonlyArray<number>, huge: number) =>
  fc.oneof({ weight: 127, arbitrary: fc.constantFrom(...usual) }, { weight: 1, arbitrary: fc.constant(huge) })

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fraction, bits: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...INSERTS), inText: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('insert' as const),
      at: fraction,
      text: fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 2 }).map((fs) => fs.join('')),
      inText: fc.constant(false),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...ENTITIES), inText: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...CONTROL), inText: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace char' as const), at: fraction, text: fc.constantFrom('<', '>', '&', '\u0000', '\uD800', 'x', '"', ' ') }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete range' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), from: fraction, to: fraction, at: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), from: fraction, to: fraction }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('nest' as const),
      at: fraction,
      depth: sometimesHuge([2, 20, 50, 200, 500, 1_000, 2_000], 20_000),
      tag: fc.constantFrom('a', 'x', 'item', 'snapshotDetailSet', 'tagSet'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('number' as const), at: fraction, value: fc.constantFrom(...HUGE_NUMBERS), member: fc.constantFrom('diskImageSize', 'encrypted') }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('other root' as const),
      root: fc.constantFrom('DescribeImportImageTasksResponse', 'CancelImportTaskResponse', 'ImportImageResponse', 'Response', 'html', 'importimageresponse', 'ImportImageResult'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge text' as const),
      unit: fc.constantFrom('a', '&amp;', '&#x1F600;', '<![CDATA[c]]>'),
      count: sometimesHuge([500, 2_000], 50_000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop closing tags' as const), which: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('many items' as const), count: sometimesHuge([20, 200], 3_000) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'BOM and CRLF' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('external entity' as const), entity: fc.constantFrom('&xxe;', '&xxe2;') }) },
)

/** A position in `s`: anywhere, or (for `inText`) just after a `>`, where character data starts. */
const position = (s: string, at: number, inText: boolean): number => {
  if (!inText) return Math.floor(at * (s.length + 1))
  const ends: Array<number> = []
  for (let k = s.indexOf('>'); k >= 0; k = s.indexOf('>', k + 1)) ends.push(k + 1)
  return ends.length === 0 ? Math.floor(at * (s.length + 1)) : ends[Math.floor(at * ends.length)]!
}

const rootOf = (s: string): string => /<([A-Za-z]+Response|Response)[\s>]/.exec(s)?.[1] ?? 'ImportImageResponse'

/** `s` with `m` made. */
export const applyMutation = (s: string, m: Mutation): string => {
  switch (m.kind) {
    case 'truncate':
      // strictly inside the content: cutting only trailing whitespace would leave the document whole
      return s.slice(0, Math.floor(m.at * s.trimEnd().length))
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
    case 'replace char': {
      const k = Math.floor(m.at * s.length)
      return s.slice(0, k) + m.text + s.slice(k + 1)
    }
    case 'delete range': {
      const a = Math.floor(m.at * (s.length + 1))
      return s.slice(0, a) + s.slice(Math.min(s.length, a + m.length))
    }
    case 'duplicate': {
      const a = Math.floor(Math.min(m.from, m.to) * s.length)
      const b = Math.floor(Math.max(m.from, m.to) * s.length)
      const k = Math.floor(m.at * (s.length + 1))
      return s.slice(0, k) + s.slice(a, b) + s.slice(k)
    }
    case 'splice':
      // a piece dropped (from < to) or repeated (from > to)
      return s.slice(0, Math.floor(m.from * (s.length + 1))) + s.slice(Math.floor(m.to * (s.length + 1)))
    case 'nest': {
      const k = position(s, m.at, true)
      return s.slice(0, k) + `<${m.tag}>`.repeat(m.depth) + `</${m.tag}>`.repeat(m.depth) + s.slice(k)
    }
    case 'number': {
      const k = position(s, m.at, true)
      const inner = `<${m.member}>${m.value}</${m.member}>`
      return s.slice(0, k) + `<snapshotDetailSet><item>${inner}</item></snapshotDetailSet>${inner}` + s.slice(k)
    }
    case 'other root':
      return s.split(rootOf(s)).join(m.root)
    case 'huge text': {
      const a = s.indexOf('<requestId>')
      const huge = m.unit.repeat(m.count)
      return a === -1 ? s + huge : `${s.slice(0, a + 11)}${huge}${s.slice(a + 11)}`
    }
    case 'drop closing tags': {
      const tags = [...s.matchAll(/<\/([A-Za-z]+)>/g)].map((t) => t[1]!)
      const tag = tags.length === 0 ? rootOf(s) : tags[Math.floor(m.which * tags.length)]!
      return s.split(`</${tag}>`).join('')
    }
    case 'many items': {
      const root = rootOf(s)
      const item = /<item>[\s\S]*?<\/item>/.exec(s)?.[0] ?? '<item><key>k</key><value>v</value></item>'
      const a = s.indexOf(item)
      const many = item.repeat(m.count)
      return a === -1 ? s.replace(`</${root}>`, `<tagSet>${many}</tagSet></${root}>`) : s.slice(0, a) + many + s.slice(a)
    }
    case 'BOM and CRLF':
      return `\uFEFF${s.replace(/\n/g, '\r\n')}`
    case 'external entity': {
      const withoutDecl = s.replace(/^\uFEFF?<\?xml[^>]*\?>\s*/, '')
      return XXE_PROLOG + (withoutDecl.includes('<requestId>') ? withoutDecl.replace('<requestId>', `<requestId>${m.entity}`) : withoutDecl)
    }
  }
}

/** Invalid UTF-8 written over one to four bytes: the body goes out as those bytes. */
const byteDamage = fc.array(fc.tuple(fraction, fc.constantFrom(0xff, 0xfe, 0xc0, 0x80, 0xed, 0x00)), { minLength: 1, maxLength: 4 })

const damage = (s: string, hits: ReadonlyArray<readonly [number, number]>): Buffer => {
  const bytes = Buffer.from(s, 'utf8')
  if (bytes.length > 0) for (const [at, b] of hits) bytes[Math.floor(at * bytes.length)] = b
  return bytes
}

// -------------------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------------------

interface Body {
  readonly op: OpName
  readonly source: string
  readonly body: string | Buffer
  readonly mutations: ReadonlyArray<string>
  readonly cutShort: boolean
  /** An external entity was declared: served as a 200, so the reader gets as far as it would go. */
  readonly forceOk: boolean
}

const asServed = (s: Source): Body => ({ ...s, mutations: [], cutShort: false, forceOk: false })

const mutated: fc.Arbitrary<Body> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: resultSource }, { weight: 1, arbitrary: envelopeSource }),
    fc.array(mutation, { minLength: 1, maxLength: 3 }),
    fc.oneof({ weight: 19, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: byteDamage }),
  )
  .map(([src, ms, bytes]) => {
    const text = ms.reduce(applyMutation, src.body)
    const names = ms.map((m) => (m.kind === 'nest' ? `nest ${m.depth}` : m.kind === 'huge text' || m.kind === 'many items' ? `${m.kind} ${m.count}` : m.kind))
    return {
      op: src.op,
      source: src.source,
      body: bytes === undefined ? text : damage(text, bytes),
      mutations: bytes === undefined ? names : [...names, 'invalid UTF-8 bytes'],
      cutShort: ms[ms.length - 1]!.kind === 'truncate',
      forceOk: ms.some((m) => m.kind === 'external entity'),
    }
  })

const body: fc.Arbitrary<Body> = fc.oneof(
  { weight: 3, arbitrary: resultSource.map(asServed) },
  { weight: 1, arbitrary: envelopeSource.map(asServed) },
  { weight: 10, arbitrary: mutated },
  { weight: 1, arbitrary: fc.tuple(htmlPage, op).map(([b, o]) => asServed({ op: o, source: 'HTML page', body: b })) },
  { weight: 1, arbitrary: fc.tuple(randomText, op).map(([b, o]) => asServed({ op: o, source: 'random text', body: b })) },
)

const status = fc.oneof(
  { weight: 6, arbitrary: fc.constant(200) },
  { weight: 1, arbitrary: fc.constantFrom(201, 204, 400, 403, 404, 412, 500, 502, 503) },
)

const contentType = fc.oneof(
  { weight: 3, arbitrary: fc.constant('text/xml;charset=UTF-8') },
  { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/html', 'application/octet-stream', '') },
)

/** A bad (or sometimes good) EC2 response. */
export const badResponse: fc.Arbitrary<BadResponse> = fc
  .tuple(body, status, contentType)
  .map(([b, s, c]) => ({ op: b.op, status: b.forceOk ? 200 : s, contentType: c, body: b.body, source: b.source, mutations: b.mutations, cutShort: b.cutShort }))

/** A short description of a response, for a failure message: its operation, status, making and body. */
export const describeResponse = (r: BadResponse, text: string): string => {
  const made = r.mutations.length === 0 ? r.source : `${r.source} + ${r.mutations.join(', ')}`
  return `${r.op}, HTTP ${r.status}, ${made}, ${text.length} chars: ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`
}
