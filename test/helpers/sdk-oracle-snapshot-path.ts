/**
 * AWS SDK v3's EC2 client as an oracle for the snapshot path's 12 operations, with no network: the same approach as
 * `sdk-oracle.ts` (a `requestHandler` that captures the form body the SDK serialized and answers with a canned
 * response for the SDK's own deserializer), over a table of commands instead of a switch of three.
 */
import {
  CopyImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeImportSnapshotTasksCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ImportSnapshotCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RegisterImageCommand,
} from '@aws-sdk/client-ec2'
import type { CannedResponse, SdkOutcome } from './sdk-oracle.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

/** The SDK command of each operation of the snapshot path. */
const COMMANDS = {
  ImportSnapshot: ImportSnapshotCommand,
  DescribeImportSnapshotTasks: DescribeImportSnapshotTasksCommand,
  RegisterImage: RegisterImageCommand,
  DescribeImages: DescribeImagesCommand,
  DeregisterImage: DeregisterImageCommand,
  CreateTags: CreateTagsCommand,
  CopyImage: CopyImageCommand,
  ModifyImageAttribute: ModifyImageAttributeCommand,
  DescribeImageAttribute: DescribeImageAttributeCommand,
  ModifySnapshotAttribute: ModifySnapshotAttributeCommand,
  DeleteSnapshot: DeleteSnapshotCommand,
  DescribeSnapshots: DescribeSnapshotsCommand,
} as const

/** The snapshot path's operations, by the name our `Operation` values carry. */
export type SnapshotPathOpName = keyof typeof COMMANDS

/** Every operation name of the snapshot path. */
export const SNAPSHOT_PATH_OPS = Object.keys(COMMANDS) as ReadonlyArray<SnapshotPathOpName>

/**
 * An oracle over one SDK client. Calls must not overlap (each awaits the previous): the handler keeps one pending
 * request body and one canned response.
 */
export const makeSnapshotPathOracle = () => {
  let lastBody: string | undefined
  let next: CannedResponse = { body: '' }
  const makeClient = () =>
    new EC2Client({
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      requestHandler: {
        handle: async (request: { readonly body?: unknown }) => {
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

  const send = (op: SnapshotPathOpName, input: unknown): Promise<unknown> => {
    const Command = COMMANDS[op] as unknown as new (input: unknown) => unknown
    // The commands' input types differ; `send` is overloaded per command, so widen the call once here.
    return (client.send as (c: unknown) => Promise<unknown>)(new Command(input))
  }

  return {
    /** The form body the SDK sends for `input`. */
    serialize: async (op: SnapshotPathOpName, input: unknown): Promise<string> => {
      lastBody = undefined
      next = { body: `<${op}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"></${op}Response>` }
      try {
        await send(op, input)
      } catch (error) {
        // A failed serialization can leave parameters behind in the SDK's serializer: start over with a new client.
        client.destroy()
        client = makeClient()
        throw error
      }
      if (lastBody === undefined) throw new Error(`the SDK sent no request for ${op}`)
      return lastBody
    },
    /** What the SDK makes of a response (its output with `$metadata`, or what it threw). */
    deserialize: async (op: SnapshotPathOpName, response: CannedResponse, input: unknown = {}): Promise<SdkOutcome> => {
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
