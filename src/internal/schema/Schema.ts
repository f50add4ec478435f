/**
 * Wire-annotated io-ts codecs: the one declaration of every shape.
 *
 * A shape of the EC2 model is declared once, with these combinators. The value they return is an ordinary io-ts
 * codec (so `decode`, `is`, `encode` and the io-ts reporters work as usual on the *domain* value — the PascalCase
 * object a user writes or reads), and it also carries the shape's wire facts as data: the query name and XML element
 * of each member, the XML item name of each list, the wire type of each scalar. The protocol engine
 * (`QuerySerializer`, `XmlReader`) walks that data; it never hard-codes a shape. That is what keeps the codec, the
 * static type and the wire names from drifting apart.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts'
import { scalarKinds, type NumberOutput, type ScalarKind, type ScalarRules, type TimestampFormat } from './ScalarKind.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The scalar kinds and their wire facts, declared with their table (`ScalarKind`), named here too for the shapes.
 *
 * @internal
 */
export type { NumberOutput, ScalarKind, TimestampFormat } from './ScalarKind.js'

/**
 * A codec for a scalar value, with its wire type. Its contract: a value its `is` accepts, `validate` returns as it is
 * (structures and lists rely on it to skip validating such members).
 *
 * @internal
 * @since 0.1.0
 */
export class ScalarType<A, O = A> extends t.Type<A, O, unknown> {
  /** @since 0.1.0 */
  readonly _tag = 'ScalarType' as const
  /** How the value is written and read wherever it travels: its kind's row of `scalarKinds`. */
  readonly rules: ScalarRules
  constructor(
    name: string,
    is: t.Is<A>,
    validate: t.Validate<unknown, A>,
    encode: t.Encode<A, O>,
    /** The wire type: which row of `scalarKinds` writes and reads the value. */
    readonly kind: ScalarKind,
    /** Only for `timestamp`. */
    readonly timestampFormat: TimestampFormat = 'iso8601',
    /** Known values, for string enums; `undefined` for free strings. */
    readonly values: ReadonlyArray<string> | undefined = undefined,
    /**
     * Only for `timestamp`: whether the model names the format. REST protocols write a timestamp whose format the model
     * leaves open by where it travels (a header as an HTTP date, the body and query string as ISO 8601).
     */
    readonly timestampFormatGiven: boolean = true,
  ) {
    super(name, is, validate, encode)
    this.rules = scalarKinds[kind]
  }
}

/**
 * A codec for a list, with the XML element name of its items.
 *
 * @internal
 * @since 0.1.0
 */
export class ListType<C extends t.Mixed> extends t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown> {
  /** @since 0.1.0 */
  readonly _tag = 'ListType' as const
  constructor(
    name: string,
    is: t.Is<Array<t.TypeOf<C>>>,
    validate: t.Validate<unknown, Array<t.TypeOf<C>>>,
    encode: t.Encode<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>>,
    readonly item: C,
    /** The element that wraps each item in XML (`item` in EC2, `member` by default). */
    readonly itemName: string,
    /** The items' query name, when the list's member declares one (used only when the list is not flattened). */
    readonly itemQueryName: string | undefined,
    /** REST-XML: the namespace each item element declares (the list member's `xmlNamespace`). */
    readonly itemXmlNamespace: XmlNamespace | undefined = undefined,
  ) {
    super(name, is, validate, encode)
  }
}

/**
 * A codec for a string-keyed map, with the XML names of its entries.
 *
 * @internal
 * @since 0.1.0
 */
export class MapType<V extends t.Mixed> extends t.Type<Record<string, t.TypeOf<V>>, Record<string, t.OutputOf<V>>, unknown> {
  /** @since 0.1.0 */
  readonly _tag = 'MapType' as const
  constructor(
    name: string,
    is: t.Is<Record<string, t.TypeOf<V>>>,
    validate: t.Validate<unknown, Record<string, t.TypeOf<V>>>,
    encode: t.Encode<Record<string, t.TypeOf<V>>, Record<string, t.OutputOf<V>>>,
    readonly value: V,
    readonly keyName: string,
    readonly valueName: string,
    /** REST-XML: the namespaces the key and value elements declare (the map key's and value's `xmlNamespace`). */
    readonly xml: { readonly keyNamespace?: XmlNamespace | undefined; readonly valueNamespace?: XmlNamespace | undefined } = {},
  ) {
    super(name, is, validate, encode)
  }
}

