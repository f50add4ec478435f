/**
 * fast-check arbitraries for the three operations: valid requests (every documented rule respected), invalid
 * requests (a valid one with one targeted mutation, and the path the mutation must be reported at), results, and an
 * XML writer for results that walks the codecs' wire declarations.
 *
 * The writer also predicts what AWS SDK v3's XML parser makes of the text it wrote (`sdkView`), so a differential
 * test can account for the SDK's known decoding bugs exactly instead of skipping the values that trigger them.
 */
import fc from 'fast-check'
import type { CancelImportTaskRequest, CancelImportTaskResult } from '../../src/shapes/CancelImportTask.js'
import type {
  DescribeImportImageTasksRequest,
  DescribeImportImageTasksResult,
} from '../../src/shapes/DescribeImportImageTasks.js'
import type { ImageDiskContainer, ImportImageRequest, ImportImageResult } from '../../src/shapes/ImportImage.js'
import * as Op from '../../src/operations/Ec2.js'
import type { Operation } from '../../src/internal/protocol/Operation.js'
import { asWire, type WireCodec } from '../../src/internal/schema/Schema.js'
import type { TagSpecification } from '../../src/shapes/Tag.js'
import type { OpName } from './sdk-oracle.js'

// -------------------------------------------------------------------------------------------------
// strings
// -------------------------------------------------------------------------------------------------

/** Characters that go wrong in query strings and XML, plus characters above U+FFFF. */
const SPECIALS = [
  ' ', '&', '=', '+', '%', '~', '*', "'", '(', ')', '!', '<', '>', '"', '#', '?', '/', ':', ';', ',', '@', '$',
  '[', ']', '\\', '\n', '\t', '\u00a0', '\u2028', '\u3000', 'é', '中', '😀', '𝄞', '\u{10000}', '\u{10ffff}',
]

const oneChar = (unit: 'grapheme-ascii' | 'binary') => fc.string({ unit, minLength: 1, maxLength: 1 })

/** One character of a request string: specials, ASCII, or any code point (half surrogates excluded). */
const requestUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...SPECIALS) },
  { weight: 3, arbitrary: oneChar('grapheme-ascii') },
  { weight: 2, arbitrary: oneChar('binary') },
)

/** A request string: unicode (above U+FFFF too), spaces, `&=+%~*'()!`, empty included. */
export const requestString = (maxLength = 24): fc.Arbitrary<string> => fc.string({ unit: requestUnit, maxLength })

/** Whether a code point is an XML 1.0 `Char` (what an XML document can carry at all). */
export const isXmlChar = (cp: number): boolean =>
  cp === 0x9 ||
  cp === 0xa ||
  cp === 0xd ||
  (cp >= 0x20 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd) ||
  (cp >= 0x10000 && cp <= 0x10ffff)

/** One character a response string can hold: any XML `Char`, CR included (the writer escapes it). */
const resultUnit = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...SPECIALS, '\r') },
  { weight: 10, arbitrary: oneChar('grapheme-ascii') },
  { weight: 10, arbitrary: oneChar('binary').filter((c) => isXmlChar(c.codePointAt(0)!)) },
  // code points whose low 16 bits are whitespace: what the SDK's reference bug turns into spaces and newlines
  { weight: 1, arbitrary: fc.constantFrom('\u{1000a}', '\u{10020}', '\u{20009}', '\u{1000d}', '\u{13000}') },
)

/** A string a response can carry (only XML `Char`s). */
export const resultString = (maxLength = 24): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 30, arbitrary: fc.string({ unit: resultUnit, maxLength }) },
    // whitespace-only strings, with and without a newline
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\r', '\u3000'), maxLength: 4 }) },
  )

// -------------------------------------------------------------------------------------------------
// requests: valid
// -------------------------------------------------------------------------------------------------

/** A valid request of one of the three operations. */
export type ValidRequest =
  | { readonly op: 'ImportImage'; readonly input: ImportImageRequest }
  | { readonly op: 'DescribeImportImageTasks'; readonly input: DescribeImportImageTasksRequest }
  | { readonly op: 'CancelImportTask'; readonly input: CancelImportTaskRequest }

const MIN_DATE = new Date('1000-01-01T00:00:00.000Z')
const MAX_DATE = new Date('9999-12-31T23:59:59.999Z')

/**
 * A `Date` in years 1000–9999 (what RFC 3339 can write), half of them on a whole second (written without
 * milliseconds). Years outside that range are the subject of a dedicated test.
 */
