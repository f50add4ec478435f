/**
 * AWS SDK v3's EC2 client as an oracle, with no network: a custom `requestHandler` captures the form body the SDK
 * serialized and answers with a canned response, so the SDK's own deserializer decodes it.
 *
 * The SDK's `HttpResponse` class used to come from `@smithy/protocol-http`; in the installed SDK (client-ec2
 * 3.1169.0) that package is gone (merged into `@smithy/core`, which is not a dependency of this package). The SDK
 * only checks a response structurally (`HttpResponse.isInstance`: a numeric `statusCode` and a `headers` object),
 * so the handler returns a plain object of that shape instead of importing a transitive dependency.
 */
import {
  CancelImportTaskCommand,
  DescribeImportImageTasksCommand,
  EC2Client,
  ImportImageCommand,
  type CancelImportTaskCommandInput,
  type DescribeImportImageTasksCommandInput,
  type ImportImageCommandInput,
} from '@aws-sdk/client-ec2'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/** The three operations, by the name our `Operation` values carry. */
export type OpName = 'ImportImage' | 'DescribeImportImageTasks' | 'CancelImportTask'

/** A canned response for the SDK to deserialize. */
export interface CannedResponse {
  readonly statusCode?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body: string
}

/** What the SDK did with a canned response: its output, or the error it threw. */
export type SdkOutcome =
  | { readonly _tag: 'Output'; readonly output: Record<string, unknown> }
  | { readonly _tag: 'Thrown'; readonly error: unknown }

interface HandlerRequest {
  readonly body?: unknown
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * An oracle over one SDK client. Calls must not overlap (each awaits the previous): the handler keeps one pending
 * request body and one canned response.
 */
export const makeSdkOracle = () => {
  let lastBody: string | undefined
  let next: CannedResponse = { body: '' }
  const makeClient = () => new EC2Client({
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    requestHandler: {
      handle: async (request: HandlerRequest) => {
        lastBody = typeof request.body === 'string' ? request.body : String(request.body)
        return {
          response: {
            statusCode: next.statusCode ?? 200,
            headers: { 'content-type': 'text/xml;charset=UTF-8', ...next.headers },
            body: new TextEncoder().encode(next.body),
          },
        }
      },
    },
  })
  let client = makeClient()

  const command = (op: OpName, input: unknown) => {
    switch (op) {
      case 'ImportImage':
        return new ImportImageCommand(input as ImportImageCommandInput)
      case 'DescribeImportImageTasks':
        return new DescribeImportImageTasksCommand(input as DescribeImportImageTasksCommandInput)
      case 'CancelImportTask':
        return new CancelImportTaskCommand(input as CancelImportTaskCommandInput)
    }
  }

  const send = (op: OpName, input: unknown): Promise<unknown> =>
    // The commands' input types differ; `send` is overloaded per command, so widen the call once here.
    (client.send as (c: unknown) => Promise<unknown>)(command(op, input))

  return {
    /** The form body the SDK sends for `input`. */
    serialize: async (op: OpName, input: unknown): Promise<string> => {
      lastBody = undefined
      next = { body: `<${op}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"></${op}Response>` }
      try {
        await send(op, input)
      } catch (error) {
        // The SDK's query serializer keeps the parameters of a request it failed to finish (a lone surrogate makes
        // `encodeURIComponent` throw) and prepends them to its next request: start over with a fresh client.
        client.destroy()
        client = makeClient()
        throw error
      }
      if (lastBody === undefined) throw new Error(`the SDK sent no request for ${op}`)
      return lastBody
    },
    /** What the SDK makes of a response (its output with `$metadata`, or what it threw). */
    deserialize: async (op: OpName, response: CannedResponse, input: unknown = {}): Promise<SdkOutcome> => {
      next = response
      try {
        return { _tag: 'Output', output: (await send(op, input)) as Record<string, unknown> }
      } catch (error) {
        return { _tag: 'Thrown', error }
      }
    },
    destroy: (): void => client.destroy(),
  }
}

/**
 * An SDK output without `$metadata`, and without keys whose value is `undefined` (at any depth). The installed SDK
 * leaves no such keys in these three outputs (checked by the differential test), so this only guards against a
 * future SDK that does.
 */
export const withoutMetadata = (output: Record<string, unknown>): Record<string, unknown> => {
  const { $metadata: _metadata, ...rest } = output
  return dropUndefined(rest) as Record<string, unknown>
}

/** Whether a value holds a key set to `undefined` anywhere inside it. */
export const hasUndefinedKey = (u: unknown): boolean => {
  if (Array.isArray(u)) return u.some(hasUndefinedKey)
  if (typeof u === 'object' && u !== null && !(u instanceof Date)) {
    return Object.entries(u).some(([, v]) => v === undefined || hasUndefinedKey(v))
  }
  return false
}

const dropUndefined = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(dropUndefined)
  if (typeof u === 'object' && u !== null && !(u instanceof Date)) {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(u)) if (v !== undefined) out[k] = dropUndefined(v)
    return out
  }
  return u
}