/**
 * How a member is written on the wire, as the model's `locationName`/`queryName` give it.
 *
 * @internal
 * @since 0.1.0
 */
export interface MemberOptions {
  /** The model's `locationName`: the XML element, and (capitalized) the query name. */
  readonly locationName?: string
  /** The model's `queryName`, which wins over `locationName` in a query string. */
  readonly queryName?: string
  /** A required member must be present. */
  readonly required?: boolean
  /** A flattened list or map repeats its element directly under the parent, with no wrapper. */
  readonly flattened?: boolean
  /** Filled with a fresh UUID when absent, so a retried call stays idempotent. */
  readonly idempotencyToken?: boolean
  /** Its value must never appear in a log line (a presigned URL, say). */
  readonly sensitive?: boolean
  /**
   * REST protocols (S3): where in the HTTP message the member travels. `uri` fills the `{locationName}` label of the
   * request URI, `querystring` and `header` are named by `locationName`, `headers` is a map whose keys follow the
   * `locationName` prefix (`x-amz-meta-`), `statusCode` is the response's status. Absent: the XML body.
   */
  readonly location?: HttpLocation
  /** REST protocols: the member is the whole body (a blob or stream, a string, or a structure as an XML document). */
  readonly payload?: boolean
  /** REST-XML: the member is an attribute of its parent element, not a child element. */
  readonly xmlAttribute?: boolean
  /** REST-XML: the namespace the member's element declares (`xmlns`, or `xmlns:prefix`). */
  readonly xmlNamespace?: XmlNamespace
}

/**
 * Where a member of a REST request or response travels, as the model's `location` names it.
 *
 * @internal
 * @since 0.2.0
 */
export type HttpLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode'

/**
 * An XML namespace an element declares: `xmlns="uri"`, or `xmlns:prefix="uri"` with a prefix.
 *
 * @internal
 * @since 0.2.0
 */
export interface XmlNamespace {
  readonly uri: string
  readonly prefix?: string | undefined
}

/**
 * A member of a structure before it is named: its codec and wire options.
 *
 * @internal
 * @since 0.1.0
 */
export interface MemberSpec<C extends t.Mixed = t.Mixed, R extends boolean = boolean> {
  readonly codec: C
  readonly options: MemberOptions & { readonly required?: R }
}

/**
 * A member of a structure, with every wire name resolved.
 *
 * @internal
 * @since 0.1.0
 */
export interface Member {
  /** The member's name in the domain value (PascalCase, as AWS SDK v3 has it). */
  readonly name: string
  readonly codec: t.Mixed
  /** The member's name in an EC2 query string (`queryName`, else capitalized `locationName`, else capitalized `name`). */
  readonly queryName: string
  /** The member's XML element (`locationName`, else `name`). */
  readonly xmlName: string
  readonly required: boolean
  readonly flattened: boolean
  readonly idempotencyToken: boolean
  readonly sensitive: boolean
  /** REST protocols: where the member travels; `undefined` for the body (and for every member of a query protocol). */
  readonly location: HttpLocation | undefined
  /** REST protocols: the model's `locationName` as given (a URI label, query key, header name or header prefix). */
  readonly locationName: string | undefined
  readonly payload: boolean
  readonly xmlAttribute: boolean
  readonly xmlNamespace: XmlNamespace | undefined
}

/**
 * The members of a structure, keyed by domain name.
 *
 * @internal
 * @since 0.1.0
 */
export type Members = { readonly [K in string]: MemberSpec }

/**
 * The keys of the required members.
 *
 * @internal
 * @since 0.1.0
 */
export type RequiredKeys<P extends Members> = {
  [K in keyof P]: P[K] extends MemberSpec<t.Mixed, true> ? K : never
}[keyof P]
/**
 * The keys of the optional members.
 *
 * @internal
 * @since 0.1.0
 */
export type OptionalKeys<P extends Members> = Exclude<keyof P, RequiredKeys<P>>

/**
 * The domain type of a structure: required members present, the others optional (absent, never `undefined`).
 *
 * @internal
 * @since 0.1.0
 */
export type StructOf<P extends Members> = {
  [K in RequiredKeys<P>]: t.TypeOf<P[K]['codec']>
} & {
  [K in OptionalKeys<P>]?: t.TypeOf<P[K]['codec']>
}