export const date: fc.Arbitrary<Date> = fc
  .tuple(fc.date({ min: MIN_DATE, max: MAX_DATE, noInvalidDate: true }), fc.boolean())
  .map(([d, whole]) => (whole ? new Date(Math.floor(d.getTime() / 1000) * 1000) : d))

/** A record whose keys are all optional: an absent member is an absent key, never `undefined`. */
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
  fc.record(model, { requiredKeys: [], noNullPrototype: true })

/** A record whose `required` keys are always present. */
const recordWith = <T, K extends keyof T & string>(model: { [P in keyof T]: fc.Arbitrary<T[P]> }, required: Array<K>) =>
  fc.record(model, { requiredKeys: required, noNullPrototype: true })

const ID_CHARS = fc.constantFrom(...'0123456789abcdef')
const awsId = (prefix: string) => fc.string({ unit: ID_CHARS, minLength: 8, maxLength: 17 }).map((s) => `${prefix}-${s}`)

const FORMATS = ['OVA', 'VHD', 'VHDX', 'VMDK', 'RAW', 'ova', 'vhd', 'vhdx', 'vmdk', 'raw', 'Vmdk', 'vHdX'] as const

const containerCommon = {
  Description: requestString(),
  DeviceName: fc.oneof(fc.constantFrom('/dev/sda1', '/dev/xvda'), requestString(12)),
  // the codec admits any case; its static type lists the upper and lower case forms only
  Format: fc.constantFrom(...FORMATS) as fc.Arbitrary<NonNullable<ImageDiskContainer['Format']>>,
}

/** A disk container with exactly one source. */
export const imageDiskContainer: fc.Arbitrary<ImageDiskContainer> = fc.oneof(
  recordWith({ ...containerCommon, Url: fc.oneof(fc.webUrl(), requestString(40)) }, ['Url']),
  recordWith(
    {
      ...containerCommon,
      UserBucket: record({ S3Bucket: fc.oneof(fc.constantFrom('my-images'), requestString(20)), S3Key: requestString(40) }),
    },
    ['UserBucket'],
  ),
  recordWith({ ...containerCommon, SnapshotId: fc.oneof(awsId('snap'), requestString(12)) }, ['SnapshotId']),
)

/** A tag key: 1 to 128 UTF-16 units, not starting with `aws:` (any case). */
export const tagKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: requestString(40).filter((k) => k.length >= 1 && k.length <= 128 && !/^aws:/i.test(k)) },
  { weight: 1, arbitrary: fc.constantFrom('k'.repeat(128), 'a', 'awsx', 'aws', 'Name', 'x:aws:') },
)

/** A tag value: at most 256 UTF-16 units. */
export const tagValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 9, arbitrary: requestString(40) },
  { weight: 1, arbitrary: fc.constant('v'.repeat(256)) },
)

export const tagSpecification: fc.Arbitrary<TagSpecification> = recordWith(
  {
    ResourceType: fc.constant('import-image-task' as const),
    Tags: fc.array(recordWith({ Key: tagKey, Value: tagValue }, ['Key']), { maxLength: 4 }),
  },
  ['ResourceType'],
)

/** A `ClientToken`: at most 64 ASCII characters (control characters included). */
export const clientToken: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary-ascii', maxLength: 64 }),
  fc.uuid(),
  fc.constant('t'.repeat(64)),
)

/** A double: NaN, the infinities and -0 included. */
export const double: fc.Arbitrary<number> = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 5e-324, Number.MAX_VALUE, 1.5e300, 0.1),
  fc.integer({ min: 0, max: 2 ** 40 }),
)

