/**
 * The test side of the protocol tests: it turns the shapes that AWS's own protocol tests declare (botocore's
 * `service-2.json` vocabulary, for ec2, awsQuery and rest-xml alike — rest-xml adding members' `location`, the
 * payload, XML attributes and namespaces, and the operation's HTTP binding (`restOperationOf`) — and Smithy's JSON AST
 * from `smithy-ec2query-cases.json`)
 * into engine declarations, using only the public combinators of `src/Schema.ts`, and converts the tests' JSON values
 * to domain values and back.
 *
 * Nothing here knows a wire rule of its own: names, list item elements, flattening, timestamp formats are all read from
 * the test's shapes and handed to the combinators, and the engine does the rest. The one place where the adapter has to
 * state a rule is Smithy's ec2Query naming (`ec2QueryName`, else the capitalized `xmlName`, else the capitalized member
 * name), because Smithy spells the query name and the XML name as two separate traits and the engine takes them as
 * `queryName` and `locationName`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type * as t from 'io-ts'
import type { Operation } from '../../src/internal/protocol/Operation.js'
import * as S from '../../src/internal/schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// fixtures
// -------------------------------------------------------------------------------------------------

const FIXTURES = fileURLToPath(new URL('../fixtures/protocol/', import.meta.url))

/** Read one JSON file of `test/fixtures/protocol/`. */
export const loadFixture = <A>(file: string): A => JSON.parse(readFileSync(`${FIXTURES}${file}`, 'utf8')) as A

/** A JSON object as the tests write params and results. */
export type Json = Readonly<Record<string, unknown>>

// botocore ------------------------------------------------------------------------------------------

/** A reference to a shape, with the member-level serialization keys botocore models put next to it. */
export interface BotocoreRef {
  readonly shape: string
  readonly locationName?: string
  readonly queryName?: string
  readonly flattened?: boolean
  readonly timestampFormat?: string
  readonly idempotencyToken?: boolean
  readonly hostLabel?: boolean
  readonly xmlNamespace?: unknown
  /** REST protocols: where the member travels (`uri`, `querystring`, `header`, `headers`, `statusCode`). */
  readonly location?: string
  readonly xmlAttribute?: boolean
  readonly streaming?: boolean
}

/** A botocore shape (`service-2.json` vocabulary). */
export interface BotocoreShape {
  readonly type: string
  readonly members?: Readonly<Record<string, BotocoreRef>>
  readonly required?: ReadonlyArray<string>
  readonly member?: BotocoreRef
  readonly key?: BotocoreRef
  readonly value?: BotocoreRef
  readonly enum?: ReadonlyArray<string>
  readonly timestampFormat?: string
  readonly flattened?: boolean
  readonly locationName?: string
  readonly xmlNamespace?: unknown
  readonly exception?: boolean
  readonly sensitive?: boolean
  /** REST protocols: the member that is the whole body. */
  readonly payload?: string
  readonly streaming?: boolean
  /** An error shape's wire code, when it is not the shape's name (`Customized` for `CustomCodeError`). */
  readonly error?: { readonly code?: string; readonly httpStatusCode?: number; readonly senderFault?: boolean }
}

export type BotocoreShapes = Readonly<Record<string, BotocoreShape>>

export interface BotocoreSuite<C> {
  readonly description: string
  readonly metadata: { readonly protocol: string; readonly apiVersion?: string }
  readonly clientEndpoint?: string
  readonly shapes: BotocoreShapes
  readonly cases: ReadonlyArray<C>
}

export interface BotocoreInputCase {
  readonly id?: string
  readonly given: {
    readonly name: string
    readonly input?: { readonly shape: string; readonly locationName?: string; readonly xmlNamespace?: unknown }
    readonly http?: { readonly method: string; readonly requestUri: string; readonly responseCode?: number }
    readonly endpoint?: { readonly hostPrefix: string }
  }
  readonly params: Json
  readonly serialized: {
    readonly method?: string
    readonly uri: string
    readonly body?: string
    readonly headers?: Readonly<Record<string, string>>
    readonly host?: string
    /** REST-XML: headers that must be sent, whatever their value (`Content-Length`). */
    readonly requireHeaders?: ReadonlyArray<string>
  }
}