/**
 * The encoded (JSON-safe) form of a structure.
 *
 * @internal
 * @since 0.1.0
 */
export type StructOutputOf<P extends Members> = {
  [K in RequiredKeys<P>]: t.OutputOf<P[K]['codec']>
} & {
  [K in OptionalKeys<P>]?: t.OutputOf<P[K]['codec']>
}

/**
 * A violation of a rule that a codec's member types alone cannot express (one member depending on another).
 *
 * @internal
 * @since 0.1.0
 */
export interface RuleViolation {
  /** The member the rule is about, relative to the structure (`KmsKeyId`, `Tags.0.Key`). */
  readonly path: ReadonlyArray<string | number>
  /** The rule, in words a person can act on. */
  readonly message: string
}

/**
 * Options of a structure.
 *
 * @internal
 * @since 0.1.0
 */
export interface StructOptions<A> {
  /**
   * Reject members the shape does not have. Right for requests (a misspelt member must not be dropped silently);
   * wrong for results, which the service may extend.
   */
  readonly strict?: boolean
  /** Rules across members, checked after each member has decoded. */
  readonly rules?: (value: A) => ReadonlyArray<RuleViolation>
  /** REST-XML: the element the structure is written as when it is a whole body (the shape's `locationName`). */
  readonly xmlName?: string
  /** REST-XML: the namespace the structure's element declares (the shape's `xmlNamespace`). */
  readonly xmlNamespace?: XmlNamespace
}

/**
 * A codec for a structure, with its members' wire names.
 *
 * @internal
 * @since 0.1.0
 */
export class StructType<P extends Members, A, O = unknown> extends t.Type<A, O, unknown> {
  /** @since 0.1.0 */
  readonly _tag = 'StructType' as const
  constructor(
    name: string,
    is: t.Is<A>,
    validate: t.Validate<unknown, A>,
    encode: t.Encode<A, O>,
    readonly props: P,
    /** The members in model order: the order a query string lists them in. */
    readonly members: ReadonlyArray<Member>,
    /** The members by XML element name, for the reader. */
    readonly byXmlName: ReadonlyMap<string, Member>,
    /** REST-XML: the shape's own element name and namespace, when the model gives them. */
    readonly xml: { readonly name?: string | undefined; readonly namespace?: XmlNamespace | undefined } = {},
  ) {
    super(name, is, validate, encode)
  }
}

/**
 * The codec of a declared structure, named by its domain type. Every exported shape is annotated with it, so a
 * declaration that refers to the shape prints its name (`Tags: Tag[]`) instead of expanding its members again:
 *
 * ```ts
 * const TagShape = S.struct('Tag', { Key: S.member(S.string), Value: S.member(S.string) })
 * export interface Tag extends t.TypeOf<typeof TagShape> {}
 * export const Tag: S.Shape<Tag> = TagShape
 * ```
 *
 * An interface rather than `StructType` itself: a user decodes, checks and encodes with it, and those are io-ts's;
 * the wire facts a `StructType` carries are the protocol engine's, which reads them through `asWire`. So the public
 * declarations name no schema internals, and a consumer's compiler resolves one small type per shape.
 *
 * @public
 * @since 0.2.0
 */
export interface Shape<A> extends t.Type<A, unknown, unknown> {
  readonly _tag: 'StructType'
}

/**
 * The codec of a string with known values, named by its type (`DiskImageFormat: Enumeration<DiskImageFormat>`), for
 * the same reason as `Shape`: the public declarations show the name, not the scalar's wire facts.
 *
 * @public
 * @since 0.2.0
 */
export interface Enumeration<A extends string> extends t.Type<A, A, unknown> {
  /** The known values, as the model spells them. */
  readonly values: ReadonlyArray<string>
}

/**
 * Any codec the protocol engine can walk.
 *
 * @internal
 * @since 0.1.0
 */
export type WireCodec =
  | ScalarType<unknown, unknown>
  | ListType<t.Mixed>
  | MapType<t.Mixed>
  | StructType<Members, unknown, unknown>

/**
 * Narrow an io-ts codec to the wire codecs this module builds.
 *
 * @internal
 */
export const asWire = (codec: t.Mixed): WireCodec => codec as unknown as WireCodec

// -------------------------------------------------------------------------------------------------
// constructors: scalars
// -------------------------------------------------------------------------------------------------

const isObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const identity = <A>(a: A): A => a

type KindValue<K extends ScalarKind> = (typeof scalarKinds)[K] extends ScalarRules<infer A, unknown> ? A : never
type KindOutput<K extends ScalarKind> = (typeof scalarKinds)[K] extends ScalarRules<unknown, infer O> ? O : never

// A codec whose values are all the values of its kind: the kind's row of `scalarKinds` checks and encodes them.
const kindType = <K extends ScalarKind>(name: string, kind: K): ScalarType<KindValue<K>, KindOutput<K>> => {
  // (TypeScript cannot follow `K` into the table's row type; `KindValue`/`KindOutput` are that row's.)
  const rules = scalarKinds[kind] as unknown as ScalarRules<KindValue<K>, KindOutput<K>>
  return new ScalarType(name, rules.is, rules.validate, rules.encode, kind)
}

const stringRules = scalarKinds.string

/**
 * A free string.
 *
 * @internal
 * @since 0.1.0
 */
export const string: ScalarType<string> = kindType('string', 'string')

/**
 * A free string the model marks sensitive: the same codec under another name, so the serializer can redact it in
 * logs.
 *
 * @internal
 * @since 0.1.0
 */
export const sensitiveString: ScalarType<string> = kindType('SensitiveString', 'string')

/**
 * A boolean, `true`/`false` on the wire.
 *
 * @internal
 * @since 0.1.0
 */
export const boolean: ScalarType<boolean> = kindType('boolean', 'boolean')

/**
 * A 32-bit integer.
 *
 * @internal
 * @since 0.1.0
 */
export const integer: ScalarType<number, NumberOutput> = kindType('integer', 'integer')
/**
 * A 64-bit integer, as a JavaScript number (as AWS SDK v3 has it).
 *
 * @internal
 * @since 0.1.0
 */
export const long: ScalarType<number, NumberOutput> = kindType('long', 'long')
/**
 * A single-precision float.
 *
 * @internal
 * @since 0.1.0
 */
export const float: ScalarType<number, NumberOutput> = kindType('float', 'float')
/**
 * A double-precision float (`NaN` and the infinities included, as the protocol allows).
 *
 * @internal
 * @since 0.1.0
 */
export const double: ScalarType<number, NumberOutput> = kindType('double', 'double')

/**
 * A single character.
 *
 * @internal
 * @since 0.1.0
 */
export const character: ScalarType<string> = kindType('character', 'character')

/**
 * A point in time: a `Date` in the domain value; an ISO 8601 string when encoded, so a result survives
 * `JSON.stringify` and decodes back. `format` is the model's `timestampFormat`; without one, where the timestamp
 * travels decides (`timestampFormatAt`).
 *
 * @internal
 * @since 0.1.0
 */
export const timestamp = (format?: TimestampFormat): ScalarType<Date, string> => {
  const rules = scalarKinds.timestamp
  const given = format !== undefined
  return new ScalarType<Date, string>('Date', rules.is, rules.validate, rules.encode, 'timestamp', format ?? 'iso8601', undefined, given)
}

/**
 * Bytes: a `Uint8Array` in the domain value, base64 on the wire and when encoded.
 *
 * @internal
 * @since 0.1.0
 */
export const blob: ScalarType<Uint8Array, string> = kindType('Uint8Array', 'blob')

/**
 * What a streaming body member accepts: text (sent as UTF-8), bytes, or a function that makes a fresh stream for each
 * attempt (an upload part read from a file by byte range, so a retry reads it again instead of holding it in memory).
 *
 * @internal
 * @since 0.2.0
 */
export type StreamingBody = string | Uint8Array | (() => NodeJS.ReadableStream)

const isStreamingBody = (u: unknown): u is StreamingBody =>
  typeof u === 'string' || u instanceof Uint8Array || typeof u === 'function'

/**
 * A request body that is sent as it is, never base64-encoded or held by the codec (the model's `streaming` blob:
 * S3's `PutObject` and `UploadPart` `Body`). Its wire kind is `blob`; a result never carries one (the protocol leaves
 * a streaming output unread).
 *
 * @internal
 * @since 0.2.0
 */