/** A valid `ImportImageRequest`: every rule of `ImportImageRequest` respected. */
export const importImageRequest: fc.Arbitrary<ImportImageRequest> = recordWith(
  {
    Architecture: fc.constantFrom('i386' as const, 'x86_64' as const),
    ClientData: record({ Comment: requestString(), UploadEnd: date, UploadSize: double, UploadStart: date }),
    ClientToken: clientToken,
    Description: requestString(),
    DiskContainers: fc.array(imageDiskContainer, { minLength: 1, maxLength: 3 }),
    DryRun: fc.boolean(),
    Encrypted: fc.boolean(),
    Hypervisor: fc.constant('xen' as const),
    KmsKeyId: fc.oneof(fc.constantFrom('alias/aws/ebs', 'arn:aws:kms:us-east-1:123456789012:key/abc'), requestString()),
    LicenseType: fc.constantFrom('AWS' as const, 'BYOL' as const),
    Platform: fc.constantFrom('Windows' as const, 'Linux' as const),
    RoleName: requestString(),
    LicenseSpecifications: fc.array(record({ LicenseConfigurationArn: requestString(40) }), { maxLength: 3 }),
    TagSpecifications: fc.array(tagSpecification, { maxLength: 2 }),
    UsageOperation: fc.oneof(fc.constantFrom('RunInstances:0002', 'RunInstances:0800'), requestString(12)),
    BootMode: fc.constantFrom('legacy-bios' as const, 'uefi' as const),
  },
  ['DiskContainers'],
).map((r): ImportImageRequest => {
  // Built as plain members, then made to follow the rules; the result is what the narrowed type describes.
  const out: Record<string, unknown> & typeof r = { ...r }
  // KmsKeyId only with Encrypted: true
  if (out.KmsKeyId !== undefined) out.Encrypted = true
  // not both LicenseType and UsageOperation
  if (out.LicenseType !== undefined && out.UsageOperation !== undefined) delete out.UsageOperation
  // Platform is needed for a UEFI import from a snapshot
  if (out.BootMode === 'uefi' && out.Platform === undefined && out.DiskContainers.some((c) => c.SnapshotId !== undefined)) {
    out.Platform = 'Linux'
  }
  return out as unknown as ImportImageRequest
})

export const describeImportImageTasksRequest: fc.Arbitrary<DescribeImportImageTasksRequest> = record({
  DryRun: fc.boolean(),
  Filters: fc.array(
    record({
      Name: fc.oneof(fc.constantFrom('task-state', 'tag:Name', 'tag-key'), requestString(16)),
      Values: fc.array(fc.oneof(fc.constantFrom('active', 'completed', 'deleted'), requestString(16)), { maxLength: 3 }),
    }),
    { maxLength: 3 },
  ),
  ImportTaskIds: fc.array(fc.oneof(awsId('import-ami'), requestString(16)), { maxLength: 4 }),
  MaxResults: fc.oneof(fc.integer(), fc.integer({ min: 1, max: 500 }), fc.maxSafeInteger()),
  NextToken: requestString(40),
})

export const cancelImportTaskRequest: fc.Arbitrary<CancelImportTaskRequest> = recordWith(
  {
    CancelReason: requestString(40),
    DryRun: fc.boolean(),
    ImportTaskId: fc.oneof(awsId('import-ami'), requestString(16)),
  },
  ['ImportTaskId'],
)

/** A valid request of any of the three operations, weighted towards the biggest. */
export const validRequest: fc.Arbitrary<ValidRequest> = fc.oneof(
  { weight: 6, arbitrary: importImageRequest.map((input) => ({ op: 'ImportImage' as const, input })) },
  { weight: 3, arbitrary: describeImportImageTasksRequest.map((input) => ({ op: 'DescribeImportImageTasks' as const, input })) },
  { weight: 2, arbitrary: cancelImportTaskRequest.map((input) => ({ op: 'CancelImportTask' as const, input })) },
)

// -------------------------------------------------------------------------------------------------
// requests: invalid
// -------------------------------------------------------------------------------------------------

/** A request with one targeted mutation, and the path its error must name. */
export interface InvalidRequest {
  readonly op: OpName
  readonly mutation: string
  readonly input: unknown
  /** The dotted path `validateRequest` must report (`DiskContainers.0.Format`). */
  readonly path: string
}

type Mutable = Record<string, unknown>
type Mutation<A> = readonly [name: string, apply: (input: A, n: number) => string]

const SOURCES = ['Url', 'UserBucket', 'SnapshotId'] as const

const containerAt = (r: Mutable, n: number): { c: Mutable; i: number } => {
  const list = r['DiskContainers'] as Array<Mutable>
  const i = n % list.length
  return { c: list[i]!, i }
}

const tagAt = (r: Mutable, n: number): { tag: Mutable; path: string } => {
  let specs = r['TagSpecifications'] as Array<Mutable> | undefined
  if (specs === undefined || specs.length === 0) {
    specs = [{ ResourceType: 'import-image-task' }]
    r['TagSpecifications'] = specs
  }
  const i = n % specs.length
  const spec = specs[i]!
  let tags = spec['Tags'] as Array<Mutable> | undefined
  if (tags === undefined || tags.length === 0) {
    tags = [{ Key: 'Name', Value: 'v' }]
    spec['Tags'] = tags
  }
  const j = Math.floor(n / 7) % tags.length
  return { tag: tags[j]!, path: `TagSpecifications.${i}.Tags.${j}` }
}

