/**
 * Differential tests of the S3 operations against AWS SDK v3's own serializers and deserializers
 * (`@aws-sdk/client-s3`, with no network: a custom `requestHandler` captures the request the SDK built and answers
 * with a canned response that the SDK's deserializer then reads).
 *
 * Requests: for each operation, at least 100 inputs generated from our declaration (every member, with values each
 * location can carry: bucket names, keys with spaces, `+`, `/` and non-ASCII, header-safe text, metadata maps, bytes,
 * XML payloads with characters XML must escape) are sent by the SDK and serialized by `restXml`: the method, the
 * path, the query parameters, every header the request's members bind (compared by name without regard to case, the
 * SDK's own bookkeeping headers left out: signature, date, user agent, invocation id), and the body (as XML when it is
 * XML, else byte for byte) must be the same.
 *
 * Responses: for each operation, at least 100 results generated from our declaration are rendered as S3 renders them
 * (headers, `x-amz-meta-*`, an XML body, S3's bare `<LocationConstraint>` document, a policy's JSON text) and decoded
 * by both; the values must be the same.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import fc from 'fast-check'
import { XMLParser } from 'fast-xml-parser'
import type * as t from 'io-ts'
import { afterAll, describe, expect, it } from 'vitest'
import type { Operation } from '../src/internal/protocol/Operation.js'
import { decodeRestXml, restXml } from '../src/internal/protocol/RestXml.js'
import { asWire, type Member, type WireCodec } from '../src/internal/schema/Schema.js'
import * as Ops from '../src/operations/S3.js'
import { withoutMetadata } from './helpers/sdk-oracle.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true'

type AnyOperation = Operation<unknown, unknown>

// -------------------------------------------------------------------------------------------------
// the SDK as an oracle
// -------------------------------------------------------------------------------------------------

const COMMANDS: Readonly<Record<string, new (input: never) => unknown>> = {
  PutObject: PutObjectCommand,
  HeadObject: HeadObjectCommand,
  DeleteObject: DeleteObjectCommand,
  CreateMultipartUpload: CreateMultipartUploadCommand,
  UploadPart: UploadPartCommand,
  CompleteMultipartUpload: CompleteMultipartUploadCommand,
  AbortMultipartUpload: AbortMultipartUploadCommand,
  ListParts: ListPartsCommand,
  ListMultipartUploads: ListMultipartUploadsCommand,
  GetBucketLocation: GetBucketLocationCommand,
  GetBucketPolicy: GetBucketPolicyCommand,
  GetBucketLifecycleConfiguration: GetBucketLifecycleConfigurationCommand,
  CreateBucket: CreateBucketCommand,
}

const OPERATIONS: ReadonlyArray<AnyOperation> = [
  Ops.PutObject,
  Ops.HeadObject,
  Ops.DeleteObject,
  Ops.CreateMultipartUpload,
  Ops.UploadPart,
  Ops.CompleteMultipartUpload,
  Ops.AbortMultipartUpload,
  Ops.ListParts,
  Ops.ListMultipartUploads,
  Ops.GetBucketLocation,
  Ops.GetBucketPolicy,
  Ops.GetBucketLifecycleConfiguration,
  Ops.CreateBucket,
] as unknown as ReadonlyArray<AnyOperation>

interface Captured {
  readonly method: string
  readonly path: string
  readonly query: Readonly<Record<string, string | ReadonlyArray<string> | null>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
}

interface Canned {
  readonly statusCode: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

let captured: Captured | undefined
let canned: Canned = { statusCode: 200, headers: {}, body: '' }

const sdk = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9000',
  forcePathStyle: true,
  maxAttempts: 1,
  // Only the checksums a request states: the SDK would otherwise add a CRC32 of its own to every upload.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  requestHandler: {
    handle: async (request: Captured) => {
      captured = request
      return {
        response: {
          statusCode: canned.statusCode,
          headers: { ...canned.headers }, // a copy: the SDK rewrites the `expires` header in place
          body: new TextEncoder().encode(canned.body),
        },
      }
    },
  },
} as NonNullable<ConstructorParameters<typeof S3Client>[0]>)

afterAll(() => sdk.destroy())

const sdkSend = (op: string, input: unknown): Promise<Record<string, unknown>> =>
  (sdk.send as (c: unknown) => Promise<Record<string, unknown>>)(new COMMANDS[op]!(input as never))

// -------------------------------------------------------------------------------------------------
// generated values
// -------------------------------------------------------------------------------------------------

const headerText = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/)
// Text an XML body carries: printable, with the characters XML must escape, no edge whitespace (S3 keeps it; the
// point here is the two readers agree, not whitespace).
const xmlText = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e<>&"']{0,20}[\x21-\x7e])?$/)
const anyText = fc.string({ minLength: 1, maxLength: 24, unit: 'grapheme' })
const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/)
const objectKey = fc.oneof(anyText, fc.array(fc.stringMatching(/^[\w .+~!*'()=&$@,;:-]{1,8}$/), { minLength: 1, maxLength: 4 }).map((a) => a.join('/')))
const wholeSeconds = fc.integer({ min: 0, max: 4102444800 }).map((s) => new Date(s * 1000))

type Where = 'uri' | 'querystring' | 'header' | 'body'

const scalarArbitrary = (codec: WireCodec & { readonly _tag: 'ScalarType' }, where: Where, m: Member | undefined): fc.Arbitrary<unknown> => {
  if (codec.values !== undefined) return fc.constantFrom(...codec.values)
  switch (codec.kind) {
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return fc.integer({ min: 0, max: 2 ** 31 - 1 })
    case 'long':
      return fc.integer({ min: 0, max: 2 ** 45 })
    case 'timestamp':
      return wholeSeconds
    case 'blob':
      return fc.uint8Array({ maxLength: 64 })
    default:
      if (where === 'uri') return m?.name === 'Bucket' ? bucketName : objectKey
      if (where === 'querystring') return anyText
      if (where === 'header') return headerText
      return xmlText
  }
}

const arbitraryOf = (codec: WireCodec, where: Where, m?: Member): fc.Arbitrary<unknown> => {
  switch (codec._tag) {
    case 'ScalarType':
      return scalarArbitrary(codec, where, m)
    case 'ListType':
      return fc.array(arbitraryOf(asWire(codec.item), where), { minLength: 1, maxLength: 3 })
    case 'MapType':
      return fc.dictionary(fc.stringMatching(/^[a-z0-9-]{1,10}$/), headerText, { maxKeys: 3 })
    case 'StructType': {
      const props: Record<string, fc.Arbitrary<unknown>> = {}
      const required: Array<string> = []
      for (const mm of codec.members) {
        // The SDK's SSE-C middleware rewrites this member (base64-encodes it, adds its MD5), beyond the model: the
        // key is sent as the caller gives it, with the MD5 the caller gives.
        if (mm.name === 'SSECustomerKey') continue
        const at: Where = mm.location === 'uri' ? 'uri' : mm.location === 'querystring' ? 'querystring' : mm.location === 'header' || mm.location === 'headers' ? 'header' : 'body'
        props[mm.name] = arbitraryOf(asWire(mm.codec), at, mm)
        if (mm.required) required.push(mm.name)
      }
      return fc.record(props, { requiredKeys: required })
    }
  }
}

/** A request: every member may be there; `ContentLength`, when there, is the body's (as S3 requires). */
const requestArbitrary = (op: AnyOperation): fc.Arbitrary<Record<string, unknown>> =>
  arbitraryOf(asWire(op.input), 'body').map((v) => {
    const r = { ...(v as Record<string, unknown>) }
    if ('ContentLength' in r) {
      if (r['Body'] instanceof Uint8Array) r['ContentLength'] = r['Body'].length
      else delete r['ContentLength']
    }
    return r
  })