export const streamingBlob: ScalarType<StreamingBody, StreamingBody> = new ScalarType<StreamingBody, StreamingBody>(
  'StreamingBlob',
  isStreamingBody,
  (u, c) => (isStreamingBody(u) ? t.success(u) : t.failure(u, c, 'expected a string, a Uint8Array or a function returning a stream')),
  identity,
  'blob',
)

/**
 * A string with known values, closed: anything else is rejected. For requests, where a value the service does not
 * know is a mistake worth catching before sending.
 *
 * @internal
 * @since 0.1.0
 */
export const enumeration = <V extends string>(
  name: string,
  values: ReadonlyArray<V>,
): ScalarType<V> & { readonly values: ReadonlyArray<V> } => {
  const known = new Set<string>(values)
  const is = (u: unknown): u is V => typeof u === 'string' && known.has(u)
  return new ScalarType<V>(
    name,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `expected one of ${values.map((v) => `'${v}'`).join(', ')}`)),
    identity,
    'string',
    'iso8601',
    values,
  ) as ScalarType<V> & { readonly values: ReadonlyArray<V> }
}

/**
 * A string with known values, open: any string is accepted, and the type still lists the known ones. For results,
 * where a value added to the service after this release must not fail the whole response.
 *
 * @internal
 * @since 0.1.0
 */
export const openEnumeration = <V extends string>(
  name: string,
  values: ReadonlyArray<V>,
): ScalarType<V | (string & {})> & { readonly values: ReadonlyArray<V> } =>
  new ScalarType<V | (string & {})>(
    name,
    stringRules.is as (u: unknown) => u is V,
    stringRules.validate,
    identity,
    'string',
    'iso8601',
    values,
  ) as ScalarType<V | (string & {})> & { readonly values: ReadonlyArray<V> }

/**
 * A string of known values compared without regard to case (`VMDK` and `vmdk` are the same format), with a
 * rule-bearing message when it is none of them.
 *
 * @internal
 * @since 0.1.0
 */
export const caseInsensitiveEnumeration = <V extends string>(
  name: string,
  values: ReadonlyArray<V>,
): ScalarType<V | Lowercase<V>> & { readonly values: ReadonlyArray<V> } => {
  const known = new Set(values.map((v) => v.toUpperCase()))
  const is = (u: unknown): u is V | Lowercase<V> => typeof u === 'string' && known.has(u.toUpperCase())
  return new ScalarType<V | Lowercase<V>>(
    name,
    is,
    (u, c) => (is(u) ? t.success(u) : t.failure(u, c, `expected one of ${values.join(', ')} (any case)`)),
    identity,
    'string',
    'iso8601',
    values,
  ) as ScalarType<V | Lowercase<V>> & { readonly values: ReadonlyArray<V> }
}

/**
 * A string whose value must satisfy a predicate (a length bound, a character set), with the rule in the message.
 *
 * @internal
 * @since 0.1.0
 */
export const constrainedString = (name: string, ok: (s: string) => boolean, rule: string): ScalarType<string> =>
  new ScalarType<string>(
    name,
    (u): u is string => stringRules.is(u) && ok(u),
    (u, c) => {
      const r = stringRules.validate(u, c)
      return r._tag === 'Left' || ok(r.right) ? r : t.failure(u, c, rule)
    },
    identity,
    'string',
  )

// -------------------------------------------------------------------------------------------------
// constructors: aggregates
// -------------------------------------------------------------------------------------------------

/**
 * A list of `item`s. `itemName` is the XML element of each item (the model's list member `locationName`; `member`
 * when it has none).
 *
 * @internal
 * @since 0.1.0
 */
export const list = <C extends t.Mixed>(
  item: C,
  itemName = 'member',
  name = `Array<${item.name}>`,
  itemQueryName?: string,
  itemXmlNamespace?: XmlNamespace,
): ListType<C> => {
  const is = (u: unknown): u is Array<t.TypeOf<C>> => Array.isArray(u) && u.every(item.is)
  return new ListType<C>(
    name,
    is,
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, 'expected an array')
      const out: Array<t.TypeOf<C>> = new Array(u.length)
      const errors: t.Errors = []
      const scalar = item instanceof ScalarType
      for (let i = 0; i < u.length; i++) {
        if (scalar && item.is(u[i])) {
          out[i] = u[i]
          continue
        }
        const r = item.validate(u[i], t.appendContext(c, String(i), item, u[i]))
        if (r._tag === 'Left') errors.push(...r.left)
        else out[i] = r.right
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out)
    },
    (as) => as.map((a) => item.encode(a)),
    item,
    itemName,
    itemQueryName,
    itemXmlNamespace,
  )
}