const specAt = (r: Mutable, n: number): { spec: Mutable; path: string } => {
  const { path } = tagAt(r, n)
  const i = Number(path.split('.')[1])
  return { spec: (r['TagSpecifications'] as Array<Mutable>)[i]!, path: `TagSpecifications.${i}` }
}

const setSource = (c: Mutable, source: (typeof SOURCES)[number]): void => {
  for (const s of SOURCES) delete c[s]
  c[source] = source === 'Url' ? 'https://bucket.s3.amazonaws.com/disk.vmdk' : source === 'UserBucket' ? { S3Bucket: 'b', S3Key: 'k' } : 'snap-0123456789abcdef0'
}

const importImageMutations: ReadonlyArray<Mutation<Mutable>> = [
  ['KmsKeyId without Encrypted', (r, n) => {
    r['KmsKeyId'] = 'alias/x'
    if (n % 2 === 0) r['Encrypted'] = false
    else delete r['Encrypted']
    return 'KmsKeyId'
  }],
  ['LicenseType and UsageOperation', (r) => {
    r['LicenseType'] = 'BYOL'
    r['UsageOperation'] = 'RunInstances:0002'
    return 'UsageOperation'
  }],
  ['no DiskContainers', (r) => {
    delete r['DiskContainers']
    return 'DiskContainers'
  }],
  ['empty DiskContainers', (r) => {
    r['DiskContainers'] = []
    return 'DiskContainers'
  }],
  ['DiskContainers not a list', (r) => {
    r['DiskContainers'] = { Url: 'u' }
    return 'DiskContainers'
  }],
  ['a null disk container', (r, n) => {
    const { i } = containerAt(r, n)
    ;(r['DiskContainers'] as Array<unknown>)[i] = null
    return `DiskContainers.${i}`
  }],
  ['two sources', (r, n) => {
    const { c, i } = containerAt(r, n)
    const present = SOURCES.find((s) => c[s] !== undefined)!
    const extra = SOURCES[(SOURCES.indexOf(present) + 1 + (n % 2)) % 3]!
    const keep = c[present]
    setSource(c, extra)
    c[present] = keep
    const given = SOURCES.filter((s) => c[s] !== undefined)
    return `DiskContainers.${i}.${given[1]}`
  }],
  ['three sources', (r, n) => {
    const { c, i } = containerAt(r, n)
    c['Url'] = 'u'
    c['UserBucket'] = {}
    c['SnapshotId'] = 'snap-1'
    return `DiskContainers.${i}.UserBucket`
  }],
  ['no source', (r, n) => {
    const { c, i } = containerAt(r, n)
    for (const s of SOURCES) delete c[s]
    return `DiskContainers.${i}`
  }],
  ['unknown Format', (r, n) => {
    const { c, i } = containerAt(r, n)
    c['Format'] = ['QCOW2', 'vmdk ', '', 'IMG'][n % 4]
    return `DiskContainers.${i}.Format`
  }],
  ['unknown UserBucket member', (r, n) => {
    const { c, i } = containerAt(r, n)
    setSource(c, 'UserBucket')
    ;(c['UserBucket'] as Mutable)['Bucket'] = 'b'
    return `DiskContainers.${i}.UserBucket.Bucket`
  }],
  ['S3Key not a string', (r, n) => {
    const { c, i } = containerAt(r, n)
    setSource(c, 'UserBucket')
    ;(c['UserBucket'] as Mutable)['S3Key'] = 42
    return `DiskContainers.${i}.UserBucket.S3Key`
  }],
  ['ClientToken too long', (r, n) => {
    r['ClientToken'] = 'x'.repeat(65 + (n % 20))
    return 'ClientToken'
  }],
  ['ClientToken not ASCII', (r, n) => {
    r['ClientToken'] = ['tok-é', 'tok-😀', '\u0080', 'ｔｏｋ'][n % 4]
    return 'ClientToken'
  }],
  ['empty tag key', (r, n) => {
    const { tag, path } = tagAt(r, n)
    tag['Key'] = ''
    return `${path}.Key`
  }],
  ['missing tag key', (r, n) => {
    const { tag, path } = tagAt(r, n)
    delete tag['Key']
    return `${path}.Key`
  }],
  ['tag key too long', (r, n) => {
    const { tag, path } = tagAt(r, n)
    tag['Key'] = 'k'.repeat(129 + (n % 10))
    return `${path}.Key`
  }],
  ['reserved tag key', (r, n) => {
    const { tag, path } = tagAt(r, n)
    tag['Key'] = ['aws:x', 'AWS:Name', 'Aws:', 'aws:'][n % 4]
    return `${path}.Key`
  }],
  ['tag value too long', (r, n) => {
    const { tag, path } = tagAt(r, n)
    tag['Value'] = 'v'.repeat(257 + (n % 10))
    return `${path}.Value`
  }],
  ['tag value not a string', (r, n) => {
    const { tag, path } = tagAt(r, n)
    tag['Value'] = n % 2 === 0 ? 7 : null
    return `${path}.Value`
  }],
  ['other ResourceType', (r, n) => {
    const { spec, path } = specAt(r, n)
    spec['ResourceType'] = ['image', 'snapshot', 'import-snapshot-task', 'Import-Image-Task'][n % 4]
    return `${path}.ResourceType`
  }],
  ['missing ResourceType', (r, n) => {
    const { spec, path } = specAt(r, n)
    delete spec['ResourceType']
    return `${path}.ResourceType`
  }],
  ['uefi-preferred', (r) => {
    r['BootMode'] = 'uefi-preferred'
    return 'BootMode'
  }],
  ['unknown BootMode', (r) => {
    r['BootMode'] = 'UEFI'
    return 'BootMode'
  }],
  ['uefi from a snapshot without Platform', (r, n) => {
    r['BootMode'] = 'uefi'
    delete r['Platform']
    setSource(containerAt(r, n).c, 'SnapshotId')
    return 'Platform'
  }],
  ['unknown member', (r, n) => {
    const name = ['Tags', 'diskContainers', 'DiskContainer', 'Foo'][n % 4]!
    r[name] = []
    return name
  }],
  ['Encrypted not a boolean', (r) => {
    r['Encrypted'] = 'true'
    return 'Encrypted'
  }],
  ['UploadSize not a number', (r) => {
    r['ClientData'] = { ...(r['ClientData'] as Mutable | undefined), UploadSize: '12' }
    return 'ClientData.UploadSize'
  }],
  ['UploadStart not a date', (r, n) => {
    r['ClientData'] = { ...(r['ClientData'] as Mutable | undefined), UploadStart: n % 2 === 0 ? 'yesterday' : new Date(NaN) }
    return 'ClientData.UploadStart'
  }],
  ['unknown ClientData member', (r) => {
    r['ClientData'] = { ...(r['ClientData'] as Mutable | undefined), UploadDuration: 1 }
    return 'ClientData.UploadDuration'
  }],
  ['unknown Architecture', (r, n) => {
    r['Architecture'] = ['arm64', 'x86-64', 'I386'][n % 3]
    return 'Architecture'
  }],
  ['unknown Hypervisor', (r) => {
    r['Hypervisor'] = 'kvm'
    return 'Hypervisor'
  }],
  ['LicenseType in the wrong case', (r) => {
    r['LicenseType'] = 'byol'
    delete r['UsageOperation']
    return 'LicenseType'
  }],
  ['unknown Platform', (r) => {
    r['Platform'] = 'linux'
    return 'Platform'
  }],
  ['LicenseConfigurationArn not a string', (r) => {
    r['LicenseSpecifications'] = [{ LicenseConfigurationArn: 5 }]
    return 'LicenseSpecifications.0.LicenseConfigurationArn'
  }],
]