export interface BotocoreOutputCase {
  readonly id?: string
  readonly given: {
    readonly name: string
    readonly output?: { readonly shape: string; readonly resultWrapper?: string }
    readonly errors?: ReadonlyArray<{ readonly shape: string }>
    readonly http?: { readonly method: string; readonly requestUri: string; readonly responseCode?: number }
  }
  readonly result?: Json
  readonly error?: Json
  readonly errorCode?: string
  readonly errorMessage?: string
  /** The awsQuery cases of operations without output state only the status: no headers, no body. */
  readonly response: {
    readonly status_code: number
    readonly headers?: Readonly<Record<string, string>>
    readonly body?: string
  }
}

// Smithy --------------------------------------------------------------------------------------------

export interface SmithyMember {
  readonly target: string
  readonly traits?: Readonly<Record<string, unknown>>
}

export interface SmithyShape {
  readonly type: string
  readonly traits?: Readonly<Record<string, unknown>>
  readonly members?: Readonly<Record<string, SmithyMember>>
}

export type SmithyShapes = Readonly<Record<string, SmithyShape>>

export interface SmithyRequestTest {
  readonly id: string
  readonly protocol: string
  readonly method: string
  readonly uri: string
  readonly host?: string
  readonly resolvedHost?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  readonly params?: Json
  readonly appliesTo?: string
  readonly tags?: ReadonlyArray<string>
  readonly operation: string
  readonly inputShape: string | null
}

export interface SmithyResponseTest {
  readonly id: string
  readonly protocol: string
  readonly code: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  readonly params?: Json
  readonly appliesTo?: string
  readonly vendorParams?: Json
  readonly operation: string
  readonly outputShape?: string
  readonly errorShape?: string
  readonly errorCode?: string
  readonly isError: boolean
}

export interface SmithyCases {
  readonly service: { readonly shapeId: string; readonly version: string }
  readonly requestTests: ReadonlyArray<SmithyRequestTest>
  readonly responseTests: ReadonlyArray<SmithyResponseTest>
  readonly shapes: SmithyShapes
}

// -------------------------------------------------------------------------------------------------
// shapes to declarations
// -------------------------------------------------------------------------------------------------

/**
 * Whether a declaration is for a request or a result. It decides only how enums are declared: closed
 * (`enumeration`) in a request, open (`openEnumeration`) in a result, as the client declares its own.
 */
export type Direction = 'input' | 'output'

/**
 * How deep a recursive shape is unrolled. The combinators build every member eagerly and have no lazy form, so a
 * recursive shape is declared as a chain this many levels deep (the tests' values nest three levels at most); past
 * it the recursive member is left out, and a value reaching that far fails loudly in `toDomain` (or reads as a
 * missing member), never silently passes.
 */
export const MAX_UNROLL = 8

type Stack = ReadonlyMap<string, number>

const push = (stack: Stack, name: string): Stack | undefined => {
  const depth = stack.get(name) ?? 0
  if (depth >= MAX_UNROLL) return undefined
  return new Map(stack).set(name, depth + 1)
}

interface WireOptions {
  locationName?: string
  queryName?: string
  flattened?: boolean
  idempotencyToken?: boolean
  location?: S.HttpLocation
  payload?: boolean
  xmlAttribute?: boolean
  xmlNamespace?: S.XmlNamespace
}

const memberSpec = (codec: t.Mixed, options: WireOptions, required: boolean): S.MemberSpec =>
  required ? S.member(codec, { ...options, required: true }) : S.member(codec, options)

const scalar = (type: string, format: S.TimestampFormat | undefined): t.Mixed => {
  switch (type) {
    case 'string':
      return S.string
    case 'boolean':
      return S.boolean
    case 'byte':
    case 'short':
    case 'integer':
      return S.integer
    case 'long':
      return S.long
    case 'float':
      return S.float
    case 'double':
      return S.double
    case 'character':
      return S.character
    case 'blob':
      return S.blob
    case 'timestamp':
      return S.timestamp(format)
    default:
      throw new Error(`protocol adapter: no scalar for shape type '${type}'`)
  }
}

// botocore ------------------------------------------------------------------------------------------

const BOTOCORE_TIMESTAMP_FORMATS: Readonly<Record<string, S.TimestampFormat>> = {
  iso8601: 'iso8601',
  unixTimestamp: 'unixTimestamp',
  rfc822: 'rfc822',
}

// `undefined` when the model names no format: REST-XML then takes the member's location's (an HTTP date in a header).
const botocoreFormat = (format: string | undefined): S.TimestampFormat | undefined => {
  if (format === undefined) return undefined
  const f = BOTOCORE_TIMESTAMP_FORMATS[format]
  if (f === undefined) throw new Error(`protocol adapter: unknown botocore timestampFormat '${format}'`)
  return f
}

