/**
 * The scalar kinds of the Smithy/botocore models, and the one table that says, for each kind, how a value of it is
 * checked and how it is written to and read from every place it travels.
 *
 * Every protocol engine goes through this table, and none converts a scalar by itself: the codecs (`Schema`) take
 * their `is`, `validate` and `encode` from it; the query serializers (EC2 Query, AWS Query), the REST-XML
 * serializer (query string, URI labels, headers, XML body) and the emulator's XML writer write with `writeScalar`;
 * the XML reader, the REST-XML header reader and the emulator's query reader read with `fromXml`, `fromHeader` and
 * `fromQuery`. A difference between two places (a header value loses the whitespace around it, XML text keeps it; the
 * emulator reads `TRUE` as EC2 does, a response must say `true`) is a difference between two cells of one row, side
 * by side. (What is no scalar's text stays with its protocol: a REST-XML payload's raw bytes, a header list's
 * commas.)
 *
 * The wire forms are the protocols' documented ones (Smithy's `timestampFormat` trait, HTTP bindings, awsQuery/ec2Query
 * and XML simple-type serialization): booleans `true`/`false`; numbers as their text, with `NaN`, `Infinity` and
 * `-Infinity` spelled out; blobs in base64; timestamps as `date-time` (RFC 3339, UTC, `Z`) unless the model names
 * another format, except in a header, where a timestamp the model leaves open is an `http-date` (RFC 7231
 * IMF-fixdate).
 *
 * A read never allocates to say it failed: it returns `INVALID`, and the caller names the row's `textExpected` (or
 * `queryExpected`) where it reports the failure.
 *
 * @since 0.2.0
 */
import * as t from 'io-ts'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The wire type of a scalar, as the Smithy/botocore models name them.
 *
 * @internal
 * @since 0.1.0
 */
export type ScalarKind =
  | 'string'
  | 'boolean'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'timestamp'
  | 'blob'
  | 'character'

/**
 * How a timestamp is written on the wire (botocore's names for Smithy's `date-time`, `epoch-seconds` and `http-date`).
 * EC2 uses `iso8601` unless a member says otherwise.
 *
 * @internal
 * @since 0.1.0
 */
export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822'

/**
 * Where a scalar's text is written: a query string (an EC2 Query or AWS Query form body, a REST request's query
 * string), a REST URI label, an HTTP header, or XML text (a REST-XML body, the emulator's responses).
 *
 * @internal
 * @since 0.2.0
 */
export type WireForm = 'query' | 'uri' | 'header' | 'xml'

/**
 * How a number is encoded: itself, except the three values JSON cannot hold, which become the strings the wire uses.
 *
 * @internal
 * @since 0.1.0
 */
export type NumberOutput = number | 'NaN' | 'Infinity' | '-Infinity'

/**
 * What a read returns for text that is no value of its kind.
 *
 * @internal
 * @since 0.2.0
 */
export const INVALID: unique symbol = Symbol('INVALID')

/**
 * The type of `INVALID`.
 *
 * @internal
 * @since 0.2.0
 */
export type Invalid = typeof INVALID

/**
 * One kind's row of the table: how a value of it is checked, encoded, written and read. (Methods rather than function
 * properties, so that a row of one kind, `ScalarRules<Date, string>`, is also a `ScalarRules`: a codec holds it so.)
 *
 * @internal
 * @since 0.2.0
 */