const describeMutations: ReadonlyArray<Mutation<Mutable>> = [
  ['MaxResults not an integer', (r, n) => {
    r['MaxResults'] = [1.5, '10', NaN, 2 ** 53][n % 4]
    return 'MaxResults'
  }],
  ['a filter value not a string', (r, n) => {
    const filters = (r['Filters'] as Array<Mutable> | undefined) ?? []
    const i = filters.length === 0 ? 0 : n % filters.length
    if (filters.length === 0) r['Filters'] = filters
    filters[i] = { ...filters[i], Values: ['ok', 7] }
    return `Filters.${i}.Values.1`
  }],
  ['misspelt filter member', (r) => {
    r['Filters'] = [{ Name: 'task-state', Value: ['active'] }]
    return 'Filters.0.Value'
  }],
  ['ImportTaskIds not a list', (r) => {
    r['ImportTaskIds'] = 'import-ami-1'
    return 'ImportTaskIds'
  }],
  ['DryRun not a boolean', (r) => {
    r['DryRun'] = 'yes'
    return 'DryRun'
  }],
  ['NextToken null', (r) => {
    r['NextToken'] = null
    return 'NextToken'
  }],
  ['query name as a member', (r) => {
    r['ImportTaskId'] = ['import-ami-1']
    return 'ImportTaskId'
  }],
]

