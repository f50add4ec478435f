/**
 * The AWS Query protocol (`awsQuery`, which IAM and STS speak): a request value to an
 * `application/x-www-form-urlencoded` body, and a response body to the result, the service's error, or something
 * unreadable.
 *
 * It walks the same declarations (`Schema`) as the EC2 Query engine and shares its parts: the scalar forms of
 * `ScalarKind`, the RFC 3986 encoding of `QuerySerializer`, the XML scanner/parser and the declaration-driven
 * `readXml` of `XmlReader`.
 * What differs is the protocol's own rules, all stated here and nowhere else:
 * - a member's key is its `locationName` (the declaration's `xmlName`), else its name, as it is (EC2 capitalizes
 *   it, and prefers `queryName`);
 * - a list is `Name.member.N` (`Name.<item locationName>.N` when the list's item has one) unless the member is
 *   flattened (`Name.N`); an empty list is sent as `Name=` (EC2 leaves it out), so the service can tell "none" from
 *   "not given";
 * - a map is `Name.entry.N.key`/`Name.entry.N.value` (the key's and value's `locationName`s honoured), flattened
 *   `Name.N.key`/`Name.N.value`;
 * - a result comes wrapped, `<{Op}Response><{Op}Result>…</{Op}Result><ResponseMetadata><RequestId>…`, the wrapper
 *   named by the model's `resultWrapper`; an error is `<ErrorResponse><Error><Type/><Code/><Message/></Error>
 *   <RequestId/></ErrorResponse>`, whatever the HTTP status.
 *
 * `awsQuery` is this module as a `Protocol`: a service description names it (as it names `ec2Query`), so the
 * pipeline never asks which service it is talking to. The pure stages below it (`serializeAwsQuery`,
 * `classifyAwsQuery`, `decodeAwsQuery`) are what the protocol tests drive.
 *
 * @since 0.2.0
 */
import type * as t from 'io-ts'
import { writeScalar } from '../schema/ScalarKind.js'
import { asWire, type WireCodec } from '../schema/Schema.js'
import { FORM_CONTENT_TYPE } from './Ec2Query.js'
import { settleDecoded } from './Operation.js'
import type { Protocol } from './Protocol.js'
import { percentEncode, type SerializeOptions } from './QuerySerializer.js'
import {
  child,
  detachOpt,
  first,
  parseXml,
  readXml,
  textOf,
  type Classified,
  type XmlNode,
} from './XmlReader.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * What classifying an AWS Query response needs besides the parsed body.
 *
 * @category model
 * @internal
 * @since 0.2.0
 */
export interface AwsQueryReadOptions {
  /** The element the result is wrapped in (the model's `resultWrapper`); `${operation}Result` when absent. */
  readonly resultWrapper?: string | undefined
  /**
   * Whether the response must carry the result element. `false` for an operation whose output has no members: the
   * service then answers `<{Op}Response><ResponseMetadata>…` alone. Defaults to `true`: a result without its wrapper
   * is not an empty success.
   */
  readonly resultRequired?: boolean | undefined
}

/**
 * The service's error in an `<ErrorResponse>`: `Classified`'s `ServiceError`, with the fault side (`Sender` or
 * `Receiver`, when the service says) and the `<Error>` element itself, from which a modeled error's members
 * (`TopLevel`, `Nested`, …) can be read with `readXml`.
 *
 * @category model
 * @internal
 * @since 0.2.0
 */
export interface AwsQueryServiceError {
  readonly _tag: 'ServiceError'
  readonly code: string
  readonly message: string
  readonly requestId: string | undefined
  readonly type: string | undefined
  readonly node: XmlNode
}

/**
 * What an AWS Query response body turned out to be; assignable to `Classified`.
 *
 * @category model
 * @internal
 * @since 0.2.0
 */
export type AwsQueryClassified = Exclude<Classified, { readonly _tag: 'ServiceError' }> | AwsQueryServiceError

/**
 * A response read to the end: the decoded result, the service's error, or why it could not be
 * read (with the declaration's complaints when the XML was fine but did not fit it).
 *
 * @category model
 * @internal
 * @since 0.2.0
 */
export type AwsQueryDecoded =
  | { readonly _tag: 'Result'; readonly value: unknown; readonly requestId: string | undefined }
  | AwsQueryServiceError
  | {
      readonly _tag: 'Unreadable'
      readonly reason: string
      readonly requestId: string | undefined
      readonly errors?: t.Errors
    }

