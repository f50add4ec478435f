/**
 * Every S3 declaration (`src/shapes/S3.ts`) and operation binding (`src/operations/S3.ts`) against the S3 model
 * (`fixtures/s3-upload-model.json`: botocore 1.43.11's `s3/2006-03-01/service-2.json`, the operations the upload and
 * the preflight call and the shapes they reach; see `fixtures/README.md`).
 *
 * For each operation the model's input and output shapes are walked together with our codecs by the walk every
 * model test uses (`helpers/model-walk.ts`): members (none missing, none extra, requests in the model's order), XML
 * names, list item names, flattening, sensitivity, required-ness, kinds, timestamp formats, enums. On top of it, what
 * only REST-XML has: each member's `location` and `locationName` (URI label, query key, header name, header prefix),
 * the payload member, XML namespaces, the `Metadata` header map (the walk knows no maps), and each operation's HTTP
 * method, URI template and success status.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Operation } from '../../src/internal/protocol/Operation.js'
import { asWire, type WireCodec } from '../../src/internal/schema/Schema.js'
import * as Ops from '../../src/operations/S3.js'
import { compareShape, type Model, type ModelMember, type ModelShape } from '../helpers/model-walk.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

interface S3Model extends Model {
  readonly operations: Readonly<
    Record<
      string,
      {
        readonly input: { shape: string }
        readonly output?: { shape: string }
        readonly http: { readonly method: string; readonly requestUri: string; readonly responseCode?: number }
      }
    >
  >
}

const model = JSON.parse(readFileSync(new URL('../fixtures/s3-upload-model.json', import.meta.url), 'utf8')) as S3Model

type AnyOperation = Operation<unknown, unknown>

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
] as unknown as ReadonlyArray<AnyOperation>

// The walk reports every map as unexpected (the EC2 and IAM shapes have none); S3's one map, the `x-amz-meta-`
// headers, is checked below instead.
const isMetadataMapNote = (problem: string): boolean => /\.Metadata: the model's Metadata is a map/.test(problem)

const xmlNamespaceOf = (ns: unknown): { uri: string; prefix?: string } | undefined =>
  ns === undefined ? undefined : typeof ns === 'string' ? { uri: ns } : (ns as { uri: string; prefix?: string })

/** The REST-XML facts of a structure's own members, against the model's. */
const compareLocations = (shapeName: string, codec: WireCodec, problems: Array<string>): void => {
  const shape: ModelShape | undefined = model.shapes[shapeName]
  if (shape === undefined || codec._tag !== 'StructType') {
    problems.push(`${shapeName}: not a structure on both sides`)
    return
  }
  const members = shape.members ?? {}
  for (const m of codec.members) {
    const mm = members[m.name] as (ModelMember & { location?: string; xmlAttribute?: boolean }) | undefined
    if (mm === undefined) continue // the walk reports it
    const at = `${shapeName}.${m.name}`
    if (m.location !== mm.location) problems.push(`${at}: location ${m.location}, the model's is ${mm.location}`)
    if (m.locationName !== mm.locationName) problems.push(`${at}: locationName ${m.locationName}, the model's is ${mm.locationName}`)
    const payload = shape.payload === m.name
    if (m.payload !== payload) problems.push(`${at}: payload ${m.payload}, the model's is ${payload}`)
    if (m.xmlAttribute !== (mm.xmlAttribute === true)) problems.push(`${at}: xmlAttribute differs`)
    expect(m.xmlNamespace, `${at}: xmlNamespace`).toEqual(xmlNamespaceOf(mm.xmlNamespace))
    const target = model.shapes[mm.shape]
    const mc = asWire(m.codec)
    if (target?.type === 'map') {
      if (mc._tag !== 'MapType') problems.push(`${at}: the model's ${mm.shape} is a map, ours is a ${mc._tag}`)
      else if (asWire(mc.value)._tag !== 'ScalarType') problems.push(`${at}: a map of strings expected`)
    }
    if (target?.type === 'structure') compareLocations(mm.shape, mc, problems)
  }
}

// -------------------------------------------------------------------------------------------------
// tests
// -------------------------------------------------------------------------------------------------

describe('the S3 declarations match the S3 model', () => {
  it('the fixture is the model the declarations cite', () => {
    expect(model.metadata.protocol).toBe('rest-xml')
    expect(model.metadata.apiVersion).toBe(Ops.S3_API_VERSION)
    const ours = OPERATIONS.map((o) => o.name)
    // every model operation is declared, but HeadBucket (the preflight reads the bucket's region with GetBucketLocation)
    expect(Object.keys(model.operations).filter((n) => !ours.includes(n))).toEqual(['HeadBucket'])
    expect(ours.filter((n) => !(n in model.operations))).toEqual([])
  })

  it('S3 is REST-XML, signed as s3', () => {
    expect(Ops.S3).toMatchObject({ id: 's3', signingName: 's3' })
    expect(Ops.S3.protocol.name).toBe('restXml')
  })

  describe.each(OPERATIONS.map((op) => [op.name, op] as const))('%s', (name, op) => {
    const spec = model.operations[name]!

    it('has the model HTTP binding', () => {
      expect(op.http).toMatchObject({ method: spec.http.method, requestUri: spec.http.requestUri })
      expect(op.http?.responseCode).toBe(spec.http.responseCode)
      expect(op.version).toBe(model.metadata.apiVersion)
    })

    it('request: members, wire names, kinds, enums', () => {
      const problems: Array<string> = []
      compareShape(model.shapes, spec.input.shape, asWire(op.input), spec.input.shape, 'request', problems)
      compareLocations(spec.input.shape, asWire(op.input), problems)
      expect(problems.filter((p) => !isMetadataMapNote(p))).toEqual([])
    })

    it('result: members, wire names, kinds, open enums', () => {
      const problems: Array<string> = []
      const out = spec.output!.shape
      compareShape(model.shapes, out, asWire(op.output), out, 'result', problems)
      compareLocations(out, asWire(op.output), problems)
      expect(problems.filter((p) => !isMetadataMapNote(p))).toEqual([])
    })
  })

  it('the Metadata maps are the x-amz-meta- headers, in the requests and results that have them', () => {
    const withMetadata = OPERATIONS.flatMap((op) =>
      [asWire(op.input), asWire(op.output)].flatMap((c) => (c._tag === 'StructType' ? c.members.filter((m) => m.name === 'Metadata') : [])),
    )
    // PutObject and CreateMultipartUpload send it, HeadObject returns it
    expect(withMetadata).toHaveLength(3)
    for (const m of withMetadata) expect(m).toMatchObject({ location: 'headers', locationName: 'x-amz-meta-' })
  })

  it('marks idempotent exactly the calls a repeat cannot harm', () => {
    const idempotent = Object.fromEntries(OPERATIONS.map((o) => [o.name, o.idempotent]))
    expect(idempotent).toEqual({
      PutObject: true,
      HeadObject: true,
      DeleteObject: true,
      CreateMultipartUpload: false,
      UploadPart: true,
      CompleteMultipartUpload: false,
      AbortMultipartUpload: false,
      ListParts: true,
      ListMultipartUploads: true,
      GetBucketLocation: true,
      GetBucketPolicy: true,
      GetBucketLifecycleConfiguration: true,
    })
  })
})