const cancelMutations: ReadonlyArray<Mutation<Mutable>> = [
  ['ImportTaskId not a string', (r) => {
    r['ImportTaskId'] = 42
    return 'ImportTaskId'
  }],
  ['unknown member', (r) => {
    r['TaskId'] = 'import-ami-1'
    return 'TaskId'
  }],
  ['CancelReason null', (r) => {
    r['CancelReason'] = null
    return 'CancelReason'
  }],
  ['DryRun not a boolean', (r) => {
    r['DryRun'] = 1
    return 'DryRun'
  }],
]

const mutated = <A>(op: OpName, base: fc.Arbitrary<A>, mutations: ReadonlyArray<Mutation<Mutable>>) =>
  fc.tuple(base, fc.nat({ max: mutations.length - 1 }), fc.nat({ max: 1000 })).map(([value, m, n]): InvalidRequest => {
    // A deep copy: fast-check keeps the generated value to shrink it later.
    const input = structuredClone(value) as Mutable
    const [mutation, apply] = mutations[m]!
    const path = apply(input, n)
    return { op, mutation, input, path }
  })

/** An invalid request: a valid one with one targeted mutation. */
export const invalidRequest: fc.Arbitrary<InvalidRequest> = fc.oneof(
  { weight: 6, arbitrary: mutated('ImportImage', importImageRequest, importImageMutations) },
  { weight: 2, arbitrary: mutated('DescribeImportImageTasks', describeImportImageTasksRequest, describeMutations) },
  { weight: 1, arbitrary: mutated('CancelImportTask', cancelImportTaskRequest, cancelMutations) },
)

/** The names of all mutations, to check each one ran. */
export const mutationNames: ReadonlyArray<string> = [
  ...importImageMutations.map(([n]) => `ImportImage: ${n}`),
  ...describeMutations.map(([n]) => `DescribeImportImageTasks: ${n}`),
  ...cancelMutations.map(([n]) => `CancelImportTask: ${n}`),
]

// -------------------------------------------------------------------------------------------------
// results
// -------------------------------------------------------------------------------------------------

/**
 * A value of a result codec, generated by walking its declaration: every member optional (absent, never
 * `undefined`), lists of 0 to 3 items, open enumerations a mix of known values and free strings.
 */
export const valueOf = (codec: WireCodec, depth = 0): fc.Arbitrary<unknown> => {
  switch (codec._tag) {
    case 'ScalarType':
      switch (codec.kind) {
        case 'string':
        case 'character':
          return codec.values === undefined
            ? resultString(depth === 0 ? 40 : 24)
            : fc.oneof(fc.constantFrom(...codec.values), resultString(12))
        case 'boolean':
          return fc.boolean()
        case 'double':
        case 'float':
          return double
        case 'integer':
        case 'long':
          return fc.maxSafeInteger()
        default:
          throw new Error(`no generator for ${codec.kind} results (the three operations' results have none)`)
      }
    case 'ListType':
      return fc.array(valueOf(asWire(codec.item), depth + 1), { maxLength: 3 })
    case 'MapType':
      throw new Error('the three operations have no maps')
    case 'StructType': {
      const model: Record<string, fc.Arbitrary<unknown>> = {}
      for (const m of codec.members) model[m.name] = valueOf(asWire(m.codec), depth + 1)
      return fc.record(model, { requiredKeys: codec.members.filter((m) => m.required).map((m) => m.name), noNullPrototype: true })
    }
  }
}

export const importImageResult = valueOf(asWire(Op.ImportImage.output)) as fc.Arbitrary<ImportImageResult>
export const describeImportImageTasksResult = valueOf(
  asWire(Op.DescribeImportImageTasks.output),
) as fc.Arbitrary<DescribeImportImageTasksResult>
export const cancelImportTaskResult = valueOf(asWire(Op.CancelImportTask.output)) as fc.Arbitrary<CancelImportTaskResult>

