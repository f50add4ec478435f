/**
 * Property tests of the snapshot path's 12 operations, in the style of `properties.test.ts`:
 *
 * - Random and mutated response bodies through `decodeResponse` for every operation: it never throws; it returns a
 *   `Left` (`ServiceError`, or `DecodeError` keeping the raw body up to its bound) or a `Right` whose value the
 *   result codec accepts, and only for a `<{Op}Response>` with a 2xx status.
 * - Every documented rule: a valid generated request with one targeted mutation is a `ValidationError` naming the
 *   mutated member's path; every valid generated request validates and serializes.
 * - Generated results survive XML encoding then decoding.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keepsBody } from './helpers/kept-body.js'
import { applyMutation, fraction, type Mutation } from './reliability/helpers/bad-responses.js'
import { decodeResponse, serializeRequest, validateRequest } from '../src/internal/protocol/Operation.js'
import { EC2_XMLNS, errorEnvelope, resultString } from './helpers/arbitraries.js'
import { snapshotPathOperation, validRequests, writtenResultOf } from './helpers/arbitraries-snapshot-path.js'
import { SNAPSHOT_PATH_OPS, type SnapshotPathOpName } from './helpers/sdk-oracle-snapshot-path.js'

// -------------------------------------------------------------------------------------------------
// bodies
// -------------------------------------------------------------------------------------------------

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const envelope = fc
  .tuple(fc.constantFrom('InvalidAMIID.NotFound', 'InvalidAMIName.Duplicate', 'RequestLimitExceeded', 'DryRunOperation'), resultString(30), fc.uuid())
  .map(([code, message, id]) => errorEnvelope(code, escape(message), id))

const INSERTS = [
  '<x>', '</x>', '<item/>', '<item>', '</item>', '</tagSet>', '<tagSet/>', '<![CDATA[', ']]>', '<!--', '-->', '<?pi x?>',
  '<!DOCTYPE x>', '<', '>', '&', '</', '/>', '"', '=', '<a b="1" b="2">', '<__proto__>', '<constructor/>',
  '<imagesSet><item><blockDeviceMapping><item><ebs><iops>x</iops></ebs></item></blockDeviceMapping></item></imagesSet>',
  '<snapshotSet><item><startTime>yesterday</startTime></item></snapshotSet>', '<importTaskId>x</importTaskId>',
  '<snapshotTaskDetail><diskImageSize>big</diskImageSize></snapshotTaskDetail>', '<return>maybe</return>',
  '<DescribeImagesResponse>', '</RegisterImageResponse>', '<nextToken><a/></nextToken>',
] as const

const ENTITIES = ['&foo;', '&nbsp;', '&#0;', '&#xD800;', '&#xFFFE;', '&#x110000;', '&#x;', '&amp', '&#x1F600;', '&AMP;'] as const

const VALUES = ['9'.repeat(400), '1e400', '0x1F', '', ' 12 ', '1.5', '-', 'NaN', 'true ', '2024-13-45T99:00:00Z', '\u0661'] as const

const MEMBERS = ['iops', 'volumeSize', 'fullSnapshotSizeInBytes', 'startTime', 'completionTime', 'encrypted', 'diskImageSize', 'isPublic', 'return'] as const

const CONTROL = ['\u0000', '\u0001', '\u001f', '\ufffe', '\ud800', '\u000b'] as const

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('flip' as const), at: fraction, bits: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...INSERTS), inText: fc.boolean() }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.constantFrom(...ENTITIES, ...CONTROL), inText: fc.constant(true) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    text: fc.tuple(fc.constantFrom(...MEMBERS), fc.constantFrom(...VALUES)).map(([m, v]) => `<${m}>${v}</${m}>`),
    inText: fc.constant(true),
  }),
  fc.record({ kind: fc.constant('nest' as const), at: fraction, depth: fc.constantFrom(2, 20, 1000), tag: fc.constantFrom('a', 'item', 'ebs', 'tagSet') }),
  fc.record({ kind: fc.constant('duplicate' as const), from: fraction, to: fraction, at: fraction }),
)

/** A valid body of any operation of the snapshot path (so also a well-formed body of another's response). */
const validBody = fc.constantFrom(...SNAPSHOT_PATH_OPS).chain((op) => writtenResultOf(op)).map((r) => r.written.body)

