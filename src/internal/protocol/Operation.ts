/**
 * An operation: its action name, request and result declarations, and the pure stages that turn a request value
 * into a form body and a response into a result (or an error). The client runs these stages in order; the
 * emulator and the protocol tests use the same ones.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts'
import {
  decodeError,
  serviceError,
  validationError,
  type DecodeError,
  type FieldError,
  type ServiceError,
  type ValidationError,
} from '../../Ec2ImportError.js'
import { serializeQuery } from './QuerySerializer.js'
import { asWire, pathOf, type StructType, type Members, type XmlNamespace } from '../schema/Schema.js'
import { classify, parseXml, readXml } from './XmlReader.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The EC2 API version every request names.
 *
 * @internal
 * @since 0.1.0
 */
export const EC2_API_VERSION = '2016-11-15'

/**
 * An operation of the EC2 Query protocol.
 *
 * @internal
 * @since 0.1.0
 */
export interface Operation<I, O> {
  readonly name: string
  readonly version: string
  readonly input: StructType<Members, I, unknown>
  readonly output: StructType<Members, O, unknown>
  /**
   * A retry after the request may have reached the service cannot do harm: the call reads, or its idempotency token
   * makes a repeat the same call. A call that is not is retried only for failures that prove nothing reached the
   * service (throttling, a refused connection).
   */
  readonly idempotent: boolean
  /**
   * REST protocols (S3): the operation's HTTP binding. The query protocols post every operation to `/` and leave it
   * out.
   *
   * @since 0.2.0
   */
  readonly http?: HttpBinding | undefined
}

/**
 * How a REST operation is bound to HTTP, as the model's `http` gives it.
 *
 * @internal
 * @since 0.2.0
 */
export interface HttpBinding {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE'
  /**
   * The request URI template: `/{Bucket}/{Key+}?uploads`. `{Name}` is the input member bound to the `uri` label
   * `Name`, percent-encoded whole; `{Name+}` is greedy and keeps its `/`. A static query (`?uploads`, `?location`)
   * comes before the members bound to the query string.
   */
  readonly requestUri: string
  /** The status of a success, when the model names one (`204` for `DeleteObject`). */
  readonly responseCode?: number | undefined
  /**
   * The element that wraps the body members of a request without a payload member (the model's input
   * `locationName`); the input shape's name when absent.
   */
  readonly requestXmlName?: string | undefined
  /** The namespace that element declares (the input's `xmlNamespace`). */
  readonly requestXmlNamespace?: XmlNamespace | undefined
}

/**
 * A response as the transport delivers it.
 *
 * @internal
 */
export interface RawResponse {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly body: string
}

/**
 * A decoded result and the request id that came with it.
 *
 * @internal
 */