const botocoreShape = (shapes: BotocoreShapes, name: string): BotocoreShape => {
  const shape = shapes[name]
  if (shape === undefined) throw new Error(`protocol adapter: botocore shape '${name}' is not defined`)
  return shape
}

const botocoreRef = (
  shapes: BotocoreShapes,
  ref: BotocoreRef,
  direction: Direction,
  stack: Stack,
): t.Mixed | undefined => {
  const shape = botocoreShape(shapes, ref.shape)
  // A member-level timestampFormat wins over the target's (botocore's legacy `TimeCustom` members).
  if (shape.type === 'timestamp') return S.timestamp(botocoreFormat(ref.timestampFormat ?? shape.timestampFormat))
  return botocoreCodecAt(shapes, ref.shape, direction, stack)
}

const botocoreCodecAt = (
  shapes: BotocoreShapes,
  name: string,
  direction: Direction,
  stack: Stack,
): t.Mixed | undefined => {
  const shape = botocoreShape(shapes, name)
  switch (shape.type) {
    case 'structure': {
      const inner = push(stack, name)
      if (inner === undefined) return undefined
      const required = new Set(shape.required ?? [])
      const props: Record<string, S.MemberSpec> = {}
      for (const [memberName, ref] of Object.entries(shape.members ?? {})) {
        const codec = botocoreRef(shapes, ref, direction, inner)
        if (codec === undefined) continue
        const target = botocoreShape(shapes, ref.shape)
        const options: WireOptions = {}
        if (ref.locationName !== undefined) options.locationName = ref.locationName
        if (ref.queryName !== undefined) options.queryName = ref.queryName
        // botocore puts `flattened` on the member (generated tests) or on the list/map shape (service models).
        if (ref.flattened === true || target.flattened === true) options.flattened = true
        if (ref.idempotencyToken === true) options.idempotencyToken = true
        // REST protocols: the member's location, the payload, XML attributes and namespaces, as the model has them.
        if (ref.location !== undefined) options.location = httpLocation(ref.location)
        if (shape.payload === memberName) options.payload = true
        if (ref.xmlAttribute === true) options.xmlAttribute = true
        const ns = xmlNamespaceOf(ref.xmlNamespace)
        if (ns !== undefined) options.xmlNamespace = ns
        props[memberName] = memberSpec(codec, options, direction === 'input' && required.has(memberName))
      }
      const ns = xmlNamespaceOf(shape.xmlNamespace)
      return S.struct(name, props, {
        ...(shape.locationName === undefined ? {} : { xmlName: shape.locationName }),
        ...(ns === undefined ? {} : { xmlNamespace: ns }),
      })
    }
    case 'list': {
      if (shape.member === undefined) throw new Error(`protocol adapter: list '${name}' has no member`)
      const item = botocoreRef(shapes, shape.member, direction, stack)
      if (item === undefined) return undefined
      return S.list(item, shape.member.locationName ?? 'member', name, undefined, xmlNamespaceOf(shape.member.xmlNamespace))
    }
    case 'map': {
      if (shape.key === undefined || shape.value === undefined) {
        throw new Error(`protocol adapter: map '${name}' lacks a key or a value`)
      }
      const value = botocoreRef(shapes, shape.value, direction, stack)
      if (value === undefined) return undefined
      return S.map(value, shape.key.locationName ?? 'key', shape.value.locationName ?? 'value', name, {
        keyNamespace: xmlNamespaceOf(shape.key.xmlNamespace),
        valueNamespace: xmlNamespaceOf(shape.value.xmlNamespace),
      })
    }
    case 'string':
      if (shape.enum !== undefined) {
        return direction === 'input' ? S.enumeration(name, shape.enum) : S.openEnumeration(name, shape.enum)
      }
      return S.string
    case 'blob':
      // A streaming blob (an S3 object's body) is sent as it is; the tests give its bytes as text.
      return shape.streaming === true && direction === 'input' ? S.streamingBlob : S.blob
    default:
      return scalar(shape.type, botocoreFormat(shape.timestampFormat))
  }
}

const HTTP_LOCATIONS: ReadonlySet<string> = new Set(['uri', 'querystring', 'header', 'headers', 'statusCode'])

