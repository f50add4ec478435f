/**
 * The protocol engine against AWS's own EC2 Query protocol tests: botocore's generated and legacy suites and the
 * Smithy ec2Query test models. Each case is its own test, named by its id (or, for botocore's legacy files, which
 * have none, by its suite's description and its index).
 *
 * Requests: the case's params, as domain values, go through the client's own stages (`validateRequest`, then
 * `serializeRequest`) and the body must equal the expected one exactly, as botocore compares it. Responses: the
 * case's status, headers and body go through `decodeResponse` and must give the expected result, or EC2's error with
 * the expected code and message.
 *
 * The cases botocore skips for ec2 (`botocore-protocol-tests-ignore-list.json`) are run like every other case.
 * Only `test/fixtures/protocol/` is read; see its README for where the files come from.
 */
import type * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { FORM_CONTENT_TYPE as CONTENT_TYPE } from '../../../src/internal/protocol/Ec2Query.js'
import { decodeResponse, serializeRequest, validateRequest, type RawResponse } from '../../../src/internal/protocol/Operation.js'
import * as S from '../../../src/internal/schema/Schema.js'
import {
  botocoreCodec,
  emptyStruct,
  headerOf,
  loadFixture,
  operationOf,
  requestTarget,
  smithyCodec,
  TEST_IDEMPOTENCY_TOKEN,
  toComparable,
  toDomain,
  type BotocoreInputCase,
  type BotocoreOutputCase,
  type BotocoreSuite,
  type Json,
  type SmithyCases,
} from '../../helpers/protocol-adapter.js'

// -------------------------------------------------------------------------------------------------
// fixtures
// -------------------------------------------------------------------------------------------------

const botocoreInput = loadFixture<ReadonlyArray<BotocoreSuite<BotocoreInputCase>>>('botocore-ec2-input.json')
const botocoreLegacyInput = loadFixture<ReadonlyArray<BotocoreSuite<BotocoreInputCase>>>('botocore-ec2-legacy-input.json')
const botocoreOutput = loadFixture<ReadonlyArray<BotocoreSuite<BotocoreOutputCase>>>('botocore-ec2-output.json')
const botocoreLegacyOutput = loadFixture<ReadonlyArray<BotocoreSuite<BotocoreOutputCase>>>('botocore-ec2-legacy-output.json')
const smithy = loadFixture<SmithyCases>('smithy-ec2query-cases.json')
const ignoreList = loadFixture<{
  readonly protocols: { readonly ec2: { readonly input: { readonly cases: ReadonlyArray<string> }; readonly output: { readonly cases: ReadonlyArray<string> } } }
}>('botocore-protocol-tests-ignore-list.json')

// -------------------------------------------------------------------------------------------------
// what the client sends
// -------------------------------------------------------------------------------------------------

// The Content-Type the client sends with every call (src/internal/protocol/Ec2Query.ts). The generated tests expect the bare media type,
// botocore's legacy tests the `; charset=utf-8` form the client (like botocore) sends: botocore's runner accepts the
// suffix, and so does this check. The client does not export its method ('POST') or its request target; the target
// rule the cases fix (the endpoint's path, then `/`) is `requestTarget` in the adapter.
const EC2_QUERY_METHOD = 'POST'
const ACCEPTED_CONTENT_TYPES = [CONTENT_TYPE, CONTENT_TYPE.replace(/; charset=utf-8$/, '')]

// -------------------------------------------------------------------------------------------------
// requests
// -------------------------------------------------------------------------------------------------

interface RequestCase {
  readonly name: string
  readonly action: string
  readonly version: string
  readonly input: t.Mixed
  readonly params: Json
  readonly method: string | undefined
  readonly uri: string
  /** The client endpoint the case assumes (a URL, or a host with an optional path), when it names one. */
  readonly endpoint: string | undefined
  readonly headers: Readonly<Record<string, string>> | undefined
  /** Absent only in the request-compression cases, which state headers and no body. */
  readonly body: string | undefined
}