export interface ScalarRules<A = unknown, O = unknown> {
  /** Whether a value is one of this kind, as a request or a decoded result holds it. */
  is(u: unknown): u is A
  /** `is`, or the value from its encoded form (`encode`'s output: an ISO 8601 string, base64, `"NaN"`). */
  validate(u: unknown, c: t.Context): t.Validation<A>
  /** The JSON-safe form of a value (`JSON.stringify` keeps it, `validate` reads it back). */
  encode(a: A): O
  /** The value's text on the wire; `format` is a timestamp's (`timestampFormatAt`), the other kinds ignore it. */
  write(a: A, format: TimestampFormat): string
  /** The value of a response's XML text, as the element holds it (surrounding whitespace included). */
  fromXml(text: string): A | Invalid
  /** The value of a response header, as received. */
  fromHeader(text: string): A | Invalid
  /** The value of a request's query parameter, as EC2 reads it (the emulator's side of a query string). */
  fromQuery(text: string): A | Invalid
  /** What text `fromXml` or `fromHeader` refused should have been, for the decode error. */
  readonly textExpected: string
  /** What text `fromQuery` refused should have been, in EC2's words, for an `InvalidParameterValue`. */
  readonly queryExpected: string
}

/**
 * What the table needs to know of a scalar codec (`ScalarType`) to write it: its kind's rules and its timestamp format.
 *
 * @internal
 * @since 0.2.0
 */
export interface ScalarFacts {
  readonly rules: ScalarRules
  /** Only for `timestamp`. */
  readonly timestampFormat: TimestampFormat
  /** Only for `timestamp`: whether the model names the format (else where it travels decides). */
  readonly timestampFormatGiven: boolean
}

// -------------------------------------------------------------------------------------------------
// internal: text
// -------------------------------------------------------------------------------------------------

const same = <A>(a: A): A => a

// HTTP drops the whitespace around a header value (RFC 9110 §5.5); what is left is the value as sent.
const trim = (s: string): string => s.trim()

// A lone surrogate cannot be UTF-8 encoded: such a string could not be sent, so it is not a valid value.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const isText = (u: unknown): u is string => typeof u === 'string' && !LONE_SURROGATE.test(u)
const NOT_TEXT = 'expected a string of Unicode text (it has a lone surrogate)'

const isCharacter = (u: unknown): u is string => typeof u === 'string' && [...u].length === 1

// -------------------------------------------------------------------------------------------------
// internal: booleans and numbers
// -------------------------------------------------------------------------------------------------

const readBoolean = (s: string): boolean | Invalid => {
  const v = s.trim()
  return v === 'true' ? true : v === 'false' ? false : INVALID
}

const INTEGER = /^[+-]?\d+$/
// Decimal only: `Number()` would also read `0x10`, `0b11` and `0o17`, which no XML or header number is.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

// The spellings of the three values that are no decimal (explicit: `in` on an object would find `toString` too).
const nonFinite = (v: string): number | Invalid =>
  v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : INVALID

const readInteger = (s: string): number | Invalid => {
  const v = s.trim()
  return INTEGER.test(v) ? Number(v) : INVALID
}

const readDecimal = (s: string): number | Invalid => {
  const v = s.trim()
  const n = nonFinite(v)
  return n !== INVALID ? n : DECIMAL.test(v) ? Number(v) : INVALID
}

// `String` already spells the non-finite values as the protocols do: `NaN`, `Infinity`, `-Infinity`.
const writeNumber = (n: number): string => String(n)
const encodeNumber = (n: number): NumberOutput => (Number.isFinite(n) ? n : (String(n) as NumberOutput))

const integral: ScalarRules<number, NumberOutput> = {
  is: (u): u is number => Number.isSafeInteger(u),
  validate: (u, c) => (Number.isSafeInteger(u) ? t.success(u as number) : t.failure(u, c, 'expected an integer')),
  encode: encodeNumber,
  write: writeNumber,
  fromXml: readInteger,
  fromHeader: readInteger,
  fromQuery: (v) => {
    const n = Number(v)
    return INTEGER.test(v) && Number.isSafeInteger(n) ? n : INVALID
  },
  textExpected: 'expected an integer',
  queryExpected: 'Expected an integer.',
}

