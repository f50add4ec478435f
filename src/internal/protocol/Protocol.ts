/**
 * A wire protocol, as the pipeline sees it: how a valid request becomes an HTTP request, and how a response becomes
 * the result, the service's error, or a `DecodeError` that keeps the body. EC2 Query, AWS Query (IAM, STS) and
 * REST-XML (S3) each implement it in a module of their own; a service description names the one it speaks, so the
 * pipeline never asks which service it is talking to.
 *
 * @since 0.2.0
 */
import type { DecodeError, ServiceError } from '../../Ec2ImportError.js'
import type { Decoded, Operation, RawResponse } from './Operation.js'

/**
 * A request body: text, bytes, or a stream made afresh for each attempt (an upload part read from a file). A body
 * that is not text is not hashed by the signer: its `x-amz-content-sha256` header (a SHA-256, or `UNSIGNED-PAYLOAD`)
 * must say what it is.
 *
 * @internal
 */
export type RequestBody = string | Uint8Array | (() => NodeJS.ReadableStream)

/**
 * An operation's request, before the endpoint, the host and the signature are added.
 *
 * @internal
 */
export interface SerializedRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE'
  /** Path and `?query` below the endpoint's own path, percent-encoded, starting with `/`. */
  readonly path: string
  /** The protocol's headers (`content-type`, S3's bound members, `x-amz-content-sha256` for a non-text body). */
  readonly headers: Readonly<Record<string, string>>
  readonly body: RequestBody
}

/**
 * A protocol.
 *
 * @internal
 */
export interface Protocol {
  readonly name: 'ec2Query' | 'awsQuery' | 'restXml'
  /** A valid request to its HTTP form. `idempotencyToken` is called once, for a token the request lacks. */
  readonly serialize: <I, O>(op: Operation<I, O>, input: I, idempotencyToken: () => string) => SerializedRequest
  /** A response to the result, the service's error, or a `DecodeError` that keeps the body. Never throws. */
  readonly decode: <I, O>(
    op: Operation<I, O>,
    response: RawResponse,
    attempts: number,
  ) => { _tag: 'Left'; left: ServiceError | DecodeError } | { _tag: 'Right'; right: Decoded<O> }
}