const botocoreRequestCases = (
  suites: ReadonlyArray<BotocoreSuite<BotocoreInputCase>>,
  legacy: boolean,
): ReadonlyArray<RequestCase> =>
  suites.flatMap((suite) =>
    suite.cases.map((c, i) => ({
      name: legacy ? `${suite.description} #${i}` : (c.id ?? `${suite.description} #${i}`),
      action: c.given.name,
      version: suite.metadata.apiVersion ?? '',
      input: c.given.input === undefined ? emptyStruct() : botocoreCodec(suite.shapes, c.given.input.shape, 'input'),
      params: c.params,
      method: c.serialized.method,
      uri: c.serialized.uri,
      endpoint: suite.clientEndpoint,
      headers: c.serialized.headers,
      body: c.serialized.body,
    })),
  )

const smithyRequestCases: ReadonlyArray<RequestCase> = smithy.requestTests.map((c) => ({
  name: c.id,
  action: c.operation,
  version: smithy.service.version,
  input: c.inputShape === null ? emptyStruct() : smithyCodec(smithy.shapes, c.inputShape, 'input'),
  params: c.params ?? {},
  method: c.method,
  uri: c.uri,
  endpoint: c.host,
  headers: c.headers,
  body: c.body,
}))

const checkRequest = (c: RequestCase): void => {
  const op = operationOf(c.action, c.version, c.input, emptyStruct())
  const valid = validateRequest(op, toDomain(c.input, c.params))
  if (valid._tag === 'Left') throw new Error(`the case's params do not pass the declaration: ${valid.left.message}`)
  const body = serializeRequest(op, valid.right, () => TEST_IDEMPOTENCY_TOKEN)

  if (c.body !== undefined) {
    expect(body).toBe(c.body)
  } else {
    // The case states no body (it is about compressing it). What it implies still holds: a form body of the action,
    // the version and the params' values in model order, each surviving percent-encoding.
    const form = [...new URLSearchParams(body)]
    expect(form.slice(0, 2)).toEqual([
      ['Action', c.action],
      ['Version', c.version],
    ])
    const struct = c.input as unknown as S.StructType<S.Members, unknown, unknown>
    expect(form.slice(2).map(([, v]) => v)).toEqual(
      struct.members.filter((m) => c.params[m.name] !== undefined).map((m) => c.params[m.name]),
    )
  }

  // botocore's legacy cases leave the method out: botocore defaults it to POST.
  expect(c.method ?? EC2_QUERY_METHOD).toBe(EC2_QUERY_METHOD)
  expect(c.uri).toBe(requestTarget(c.endpoint))
  const contentType = headerOf(c.headers, 'Content-Type')
  if (contentType !== undefined) expect(ACCEPTED_CONTENT_TYPES).toContain(contentType)
}

// -------------------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------------------

type Expected =
  | { readonly _tag: 'Result'; readonly value: Json }
  | { readonly _tag: 'ServiceError'; readonly code: string; readonly message: string | undefined }

interface ResponseCase {
  readonly name: string
  readonly action: string
  readonly version: string
  readonly output: t.Mixed
  readonly response: RawResponse
  readonly expected: Expected
}

const botocoreResponseCases = (
  suites: ReadonlyArray<BotocoreSuite<BotocoreOutputCase>>,
  legacy: boolean,
): ReadonlyArray<ResponseCase> =>
  suites.flatMap((suite) =>
    suite.cases.map((c, i): ResponseCase => ({
      name: legacy ? `${suite.description} #${i}` : (c.id ?? `${suite.description} #${i}`),
      action: c.given.name,
      version: suite.metadata.apiVersion ?? '',
      output: c.given.output === undefined ? emptyStruct() : botocoreCodec(suite.shapes, c.given.output.shape, 'output'),
      response: { statusCode: c.response.status_code, headers: c.response.headers ?? {}, body: c.response.body ?? '' },
      expected:
        c.errorCode !== undefined
          ? { _tag: 'ServiceError', code: c.errorCode, message: c.errorMessage }
          : { _tag: 'Result', value: c.result ?? {} },
    })),
  )