const httpLocation = (location: string): S.HttpLocation => {
  if (!HTTP_LOCATIONS.has(location)) throw new Error(`protocol adapter: unknown botocore location '${location}'`)
  return location as S.HttpLocation
}

/** A botocore `xmlNamespace` (`{ uri, prefix? }`, or the bare URI in older models) as the engine takes it. */
export const xmlNamespaceOf = (ns: unknown): S.XmlNamespace | undefined => {
  if (ns === undefined) return undefined
  if (typeof ns === 'string') return { uri: ns }
  if (typeof ns === 'object' && ns !== null && typeof (ns as { uri?: unknown }).uri === 'string') {
    const { uri, prefix } = ns as { uri: string; prefix?: unknown }
    return typeof prefix === 'string' ? { uri, prefix } : { uri }
  }
  throw new Error(`protocol adapter: an xmlNamespace that is neither a URI nor { uri, prefix }`)
}

/** The declaration of a botocore shape. */
export const botocoreCodec = (shapes: BotocoreShapes, name: string, direction: Direction): t.Mixed => {
  const codec = botocoreCodecAt(shapes, name, direction, new Map())
  if (codec === undefined) throw new Error(`protocol adapter: '${name}' could not be declared`)
  return codec
}

/**
 * The modeled error shape an error code names among an operation's `errors`: the shape whose `error.code` is the
 * code, else the shape named like it (botocore's rule).
 */
export const botocoreErrorShape = (
  shapes: BotocoreShapes,
  errors: ReadonlyArray<{ readonly shape: string }> | undefined,
  code: string,
): string | undefined => errors?.find((e) => (botocoreShape(shapes, e.shape).error?.code ?? e.shape) === code)?.shape

// Smithy --------------------------------------------------------------------------------------------

const PRELUDE: SmithyShapes = {
  'smithy.api#String': { type: 'string' },
  'smithy.api#Boolean': { type: 'boolean' },
  'smithy.api#PrimitiveBoolean': { type: 'boolean' },
  'smithy.api#Byte': { type: 'byte' },
  'smithy.api#PrimitiveByte': { type: 'byte' },
  'smithy.api#Short': { type: 'short' },
  'smithy.api#PrimitiveShort': { type: 'short' },
  'smithy.api#Integer': { type: 'integer' },
  'smithy.api#PrimitiveInteger': { type: 'integer' },
  'smithy.api#Long': { type: 'long' },
  'smithy.api#PrimitiveLong': { type: 'long' },
  'smithy.api#Float': { type: 'float' },
  'smithy.api#PrimitiveFloat': { type: 'float' },
  'smithy.api#Double': { type: 'double' },
  'smithy.api#PrimitiveDouble': { type: 'double' },
  'smithy.api#Blob': { type: 'blob' },
  'smithy.api#Timestamp': { type: 'timestamp' },
  'smithy.api#Unit': { type: 'structure', members: {} },
}

const SMITHY_TIMESTAMP_FORMATS: Readonly<Record<string, S.TimestampFormat>> = {
  'date-time': 'iso8601',
  'epoch-seconds': 'unixTimestamp',
  'http-date': 'rfc822',
}

const XML_NAME = 'smithy.api#xmlName'
const EC2_QUERY_NAME = 'aws.protocols#ec2QueryName'
const XML_FLATTENED = 'smithy.api#xmlFlattened'
const TIMESTAMP_FORMAT = 'smithy.api#timestampFormat'
const IDEMPOTENCY_TOKEN_TRAIT = 'smithy.api#idempotencyToken'
const REQUIRED = 'smithy.api#required'
const ENUM_VALUE = 'smithy.api#enumValue'

const smithyFormat = (format: unknown): S.TimestampFormat => {
  if (format === undefined) return 'iso8601'
  const f = typeof format === 'string' ? SMITHY_TIMESTAMP_FORMATS[format] : undefined
  if (f === undefined) throw new Error(`protocol adapter: unknown Smithy timestampFormat '${String(format)}'`)
  return f
}

const stringTrait = (traits: SmithyMember['traits'], id: string): string | undefined => {
  const v = traits?.[id]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw new Error(`protocol adapter: trait ${id} is not a string`)
  return v
}

const smithyShape = (shapes: SmithyShapes, id: string): SmithyShape => {
  const shape = shapes[id] ?? PRELUDE[id]
  if (shape === undefined) throw new Error(`protocol adapter: Smithy shape '${id}' is not defined`)
  return shape
}

const capitalize = (s: string): string => (s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1))