export interface Decoded<O> {
  readonly value: O
  readonly requestId: string | undefined
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Describe an operation of the EC2 API version.
 *
 * @internal
 */
export const operation = <I, O>(
  name: string,
  input: t.Type<I, unknown, unknown>,
  output: t.Type<O, unknown, unknown>,
  options: { readonly idempotent: boolean; readonly version?: string; readonly http?: HttpBinding },
): Operation<I, O> => ({
  name,
  version: options.version ?? EC2_API_VERSION,
  input: input as unknown as StructType<Members, I, unknown>,
  output: output as unknown as StructType<Members, O, unknown>,
  idempotent: options.idempotent,
  ...(options.http === undefined ? {} : { http: options.http }),
})

// -------------------------------------------------------------------------------------------------
// stages
// -------------------------------------------------------------------------------------------------

/**
 * io-ts errors as field errors: a dotted member path and a message.
 *
 * @internal
 */
export const fieldErrors = (errors: t.Errors): Array<FieldError> =>
  errors.map((e) => ({ path: pathOf(e), message: e.message ?? `expected ${e.context[e.context.length - 1]?.type.name ?? 'a value'}` }))

/**
 * Stage 1, validate: the request against its codec and documented rules.
 *
 * @internal
 */
export const validateRequest = <I, O>(op: Operation<I, O>, input: unknown): { _tag: 'Left'; left: ValidationError } | { _tag: 'Right'; right: I } => {
  const r = op.input.decode(input)
  return r._tag === 'Left' ? { _tag: 'Left', left: validationError(op.name, fieldErrors(r.left)) } : r
}

/**
 * Stage 2, serialize: a valid request to its form body. An idempotency token the request lacks is made here, once
 * per call, so every attempt of the call carries the same one.
 *
 * @internal
 */
export const serializeRequest = <I, O>(op: Operation<I, O>, input: I, idempotencyToken: () => string): string =>
  serializeQuery(op.name, op.version, asWire(op.input), input, { idempotencyToken })

/**
 * A response that could not be understood, as every protocol reports it: a `DecodeError` that names the operation
 * and the status, says why (with the codec's field errors when it got that far), and keeps the body.
 *
 * @internal
 */
export const unreadableResponse = (
  op: { readonly name: string },
  response: RawResponse,
  reason: string,
  requestId: string | undefined,
  attempts: number,
  validation?: t.Errors,
): { _tag: 'Left'; left: DecodeError } => {
  const errors = validation === undefined ? undefined : fieldErrors(validation)
  const detail = errors === undefined ? '' : `: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`
  return {
    _tag: 'Left',
    left: decodeError({
      operation: op.name,
      message: `${op.name}: HTTP ${response.statusCode} response could not be read: ${reason}${detail}`,
      statusCode: response.statusCode,
      requestId,
      body: response.body,
      attempts,
      ...(errors === undefined ? {} : { errors }),
    }),
  }
}

/**
 * What a protocol's reader makes of a response, before it becomes the call's result or error.
 *
 * @internal
 */
export type ProtocolDecoded =
  | { readonly _tag: 'Result'; readonly value: unknown; readonly requestId: string | undefined }
  | { readonly _tag: 'ServiceError'; readonly code: string; readonly message: string; readonly requestId: string | undefined }
  | { readonly _tag: 'Unreadable'; readonly reason: string; readonly requestId: string | undefined; readonly errors?: t.Errors }

/**
 * A response header's value (the first, when it came more than once), by its lowercase name.
 *
 * @internal
 */
export const headerValue = (headers: RawResponse['headers'], name: string): string | undefined => {
  const v = headers[name]
  return typeof v === 'string' ? v : v?.[0]
}

/**
 * A protocol reader's outcome as the call's result, its service error, or a `DecodeError` that keeps the body; the
 * request id the reader found (in the body, or where its protocol puts it), else the one the headers name.
 *
 * @internal
 */
export const settleDecoded = <I, O>(
  op: Operation<I, O>,
  response: RawResponse,
  attempts: number,
  r: ProtocolDecoded,
): { _tag: 'Left'; left: ServiceError | DecodeError } | { _tag: 'Right'; right: Decoded<O> } => {
  const requestId = r.requestId ?? headerValue(response.headers, 'x-amzn-requestid') ?? headerValue(response.headers, 'x-amz-request-id')
  switch (r._tag) {
    case 'Result':
      return { _tag: 'Right', right: { value: r.value as O, requestId } }
    case 'ServiceError':
      return {
        _tag: 'Left',
        left: serviceError({
          operation: op.name,
          code: r.code,
          serviceMessage: r.message,
          requestId,
          statusCode: response.statusCode,
          attempts,
        }),
      }
    case 'Unreadable':
      return unreadableResponse(op, response, r.reason, requestId, attempts, r.errors)
  }
}

/**
 * Stages parse, classify and decode: a response to the result, EC2's error, or a `DecodeError` that keeps the body.
 * Never throws, never returns an empty success for a body it could not read.
 *
 * @internal
 */
export const decodeResponse = <I, O>(
  op: Operation<I, O>,
  response: RawResponse,
  attempts: number,
): { _tag: 'Left'; left: ServiceError | DecodeError } | { _tag: 'Right'; right: Decoded<O> } =>
  settleDecoded(op, response, attempts, readEc2Response(op, response))

const readEc2Response = <I, O>(op: Operation<I, O>, response: RawResponse): ProtocolDecoded => {
  const doc = parseXml(response.body)
  if (doc._tag !== 'Right') return { _tag: 'Unreadable', reason: doc._tag === 'NotXml' ? doc.reason : 'not XML', requestId: undefined }
  const c = classify(doc.right, op.name)
  switch (c._tag) {
    case 'Unreadable':
      return { _tag: 'Unreadable', reason: c.reason, requestId: c.requestId }
    case 'ServiceError':
      return { _tag: 'ServiceError', code: c.code, message: c.message, requestId: c.requestId }
    case 'Result': {
      if (response.statusCode < 200 || response.statusCode >= 300) {
        return { _tag: 'Unreadable', reason: 'a result element with an error status', requestId: c.requestId }
      }
      const r = readXml(asWire(op.output), c.node)
      return r._tag === 'Left'
        ? { _tag: 'Unreadable', reason: `it does not match ${op.output.name}`, requestId: c.requestId, errors: r.left }
        : { _tag: 'Result', value: r.right, requestId: c.requestId }
    }
  }
}