/**
 * The part of a response the protocol reads.
 *
 * @category model
 * @internal
 * @since 0.2.0
 */
export interface AwsQueryResponse {
  readonly statusCode: number
  readonly body: string
}

// -------------------------------------------------------------------------------------------------
// serialize
// -------------------------------------------------------------------------------------------------

// Writes `&name=value` for each parameter, in model order, with `key` already percent-encoded (encoding is per
// character, so an encoded prefix, a `.` and an encoded name make the encoded key). `flattened` is the flag of the
// member whose value this is: it belongs to the member, not to the list or map, so it is passed down one level.
const write = (codec: WireCodec, value: unknown, key: string, flattened: boolean, options: SerializeOptions): string => {
  switch (codec._tag) {
    case 'ScalarType':
      return '&' + key + '=' + percentEncode(writeScalar(codec, value, 'query'))
    case 'ListType': {
      const items = value as ReadonlyArray<unknown>
      // An empty list is sent as `Name=`, flattened or not (botocore and the Smithy awsQuery tests agree).
      if (items.length === 0) return '&' + key + '='
      const item = asWire(codec.item)
      // Flattened, the items repeat the member's own name; the item's locationName matters only inside a wrapper.
      const prefix = flattened ? key : key + '.' + percentEncode(codec.itemName)
      let out = ''
      for (let i = 0; i < items.length; i++) out += write(item, items[i], prefix + '.' + (i + 1), false, options)
      return out
    }
    case 'MapType': {
      const record = value as Record<string, unknown>
      const valueCodec = asWire(codec.value)
      const keyName = percentEncode(codec.keyName)
      const valueName = percentEncode(codec.valueName)
      const prefix = flattened ? key : key + '.entry'
      let out = ''
      let i = 0
      for (const k of Object.keys(record)) {
        const entry = prefix + '.' + ++i
        out += '&' + entry + '.' + keyName + '=' + percentEncode(k) + write(valueCodec, record[k], entry + '.' + valueName, false, options)
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
        // The XML name, not EC2's capitalized query name: awsQuery keys are the model's names as they are.
        out += write(asWire(m.codec), v, dot + percentEncode(m.xmlName), m.flattened, options)
      }
      return out
    }
  }
}

/**
 * Serialize a request value to an AWS Query form body: `Action=…&Version=…&Member=…`.
 *
 * The value must already have passed its codec: the serializer trusts its types. A member marked as an idempotency
 * token that the value lacks is filled by `options.idempotencyToken`, as in EC2.
 *
 * @category serialize
 * @internal
 * @since 0.2.0
 */
export const serializeAwsQuery = (
  action: string,
  version: string,
  shape: WireCodec,
  input: unknown,
  options: SerializeOptions,
): string => 'Action=' + percentEncode(action) + '&Version=' + percentEncode(version) + write(shape, input, '', false, options)

// -------------------------------------------------------------------------------------------------
// classify
// -------------------------------------------------------------------------------------------------

const textAt = (n: XmlNode | undefined, name: string): string | undefined => detachOpt(textOf(first(child(n, name))))

/**
 * Sort a parsed AWS Query body into a result of `operation` (the node inside its result wrapper), the service's
 * error, or something unreadable.
 *
 * An `<ErrorResponse>` is the service's error whatever the HTTP status (the caller decides what a status means);
 * one without a code is unreadable. `<{operation}Response>` is a result: its `<{resultWrapper}>` is the node to
 * decode, and an operation whose output has no members (`resultRequired: false`) succeeds without one. Any other
 * root (a proxy's HTML page, another operation's response) is unreadable, so the caller keeps the raw body.
 *
 * @category classify
 * @internal
 * @since 0.2.0
 */
