/**
 * Differential tests of the IAM operations (and STS `GetCallerIdentity`) against AWS SDK v3's own serializers and
 * parsers (`@aws-sdk/client-iam`; STS's one memberless request is covered by the model test), with no network: a `requestHandler` captures the SDK's form body and answers with canned XML.
 *
 * Inputs and results are generated from our declarations themselves (every member, list, map, enum and scalar kind
 * of each shape), so each test covers the whole shape. For each operation: 150 valid inputs serialize to the SDK's
 * parameters; 150 results written as IAM XML decode, by ours and by the SDK, to the same value.
 */
import * as Sdk from '@aws-sdk/client-iam'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { IAM_OPERATIONS } from '../src/operations/Iam.js'
import { awsQuery } from '../src/internal/protocol/AwsQuery.js'
import { validateRequest, type Operation } from '../src/internal/protocol/Operation.js'
import { asWire, type WireCodec } from '../src/internal/schema/Schema.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'
const RUNS = 150

// -------------------------------------------------------------------------------------------------
// generators from the declarations
// -------------------------------------------------------------------------------------------------

const WORD = fc.stringMatching(/^[A-Za-z0-9_+=,.@-]{1,24}$/)
const dates = fc.integer({ min: 0, max: 4_000_000_000 }).map((s) => new Date(s * 1000))

const arbitraryOf = (codec: WireCodec, direction: 'request' | 'result'): fc.Arbitrary<unknown> => {
  switch (codec._tag) {
    case 'StructType': {
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      const required: Array<string> = []
      for (const m of codec.members) {
        model[m.name] = arbitraryOf(asWire(m.codec), direction)
        if (m.required) required.push(m.name)
      }
      return fc.record(model, { requiredKeys: required, noNullPrototype: true })
    }
    case 'ListType':
      // empty lists included: both protocols send `Name=` for them
      return fc.array(arbitraryOf(asWire(codec.item), direction), { minLength: direction === 'result' ? 1 : 0, maxLength: 3 })
    case 'MapType':
      return fc.dictionary(fc.stringMatching(/^[a-z]{3,10}$/), arbitraryOf(asWire(codec.value), direction), { minKeys: 1, maxKeys: 3, noNullPrototype: true })
    case 'ScalarType':
      if (codec.values !== undefined && codec.values.length > 0) return fc.constantFrom(...codec.values)
      switch (codec.kind) {
        case 'boolean':
          return fc.boolean()
        case 'integer':
        case 'long':
          return fc.integer({ min: 1, max: 1000 })
        case 'timestamp':
          return dates
        default:
          // valid for the constrained strings too (names, ARNs, documents, versions)
          return fc.oneof(WORD, fc.constant('arn:aws:iam::123456789012:role/vmimport'), fc.constant('v1'), fc.constant('{"Version":"2012-10-17","Statement":[]}'), fc.constant('/path/')).filter((s) => codec.is(s))
      }
  }
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A value as the XML IAM writes. */
const xmlOf = (codec: WireCodec, value: unknown): string => {
  switch (codec._tag) {
    case 'StructType':
      return codec.members
        .filter((m) => (value as Record<string, unknown>)[m.name] !== undefined)
        .map((m) => `<${m.xmlName}>${xmlOf(asWire(m.codec), (value as Record<string, unknown>)[m.name])}</${m.xmlName}>`)
        .join('')
    case 'ListType':
      return (value as Array<unknown>).map((v) => `<${codec.itemName}>${xmlOf(asWire(codec.item), v)}</${codec.itemName}>`).join('')
    case 'MapType':
      return Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `<entry><${codec.keyName}>${xmlEscape(k)}</${codec.keyName}><${codec.valueName}>${xmlOf(asWire(codec.value), v)}</${codec.valueName}></entry>`)
        .join('')
    case 'ScalarType':
      return value instanceof Date ? value.toISOString() : xmlEscape(String(value))
  }
}

// -------------------------------------------------------------------------------------------------
// the SDK as an oracle
// -------------------------------------------------------------------------------------------------

let lastBody: string | undefined
let next = ''
const client = new Sdk.IAMClient({
  region: 'us-east-1',
  maxAttempts: 1,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  requestHandler: {
    handle: async (request: { readonly body?: unknown }) => {
      lastBody = String(request.body)
      return { response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: new TextEncoder().encode(next) } }
    },
  },
})
afterAll(() => client.destroy())

const sdkSend = async (op: string, input: unknown): Promise<Record<string, unknown>> => {
  const Command = (Sdk as unknown as Record<string, new (i: unknown) => unknown>)[`${op}Command`]!
  return (await (client.send as (c: unknown) => Promise<unknown>)(new Command(input))) as Record<string, unknown>
}

const params = (body: string): Array<[string, string]> => [...new URLSearchParams(body)].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))

const respond = (op: string, inner: string) =>
  `<${op}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${op}Result>${inner}</${op}Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></${op}Response>`

// -------------------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------------------

describe.each(IAM_OPERATIONS.map((op) => [op.name, op] as const))('%s against @aws-sdk/client-iam', (name, op: Operation<unknown, unknown>) => {
  it(`requests: ${RUNS} generated valid inputs serialize to the SDK's parameters`, async () => {
    let runs = 0
    await fc.assert(
      fc.asyncProperty(arbitraryOf(asWire(op.input), 'request'), async (input) => {
        const v = validateRequest(op, input)
        if (v._tag === 'Left') throw new Error(`the generator made an invalid ${name} request: ${v.left.message}`)
        const ours = awsQuery.serialize(op, v.right, () => 'token').body as string
        next = respond(name, '')
        lastBody = undefined
        await sdkSend(name, input).catch(() => undefined) // only the request matters here
        expect(params(ours), `${name}\n ours: ${ours}\n sdk:  ${lastBody}`).toEqual(params(lastBody!))
        runs += 1
      }),
      { numRuns: RUNS },
    )
    expect(runs).toBe(RUNS)
  })

  it(`responses: ${RUNS} generated results decode, by ours and by the SDK, to the same value`, async () => {
    const output = asWire(op.output)
    let runs = 0
    await fc.assert(
      fc.asyncProperty(arbitraryOf(output, 'result'), async (value) => {
        const body = respond(name, xmlOf(output, value))
        const ours = awsQuery.decode(op, { statusCode: 200, headers: {}, body }, 1)
        if (ours._tag === 'Left') throw new Error(`${ours.left.message}\n${body}`)
        expect(ours.right.value).toStrictEqual(value)
        next = body
        const { $metadata: _m, ...theirs } = await sdkSend(name, fc.sample(arbitraryOf(asWire(op.input), 'request'), 1)[0])
        expect(ours.right.requestId).toBe('req-1')
        expect(JSON.parse(JSON.stringify(theirs))).toEqual(JSON.parse(JSON.stringify(ours.right.value)))
        runs += 1
      }),
      { numRuns: RUNS },
    )
    expect(runs).toBe(RUNS)
  })
})