const smithyResponseCases: ReadonlyArray<ResponseCase> = smithy.responseTests.map((c): ResponseCase => {
  const params = c.params ?? {}
  const message = params['Message']
  return {
    name: c.id,
    action: c.operation,
    version: smithy.service.version,
    output: c.outputShape === undefined ? emptyStruct() : smithyCodec(smithy.shapes, c.outputShape, 'output'),
    response: { statusCode: c.code, headers: c.headers ?? {}, body: c.body ?? '' },
    expected: c.isError
      ? {
          _tag: 'ServiceError',
          code: c.errorCode ?? String(c.vendorParams?.['code']),
          message: typeof message === 'string' ? message : undefined,
        }
      : { _tag: 'Result', value: params },
  }
})

const checkResponse = (c: ResponseCase): void => {
  const op = operationOf(c.action, c.version, emptyStruct(), c.output)
  const r = decodeResponse(op, c.response, 1)
  if (c.expected._tag === 'Result') {
    // On a Left, this shows the whole error (a DecodeError names the member that did not fit).
    expect(r._tag === 'Left' ? r.left : undefined).toBeUndefined()
    if (r._tag === 'Left') return
    expect(toComparable(r.right.value)).toStrictEqual(toComparable(toDomain(c.output, c.expected.value)))
  } else {
    expect(r._tag).toBe('Left')
    if (r._tag === 'Right') return
    expect(r.left).toMatchObject({
      _tag: 'ServiceError',
      code: c.expected.code,
      statusCode: c.response.statusCode,
      ...(c.expected.message === undefined ? {} : { serviceMessage: c.expected.message }),
    })
  }
}

// -------------------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------------------

const inputCases = botocoreRequestCases(botocoreInput, false)
const legacyInputCases = botocoreRequestCases(botocoreLegacyInput, true)
const outputCases = botocoreResponseCases(botocoreOutput, false)
const legacyOutputCases = botocoreResponseCases(botocoreLegacyOutput, true)

describe('protocol test fixtures', () => {
  it('hold every case the upstream files have', () => {
    expect(inputCases).toHaveLength(29)
    expect(legacyInputCases).toHaveLength(12)
    expect(outputCases).toHaveLength(29)
    expect(legacyOutputCases).toHaveLength(13)
    expect(smithyRequestCases).toHaveLength(30)
    expect(smithyResponseCases).toHaveLength(29)
    for (const cases of [inputCases, legacyInputCases, outputCases, legacyOutputCases, smithyRequestCases, smithyResponseCases]) {
      expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length)
    }
  })

  it('run the cases botocore skips for ec2, too', () => {
    const names = new Set([...inputCases, ...outputCases].map((c) => c.name))
    const skipped = [...ignoreList.protocols.ec2.input.cases, ...ignoreList.protocols.ec2.output.cases]
    expect(skipped).toEqual(['Ec2QueryEndpointTraitWithHostLabel', 'Ec2Lists', 'Ec2TimestampsInput', 'Ec2XmlLists', 'Ec2ComplexError'])
    for (const id of skipped) expect(names).toContain(id)
  })
})

describe('requests: botocore-ec2-input.json', () => {
  it.each(inputCases)('$name', checkRequest)
})

describe('requests: botocore-ec2-legacy-input.json', () => {
  it.each(legacyInputCases)('$name', checkRequest)
})

describe('requests: smithy-ec2query-cases.json', () => {
  it.each(smithyRequestCases)('$name', checkRequest)
})

describe('responses: botocore-ec2-output.json', () => {
  it.each(outputCases)('$name', checkResponse)
})

describe('responses: botocore-ec2-legacy-output.json', () => {
  it.each(legacyOutputCases)('$name', checkResponse)
})

describe('responses: smithy-ec2query-cases.json', () => {
  it.each(smithyResponseCases)('$name', checkResponse)
})
