/**
 * The REST-XML protocol (`restXml`, which S3 speaks): a request value to a method, a path, a query string, headers and
 * a body, each member where its declaration's `location` puts it; and a response (status, headers, body) to the
 * result, the service's error, or something unreadable.
 *
 * It walks the same declarations (`Schema`) as the query engines, and shares their parts: the scalar forms of
 * `ScalarKind` (each scalar written and read as its kind's row says for a header, a URI label, a query string or
 * XML), the RFC 3986 encoding of `QuerySerializer`, the XML parser and the declaration-driven `readXml` of
 * `XmlReader`. Its own rules, all stated here and nowhere else:
 * - the operation's `http` binding gives the method and the URI template; `{Name}` is the `uri` member whose
 *   `locationName` is `Name`, percent-encoded whole (a `/` too), `{Name+}` is greedy and keeps its `/` (an S3 key);
 *   a static query in the template (`?uploads`) comes first, then the `querystring` members in declaration order (a
 *   list repeats its key; a map of strings adds one parameter per entry);
 * - `header` members are headers (a list joined with `, `), a `headers` map adds one header per entry under its
 *   prefix (`x-amz-meta-`);
 * - a timestamp whose format the model leaves open is an HTTP date in a header, ISO 8601 elsewhere
 *   (`timestampFormatAt`);
 * - the body is the `payload` member when there is one (a blob or stream as it is, a string as text, a structure as
 *   an XML document whose root is the member's `locationName`, else the shape's), else the members without a location
 *   in an XML document named after the input shape; no body members, no body;
 * - a result takes its `header`, `headers` and `statusCode` members from the response and the rest from the XML body
 *   (attributes included), whatever its root element is called;
 * - an error is `<Error><Code/><Message/><RequestId/></Error>` at the root (S3), or `<ErrorResponse><Error>…` (other
 *   REST-XML services), whatever the status: S3 can answer `200 OK` with an error for a call that failed after it
 *   began to answer (`CompleteMultipartUpload`). A body-less error (every error of a `HEAD`) is named from its status
 *   (`NotFound`, `Forbidden`, `PermanentRedirect` with the bucket's region from `x-amz-bucket-region`); anything else
 *   that cannot be read is unreadable, with the body kept by the caller.
 *
 * `restXml` is this module as a `Protocol`; the pure stages below it (`serializeRestXml`, `decodeRestXml`) are what
 * the protocol tests drive.
 *
 * @since 0.2.0
 */