const randomText = fc.oneof(
  fc.constantFrom('', ' ', '<', '<?xml version="1.0"?>', '{"message":"Rate exceeded"}', '<html><body>502</body></html>'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('<', '>', '/', '&', ';', '#', 'a', 'item', ' ', '"', '=', '!', '-', '?', '1'), maxLength: 80 }),
)

const body: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: validBody },
  { weight: 1, arbitrary: envelope },
  { weight: 8, arbitrary: fc.tuple(fc.oneof(validBody, validBody, envelope), fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([b, ms]) => ms.reduce(applyMutation, b)) },
  { weight: 1, arbitrary: randomText },
)

const statusCode = fc.oneof({ weight: 6, arbitrary: fc.constant(200) }, { weight: 1, arbitrary: fc.constantFrom(201, 400, 403, 500, 503) })

/** The root element's local name, after what XML allows before it (a declaration, processing instructions, comments,
 * whitespace). */
const rootName = (s: string): string | undefined =>
  /^\uFEFF?(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(s)?.[1]

// -------------------------------------------------------------------------------------------------
// properties: responses
// -------------------------------------------------------------------------------------------------

describe('decodeResponse on 5,000 random and mutated bodies, for each of the 12 operations', () => {
  it('never throws, and returns a bounded Left or a Right only for a 2xx <{Op}Response> the result codec accepts', () => {
    const tally = { right: 0, serviceError: 0, decodeError: 0 }
    fc.assert(
      fc.property(body, statusCode, (raw, status) => {
        for (const op of SNAPSHOT_PATH_OPS) {
          const operation = snapshotPathOperation(op)
          let r: ReturnType<typeof decodeResponse>
          try {
            r = decodeResponse(operation, { statusCode: status, headers: { 'x-amzn-requestid': 'hdr' }, body: raw }, 1)
          } catch (e) {
            throw new Error(`decodeResponse(${op}) threw ${String(e)} on ${JSON.stringify(raw.slice(0, 300))}`)
          }
          if (r._tag === 'Right') {
            tally.right += 1
            expect(status >= 200 && status < 300).toBe(true)
            expect(operation.output.is(r.right.value)).toBe(true)
            expect(rootName(raw)).toBe(`${op}Response`)
            continue
          }
          const left = r.left
          expect(left.statusCode).toBe(status)
          expect(left.attempts).toBe(1)
          expect(left.operation).toBe(op)
          if (left._tag === 'ServiceError') {
            tally.serviceError += 1
            expect(left.code.length).toBeGreaterThan(0)
          } else {
            tally.decodeError += 1
            expect(left._tag).toBe('DecodeError')
            // (a URL's query in the body is kept redacted: EC2 echoes presigned URLs)
            expect(keepsBody(left.body, raw), left.body).toBe(true)
            expect(left.message).toContain(op)
          }
        }
      }),
      { numRuns: 5000 },
    )
    console.info(`decoded 5,000 bodies x 12 operations: ${JSON.stringify(tally)}`)
    expect(tally.right).toBeGreaterThan(1000)
    expect(tally.serviceError).toBeGreaterThan(100)
    expect(tally.decodeError).toBeGreaterThan(10_000)
  })

  it('deep nesting (100,000 levels) is a DecodeError, not a stack overflow', () => {
    for (const op of SNAPSHOT_PATH_OPS) {
      const deep = `<${op}Response xmlns="${EC2_XMLNS}">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</${op}Response>`
      const r = decodeResponse(snapshotPathOperation(op), { statusCode: 200, headers: {}, body: deep }, 1)
      expect(r._tag).toBe('Left')
    }
  })
})

describe('results', () => {
  it.each(SNAPSHOT_PATH_OPS.map((op) => [op] as const))('%s: XML-encode then decode is the value (300 runs)', (op) => {
    fc.assert(
      fc.property(writtenResultOf(op), (r) => {
        const d = decodeResponse(snapshotPathOperation(op), { statusCode: 200, headers: {}, body: r.written.body }, 1)
        if (d._tag === 'Left') throw new Error(`${d.left.message}\n${r.written.body}`)
        expect(d.right.value).toStrictEqual(r.value)
        expect(d.right.requestId).toBe(r.written.requestId)
      }),
      { numRuns: 300 },
    )
  })
})

// -------------------------------------------------------------------------------------------------
// properties: requests and their rules
// -------------------------------------------------------------------------------------------------

type Mutable = Record<string, unknown>
type RuleMutation = readonly [op: SnapshotPathOpName, name: string, apply: (r: Mutable) => string]

const firstMapping = (r: Mutable): Mutable => {
  const ms = (r['BlockDeviceMappings'] as Array<Mutable> | undefined) ?? []
  if (ms.length === 0) {
    ms.push({ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1' } })
    r['BlockDeviceMappings'] = ms
    r['RootDeviceName'] = '/dev/xvda'
  }
  return ms[0]!
}
const ebsOf = (r: Mutable): Mutable => {
  const m = firstMapping(r)
  delete m['VirtualName']
  delete m['NoDevice']
  const ebs: Mutable = { ...((m['Ebs'] as Mutable | undefined) ?? {}) }
  for (const k of ['VolumeType', 'Iops', 'Throughput']) delete ebs[k]
  m['Ebs'] = ebs
  return ebs
}
const TOO_LONG_TOKEN = 'x'.repeat(65)

const MUTATIONS: ReadonlyArray<RuleMutation> = [
  // ImportSnapshot
  ['ImportSnapshot', 'no DiskContainer', (r) => (delete r['DiskContainer'], 'DiskContainer')],
  ['ImportSnapshot', 'Url and UserBucket', (r) => ((r['DiskContainer'] = { Url: 's3://b/k', UserBucket: { S3Bucket: 'b' } }), 'DiskContainer.UserBucket')],
  ['ImportSnapshot', 'no source', (r) => ((r['DiskContainer'] = { Format: 'VMDK' }), 'DiskContainer')],
  ['ImportSnapshot', 'a format ImportSnapshot does not read', (r) => ((r['DiskContainer'] = { Url: 'u', Format: 'VHDX' }), 'DiskContainer.Format')],
  ['ImportSnapshot', 'OVA', (r) => ((r['DiskContainer'] = { Url: 'u', Format: 'ova' }), 'DiskContainer.Format')],
  ['ImportSnapshot', 'KmsKeyId without Encrypted', (r) => ((r['KmsKeyId'] = 'alias/k'), delete r['Encrypted'], 'KmsKeyId')],
  ['ImportSnapshot', 'KmsKeyId with Encrypted: false', (r) => ((r['KmsKeyId'] = 'alias/k'), (r['Encrypted'] = false), 'KmsKeyId')],
  ['ImportSnapshot', 'tags on the image', (r) => ((r['TagSpecifications'] = [{ ResourceType: 'image', Tags: [] }]), 'TagSpecifications.0.ResourceType')],
  ['ImportSnapshot', 'tags without ResourceType', (r) => ((r['TagSpecifications'] = [{ Tags: [] }]), 'TagSpecifications.0.ResourceType')],
  ['ImportSnapshot', 'an aws: tag key', (r) => ((r['TagSpecifications'] = [{ ResourceType: 'import-snapshot-task', Tags: [{ Key: 'AWS:x', Value: 'v' }] }]), 'TagSpecifications.0.Tags.0.Key')],
  ['ImportSnapshot', 'a ClientToken of 65 characters', (r) => ((r['ClientToken'] = TOO_LONG_TOKEN), 'ClientToken')],
  ['ImportSnapshot', 'DiskContainers (the ImportImage member)', (r) => ((r['DiskContainers'] = []), 'DiskContainers')],
  // RegisterImage
  ['RegisterImage', 'no Name', (r) => (delete r['Name'], 'Name')],
  ['RegisterImage', 'a 2-character Name', (r) => ((r['Name'] = 'ab'), 'Name')],
  ['RegisterImage', 'a 129-character Name', (r) => ((r['Name'] = 'n'.repeat(129)), 'Name')],
  ['RegisterImage', 'a Name with a character AMI names may not have', (r) => ((r['Name'] = 'my ami #1'), 'Name')],
  ['RegisterImage', 'a Description of 256 characters', (r) => ((r['Description'] = 'd'.repeat(256)), 'Description')],
  ['RegisterImage', 'an Architecture not in the model', (r) => ((r['Architecture'] = 'aarch64'), 'Architecture')],
  ['RegisterImage', 'an unknown BootMode', (r) => ((r['BootMode'] = 'bios'), 'BootMode')],
  ['RegisterImage', 'ImdsSupport v1.0', (r) => ((r['ImdsSupport'] = 'v1.0'), 'ImdsSupport')],
  ['RegisterImage', 'TpmSupport 2.0', (r) => ((r['TpmSupport'] = '2.0'), 'TpmSupport')],
  ['RegisterImage', 'mappings without RootDeviceName', (r) => (firstMapping(r), delete r['RootDeviceName'], 'RootDeviceName')],
  ['RegisterImage', 'no mapping for the root device', (r) => (firstMapping(r), (r['RootDeviceName'] = '/dev/none'), 'BlockDeviceMappings')],
  ['RegisterImage', 'Iops on gp2', (r) => (Object.assign(ebsOf(r), { VolumeType: 'gp2', Iops: 3000 }), 'BlockDeviceMappings.0.Ebs.Iops')],
  ['RegisterImage', 'Iops without VolumeType', (r) => (Object.assign(ebsOf(r), { Iops: 3000 }), 'BlockDeviceMappings.0.Ebs.Iops')],
  ['RegisterImage', 'io2 without Iops', (r) => (Object.assign(ebsOf(r), { VolumeType: 'io2' }), 'BlockDeviceMappings.0.Ebs.Iops')],
  ['RegisterImage', 'Throughput on io1', (r) => (Object.assign(ebsOf(r), { VolumeType: 'io1', Iops: 100, Throughput: 125 }), 'BlockDeviceMappings.0.Ebs.Throughput')],
  ['RegisterImage', 'an unknown VolumeType', (r) => (Object.assign(ebsOf(r), { VolumeType: 'gp4' }), 'BlockDeviceMappings.0.Ebs.VolumeType')],
  ['RegisterImage', 'Encrypted on a volume from a snapshot', (r) => (Object.assign(ebsOf(r), { SnapshotId: 'snap-1', Encrypted: true }), 'BlockDeviceMappings.0.Ebs.Encrypted')],
  ['RegisterImage', 'a mapping with Ebs and VirtualName', (r) => ((firstMapping(r)['Ebs'] = {}), (firstMapping(r)['VirtualName'] = 'ephemeral0'), delete firstMapping(r)['NoDevice'], 'BlockDeviceMappings.0.VirtualName')],
  ['RegisterImage', 'a mapping with no target', (r) => { const m = firstMapping(r); delete m['Ebs']; delete m['VirtualName']; delete m['NoDevice']; return 'BlockDeviceMappings.0' }],
  ['RegisterImage', 'tags on the import task', (r) => ((r['TagSpecifications'] = [{ ResourceType: 'import-snapshot-task' }]), 'TagSpecifications.0.ResourceType')],
  ['RegisterImage', 'a tag value of 257 characters', (r) => ((r['TagSpecifications'] = [{ ResourceType: 'image', Tags: [{ Key: 'k', Value: 'v'.repeat(257) }] }]), 'TagSpecifications.0.Tags.0.Value')],
  // CreateTags
  ['CreateTags', 'no resources', (r) => ((r['Resources'] = []), 'Resources')],
  ['CreateTags', '1001 resources', (r) => ((r['Resources'] = Array.from({ length: 1001 }, (_, i) => `ami-${i}`)), 'Resources')],
  ['CreateTags', 'no Resources member', (r) => (delete r['Resources'], 'Resources')],
  ['CreateTags', 'no tags', (r) => ((r['Tags'] = []), 'Tags')],
  ['CreateTags', 'an empty tag key', (r) => ((r['Tags'] = [{ Key: '', Value: 'v' }]), 'Tags.0.Key')],
  ['CreateTags', 'a tag key of 129 characters', (r) => ((r['Tags'] = [{ Key: 'k', Value: 'v' }, { Key: 'k'.repeat(129) }]), 'Tags.1.Key')],
  ['CreateTags', 'an aws: tag key', (r) => ((r['Tags'] = [{ Key: 'aws:cloudformation:stack-name', Value: 'v' }]), 'Tags.0.Key')],
  ['CreateTags', 'a tag value of 257 characters', (r) => ((r['Tags'] = [{ Key: 'k', Value: 'v'.repeat(257) }]), 'Tags.0.Value')],
  // CopyImage
  ['CopyImage', 'no Name', (r) => (delete r['Name'], 'Name')],
  ['CopyImage', 'no SourceImageId', (r) => (delete r['SourceImageId'], 'SourceImageId')],
  ['CopyImage', 'no SourceRegion', (r) => (delete r['SourceRegion'], 'SourceRegion')],
  ['CopyImage', 'a Name with a character AMI names may not have', (r) => ((r['Name'] = 'copy: of x'), 'Name')],
  ['CopyImage', 'KmsKeyId without Encrypted', (r) => ((r['KmsKeyId'] = 'alias/k'), (r['Encrypted'] = false), 'KmsKeyId')],
  ['CopyImage', 'a ClientToken of 129 characters', (r) => ((r['ClientToken'] = 'x'.repeat(129)), 'ClientToken')],
  ['CopyImage', 'a ClientToken that is not ASCII', (r) => ((r['ClientToken'] = 'tok\u00e9n'), 'ClientToken')],
  ['CopyImage', 'tags on an import task', (r) => ((r['TagSpecifications'] = [{ ResourceType: 'import-image-task' }]), 'TagSpecifications.0.ResourceType')],
  // ModifyImageAttribute
  ['ModifyImageAttribute', 'a UserId of 11 digits', (r) => ((r['UserIds'] = ['12345678901']), 'UserIds.0')],
  ['ModifyImageAttribute', 'a group other than all', (r) => ((r['UserGroups'] = ['everyone']), 'UserGroups.0')],
  ['ModifyImageAttribute', 'an organization ARN that is not one', (r) => ((r['OrganizationArns'] = ['arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh']), 'OrganizationArns.0')],
  ['ModifyImageAttribute', 'an OU ARN that is not one', (r) => ((r['OrganizationalUnitArns'] = ['o-abcdefghij']), 'OrganizationalUnitArns.0')],
  ['ModifyImageAttribute', 'a launch permission for a malformed account', (r) => ((r['LaunchPermission'] = { Add: [{ UserId: '1234-5678-9012' }] }), 'LaunchPermission.Add.0.UserId')],
  ['ModifyImageAttribute', 'a launch permission for group All', (r) => ((r['LaunchPermission'] = { Remove: [{ Group: 'All' }] }), 'LaunchPermission.Remove.0.Group')],
  ['ModifyImageAttribute', 'a launch permission naming two principals', (r) => ((r['LaunchPermission'] = { Add: [{ UserId: '123456789012', Group: 'all' }] }), 'LaunchPermission.Add.0.Group')],
  ['ModifyImageAttribute', 'a launch permission naming none', (r) => ((r['LaunchPermission'] = { Add: [{}] }), 'LaunchPermission.Add.0')],
  ['ModifyImageAttribute', 'no ImageId', (r) => (delete r['ImageId'], 'ImageId')],
  // ModifySnapshotAttribute
  ['ModifySnapshotAttribute', 'a UserId that is not 12 digits', (r) => ((r['UserIds'] = ['abc']), 'UserIds.0')],
  ['ModifySnapshotAttribute', 'a group other than all', (r) => ((r['GroupNames'] = ['public']), 'GroupNames.0')],
  ['ModifySnapshotAttribute', 'a permission naming both', (r) => ((r['CreateVolumePermission'] = { Add: [{ UserId: '123456789012', Group: 'all' }] }), 'CreateVolumePermission.Add.0.Group')],
  ['ModifySnapshotAttribute', 'a permission for a malformed account', (r) => ((r['CreateVolumePermission'] = { Remove: [{ UserId: '12345678901a' }] }), 'CreateVolumePermission.Remove.0.UserId')],
  ['ModifySnapshotAttribute', 'an unknown Attribute', (r) => ((r['Attribute'] = 'launchPermission'), 'Attribute')],
  ['ModifySnapshotAttribute', 'no SnapshotId', (r) => (delete r['SnapshotId'], 'SnapshotId')],
  // the others
  ['DescribeImageAttribute', 'an unknown Attribute', (r) => ((r['Attribute'] = 'launchPermissions'), 'Attribute')],
  ['DescribeImageAttribute', 'no ImageId', (r) => (delete r['ImageId'], 'ImageId')],
  ['DeregisterImage', 'no ImageId', (r) => (delete r['ImageId'], 'ImageId')],
  ['DeregisterImage', 'DeleteAssociatedSnapshots not a boolean', (r) => ((r['DeleteAssociatedSnapshots'] = 'yes'), 'DeleteAssociatedSnapshots')],
  ['DeleteSnapshot', 'no SnapshotId', (r) => (delete r['SnapshotId'], 'SnapshotId')],
  ['DeleteSnapshot', 'an unknown member', (r) => ((r['SnapshotIds'] = ['snap-1']), 'SnapshotIds')],
  ['DescribeImages', 'MaxResults not an integer', (r) => ((r['MaxResults'] = 1.5), 'MaxResults')],
  ['DescribeImages', 'the query name as a member', (r) => ((r['ImageId'] = ['ami-1']), 'ImageId')],
  ['DescribeSnapshots', 'a misspelt filter member', (r) => ((r['Filters'] = [{ Name: 'status', Value: ['completed'] }]), 'Filters.0.Value')],
  ['DescribeImportSnapshotTasks', 'ImportTaskIds not a list', (r) => ((r['ImportTaskIds'] = 'import-snap-1'), 'ImportTaskIds')],
]

describe('requests', () => {
  it.each(SNAPSHOT_PATH_OPS.map((op) => [op] as const))('%s: every generated valid request validates and serializes (300 runs)', (op) => {
    const operation = snapshotPathOperation(op)
    fc.assert(
      fc.property(validRequests[op], (input) => {
        const v = validateRequest(operation, input)
        if (v._tag === 'Left') throw new Error(v.left.message)
        expect(serializeRequest(operation, v.right, () => 'token')).toMatch(new RegExp(`^Action=${op}&Version=2016-11-15`))
      }),
      { numRuns: 300 },
    )
  })

  it.each(MUTATIONS.map(([op, name, f]) => [`${op}: ${name}`, op, f] as const))(
    '%s is a ValidationError naming the member (100 runs)',
    (_label, op, f) => {
      const operation = snapshotPathOperation(op)
      fc.assert(
        fc.property(validRequests[op], (input) => {
          const bad = structuredClone(input) as Mutable
          const path = f(bad)
          const r = validateRequest(operation, bad)
          if (r._tag === 'Right') throw new Error(`accepted ${JSON.stringify(bad)}`)
          expect(r.left._tag).toBe('ValidationError')
          expect(r.left.operation).toBe(op)
          expect(r.left.errors.map((e) => e.path)).toContain(path)
          for (const e of r.left.errors) expect(e.message.length).toBeGreaterThan(0)
          expect(operation.input.is(bad)).toBe(false)
        }),
        { numRuns: 100 },
      )
    },
  )

  it('every operation has rule mutations', () => {
    expect(new Set(MUTATIONS.map(([op]) => op))).toEqual(new Set(SNAPSHOT_PATH_OPS))
  })

  it('a rule the service states only in prose is refused with a message quoting it', () => {
    const r = validateRequest(snapshotPathOperation('RegisterImage'), {
      Name: 'ami',
      RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-1', Encrypted: false } }],
    })
    expect(r._tag === 'Left' && r.left.message).toContain("you can't specify the encryption state of the volume")
  })
})