// -------------------------------------------------------------------------------------------------
// requests
// -------------------------------------------------------------------------------------------------

// The SDK's bookkeeping, not the request's members: its signature and the headers it signs for itself, its user
// agent and invocation id, and the `x-id` query parameter it adds to name the operation.
const SDK_ONLY_HEADERS = new Set([
  'authorization',
  'x-amz-date',
  'x-amz-content-sha256',
  'x-amz-user-agent',
  'user-agent',
  'host',
  'amz-sdk-invocation-id',
  'amz-sdk-request',
  'expect',
])

const lower = (h: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]))

const ourQuery = (path: string): Array<[string, string]> => {
  const q = path.indexOf('?')
  if (q === -1) return []
  return path
    .slice(q + 1)
    .split('&')
    .map((p) => {
      const eq = p.indexOf('=')
      return eq === -1 ? [decodeURIComponent(p), ''] : [decodeURIComponent(p.slice(0, eq)), decodeURIComponent(p.slice(eq + 1))]
    })
}

const sdkQuery = (query: Captured['query']): Array<[string, string]> =>
  Object.entries(query)
    .filter(([k]) => k !== 'x-id')
    .flatMap(([k, v]): Array<[string, string]> => (v === null ? [[k, '']] : typeof v === 'string' ? [[k, v]] : v.map((x) => [k, x])))