/**
 * A map from string keys to `value`s. `keyName`/`valueName` are the XML elements of each entry's parts.
 *
 * @internal
 * @since 0.1.0
 */
export const map = <V extends t.Mixed>(
  value: V,
  keyName = 'key',
  valueName = 'value',
  name = `Record<string, ${value.name}>`,
  xml: { readonly keyNamespace?: XmlNamespace | undefined; readonly valueNamespace?: XmlNamespace | undefined } = {},
): MapType<V> => {
  const is = (u: unknown): u is Record<string, t.TypeOf<V>> => isObject(u) && Object.values(u).every(value.is)
  return new MapType<V>(
    name,
    is,
    (u, c) => {
      if (!isObject(u)) return t.failure(u, c, 'expected an object')
      const out: Record<string, t.TypeOf<V>> = {}
      const errors: t.Errors = []
      for (const k of Object.keys(u)) {
        const r = value.validate(u[k], t.appendContext(c, k, value, u[k]))
        if (r._tag === 'Left') errors.push(...r.left)
        else out[k] = r.right
      }
      return errors.length > 0 ? t.failures(errors) : t.success(out)
    },
    (as) => {
      const out: Record<string, t.OutputOf<V>> = {}
      for (const k of Object.keys(as)) out[k] = value.encode(as[k])
      return out
    },
    value,
    keyName,
    valueName,
    xml,
  )
}

/**
 * A member of a structure, optional unless `required: true`.
 *
 * @internal
 * @since 0.1.0
 */
export function member<C extends t.Mixed>(codec: C, options?: MemberOptions & { readonly required?: false }): MemberSpec<C, false>
/** @internal */
export function member<C extends t.Mixed>(codec: C, options: MemberOptions & { readonly required: true }): MemberSpec<C, true>
export function member<C extends t.Mixed>(codec: C, options: MemberOptions = {}): MemberSpec<C> {
  return { codec, options }
}

const capitalize = (s: string): string => (s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1))

const resolveMember = (name: string, spec: MemberSpec): Member => {
  const o = spec.options
  return {
    name,
    codec: spec.codec,
    queryName: o.queryName ?? capitalize(o.locationName ?? name),
    xmlName: o.locationName ?? name,
    required: o.required === true,
    flattened: o.flattened === true,
    idempotencyToken: o.idempotencyToken === true,
    sensitive: o.sensitive === true,
    location: o.location,
    locationName: o.locationName,
    payload: o.payload === true,
    xmlAttribute: o.xmlAttribute === true,
    xmlNamespace: o.xmlNamespace,
  }
}

/**
 * A structure. The domain value is a plain object with the members present that have a value: an absent member is
 * an absent key, never a key set to `undefined`.
 *
 * @internal
 * @since 0.1.0
 */