/** A result of one of the three operations. */
export type GeneratedResult =
  | { readonly op: 'ImportImage'; readonly value: ImportImageResult }
  | { readonly op: 'DescribeImportImageTasks'; readonly value: DescribeImportImageTasksResult }
  | { readonly op: 'CancelImportTask'; readonly value: CancelImportTaskResult }

export const result: fc.Arbitrary<GeneratedResult> = fc.oneof(
  { weight: 4, arbitrary: importImageResult.map((value) => ({ op: 'ImportImage' as const, value })) },
  { weight: 4, arbitrary: describeImportImageTasksResult.map((value) => ({ op: 'DescribeImportImageTasks' as const, value })) },
  { weight: 2, arbitrary: cancelImportTaskResult.map((value) => ({ op: 'CancelImportTask' as const, value })) },
)

/** The operation value of an operation name. */
export const operationOf = (op: OpName): Operation<unknown, unknown> =>
  (op === 'ImportImage' ? Op.ImportImage : op === 'DescribeImportImageTasks' ? Op.DescribeImportImageTasks : Op.CancelImportTask) as unknown as Operation<unknown, unknown>

// -------------------------------------------------------------------------------------------------
// XML writer
// -------------------------------------------------------------------------------------------------

/** How a response is written: the choices a real server (or proxy) could make that must not change its meaning. */
export interface XmlStyle {
  /** Seeds the per-element and per-character choices. */
  readonly seed: number
  /** Newline and indentation between elements, as EC2 writes them. */
  readonly pretty: boolean
  /** An `<?xml …?>` declaration first. */
  readonly declaration: boolean
  /** Members in a random order rather than the model's. */
  readonly shuffle: boolean
  /**
   * Which characters are written as numeric character references: none, those above U+FFFF, or a random mix of
   * any character (`&#128512;`, `&#x1F600;`).
   */
  readonly refs: 'none' | 'astral' | 'mixed'
}

export const xmlStyle: fc.Arbitrary<XmlStyle> = fc.record(
  {
    seed: fc.integer(),
    pretty: fc.boolean(),
    declaration: fc.boolean(),
    shuffle: fc.boolean(),
    refs: fc.oneof(
      { weight: 6, arbitrary: fc.constant('none' as const) },
      { weight: 1, arbitrary: fc.constant('astral' as const) },
      { weight: 1, arbitrary: fc.constant('mixed' as const) },
    ),
  },
  { noNullPrototype: true },
)

/** A written response. */
export interface WrittenResponse {
  readonly body: string
  readonly requestId: string
  /**
   * What AWS SDK v3's parser (`@aws-sdk/xml-builder` `parseXML`, client-ec2 3.1169.0) is predicted to decode: the value,
   * except where the text written meets one of its two known bugs (see `sdkText`).
   */
  readonly sdkView: unknown
  /** Whether `sdkView` differs from the value at all. */
  readonly sdkDiffers: boolean
}

/** The EC2 response namespace. */
export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/'