const sorted = (pairs: Array<[string, string]>): Array<[string, string]> =>
  [...pairs].sort((a, b) => (a[0] + '\u0000' + a[1] < b[0] + '\u0000' + b[1] ? -1 : 1))

// (The SDK starts its XML bodies with an XML declaration, which says nothing S3 does not assume.)
const xml = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
})
const bytesOf = (b: unknown): Buffer =>
  typeof b === 'string' ? Buffer.from(b, 'utf8') : b instanceof Uint8Array ? Buffer.from(b) : b === undefined || b === null ? Buffer.alloc(0) : Buffer.from(String(b))

const checkRequest = async (op: AnyOperation, input: Record<string, unknown>): Promise<void> => {
  captured = undefined
  canned = { statusCode: 200, headers: {}, body: '' }
  await sdkSend(op.name, input).catch(() => undefined) // the canned answer may not suit it: only the request matters
  // (set by the handler during the await: the compiler cannot see that)
  const theirs = captured as Captured | undefined
  if (theirs === undefined) throw new Error(`the SDK sent no ${op.name} for ${JSON.stringify(input)}`)
  const ours = restXml.serialize(op, input, () => 'token')

  expect(ours.method).toBe(theirs.method)
  // The SDK writes a bucket-level path-style URI (`/{Bucket}`) as `/bucket/`, botocore and we as the template has it,
  // `/bucket`: S3 takes both, and each is signed as sent.
  const ourPath = ours.path.split('?')[0]!
  expect(/^\/[^/]+$/.test(ourPath) ? `${ourPath}/` : ourPath).toBe(theirs.path)
  expect(sorted(ourQuery(ours.path))).toStrictEqual(sorted(sdkQuery(theirs.query)))

  const oursH = lower(ours.headers)
  const theirsH = lower(theirs.headers)
  const bound = (h: Record<string, string>): Record<string, string> =>
    Object.fromEntries(
      Object.entries(h).filter(([k]) => !SDK_ONLY_HEADERS.has(k) && !(k === 'content-length' && !('ContentLength' in input))),
    )
  expect(bound(oursH)).toStrictEqual(bound(theirsH))
  // A byte body's hash, which we compute when serializing and the SDK when signing, is the same hash.
  if (oursH['x-amz-content-sha256'] !== undefined) expect(oursH['x-amz-content-sha256']).toBe(theirsH['x-amz-content-sha256'])

  const ourBody = bytesOf(ours.body)
  const theirBody = bytesOf(theirs.body)
  if (theirBody.length > 0 && theirBody[0] === 0x3c && op.name !== 'PutObject' && op.name !== 'UploadPart') {
    expect(xml.parse(ourBody.toString('utf8'))).toStrictEqual(xml.parse(theirBody.toString('utf8')))
  } else {
    expect(ourBody.equals(theirBody)).toBe(true)
  }
}

describe('requests: restXml serializes as @aws-sdk/client-s3 does', () => {
  it.each(OPERATIONS.map((op) => [op.name, op] as const))('%s (100 generated inputs)', async (_, op) => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary(op), (input) => checkRequest(op, input)),
      { numRuns: 100 },
    )
  })
})

// -------------------------------------------------------------------------------------------------
// responses
// -------------------------------------------------------------------------------------------------

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const scalarText = (codec: WireCodec & { readonly _tag: 'ScalarType' }, v: unknown, inHeader: boolean): string => {
  if (codec.kind === 'timestamp') {
    const d = v as Date
    const rfc = codec.timestampFormatGiven ? codec.timestampFormat === 'rfc822' : inHeader
    return rfc ? d.toUTCString() : d.toISOString()
  }
  return String(v)
}

// An element as S3 writes it: members in order, a flattened list repeating the member's element.
const render = (name: string, codec: WireCodec, v: unknown): string => {
  switch (codec._tag) {
    case 'ScalarType':
      return `<${name}>${escape(scalarText(codec, v, false))}</${name}>`
    case 'ListType':
      return `<${name}>${(v as Array<unknown>).map((x) => render(codec.itemName, asWire(codec.item), x)).join('')}</${name}>`
    case 'MapType':
      throw new Error('no map in an S3 XML body')
    case 'StructType':
      return `<${name}>${renderMembers(codec.members, v as Record<string, unknown>)}</${name}>`
  }
}