const decimal: ScalarRules<number, NumberOutput> = {
  is: (u): u is number => typeof u === 'number',
  validate: (u, c) => {
    if (typeof u === 'number') return t.success(u)
    // `JSON.stringify(NaN)` is `null`: an encoded result keeps the non-finite values as strings instead.
    const n = typeof u === 'string' ? nonFinite(u) : INVALID
    return n === INVALID ? t.failure(u, c, 'expected a number') : t.success(n)
  },
  encode: encodeNumber,
  write: writeNumber,
  fromXml: readDecimal,
  fromHeader: readDecimal,
  // EC2 reads whatever JavaScript's `Number` reads, and `NaN` by name.
  fromQuery: (v) => {
    const n = v === 'NaN' ? NaN : Number(v)
    return v.trim() !== '' && (!Number.isNaN(n) || v === 'NaN') ? n : INVALID
  },
  textExpected: 'expected a number',
  queryExpected: 'Expected a number.',
}

// -------------------------------------------------------------------------------------------------
// internal: timestamps
// -------------------------------------------------------------------------------------------------

// RFC 3339 (and so the wire) has four-digit years only.
const inRange = (d: Date): boolean => {
  const year = d.getUTCFullYear()
  return !Number.isNaN(year) && year >= 0 && year <= 9999
}

// The encoded form: `toISOString`'s, or any RFC 3339 date-time with an offset.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/
// What EC2 accepts in a query string: the seconds may be left out, the offset's colon too.
const QUERY_ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/
const EPOCH = /^[+-]?\d+(\.\d+)?$/
const UNSIGNED_EPOCH = /^\d+(\.\d+)?$/

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))