import { createHash } from 'node:crypto'
import { XMLParser } from 'fast-xml-parser'
import * as t from 'io-ts'
import { INVALID, timestampFormatAt, writeScalar } from '../schema/ScalarKind.js'
import * as S from '../schema/Schema.js'
import { asWire, type Member, type WireCodec, type XmlNamespace } from '../schema/Schema.js'
import { settleDecoded, type HttpBinding, type Operation, type RawResponse } from './Operation.js'
import type { Protocol, RequestBody, SerializedRequest } from './Protocol.js'
import { percentEncode } from './QuerySerializer.js'
import { child, detachOpt, first, parseXml, readXml, textOf, XML_PARSER_OPTIONS, type XmlNode } from './XmlReader.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A REST-XML response read to the end: the decoded result, the service's error, or why it could not be read (with
 * the declaration's complaints when the body was fine but did not fit it).
 *
 * @category model
 * @internal
 * @since 0.2.0
 */
export type RestXmlDecoded =
  | { readonly _tag: 'Result'; readonly value: unknown; readonly requestId: string | undefined }
  | {
      readonly _tag: 'ServiceError'
      readonly code: string
      readonly message: string
      readonly requestId: string | undefined
      /** The `<Error>` element, from which a modeled error's members can be read with `readXml`. */
      readonly node: XmlNode | undefined
    }
  | {
      readonly _tag: 'Unreadable'
      readonly reason: string
      readonly requestId: string | undefined
      readonly errors?: t.Errors
    }

/**
 * The content types of the bodies this protocol writes, as the AWS SDKs send them.
 *
 * @category model
 * @internal
 * @since 0.2.0
 */
export const REST_XML_CONTENT_TYPES = {
  xml: 'application/xml',
  text: 'text/plain',
  bytes: 'application/octet-stream',
} as const

// -------------------------------------------------------------------------------------------------
// internal: formats
// -------------------------------------------------------------------------------------------------

type Scalar = WireCodec & { readonly _tag: 'ScalarType' }
type Struct = WireCodec & { readonly _tag: 'StructType' }

const HTTP_DATE = /[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT/g

// A list header's items: HTTP dates contain commas, so they are matched whole; anything else splits on commas.
const splitHeaderList = (item: Scalar, raw: string): Array<string> => {
  if (item.kind === 'timestamp' && timestampFormatAt(item, 'header') === 'rfc822') return raw.match(HTTP_DATE) ?? []
  return raw.split(',').map((s) => s.trim())
}

// -------------------------------------------------------------------------------------------------
// internal: XML writing
// -------------------------------------------------------------------------------------------------

const escapeText = (s: string): string =>
  s.replace(/[&<>\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#xD;'))

const escapeAttribute = (s: string): string =>
  s.replace(/[&<>"\r\n\t]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === '\r' ? '&#xD;' : c === '\n' ? '&#xA;' : '&#x9;',
  )

const xmlns = (ns: XmlNamespace | undefined): string =>
  ns === undefined ? '' : ns.prefix === undefined ? ` xmlns="${escapeAttribute(ns.uri)}"` : ` xmlns:${ns.prefix}="${escapeAttribute(ns.uri)}"`

// One element named `name` holding `value`; `ns` is the namespace the element declares.
const writeElement = (name: string, codec: WireCodec, value: unknown, ns: XmlNamespace | undefined): string => {
  switch (codec._tag) {
    case 'ScalarType':
      return `<${name}${xmlns(ns)}>${escapeText(writeScalar(codec, value, 'xml'))}</${name}>`
    case 'StructType': {
      const record = value as Record<string, unknown>
      let attributes = ''
      let children = ''
      for (const m of codec.members) {
        const v = record[m.name]
        if (v === undefined) continue
        const mc = asWire(m.codec)
        if (m.xmlAttribute && mc._tag === 'ScalarType') attributes += ` ${m.xmlName}="${escapeAttribute(writeScalar(mc, v, 'xml'))}"`
        else children += writeMember(m, mc, v)
      }
      // A structure declares its own namespace unless the member that holds it names one.
      return `<${name}${xmlns(ns ?? codec.xml.namespace)}${attributes}>${children}</${name}>`
    }
    case 'ListType':
      return `<${name}${xmlns(ns)}>${writeItems(codec, value as ReadonlyArray<unknown>, codec.itemName)}</${name}>`
    case 'MapType':
      return `<${name}${xmlns(ns)}>${writeEntries(codec, value as Record<string, unknown>, 'entry', undefined)}</${name}>`
  }
}

const writeItems = (codec: WireCodec & { readonly _tag: 'ListType' }, items: ReadonlyArray<unknown>, itemName: string): string => {
  const item = asWire(codec.item)
  let out = ''
  for (const v of items) out += writeElement(itemName, item, v, codec.itemXmlNamespace)
  return out
}

const writeEntries = (
  codec: WireCodec & { readonly _tag: 'MapType' },
  record: Record<string, unknown>,
  entryName: string,
  entryNs: XmlNamespace | undefined,
): string => {
  const value = asWire(codec.value)
  let out = ''
  for (const k of Object.keys(record)) {
    out +=
      `<${entryName}${xmlns(entryNs)}>` +
      `<${codec.keyName}${xmlns(codec.xml.keyNamespace)}>${escapeText(k)}</${codec.keyName}>` +
      writeElement(codec.valueName, value, record[k], codec.xml.valueNamespace) +
      `</${entryName}>`
  }
  return out
}

const writeMember = (m: Member, codec: WireCodec, v: unknown): string => {
  if (m.flattened) {
    // Flattened, the items (or entries) repeat the member's own element, with no wrapper.
    if (codec._tag === 'ListType') {
      const item = asWire(codec.item)
      let out = ''
      for (const x of v as ReadonlyArray<unknown>) out += writeElement(m.xmlName, item, x, m.xmlNamespace)
      return out
    }
    if (codec._tag === 'MapType') return writeEntries(codec, v as Record<string, unknown>, m.xmlName, m.xmlNamespace)
  }
  return writeElement(m.xmlName, codec, v, m.xmlNamespace)
}

// -------------------------------------------------------------------------------------------------
// serialize
// -------------------------------------------------------------------------------------------------

const LABEL = /\{([^}+]+)(\+?)\}/g

const CONTENT_SHA256 = 'x-amz-content-sha256'

// The signer hashes text itself; bytes are hashed here, where they are at hand, and a stream (read afresh for each
// attempt, possibly gigabytes) is sent unsigned, its integrity left to the checksum header S3 verifies. A caller that
// wants bytes unsigned too (an upload part, to save the CPU of a second hash) replaces the header after serializing.
const payloadHash = (body: Uint8Array | (() => NodeJS.ReadableStream)): string =>
  typeof body === 'function' ? 'UNSIGNED-PAYLOAD' : createHash('sha256').update(body).digest('hex')

const DEFAULT_BINDING: HttpBinding = { method: 'POST', requestUri: '/' }

const headerNamed = (headers: Record<string, string>, name: string): boolean => {
  const lower = name.toLowerCase()
  return Object.keys(headers).some((h) => h.toLowerCase() === lower)
}

/**
 * Serialize a valid request value to its REST-XML HTTP form: method, path and query (percent-encoded, below the
 * endpoint's own path), headers and body.
 *
 * The value must already have passed its codec: the serializer trusts its types. A member marked as an idempotency
 * token that the value lacks is filled by `idempotencyToken`. A request whose body is not text carries the
 * content type of raw bytes unless a `Content-Type` member says otherwise, and the payload hash the signer needs
 * for it (`x-amz-content-sha256`): the SHA-256 of bytes, `UNSIGNED-PAYLOAD` for a stream.
 *
 * @category serialize
 * @internal
 * @since 0.2.0
 */
export const serializeRestXml = <I, O>(op: Operation<I, O>, input: I, idempotencyToken: () => string): SerializedRequest => {
  const binding = op.http ?? DEFAULT_BINDING
  const shape = asWire(op.input) as Struct
  const record = input as Record<string, unknown>
  const valueOf = (m: Member): unknown => {
    const v = record[m.name]
    return v === undefined && m.idempotencyToken ? idempotencyToken() : v
  }

  const uriMembers = new Map<string, Member>()
  const query: Array<string> = []
  const headers: Record<string, string> = {}
  let payload: Member | undefined
  let hasBodyMembers = false
  for (const m of shape.members) {
    if (m.payload) payload = m
    switch (m.location) {
      case 'uri':
        uriMembers.set(m.locationName ?? m.name, m)
        continue
      case 'querystring': {
        const v = valueOf(m)
        if (v === undefined) continue
        const codec = asWire(m.codec)
        const key = m.locationName ?? m.name
        if (codec._tag === 'ScalarType') query.push(percentEncode(key) + '=' + percentEncode(writeScalar(codec, v, 'query')))
        else if (codec._tag === 'ListType') {
          const item = asWire(codec.item) as Scalar
          for (const x of v as ReadonlyArray<unknown>) query.push(percentEncode(key) + '=' + percentEncode(writeScalar(item, x, 'query')))
        } else if (codec._tag === 'MapType') {
          // A map in the query string: each entry is a parameter of its own (a list value repeats its key).
          const value = asWire(codec.value)
          for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
            const items = value._tag === 'ListType' ? (x as ReadonlyArray<unknown>) : [x]
            const item = (value._tag === 'ListType' ? asWire(value.item) : value) as Scalar
            for (const y of items) query.push(percentEncode(k) + '=' + percentEncode(writeScalar(item, y, 'query')))
          }
        }
        continue
      }
      case 'header': {
        const v = valueOf(m)
        if (v === undefined) continue
        const codec = asWire(m.codec)
        const name = m.locationName ?? m.name
        if (codec._tag === 'ListType') {
          const item = asWire(codec.item) as Scalar
          headers[name] = (v as ReadonlyArray<unknown>).map((x) => writeScalar(item, x, 'header')).join(', ')
        } else if (codec._tag === 'ScalarType') {
          headers[name] = writeScalar(codec, v, 'header')
        }
        continue
      }
      case 'headers': {
        const v = valueOf(m)
        if (v === undefined) continue
        const prefix = m.locationName ?? ''
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) headers[prefix + k] = String(x)
        continue
      }
      case 'statusCode':
        continue
      default:
        if (!m.payload && valueOf(m) !== undefined) hasBodyMembers = true
    }
  }

  const q = binding.requestUri.indexOf('?')
  const template = q === -1 ? binding.requestUri : binding.requestUri.slice(0, q)
  const staticQuery = q === -1 ? '' : binding.requestUri.slice(q + 1)
  const path = template.replace(LABEL, (_, name: string, greedy: string) => {
    const m = uriMembers.get(name)
    const v = m === undefined ? undefined : valueOf(m)
    if (m === undefined || v === undefined) return ''
    const text = writeScalar(asWire(m.codec) as Scalar, v, 'uri')
    // Greedy (`{Key+}`): each segment encoded, the `/` between them kept, so `a/b.vmdk` stays a path below the bucket.
    return greedy === '+' ? text.split('/').map(percentEncode).join('/') : percentEncode(text)
  })
  const queryString = (staticQuery === '' ? [] : [staticQuery]).concat(query).join('&')

  let body: RequestBody = ''
  if (payload !== undefined) {
    const v = valueOf(payload)
    const codec = asWire(payload.codec)
    // An operation with a payload states its content type even when the payload is absent, as the AWS SDKs do (S3
    // stores it as the object's `Content-Type` for an empty `PutObject`).
    const contentType =
      codec._tag === 'StructType' ? REST_XML_CONTENT_TYPES.xml : codec._tag === 'ScalarType' && codec.kind === 'blob' ? REST_XML_CONTENT_TYPES.bytes : REST_XML_CONTENT_TYPES.text
    if (!headerNamed(headers, 'content-type')) headers['Content-Type'] = contentType
    if (v !== undefined) {
      if (codec._tag === 'StructType') {
        const root = payload.locationName ?? codec.xml.name ?? codec.name
        body = writeElement(root, codec, v, payload.xmlNamespace ?? codec.xml.namespace)
      } else if (codec._tag === 'ScalarType' && codec.kind === 'blob') {
        body = v as RequestBody
        if (typeof body !== 'string') headers[CONTENT_SHA256] = payloadHash(body)
      } else if (codec._tag === 'ScalarType') {
        body = writeScalar(codec, v, 'xml')
      }
    }
  } else if (hasBodyMembers) {
    // Smithy's rule: the input structure's own XML name, else the operation's input `locationName`, else its name.
    const root = shape.xml.name ?? binding.requestXmlName ?? shape.name
    const bodyOnly: Record<string, unknown> = {}
    for (const m of shape.members) if (m.location === undefined && !m.payload) bodyOnly[m.name] = valueOf(m)
    body = writeElement(root, bodyShapeOf(shape), bodyOnly, shape.xml.namespace ?? binding.requestXmlNamespace)
    if (!headerNamed(headers, 'content-type')) headers['Content-Type'] = REST_XML_CONTENT_TYPES.xml
  }

  return { method: binding.method, path: queryString === '' ? path : `${path}?${queryString}`, headers, body }
}

// The members of a structure that travel in an XML body (no location, not the payload), as a structure of their own.
const bodyShapes = new WeakMap<object, Struct>()
const bodyShapeOf = (shape: Struct): Struct => {
  const known = bodyShapes.get(shape)
  if (known !== undefined) return known
  const props: Record<string, S.MemberSpec> = {}
  for (const m of shape.members) if (m.location === undefined && !m.payload) props[m.name] = shape.props[m.name]!
  const body = asWire(S.struct(shape.name, props, { ...(shape.xml.name === undefined ? {} : { xmlName: shape.xml.name }) })) as Struct
  bodyShapes.set(shape, body)
  return body
}

// -------------------------------------------------------------------------------------------------
// internal: reading XML
// -------------------------------------------------------------------------------------------------

const ATTRIBUTE_PREFIX = '@_'

const isResponseLocated = (m: Member): boolean => m.location === 'header' || m.location === 'headers' || m.location === 'statusCode'

// The declaration `readXml` walks for a result body: the body members only, with each attribute member read from
// the attribute the parser keeps as `@_name`, and a flattened list read from its items' own element name when the
// model gives one (botocore's rule). Built once per declaration.
const readViews = new WeakMap<object, { readonly codec: WireCodec; readonly attributes: boolean }>()

const readView = (codec: WireCodec): { readonly codec: WireCodec; readonly attributes: boolean } => {
  const known = readViews.get(codec)
  if (known !== undefined) return known
  let view: { codec: WireCodec; attributes: boolean }
  switch (codec._tag) {
    case 'ScalarType':
      view = { codec, attributes: false }
      break
    case 'ListType': {
      const item = readView(asWire(codec.item))
      view = { codec: asWire(S.list(item.codec, codec.itemName, codec.name)), attributes: item.attributes }
      break
    }
    case 'MapType': {
      const value = readView(asWire(codec.value))
      view = { codec: asWire(S.map(value.codec, codec.keyName, codec.valueName, codec.name)), attributes: value.attributes }
      break
    }
    case 'StructType': {
      const props: Record<string, S.MemberSpec> = {}
      let attributes = false
      for (const m of codec.members) {
        // In a result, only headers and the status travel outside the body: a shape shared with a request reads its
        // `uri` and `querystring` members from the body.
        if (isResponseLocated(m) || m.payload) continue
        const inner = readView(asWire(m.codec))
        attributes ||= inner.attributes || m.xmlAttribute
        const mc = asWire(m.codec)
        const flatItemName = m.flattened && mc._tag === 'ListType' && mc.itemName !== 'member' ? mc.itemName : undefined
        const locationName = m.xmlAttribute ? ATTRIBUTE_PREFIX + m.xmlName : flatItemName ?? m.xmlName
        const original = codec.props[m.name]!
        props[m.name] = { codec: inner.codec, options: { ...original.options, locationName } }
      }
      view = { codec: asWire(S.struct(codec.name, props)), attributes }
      break
    }
  }
  readViews.set(codec, view)
  return view
}

// Only for declarations with attribute members: `parseXml` (whose tree `readXml` reads) leaves attributes out.
let attributeParser: XMLParser | undefined
const parseWithAttributes = (body: string): Record<string, XmlNode> =>
  (attributeParser ??= new XMLParser({ ...XML_PARSER_OPTIONS, ignoreAttributes: false, attributeNamePrefix: ATTRIBUTE_PREFIX })).parse(
    body,
  ) as Record<string, XmlNode>

// (A body that starts with `<` is not blank; `trim` would copy a large one only to say so.)
const isBlank = (s: string): boolean => s.length === 0 || (s.charCodeAt(0) !== 60 && s.trim() === '')

type Parsed = { readonly _tag: 'Doc'; readonly root: string; readonly node: XmlNode } | { readonly _tag: 'NotXml'; readonly reason: string }

const parseBody = (body: string, attributes: boolean): Parsed => {
  const doc = parseXml(body)
  if (doc._tag !== 'Right') return { _tag: 'NotXml', reason: doc._tag === 'NotXml' ? doc.reason : 'not XML' }
  // Well-formed (parseXml checked, and refused any DTD): read again keeping attributes only when they are needed.
  const tree = attributes ? parseWithAttributes(body) : doc.right
  const roots = Object.keys(tree)
  if (roots.length !== 1) return { _tag: 'NotXml', reason: 'expected one root element' }
  const root = roots[0]!
  const node = tree[root]
  return { _tag: 'Doc', root, node: node === undefined ? '' : (node as XmlNode) }
}

const textAt = (n: XmlNode | undefined, name: string): string | undefined => detachOpt(textOf(first(child(n, name))))

/** The service's error in a body: S3's `<Error>` root, or `<ErrorResponse><Error>`; `undefined` for anything else. */
const errorIn = (parsed: Parsed): Extract<RestXmlDecoded, { _tag: 'ServiceError' }> | undefined => {
  if (parsed._tag !== 'Doc') return undefined
  const error = parsed.root === 'Error' ? parsed.node : parsed.root === 'ErrorResponse' ? first(child(parsed.node, 'Error')) : undefined
  if (error === undefined) return undefined
  const code = textAt(error, 'Code')
  if (code === undefined || code === '') return undefined
  const requestId = textAt(error, 'RequestId') ?? textAt(parsed.node, 'RequestId') ?? textAt(parsed.node, 'RequestID')
  return { _tag: 'ServiceError', code, message: textAt(error, 'Message') ?? '', requestId, node: error }
}

// What S3 answers a request with no body to (every HEAD) when it fails: only the status says what happened.
const STATUS_CODES: Readonly<Record<number, { readonly code: string; readonly message: string }>> = {
  301: { code: 'PermanentRedirect', message: 'the bucket is in another region; send the request to that region' },
  304: { code: 'NotModified', message: 'not modified' },
  400: { code: 'BadRequest', message: 'bad request' },
  403: { code: 'Forbidden', message: 'access denied (or the object does not exist and the caller may not list the bucket)' },
  404: { code: 'NotFound', message: 'not found' },
  412: { code: 'PreconditionFailed', message: 'a precondition (If-Match, If-Unmodified-Since) failed' },
}

// -------------------------------------------------------------------------------------------------
// read
// -------------------------------------------------------------------------------------------------

/** Response headers by lower-case name, a repeated header joined with `, ` as HTTP allows. */
const lowerHeaders = (headers: RawResponse['headers']): Map<string, string> => {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue
    const text = typeof v === 'string' ? v : v.join(', ')
    const lower = k.toLowerCase()
    const had = out.get(lower)
    out.set(lower, had === undefined ? text : `${had}, ${text}`)
  }
  return out
}

const fieldError = (output: WireCodec, m: Member, actual: unknown, message: string): t.ValidationError => ({
  value: actual,
  context: [
    { key: '', type: output as unknown as t.Decoder<unknown, unknown>, actual },
    { key: m.name, type: m.codec, actual },
  ],
  message,
})

/**
 * Read a REST-XML response to the end: the service's error, or the result (its `statusCode`, `header` and
 * `headers` members from the response, its payload or body members from the body), or why it could not be read.
 *
 * A status of 300 or more is an error: from the body when it holds one, from the status when the body is empty, and
 * unreadable otherwise (a proxy's page). A success whose body is an S3 `<Error>` is the error it says. A success whose
 * body cannot be read, where the declaration expects one, is unreadable, never an empty success.
 *
 * @category read
 * @internal
 * @since 0.2.0
 */
export const decodeRestXml = (output: WireCodec, response: RawResponse): RestXmlDecoded => {
  const headers = lowerHeaders(response.headers)
  const headerRequestId = headers.get('x-amz-request-id') ?? headers.get('x-amzn-requestid')
  const struct = output as Struct
  const members = struct._tag === 'StructType' ? struct.members : []
  const payload = members.find((m) => m.payload)
  const payloadCodec = payload === undefined ? undefined : asWire(payload.codec)
  const rawPayload = payloadCodec !== undefined && payloadCodec._tag === 'ScalarType'
  const view = readView(payloadCodec !== undefined && payloadCodec._tag === 'StructType' ? payloadCodec : output)
  const blank = isBlank(response.body)
  // Parsed once, and only when it can matter: an error, or a body the declaration reads.
  let parsed: Parsed | undefined
  const parse = (): Parsed => (parsed ??= parseBody(response.body, view.attributes))

  if (response.statusCode >= 300) {
    if (blank) {
      const known = STATUS_CODES[response.statusCode]
      if (known === undefined) return { _tag: 'Unreadable', reason: `HTTP ${response.statusCode} with an empty body`, requestId: headerRequestId }
      const region = response.statusCode === 301 ? headers.get('x-amz-bucket-region') : undefined
      const message = region === undefined ? known.message : `the bucket is in ${region}; send the request to that region`
      return { _tag: 'ServiceError', code: known.code, message, requestId: headerRequestId, node: undefined }
    }
    const p = parse()
    const error = errorIn(p)
    if (error !== undefined) return { ...error, requestId: error.requestId ?? headerRequestId }
    return {
      _tag: 'Unreadable',
      reason: p._tag === 'NotXml' ? p.reason : `<${p.root}> is not an error response`,
      requestId: headerRequestId,
    }
  }

  const out: Record<string, unknown> = {}
  const errors: Array<t.ValidationError> = []
  for (const m of members) {
    const codec = asWire(m.codec)
    switch (m.location) {
      case 'statusCode':
        out[m.name] = response.statusCode
        break
      case 'header': {
        const raw = headers.get((m.locationName ?? m.name).toLowerCase())
        if (raw === undefined) break
        if (codec._tag === 'ListType') {
          const item = asWire(codec.item) as Scalar
          const values: Array<unknown> = []
          for (const s of splitHeaderList(item, raw)) {
            const v = item.rules.fromHeader(s)
            if (v !== INVALID) values.push(v)
            else errors.push(fieldError(output, m, raw, item.rules.textExpected))
          }
          out[m.name] = values
        } else if (codec._tag === 'ScalarType') {
          const v = codec.rules.fromHeader(raw)
          if (v !== INVALID) out[m.name] = v
          else errors.push(fieldError(output, m, raw, codec.rules.textExpected))
        }
        break
      }
      case 'headers': {
        // Always present, empty when no header has the prefix (as the AWS SDKs return S3's `Metadata`).
        const prefix = (m.locationName ?? '').toLowerCase()
        const map: Record<string, string> = {}
        for (const [k, v] of headers) if (k.startsWith(prefix)) map[k.slice(prefix.length)] = v
        out[m.name] = map
        break
      }
      default:
        break
    }
  }

  if (payload !== undefined && rawPayload) {
    if (response.body.length > 0) {
      const kind = (payloadCodec as Scalar).kind
      if (kind === 'blob') out[payload.name] = new Uint8Array(Buffer.from(response.body, 'utf8'))
      else out[payload.name] = response.body
    }
  } else {
    const readsBody = payload !== undefined || (view.codec._tag === 'StructType' && view.codec.members.length > 0)
    if (!blank) {
      const p = parse()
      const error = errorIn(p)
      if (error !== undefined) return { ...error, requestId: error.requestId ?? headerRequestId }
      if (readsBody) {
        if (p._tag === 'NotXml') return { _tag: 'Unreadable', reason: p.reason, requestId: headerRequestId }
        // A document whose root is itself a member (S3's `<LocationConstraint>eu-west-1</LocationConstraint>`) is
        // read as a structure holding that one member.
        // Empty, it is that member absent: S3 answers `<LocationConstraint/>` for us-east-1, which the AWS SDKs return as
        // no location constraint.
        const rootIsMember = view.codec._tag === 'StructType' && view.codec.byXmlName.has(p.root)
        const r = readXml(view.codec, rootIsMember ? (textOf(p.node) === '' ? {} : ({ [p.root]: p.node } as XmlNode)) : p.node)
        if (r._tag === 'Left') errors.push(...r.left)
        else if (payload !== undefined) out[payload.name] = r.right
        else Object.assign(out, r.right as Record<string, unknown>)
      }
    }
  }

  if (errors.length > 0) {
    return { _tag: 'Unreadable', reason: `the result does not match ${output.name}`, requestId: headerRequestId, errors }
  }
  return { _tag: 'Result', value: out, requestId: headerRequestId }
}

// -------------------------------------------------------------------------------------------------
// protocols
// -------------------------------------------------------------------------------------------------

/**
 * The REST-XML protocol (S3), for a service description to name: each operation's HTTP binding and members'
 * locations give the request; the response is read back as the pipeline's result, `ServiceError` or `DecodeError`
 * (which keeps the body).
 *
 * @category protocols
 * @internal
 * @since 0.2.0
 */
export const restXml: Protocol = {
  name: 'restXml',
  serialize: serializeRestXml,
  decode: (op, response, attempts) => settleDecoded(op, response, attempts, decodeRestXml(asWire(op.output), response)),
}