const renderMembers = (members: ReadonlyArray<Member>, v: Record<string, unknown>): string =>
  members
    .filter((m) => m.location === undefined && !m.payload && v[m.name] !== undefined)
    .map((m) => {
      const c = asWire(m.codec)
      return m.flattened && c._tag === 'ListType'
        ? (v[m.name] as Array<unknown>).map((x) => render(m.xmlName, asWire(c.item), x)).join('')
        : render(m.xmlName, c, v[m.name])
    })
    .join('')

const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'

const responseOf = (op: AnyOperation, value: Record<string, unknown>): Canned => {
  const codec = asWire(op.output) as WireCodec & { readonly _tag: 'StructType' }
  const headers: Record<string, string> = { 'x-amz-request-id': 'R3QU35T1D' }
  for (const m of codec.members) {
    const v = value[m.name]
    if (v === undefined) continue
    if (m.location === 'header') headers[m.locationName!.toLowerCase()] = scalarText(asWire(m.codec) as WireCodec & { _tag: 'ScalarType' }, v, true)
    if (m.location === 'headers') for (const [k, x] of Object.entries(v as Record<string, string>)) headers[m.locationName! + k] = x
  }
  const payload = codec.members.find((m) => m.payload)
  let body: string
  if (payload !== undefined) body = (value[payload.name] as string | undefined) ?? ''
  else if (op.name === 'GetBucketLocation') {
    body = `<LocationConstraint ${NS}>${escape((value['LocationConstraint'] as string | undefined) ?? '')}</LocationConstraint>`
  } else {
    const inner = renderMembers(codec.members, value)
    body = inner === '' ? '' : `<?xml version="1.0" encoding="UTF-8"?>\n<${op.name}Result ${NS}>${inner}</${op.name}Result>`
  }
  if (body !== '') headers['content-type'] = payload !== undefined ? 'application/json' : 'application/xml'
  return { statusCode: op.http?.responseCode ?? 200, headers, body }
}

// Results: lower-case metadata keys (HTTP header names are case-insensitive; undici and the SDK give them lower-case).
const resultArbitrary = (op: AnyOperation): fc.Arbitrary<Record<string, unknown>> =>
  arbitraryOf(asWire(op.output), 'body') as fc.Arbitrary<Record<string, unknown>>

const REQUIRED_INPUT: Readonly<Record<string, Record<string, unknown>>> = {
  ListParts: { UploadId: 'u' },
  CompleteMultipartUpload: { UploadId: 'u' },
  AbortMultipartUpload: { UploadId: 'u' },
  UploadPart: { UploadId: 'u', PartNumber: 1, Body: new Uint8Array(0) },
}

/**
 * Where the SDK's output departs from the model on purpose, put back in the model's terms: the SDK parses `Expires`
 * as a `Date` (undefined when it is not one) and keeps the text as `ExpiresString`, where the model has the text as
 * `Expires`; and it types `PartNumberMarker`/`NextPartNumberMarker` as strings, which the model has as integers.
 */
const inModelTerms = (op: AnyOperation, output: Record<string, unknown>): Record<string, unknown> => {
  const out = { ...output }
  if (op.name === 'HeadObject') {
    delete out['Expires']
    if (out['ExpiresString'] !== undefined) out['Expires'] = out['ExpiresString']
    delete out['ExpiresString']
  }
  for (const k of ['PartNumberMarker', 'NextPartNumberMarker']) if (typeof out[k] === 'string') out[k] = Number(out[k])
  return out
}

const checkResponse = async (op: AnyOperation, value: Record<string, unknown>): Promise<void> => {
  canned = responseOf(op, value)
  const theirs = inModelTerms(op, withoutMetadata(await sdkSend(op.name, { Bucket: 'bucket', Key: 'key', ...REQUIRED_INPUT[op.name] })))
  const ours = decodeRestXml(asWire(op.output), { statusCode: canned.statusCode, headers: canned.headers, body: canned.body })
  expect(ours._tag === 'Result' ? ours.value : ours).toStrictEqual(theirs)
  if (ours._tag === 'Result') expect(ours.requestId).toBe('R3QU35T1D')
}

describe('responses: restXml decodes as @aws-sdk/client-s3 does', () => {
  it.each(OPERATIONS.map((op) => [op.name, op] as const))('%s (100 generated results)', async (_, op) => {
    await fc.assert(
      fc.asyncProperty(resultArbitrary(op), (value) => checkResponse(op, value)),
      { numRuns: 100 },
    )
  })
})

// The declared types are what the generators produce: a typo in a member name here would fail to compile.
const _typecheck: t.TypeOf<typeof Ops.PutObject.input> | undefined = undefined
void _typecheck