export const struct = <P extends Members>(
  name: string,
  props: P,
  options: StructOptions<StructOf<P>> = {},
  // The domain type is spelt out as a mapped type here rather than through an alias, so a declaration emitted for a
  // structure prints its members once (`Shape<{ Key?: string; Value?: string }>`) instead of the members' specs three
  // times (`StructType<{…}, StructOf<{…}>, StructOutputOf<{…}>>`), and names no schema internal: the protocol engine
  // reaches the wire facts through `asWire`. The encoded form is left `unknown`: nothing reads it statically, and
  // spelling it out doubled every declaration.
): Shape<{ [K in keyof StructOf<P>]: StructOf<P>[K] }> => {
  const members = Object.keys(props).map((k) => resolveMember(k, props[k]!))
  const byName = new Map(members.map((m) => [m.name, m]))
  const byXmlName = new Map(members.map((m) => [m.xmlName, m]))
  const strict = options.strict === true
  const rules = options.rules
  const is = (u: unknown): u is StructOf<P> => {
    if (!isObject(u)) return false
    for (const m of members) {
      const v = u[m.name]
      if (v === undefined ? m.required : !m.codec.is(v)) return false
    }
    if (strict && Object.keys(u).some((k) => !byName.has(k) && u[k] !== undefined)) return false
    return rules === undefined || rules(u as StructOf<P>).length === 0
  }
  const validate: t.Validate<unknown, StructOf<P>> = (u, c) => {
    if (!isObject(u)) return t.failure(u, c, 'expected an object')
    const out: Record<string, unknown> = {}
    const errors: t.Errors = []
    for (const m of members) {
      const v = u[m.name]
      if (v === undefined) {
        if (m.required) errors.push({ value: v, context: t.appendContext(c, m.name, m.codec, v), message: 'is required' })
        continue
      }
      // A scalar that already is a value of its type is its own result (`ScalarType`'s contract), so no context array
      // is made for it (validating an ImportImage request: about 15% less CPU).
      if (m.codec instanceof ScalarType && m.codec.is(v)) {
        out[m.name] = v
        continue
      }
      const r = m.codec.validate(v, t.appendContext(c, m.name, m.codec, v))
      if (r._tag === 'Left') errors.push(...r.left)
      else out[m.name] = r.right
    }
    if (strict) {
      for (const k of Object.keys(u)) {
        if (!byName.has(k) && u[k] !== undefined) {
          errors.push({
            value: u[k],
            context: t.appendContext(c, k, t.never, u[k]),
            message: `is not a member of ${name}`,
          })
        }
      }
    }
    if (errors.length > 0) return t.failures(errors)
    const value = out as StructOf<P>
    if (rules !== undefined) {
      const violations = rules(value)
      if (violations.length > 0) {
        return t.failures(violations.map((v) => ruleError(u, c, v)))
      }
    }
    return t.success(value)
  }
  const encode = (a: StructOf<P>): StructOutputOf<P> => {
    const out: Record<string, unknown> = {}
    const rec = a as Record<string, unknown>
    for (const m of members) {
      const v = rec[m.name]
      if (v !== undefined) out[m.name] = m.codec.encode(v)
    }
    return out as StructOutputOf<P>
  }
  return new StructType<P, StructOf<P>, StructOutputOf<P>>(name, is, validate, encode, props, members, byXmlName, {
    name: options.xmlName,
    namespace: options.xmlNamespace,
  })
}

/**
 * Give a structure codec the narrower static type its rules make true at run time (a union where the members
 * alone say "all optional"): the codec is unchanged, only what the compiler knows about its values.
 *
 * Use it only when the structure's `rules` reject every value outside `A`; `test/types.test.ts` checks that for
 * generated values.
 *
 * @internal
 * @since 0.1.0
 */
export const narrow =
  <A>() =>
  <B>(codec: Shape<B>): Shape<A> =>
    codec as unknown as Shape<A>

const ruleError = (root: unknown, c: t.Context, v: RuleViolation): t.ValidationError => {
  let context = c
  let value: unknown = root
  for (const key of v.path) {
    value = isObject(value) || Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined
    context = t.appendContext(context, String(key), t.unknown, value)
  }
  return { value, context, message: v.message }
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

/**
 * The dotted path of a validation error (`DiskContainers.0.UserBucket.S3Key`), without io-ts's type names.
 *
 * @internal
 * @since 0.1.0
 */
export const pathOf = (e: t.ValidationError): string =>
  e.context
    .map((entry) => entry.key)
    .filter((k) => k !== '')
    .join('.')

const redactUrl = (s: string): string => {
  const q = s.indexOf('?')
  // A presigned URL's query holds the signature and often a session token: keep where it points, not how.
  return q === -1 ? s : `${s.slice(0, q)}?[redacted]`
}

/**
 * A copy of a value fit for a log line: every member the declaration marks sensitive has its secret part replaced
 * (a URL keeps its host and path, loses its query string).
 *
 * @internal
 * @since 0.1.0
 */
export const redact = (codec: t.Mixed, value: unknown): unknown => {
  const c = asWire(codec)
  switch (c._tag) {
    case 'StructType': {
      if (!isObject(value)) return value
      const out: Record<string, unknown> = {}
      for (const m of c.members) {
        const v = value[m.name]
        if (v === undefined) continue
        out[m.name] = m.sensitive ? (typeof v === 'string' ? redactUrl(v) : '[redacted]') : redact(m.codec, v)
      }
      return out
    }
    case 'ListType':
      return Array.isArray(value) ? value.map((v) => redact(c.item, v)) : value
    case 'MapType':
      if (!isObject(value)) return value
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(c.value, v)]))
    default:
      return value
  }
}
