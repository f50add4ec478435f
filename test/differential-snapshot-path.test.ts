/**
 * Differential tests of the snapshot path's 12 operations against AWS SDK v3 (`@aws-sdk/client-ec2` 3.1169.0),
 * driven with no network (see `helpers/sdk-oracle-snapshot-path.ts`), in the style of `differential.test.ts`:
 *
 * - Requests: for 300 generated valid inputs of each operation, our form body and the SDK's carry the same
 *   parameters.
 * - Responses: for 300 generated results of each operation written as EC2 XML, our decoded value is the generated
 *   value, and the SDK's output (minus `$metadata`) is what its parser is predicted to make of the same text (its two
 *   known text bugs, `helpers/arbitraries.ts` `sdkText`); where the prediction is the value, ours and the SDK's are
 *   deep-equal.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeResponse, serializeRequest, validateRequest } from '../src/internal/protocol/Operation.js'
import { snapshotPathOperation, validRequests, writtenResultOf } from './helpers/arbitraries-snapshot-path.js'
import { hasUndefinedKey, withoutMetadata } from './helpers/sdk-oracle.js'
import { makeSnapshotPathOracle, SNAPSHOT_PATH_OPS, type SnapshotPathOpName } from './helpers/sdk-oracle-snapshot-path.js'

const oracle = makeSnapshotPathOracle()
afterAll(() => oracle.destroy())

const TOKEN = 'differential-0123456789'
const RUNS = 300

/** A form body's parameters, decoded by `URLSearchParams`, sorted by name then value. */
const params = (body: string): Array<[string, string]> =>
  [...new URLSearchParams(body)].sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))

/** The operations that always send a `ClientToken` (ours makes one when the caller gives none). */
const TOKENED: ReadonlySet<SnapshotPathOpName> = new Set(['ImportSnapshot', 'CopyImage'])

/** The SDK's input: the same `ClientToken` we make, where one has to be made (ImportSnapshot's is not an idempotency
 * token in the SDK; CopyImage's is, and the SDK would make a random one). */
const sdkInput = (op: SnapshotPathOpName, input: unknown): unknown => {
  const rec = input as Record<string, unknown>
  return TOKENED.has(op) && rec['ClientToken'] === undefined ? { ...rec, ClientToken: TOKEN } : input
}

describe.each(SNAPSHOT_PATH_OPS.map((op) => [op] as const))('%s against the SDK', (op) => {
  const operation = snapshotPathOperation(op)

  it(`requests: ${RUNS} generated valid inputs serialize to the SDK's parameters`, async () => {
    let identical = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(validRequests[op], async (input) => {
        const v = validateRequest(operation, input)
        if (v._tag === 'Left') throw new Error(`the generator made an invalid ${op} request: ${v.left.message}`)
        const ours = serializeRequest(operation, v.right, () => TOKEN)
        const sdk = await oracle.serialize(op, sdkInput(op, input))
        expect(params(ours), `${op} body\n ours: ${ours}\n sdk:  ${sdk}`).toEqual(params(sdk))
        // Both percent-encode `+` and space, so URLSearchParams' `+`-as-space rule cannot hide a difference.
        expect(ours.includes('+') || sdk.includes('+')).toBe(false)
        if (TOKENED.has(op)) expect(new URLSearchParams(ours).has('ClientToken')).toBe(true)
        runs += 1
        if (ours === sdk) identical += 1
      }),
      { numRuns: RUNS },
    )
    expect(runs).toBe(RUNS)
    console.info(`${op} requests compared: ${runs}; byte-identical bodies: ${identical}`)
  })

  it(`responses: ${RUNS} generated results decode to the SDK's values`, async () => {
    let direct = 0
    let sdkWrong = 0
    let runs = 0
    await fc.assert(
      fc.asyncProperty(writtenResultOf(op), async (r) => {
        const { body, requestId, sdkView, sdkDiffers } = r.written
        const ours = decodeResponse(operation, { statusCode: 200, headers: {}, body }, 1)
        if (ours._tag === 'Left') throw new Error(`${ours.left.message}\n${body}`)
        expect(ours.right.value).toStrictEqual(r.value)
        expect(ours.right.requestId).toBe(requestId)

        const sdk = await oracle.deserialize(op, { body })
        if (sdk._tag === 'Thrown') throw new Error(`the SDK threw: ${String(sdk.error)}\n${body}`)
        const { $metadata: _m, ...rest } = sdk.output
        expect(hasUndefinedKey(rest)).toBe(false)
        const theirs = withoutMetadata(sdk.output)
        expect(theirs, body).toStrictEqual(sdkView)
        if (sdkDiffers) {
          sdkWrong += 1
          expect(theirs).not.toStrictEqual(ours.right.value)
        } else {
          direct += 1
          expect(ours.right.value).toStrictEqual(theirs)
        }
        runs += 1
      }),
      { numRuns: RUNS },
    )
    expect(runs).toBe(RUNS)
    // most responses compare directly with the SDK's output
    expect(direct).toBeGreaterThan(RUNS / 2)
    console.info(`${op} responses compared: ${runs}; deep-equal to the SDK: ${direct}; SDK wrong as predicted: ${sdkWrong}`)
  })
})

describe('operations the model gives no output', () => {
  it.each(['CreateTags', 'ModifyImageAttribute', 'ModifySnapshotAttribute', 'DeleteSnapshot'] as const)(
    '%s: EC2\u2019s <return>true</return> decodes to {}, as the SDK has it',
    async (op) => {
      const body = `<${op}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r-1</requestId><return>true</return></${op}Response>`
      const ours = decodeResponse(snapshotPathOperation(op), { statusCode: 200, headers: {}, body }, 1)
      expect(ours).toStrictEqual({ _tag: 'Right', right: { value: {}, requestId: 'r-1' } })
      const sdk = await oracle.deserialize(op, { body })
      expect(sdk._tag).toBe('Output')
      if (sdk._tag === 'Output') expect(withoutMetadata(sdk.output)).toStrictEqual({})
    },
  )
})