// `date-time` in UTC, with milliseconds only when there are some (`2015-01-25T08:00:00Z`), as the AWS SDKs write it.
const formatIso8601 = (d: Date): string => {
  const ms = d.getUTCMilliseconds()
  const base = `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  return ms === 0 ? `${base}Z` : `${base}.${String(ms).padStart(3, '0')}Z`
}

// Epoch seconds to the millisecond they name: rounded, as the AWS SDKs do (`1.005 * 1000` is `1004.9999999999999`,
// which a `Date` would truncate to the millisecond before).
const fromEpoch = (v: string): Date => new Date(Math.round(Number(v) * 1000))

// A response may use any of the three formats, whatever the model says: epoch seconds are told by their digits, and
// `Date` reads both `date-time` and `http-date` (fractional seconds included).
const readTimestamp = (s: string): Date | Invalid => {
  const v = s.trim()
  const d = EPOCH.test(v) ? fromEpoch(v) : new Date(v)
  return Number.isNaN(d.getTime()) ? INVALID : d
}

const timestamp: ScalarRules<Date, string> = {
  is: (u): u is Date => u instanceof Date && inRange(u),
  validate: (u, c) => {
    if (u instanceof Date) return inRange(u) ? t.success(u) : t.failure(u, c, 'expected a valid Date in the years 0000 to 9999')
    if (typeof u === 'string' && ISO_8601.test(u)) {
      const d = new Date(u)
      if (!Number.isNaN(d.getTime())) return t.success(d)
    }
    return t.failure(u, c, 'expected a Date or an ISO 8601 date-time string')
  },
  encode: (d) => d.toISOString(),
  write: (d, format) =>
    format === 'unixTimestamp' ? String(d.getTime() / 1000) : format === 'rfc822' ? d.toUTCString() : formatIso8601(d),
  fromXml: readTimestamp,
  fromHeader: readTimestamp,
  fromQuery: (v) => {
    const d = QUERY_ISO_8601.test(v) ? new Date(v) : UNSIGNED_EPOCH.test(v) ? fromEpoch(v) : undefined
    return d === undefined || Number.isNaN(d.getTime()) ? INVALID : d
  },
  textExpected: 'expected a timestamp',
  queryExpected: 'Expected an ISO 8601 date-time.',
}

// -------------------------------------------------------------------------------------------------
// internal: blobs
// -------------------------------------------------------------------------------------------------

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const isBase64 = (s: string): boolean => BASE64.test(s) && s.length % 4 === 0
const toBase64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64')
const fromBase64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'))
// A response's base64 is read as Node reads it (characters outside the alphabet skipped), never refused.
const readBase64 = (s: string): Uint8Array => fromBase64(s.trim())

// -------------------------------------------------------------------------------------------------
// the table
// -------------------------------------------------------------------------------------------------

/**
 * Every scalar kind's rules, keyed by kind. A codec holds its kind's row as `rules` (`ScalarType`), so a reader or a
 * writer looks it up once per value with no `switch`.
 *
 * @internal
 * @since 0.2.0
 */
export const scalarKinds: {
  readonly string: ScalarRules<string, string>
  readonly character: ScalarRules<string, string>
  readonly boolean: ScalarRules<boolean, boolean>
  readonly integer: ScalarRules<number, NumberOutput>
  readonly long: ScalarRules<number, NumberOutput>
  readonly float: ScalarRules<number, NumberOutput>
  readonly double: ScalarRules<number, NumberOutput>
  readonly timestamp: ScalarRules<Date, string>
  readonly blob: ScalarRules<Uint8Array, string>
} = {
  string: {
    is: isText,
    validate: (u, c) => (isText(u) ? t.success(u) : t.failure(u, c, typeof u === 'string' ? NOT_TEXT : 'expected a string')),
    encode: same,
    write: same,
    fromXml: same,
    fromHeader: trim,
    fromQuery: same,
    textExpected: 'expected text',
    queryExpected: 'Expected a string.',
  },
  character: {
    is: isCharacter,
    validate: (u, c) => (isCharacter(u) ? t.success(u) : t.failure(u, c, 'expected a single character')),
    encode: same,
    write: same,
    fromXml: same,
    fromHeader: trim,
    fromQuery: same,
    textExpected: 'expected a character',
    queryExpected: 'Expected a character.',
  },
  boolean: {
    is: (u): u is boolean => typeof u === 'boolean',
    validate: (u, c) => (typeof u === 'boolean' ? t.success(u) : t.failure(u, c, 'expected a boolean')),
    encode: same,
    write: (b) => (b ? 'true' : 'false'),
    fromXml: readBoolean,
    fromHeader: readBoolean,
    // EC2 reads `TRUE` and `False` too.
    fromQuery: (v) => {
      const lower = v.toLowerCase()
      return lower === 'true' ? true : lower === 'false' ? false : INVALID
    },
    textExpected: 'expected true or false',
    queryExpected: "Expected: 'true' or 'false'.",
  },
  // A 64-bit integer is a JavaScript number, as AWS SDK v3 has it: the same rules as a 32-bit one.
  integer: integral,
  long: integral,
  // `NaN` and the infinities included, as the protocols allow.
  float: decimal,
  double: decimal,
  timestamp,
  blob: {
    is: (u): u is Uint8Array => u instanceof Uint8Array,
    validate: (u, c) => {
      if (u instanceof Uint8Array) return t.success(u)
      if (typeof u === 'string' && isBase64(u)) return t.success(fromBase64(u))
      return t.failure(u, c, 'expected a Uint8Array or a base64 string')
    },
    encode: toBase64,
    write: toBase64,
    fromXml: readBase64,
    fromHeader: readBase64,
    fromQuery: (v) => (isBase64(v) ? fromBase64(v) : INVALID),
    textExpected: 'expected base64',
    queryExpected: 'Expected base64.',
  },
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

/**
 * The format a timestamp is written in at `form`: the model's, else the form's own (Smithy: `http-date` in a header,
 * `date-time` in a query string, a URI label and XML).
 *
 * @internal
 * @since 0.2.0
 */
export const timestampFormatAt = (codec: ScalarFacts, form: WireForm): TimestampFormat =>
  codec.timestampFormatGiven ? codec.timestampFormat : form === 'header' ? 'rfc822' : 'iso8601'

/**
 * A scalar's text at `form` (not yet percent-encoded or XML-escaped: that is the form's own business).
 *
 * @internal
 * @since 0.2.0
 */
export const writeScalar = (codec: ScalarFacts, value: unknown, form: WireForm): string =>
  codec.rules.write(value, timestampFormatAt(codec, form))