// mulberry32: a small seeded PRNG, so a style's choices are reproducible from its seed.
const prng = (seed: number) => {
  let a = seed >>> 0
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const NAMED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/**
 * What the SDK's parser makes of a text node: a numeric reference decoded with `String.fromCharCode`, which keeps
 * only the low 16 bits of a code point above U+FFFF (`&#128512;` is U+F600, not U+1F600); then a text that is blank
 * by `String.prototype.trim` and holds a newline becomes `''` (its heuristic for pretty-printed empty elements).
 */
export const sdkText = (parts: ReadonlyArray<{ readonly char: string; readonly ref: boolean }>): string => {
  const text = parts.map((p) => (p.ref ? String.fromCharCode(p.char.codePointAt(0)!) : p.char)).join('')
  return text.trim() === '' && text.includes('\n') ? '' : text
}

/**
 * Write a result as the EC2 response body of `op`, walking the output codec's wire declaration: each member as its
 * `xmlName`, each list item as the list's `itemName`, text escaped (`& < > " '`), CR always as a reference (a raw CR
 * would be read back as LF), characters above U+FFFF sometimes as numeric references.
 */
export const writeResponse = (op: OpName, value: unknown, style: XmlStyle, requestId: string): WrittenResponse => {
  const rand = prng(style.seed)
  const pick = (p: number) => rand() < p
  let sdkDiffers = false

  const text = (s: string): { xml: string; sdk: string } => {
    const parts: Array<{ char: string; ref: boolean }> = []
    let xml = ''
    for (const char of s) {
      const cp = char.codePointAt(0)!
      const ref =
        cp === 0xd ||
        (style.refs === 'astral' && cp > 0xffff && pick(0.7)) ||
        (style.refs === 'mixed' && pick(cp > 0xffff ? 0.5 : 0.15))
      if (ref) {
        xml += pick(0.5) ? `&#${cp};` : `&#x${cp.toString(16).toUpperCase()};`
      } else if (char === '&' || char === '<' || char === '>') {
        xml += NAMED[char]
      } else if (char === '"' || char === "'") {
        xml += pick(0.5) ? NAMED[char] : char
      } else {
        xml += char
      }
      parts.push({ char, ref })
    }
    const sdk = sdkText(parts)
    if (sdk !== s) sdkDiffers = true
    return { xml, sdk }
  }

  const number = (n: number): string => {
    if (Number.isNaN(n)) return 'NaN'
    if (n === Infinity) return 'Infinity'
    if (n === -Infinity) return '-Infinity'
    if (Object.is(n, -0)) return '-0'
    // sometimes in exponent form (`1.5E10`, `1E-7`): the same double, another lexical form both readers must take
    return pick(0.2) ? n.toExponential().toUpperCase().replace('E+', 'E') : String(n)
  }

  const nl = (depth: number) => (style.pretty ? `\n${'  '.repeat(depth)}` : '')

  const element = (name: string, inner: string): string =>
    inner === '' ? (pick(0.5) ? `<${name}/>` : `<${name}></${name}>`) : `<${name}>${inner}</${name}>`

  // The inner XML of a value, and its predicted SDK reading.
  const write = (codec: WireCodec, v: unknown, depth: number): { xml: string; sdk: unknown } => {
    switch (codec._tag) {
      case 'ScalarType':
        switch (codec.kind) {
          case 'boolean':
            return { xml: v ? 'true' : 'false', sdk: v }
          case 'double':
          case 'float':
          case 'integer':
          case 'long':
            return { xml: number(v as number), sdk: v }
          default: {
            const t = text(v as string)
            return { xml: t.xml, sdk: t.sdk }
          }
        }
      case 'ListType': {
        const item = asWire(codec.item)
        const items = v as ReadonlyArray<unknown>
        if (items.length === 0) return { xml: style.pretty && pick(0.5) ? nl(depth) : '', sdk: [] }
        let xml = ''
        const sdk: Array<unknown> = []
        for (const it of items) {
          const w = write(item, it, depth + 1)
          xml += nl(depth + 1) + element(codec.itemName, w.xml)
          sdk.push(w.sdk)
        }
        return { xml: xml + nl(depth), sdk }
      }
      case 'MapType':
        throw new Error('the three operations have no maps')
      case 'StructType': {
        const rec = v as Record<string, unknown>
        const members = codec.members.filter((m) => rec[m.name] !== undefined)
        if (style.shuffle) members.sort(() => rand() - 0.5)
        if (members.length === 0) return { xml: '', sdk: {} }
        let xml = ''
        const sdk: Record<string, unknown> = {}
        for (const m of members) {
          const w = write(asWire(m.codec), rec[m.name], depth + 1)
          xml += nl(depth + 1) + element(m.xmlName, w.xml)
          sdk[m.name] = w.sdk
        }
        return { xml: xml + nl(depth), sdk }
      }
    }
  }

  const output = asWire(operationOf(op).output)
  if (output._tag !== 'StructType') throw new Error('an output is a structure')
  const inner = write(output, value, 0)
  const root = `${op}Response`
  const prolog = style.declaration ? `<?xml version="1.0" encoding="UTF-8"?>${style.pretty ? '\n' : ''}` : ''
  const body = `${prolog}<${root} xmlns="${EC2_XMLNS}">${nl(1)}<requestId>${requestId}</requestId>${inner.xml === '' ? nl(0) : inner.xml}</${root}>${style.pretty ? '\n' : ''}`
  return { body, requestId, sdkView: inner.sdk, sdkDiffers }
}

/** A result written as a response body. */
export const writtenResult: fc.Arbitrary<GeneratedResult & { readonly written: WrittenResponse }> = fc
  .tuple(result, xmlStyle, fc.uuid())
  .map(([r, style, requestId]) => ({ ...r, written: writeResponse(r.op, r.value, style, requestId) }))

/** An EC2 error envelope. */
export const errorEnvelope = (code: string, message: string, requestId: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