const smithyMemberCodec = (
  shapes: SmithyShapes,
  m: SmithyMember,
  direction: Direction,
  stack: Stack,
): t.Mixed | undefined => {
  const target = smithyShape(shapes, m.target)
  if (target.type === 'timestamp') {
    // A member's timestampFormat wins over its target's.
    return S.timestamp(smithyFormat(m.traits?.[TIMESTAMP_FORMAT] ?? target.traits?.[TIMESTAMP_FORMAT]))
  }
  return smithyCodecAt(shapes, m.target, direction, stack)
}

const smithyCodecAt = (shapes: SmithyShapes, id: string, direction: Direction, stack: Stack): t.Mixed | undefined => {
  const shape = smithyShape(shapes, id)
  const members = shape.members ?? {}
  switch (shape.type) {
    case 'structure': {
      const inner = push(stack, id)
      if (inner === undefined) return undefined
      const props: Record<string, S.MemberSpec> = {}
      for (const [memberName, m] of Object.entries(members)) {
        const codec = smithyMemberCodec(shapes, m, direction, inner)
        if (codec === undefined) continue
        const xmlName = stringTrait(m.traits, XML_NAME)
        // ec2Query: the query key is ec2QueryName, else the capitalized xmlName, else the capitalized member name;
        // the XML element is xmlName, else the member name.
        const options: WireOptions = {
          queryName: stringTrait(m.traits, EC2_QUERY_NAME) ?? capitalize(xmlName ?? memberName),
        }
        if (xmlName !== undefined) options.locationName = xmlName
        if (m.traits?.[XML_FLATTENED] !== undefined) options.flattened = true
        if (m.traits?.[IDEMPOTENCY_TOKEN_TRAIT] !== undefined) options.idempotencyToken = true
        props[memberName] = memberSpec(codec, options, direction === 'input' && m.traits?.[REQUIRED] !== undefined)
      }
      return S.struct(id.slice(id.indexOf('#') + 1), props)
    }
    case 'list':
    case 'set': {
      const item = members['member']
      if (item === undefined) throw new Error(`protocol adapter: list '${id}' has no member`)
      const codec = smithyMemberCodec(shapes, item, direction, stack)
      if (codec === undefined) return undefined
      return S.list(codec, stringTrait(item.traits, XML_NAME) ?? 'member', id)
    }
    case 'map': {
      const key = members['key']
      const value = members['value']
      if (key === undefined || value === undefined) throw new Error(`protocol adapter: map '${id}' lacks a key or a value`)
      const codec = smithyMemberCodec(shapes, value, direction, stack)
      if (codec === undefined) return undefined
      return S.map(codec, stringTrait(key.traits, XML_NAME) ?? 'key', stringTrait(value.traits, XML_NAME) ?? 'value', id)
    }
    case 'enum': {
      const values = Object.entries(members).map(([name, m]) => {
        const v = m.traits?.[ENUM_VALUE] ?? name
        if (typeof v !== 'string') throw new Error(`protocol adapter: enum '${id}' has a non-string value`)
        return v
      })
      return direction === 'input' ? S.enumeration(id, values) : S.openEnumeration(id, values)
    }
    case 'intEnum':
      return S.integer
    default:
      return scalar(shape.type, smithyFormat(shape.traits?.[TIMESTAMP_FORMAT]))
  }
}

/** The declaration of a Smithy shape (`namespace#Name`, or a prelude shape). */
export const smithyCodec = (shapes: SmithyShapes, id: string, direction: Direction): t.Mixed => {
  const codec = smithyCodecAt(shapes, id, direction, new Map())
  if (codec === undefined) throw new Error(`protocol adapter: '${id}' could not be declared`)
  return codec
}

// operations ----------------------------------------------------------------------------------------

/** A structure with no members: the input or output of an operation that has none. */
export const emptyStruct = (): t.Mixed => S.struct('Unit', {})

const asStruct = (codec: t.Mixed): S.StructType<S.Members, unknown, unknown> => {
  if (!(codec instanceof S.StructType)) throw new Error(`protocol adapter: ${codec.name} is not a structure`)
  return codec as unknown as S.StructType<S.Members, unknown, unknown>
}

/** An engine operation over the test's declarations. */
export const operationOf = (name: string, version: string, input: t.Mixed, output: t.Mixed): Operation<unknown, unknown> => ({
  name,
  version,
  input: asStruct(input),
  output: asStruct(output),
  idempotent: true,
})

const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE'])

