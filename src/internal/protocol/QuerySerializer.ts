/**
 * The EC2 Query serializer: a request value to an `application/x-www-form-urlencoded` body.
 *
 * It walks the request's declaration (`Schema`): member query names, flattened 1-based lists, nested structures as
 * dotted prefixes. The rules are EC2's, which differ from awsQuery's: every list is flattened, an empty list is
 * omitted, and a member's `queryName` wins over its capitalized `locationName`.
 *
 * @since 0.1.0
 */
import { writeScalar } from '../schema/ScalarKind.js'
import { asWire, type WireCodec } from '../schema/Schema.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * What serializing needs besides the value.
 *
 * @internal
 */
export interface SerializeOptions {
  /** Makes an idempotency token for a member that needs one and has none. */
  readonly idempotencyToken: () => string
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

// encodeURIComponent leaves these five unencoded; RFC 3986 (and SigV4's canonical form) reserves them.
const RFC3986_EXTRA = /[!'()*]/g
const hex = (c: string): string => `%${c.charCodeAt(0).toString(16).toUpperCase()}`

// RFC 3986's unreserved characters (`A-Z a-z 0-9 - . _ ~`): exactly the ones the encoding below leaves as they are.
const UNRESERVED = new Uint8Array(128)
for (let c = 0; c < 128; c++) UNRESERVED[c] = /[A-Za-z0-9\-._~]/.test(String.fromCharCode(c)) ? 1 : 0

// Each ASCII character as it is written: itself when unreserved, else `%XX`.
const ESCAPED: ReadonlyArray<string> = Array.from({ length: 128 }, (_, c) =>
  UNRESERVED[c] === 1 ? String.fromCharCode(c) : `%${c.toString(16).toUpperCase().padStart(2, '0')}`,
)

/**
 * RFC 3986 percent-encoding, as SigV4 and the AWS SDKs encode query values (space is `%20`, `~` is kept).
 *
 * @internal
 */
export const percentEncode = (s: string): string => {
  // Most names and values need no encoding at all: one look at each character, no regex, no new string.
  let i = 0
  while (i < s.length && s.charCodeAt(i) < 128 && UNRESERVED[s.charCodeAt(i)] === 1) i++
  if (i === s.length) return s
  // ASCII from a table, the unreserved runs copied whole (`encodeURIComponent` and a regex for `!'()*` cost about
  // twice as much); from the first non-ASCII character on, `encodeURIComponent` makes the UTF-8 escapes.
  let out = ''
  let run = 0
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 128 && UNRESERVED[c] === 1) continue
    if (c >= 128) return out + s.slice(run, i) + encodeURIComponent(s.slice(i)).replace(RFC3986_EXTRA, hex)
    out += s.slice(run, i) + ESCAPED[c]!
    run = i + 1
  }
  return out + s.slice(run)
}

// -------------------------------------------------------------------------------------------------
// serializer
// -------------------------------------------------------------------------------------------------

// The walk over a declaration, writing the form body directly: `&name=value` for each parameter, in declaration
// order, with no parameter tuples in between. `key` is already percent-encoded (encoding is per character, so an encoded prefix,
// a `.` and an encoded name make the encoded key).
const write = (codec: WireCodec, value: unknown, key: string, options: SerializeOptions): string => {
  switch (codec._tag) {
    case 'ScalarType':
      return '&' + key + '=' + percentEncode(writeScalar(codec, value, 'query'))
    case 'ListType': {
      const items = value as ReadonlyArray<unknown>
      const item = asWire(codec.item)
      let out = ''
      for (let i = 0; i < items.length; i++) out += write(item, items[i], key + '.' + (i + 1), options)
      return out
    }
    case 'MapType': {
      const record = value as Record<string, unknown>
      const valueCodec = asWire(codec.value)
      const keyName = percentEncode(codec.keyName)
      const valueName = percentEncode(codec.valueName)
      let out = ''
      let i = 0
      for (const k of Object.keys(record)) {
        const entry = key + '.entry.' + ++i
        out += '&' + entry + '.' + keyName + '=' + percentEncode(k) + write(valueCodec, record[k], entry + '.' + valueName, options)
      }
      return out
    }
    case 'StructType': {
      const record = value as Record<string, unknown>
      const dot = key === '' ? '' : key + '.'
      const members = codec.members
      let out = ''
      for (let i = 0; i < members.length; i++) {
        const m = members[i]!
        let v = record[m.name]
        if (v === undefined) {
          if (!m.idempotencyToken) continue
          v = options.idempotencyToken()
        }
        out += write(asWire(m.codec), v, dot + percentEncode(m.queryName), options)
      }
      return out
    }
  }
}

/**
 * Serialize a request value to an EC2 Query form body: `Action=…&Version=…&Member=…`; the same body as
 * `encodeForm(toQueryParams(…))`.
 *
 * @internal
 */
export const serializeQuery = (
  action: string,
  version: string,
  codec: WireCodec,
  value: unknown,
  options: SerializeOptions,
): string => 'Action=' + percentEncode(action) + '&Version=' + percentEncode(version) + write(codec, value, '', options)