export const classifyAwsQuery = (
  doc: Record<string, XmlNode>,
  operation: string,
  options: AwsQueryReadOptions = {},
): AwsQueryClassified => {
  const roots = Object.keys(doc)
  if (roots.length !== 1) return { _tag: 'Unreadable', reason: 'expected one root element', requestId: undefined }
  const rootName = roots[0]!
  const root = doc[rootName]
  if (rootName === 'ErrorResponse') {
    const requestId = textAt(root, 'RequestId') ?? textAt(root, 'RequestID')
    const error = first(child(root, 'Error'))
    const code = textAt(error, 'Code')
    if (error === undefined || code === undefined || code === '') {
      return { _tag: 'Unreadable', reason: 'an <ErrorResponse> without an error code', requestId }
    }
    return {
      _tag: 'ServiceError',
      code,
      message: textAt(error, 'Message') ?? '',
      requestId,
      type: textAt(error, 'Type'),
      node: error,
    }
  }
  const requestId = textAt(first(child(root, 'ResponseMetadata')), 'RequestId')
  const expected = `${operation}Response`
  if (rootName !== expected) {
    return { _tag: 'Unreadable', reason: `expected <${expected}>, found <${rootName}>`, requestId }
  }
  const wrapper = options.resultWrapper ?? `${operation}Result`
  const result = child(root, wrapper)
  if (result === undefined) {
    if (options.resultRequired === false) return { _tag: 'Result', node: '', requestId }
    return { _tag: 'Unreadable', reason: `a <${expected}> without <${wrapper}>`, requestId }
  }
  if (Array.isArray(result)) {
    return { _tag: 'Unreadable', reason: `<${wrapper}> appears ${result.length} times`, requestId }
  }
  return { _tag: 'Result', node: result as XmlNode, requestId }
}

// -------------------------------------------------------------------------------------------------
// read
// -------------------------------------------------------------------------------------------------

// (A body that starts with `<` is not blank; `trim` would copy a large one only to say so.)
const isBlank = (s: string): boolean => s.charCodeAt(0) !== 60 && s.trim() === ''

const FORM_HEADERS: Readonly<Record<string, string>> = { 'content-type': FORM_CONTENT_TYPE }

const isOk = (response: AwsQueryResponse): boolean => response.statusCode >= 200 && response.statusCode < 300

const decodeResult = (output: WireCodec, c: Extract<Classified, { readonly _tag: 'Result' }>): AwsQueryDecoded => {
  const r = readXml(output, c.node)
  return r._tag === 'Left'
    ? { _tag: 'Unreadable', reason: `the result does not match ${output.name}`, requestId: c.requestId, errors: r.left }
    : { _tag: 'Result', value: r.right, requestId: c.requestId }
}

/**
 * Read an AWS Query response to the end: parse, classify, and decode the result with its declaration (`readXml`:
 * lists as `<member>` items, or the list's item name, unless flattened; maps as `<entry><key/><value/></entry>`,
 * or the map's key and value names).
 *
 * A result needs a 2xx status. An empty body is a success only for a 2xx answer to an operation whose output has no
 * members; anywhere else it is unreadable, never an empty success.
 *
 * @category read
 * @internal
 * @since 0.2.0
 */
export const decodeAwsQuery = (
  operation: string,
  output: WireCodec,
  response: AwsQueryResponse,
  options: Pick<AwsQueryReadOptions, 'resultWrapper'> = {},
): AwsQueryDecoded => {
  const hasMembers = output._tag !== 'StructType' || output.members.length > 0
  if (isBlank(response.body)) {
    return isOk(response) && !hasMembers
      ? decodeResult(output, { _tag: 'Result', node: '', requestId: undefined })
      : { _tag: 'Unreadable', reason: 'the body is empty', requestId: undefined }
  }
  const doc = parseXml(response.body)
  if (doc._tag !== 'Right') {
    return { _tag: 'Unreadable', reason: doc._tag === 'NotXml' ? doc.reason : 'not XML', requestId: undefined }
  }
  const c = classifyAwsQuery(doc.right, operation, { resultWrapper: options.resultWrapper, resultRequired: hasMembers })
  if (c._tag !== 'Result') return c
  if (!isOk(response)) return { _tag: 'Unreadable', reason: 'a result element with an error status', requestId: c.requestId }
  return decodeResult(output, c)
}

// -------------------------------------------------------------------------------------------------
// protocols
// -------------------------------------------------------------------------------------------------

/**
 * The AWS Query protocol (IAM, STS), for a service description to name: a form body posted to `/`, and the
 * wrapped result or `<ErrorResponse>` read back as the pipeline's result, `ServiceError` or `DecodeError` (which
 * keeps the body). The result wrapper is `${operation}Result`, which is what IAM's and STS's models name for every
 * operation this package calls.
 *
 * @category protocols
 * @internal
 * @since 0.2.0
 */
export const awsQuery: Protocol = {
  name: 'awsQuery',
  serialize: (op, input, idempotencyToken) => ({
    method: 'POST',
    path: '/',
    headers: FORM_HEADERS,
    body: serializeAwsQuery(op.name, op.version, asWire(op.input), input, { idempotencyToken }),
  }),
  decode: (op, response, attempts) => settleDecoded(op, response, attempts, decodeAwsQuery(op.name, asWire(op.output), response)),
}
