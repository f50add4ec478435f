/**
 * The EC2 Query protocol: a form body posted to `/` (member names capitalized, every list flattened with `.N`), and
 * an XML result whose root is `<ActionResponse>` or an `<Response><Errors><Error>` envelope.
 *
 * @since 0.2.0
 */
import { decodeResponse, serializeRequest } from './Operation.js'
import type { Protocol } from './Protocol.js'

/**
 * The form body's content type, as the AWS SDKs send it.
 *
 * @internal
 */
export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8'

const FORM_HEADERS: Readonly<Record<string, string>> = { 'content-type': FORM_CONTENT_TYPE }

/**
 * EC2 Query.
 *
 * @internal
 */
export const ec2Query: Protocol = {
  name: 'ec2Query',
  serialize: (op, input, idempotencyToken) => ({
    method: 'POST',
    path: '/',
    headers: FORM_HEADERS,
    body: serializeRequest(op, input, idempotencyToken),
  }),
  decode: decodeResponse,
}