/**
 * A REST engine operation over the test's declarations, with the case's HTTP binding (`given.http`) and the input's
 * `locationName`/`xmlNamespace` (the element a body without a payload member is wrapped in).
 */
export const restOperationOf = (
  name: string,
  version: string,
  input: t.Mixed,
  output: t.Mixed,
  http: { readonly method: string; readonly requestUri: string; readonly responseCode?: number },
  inputRef?: { readonly locationName?: string; readonly xmlNamespace?: unknown },
): Operation<unknown, unknown> => {
  if (!HTTP_METHODS.has(http.method)) throw new Error(`protocol adapter: unsupported method ${http.method}`)
  const ns = xmlNamespaceOf(inputRef?.xmlNamespace)
  return {
    ...operationOf(name, version, input, output),
    http: {
      method: http.method as 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE',
      requestUri: http.requestUri,
      ...(http.responseCode === undefined ? {} : { responseCode: http.responseCode }),
      ...(inputRef?.locationName === undefined ? {} : { requestXmlName: inputRef.locationName }),
      ...(ns === undefined ? {} : { requestXmlNamespace: ns }),
    },
  }
}

// -------------------------------------------------------------------------------------------------
// values
// -------------------------------------------------------------------------------------------------

const isRecord = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const SPECIAL_FLOATS: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity }

/**
 * A test's JSON value as the domain value the declaration describes: epoch seconds to a `Date`, a blob's UTF-8 text
 * to its bytes, `"NaN"`/`"Infinity"`/`"-Infinity"` to the float. A member the declaration lacks is an error, not
 * dropped.
 */
export const toDomain = (codec: t.Mixed, value: unknown): unknown => {
  if (codec instanceof S.ScalarType) {
    switch (codec.kind) {
      case 'timestamp':
        return typeof value === 'number' ? new Date(Math.round(value * 1000)) : value
      case 'blob':
        return typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'utf8')) : value
      case 'float':
      case 'double':
        return typeof value === 'string' && value in SPECIAL_FLOATS ? SPECIAL_FLOATS[value] : value
      default:
        return value
    }
  }
  if (codec instanceof S.ListType) {
    if (!Array.isArray(value)) throw new Error(`protocol adapter: ${codec.name} expects an array`)
    return value.map((v: unknown) => toDomain(codec.item, v))
  }
  if (codec instanceof S.MapType) {
    if (!isRecord(value)) throw new Error(`protocol adapter: ${codec.name} expects an object`)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDomain(codec.value, v)]))
  }
  if (codec instanceof S.StructType) {
    if (!isRecord(value)) throw new Error(`protocol adapter: ${codec.name} expects an object`)
    const byName = new Map(codec.members.map((m) => [m.name, m]))
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      const m = byName.get(k)
      if (m === undefined) throw new Error(`protocol adapter: ${codec.name} has no member '${k}' (too deep a recursion?)`)
      out[k] = toDomain(m.codec, v)
    }
    return out
  }
  throw new Error(`protocol adapter: ${codec.name} is not a wire codec`)
}

/**
 * A domain value in the tests' terms, to compare: a `Date` as epoch seconds, bytes as their UTF-8 text. Numbers stay
 * numbers (`NaN` included), so the comparison (vitest's `equals`, which compares numbers with `Object.is`) sees `NaN`
 * as `NaN`.
 */
export const toComparable = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime() / 1000
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8')
  if (Array.isArray(value)) return value.map(toComparable)
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toComparable(v)]))
  return value
}

// -------------------------------------------------------------------------------------------------
// HTTP
// -------------------------------------------------------------------------------------------------

/** The token the protocol tests expect an absent idempotency token to be filled with. */
export const TEST_IDEMPOTENCY_TOKEN = '00000000-0000-4000-8000-000000000000'

/** A header of a test's header map, by case-insensitive name. */
export const headerOf = (headers: Readonly<Record<string, string>> | undefined, name: string): string | undefined => {
  const wanted = name.toLowerCase()
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === wanted) return v
  return undefined
}

/**
 * The request target of an EC2 Query call: `/`, under the endpoint's own path when it has one
 * (`https://example.com/custom` posts to `/custom/`). `endpoint` is a URL or a host with an optional path.
 */
export const requestTarget = (endpoint: string | undefined): string => {
  if (endpoint === undefined) return '/'
  const url = new URL(/^[a-z]+:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`)
  return `${url.pathname.replace(/\/+$/, '')}/`
}
