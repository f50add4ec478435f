/**
 * `preflightImport` and `ensureVmImportRole` against moto's server: a real IAM/S3/STS endpoint nobody here wrote.
 * The fixtures (roles, policies, buckets, objects) are made with AWS SDK v3's own clients, so what is checked was not
 * written by the code under test. Each row of the table is a role and its policies and the check results IAM's rules
 * give; moto itself does not enforce IAM, so the checks' verdicts are this package's evaluation of what moto returns.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { preflightImport, type PreflightCheckId, type PreflightReport, type PreflightStatus } from '../../src/PreflightImport.js'
import { ensureVmImportRole } from '../../src/VmImportRole.js'
import { available, startMoto, type Moto } from './moto.js'
import { GUIDE_TRUST, guidePolicy } from '../helpers/vmimport-guide.js'

const why = available()
if (why !== true && process.env['MOTO_REQUIRED'] === '1') throw new Error(`the interop suite needs moto: ${why}`)

const ACCOUNT = '123456789012' // moto's default account
const BUCKET = 'images'
const KEY = 'disks/web.vmdk'
const GUIDE_POLICY = guidePolicy(BUCKET)
const statement = (s: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [s] })

/** A role: its trust policy, inline policies, attached managed policies, boundary; and the object's encryption. */
interface Fixture {
  readonly role?: {
    readonly trust: unknown
    readonly inline?: Record<string, unknown>
    readonly attached?: ReadonlyArray<unknown>
    readonly boundary?: unknown
  }
  readonly object?: { readonly body: string; readonly kmsKeyId?: string } | 'none'
  readonly bucketPolicy?: unknown
  readonly lifecycle?: boolean
  readonly kmsKeyId?: string
}

const ROWS: ReadonlyArray<readonly [string, Fixture, Partial<Record<PreflightCheckId, PreflightStatus>>, RegExp?]> = [
  ['no role', {}, { caller: 'pass', 'bucket-region': 'pass', object: 'pass', role: 'fail', 'role-trust': 'skipped', 'role-s3': 'skipped', 'role-ec2': 'skipped' }],
  ['the guide\u2019s role', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } } }, { role: 'pass', 'role-trust': 'pass', 'role-s3': 'pass', 'bucket-policy': 'pass', 'role-ec2': 'pass', 'role-kms': 'pass' }],
  ['a trust policy for another service', { role: { trust: statement({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), inline: { vmimport: GUIDE_POLICY } } }, { 'role-trust': 'fail', 'role-s3': 'pass' }],
  ['no ExternalId condition (the guide allows none)', { role: { trust: statement({ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole' }), inline: { vmimport: GUIDE_POLICY } } }, { 'role-trust': 'pass' }],
  ['another ExternalId', { role: { trust: statement({ Effect: 'Allow', Principal: { Service: ['vmie.amazonaws.com'] }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'other' } } }), inline: { vmimport: GUIDE_POLICY } } }, { 'role-trust': 'fail' }],
  ['a trust condition this check cannot evaluate', { role: { trust: statement({ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:ec2:*' } } }), inline: { vmimport: GUIDE_POLICY } } }, { 'role-trust': 'warn' }],
  ['an explicit Deny on the object', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY, deny: statement({ Effect: 'Deny', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/disks/*` }) } } }, { 'role-s3': 'fail', 'role-ec2': 'pass' }, /denied by inline policy deny/],
  ['wildcard actions', { role: { trust: GUIDE_TRUST, inline: { vmimport: statement({ Effect: 'Allow', Action: ['s3:Get*', 's3:List?ucket', 'EC2:*'], Resource: '*' }) } } }, { 'role-s3': 'pass', 'role-ec2': 'pass' }],
  ['NotAction', { role: { trust: GUIDE_TRUST, inline: { vmimport: statement({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*'], Resource: '*' }) } } }, { 'role-s3': 'pass', 'role-ec2': 'pass' }],
  ['NotAction excluding S3', { role: { trust: GUIDE_TRUST, inline: { vmimport: statement({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }) } } }, { 'role-s3': 'fail', 'role-ec2': 'pass' }],
  ['no policy at all', { role: { trust: GUIDE_TRUST } }, { 'role-s3': 'fail', 'role-ec2': 'fail' }],
  ['permissions from an attached managed policy', { role: { trust: GUIDE_TRUST, attached: [GUIDE_POLICY] } }, { 'role-s3': 'pass', 'role-ec2': 'pass' }],
  ['a boundary that allows only EC2', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY }, boundary: statement({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }) } }, { 'role-s3': 'fail', 'role-ec2': 'pass' }],
  ['a bucket policy granting what the role lacks', { role: { trust: GUIDE_TRUST, inline: { vmimport: statement({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }) } }, bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/vmimport` }, Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }] } }, { 'role-s3': 'pass', 'bucket-policy': 'pass' }],
  ['a bucket policy denying everyone', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } }, bucketPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${BUCKET}/*` }] } }, { 'role-s3': 'fail', 'bucket-policy': 'pass' }],
  ['an S3 condition this check cannot evaluate', { role: { trust: GUIDE_TRUST, inline: { vmimport: { ...GUIDE_POLICY, Statement: [{ ...GUIDE_POLICY.Statement[0], Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, GUIDE_POLICY.Statement[1]] } } } }, { 'role-s3': 'warn' }],
  ['an SSE-KMS object without kms:Decrypt', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } }, object: { body: 'disk', kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` } }, { object: 'pass', 'role-kms': 'warn' }, /do not allow the KMS actions/],
  ['an SSE-KMS object with kms:Decrypt: still only warn', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY, kms: statement({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }) } }, object: { body: 'disk', kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab` } }, { 'role-kms': 'warn' }, /allow the KMS actions .*verify that the key policy/],
  ['an import key the role is denied', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY, kms: statement({ Effect: 'Deny', Action: 'kms:*', Resource: '*' }) } }, kmsKeyId: 'alias/images' }, { 'role-kms': 'fail' }],
  ['no object', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } }, object: 'none' }, { object: 'fail', 'role-kms': 'skipped' }],
  ['an empty object', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } }, object: { body: '' } }, { object: 'fail' }],
  ['a lifecycle rule aborting uploads', { role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } }, lifecycle: true }, { 'bucket-lifecycle': 'pass' }],
]

describe.skipIf(why !== true)(`preflight and role against moto${why === true ? '' : ` (skipped: ${why})`}`, () => {
  let moto: Moto
  let iam: IAMClient
  let s3: S3Client
  const config = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: moto.credentials, maxAttempts: 1 })

  beforeAll(async () => {
    moto = await startMoto()
    iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: moto.credentials })
    s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials: moto.credentials, forcePathStyle: true })
  }, 60_000)
  afterAll(async () => {
    iam?.destroy()
    s3?.destroy()
    await moto?.stop()
  })
  beforeEach(() => moto.reset())

  const setUp = async (f: Fixture): Promise<void> => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }))
    const object = f.object ?? { body: 'a disk image' }
    if (object !== 'none') {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: object.body, ...(object.kmsKeyId === undefined ? {} : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: object.kmsKeyId }) }))
    }
    if (f.bucketPolicy !== undefined) await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(f.bucketPolicy) }))
    if (f.lifecycle === true) {
      await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: [{ ID: 'abort', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } }] } }))
    }
    const r = f.role
    if (r === undefined) return
    await iam.send(new CreateRoleCommand({ RoleName: 'vmimport', AssumeRolePolicyDocument: JSON.stringify(r.trust) }))
    for (const [name, doc] of Object.entries(r.inline ?? {})) await iam.send(new PutRolePolicyCommand({ RoleName: 'vmimport', PolicyName: name, PolicyDocument: JSON.stringify(doc) }))
    let n = 0
    for (const doc of r.attached ?? []) {
      const p = await iam.send(new CreatePolicyCommand({ PolicyName: `attached-${n++}`, PolicyDocument: JSON.stringify(doc) }))
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'vmimport', PolicyArn: p.Policy!.Arn! }))
    }
    if (r.boundary !== undefined) {
      const p = await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: JSON.stringify(r.boundary) }))
      await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'vmimport', PermissionsBoundary: p.Policy!.Arn! }))
    }
  }

  const preflight = async (f: Fixture): Promise<PreflightReport> => {
    const r = await preflightImport({ config: config(), bucket: BUCKET, key: KEY, ...(f.kmsKeyId === undefined ? {} : { kmsKeyId: f.kmsKeyId }) })()
    if (r._tag === 'Left') throw new Error(r.left.message)
    return r.right
  }

  it.each(ROWS.map(([name, fixture, expected, message]) => ({ name, fixture, expected, message })))('$name', async ({ fixture, expected, message }) => {
    await setUp(fixture)
    const report = await preflight(fixture)
    const got = Object.fromEntries(report.checks.map((c) => [c.id, c.status]))
    const detail = report.checks.map((c) => `${c.status} ${c.id}: ${c.message}`).join('\n')
    expect(Object.fromEntries(Object.keys(expected).map((k) => [k, got[k]])), detail).toEqual(expected)
    expect(report.ok).toBe(!report.checks.some((c) => c.status === 'fail'))
    if (message !== undefined) expect(report.checks.map((c) => c.message).join('\n')).toMatch(message)
    // every report has every check, in one order, and says SCPs are not visible
    expect(report.checks.map((c) => c.id)).toEqual([
      'caller', 'bucket-region', 'object', 'role', 'role-trust', 'role-s3', 'bucket-policy', 'role-ec2', 'role-kms', 'pass-role', 'bucket-lifecycle', 'organization-policies',
    ])
    expect(report.checks.find((c) => c.id === 'organization-policies')?.message).toMatch(/SCPs/)
    for (const c of report.checks) if (c.status === 'fail' || c.status === 'warn') expect(c.message.length).toBeGreaterThan(10)
  })

  it('the guide\u2019s role and object: ok, with only the lifecycle warning and what cannot be seen', async () => {
    await setUp({ role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } } })
    const report = await preflight({})
    expect(report.ok).toBe(true)
    expect(report.checks.filter((c) => c.status === 'warn').map((c) => c.id)).toEqual(['bucket-lifecycle'])
  })

  it('a bucket in another region fails the region check', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'far', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))
    const r = await preflightImport({ config: config(), bucket: 'far', key: KEY })()
    expect(r._tag === 'Right' && r.right.checks.find((c) => c.id === 'bucket-region')).toMatchObject({ status: 'fail', message: expect.stringMatching(/eu-west-1/) })
    expect(r._tag === 'Right' && r.right.ok).toBe(false)
  })

  describe('ensureVmImportRole', () => {
    const policyOf = async () => JSON.parse(decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport' }))).PolicyDocument!)) as typeof GUIDE_POLICY

    it('creates the role as the guide specifies; the preflight then passes its checks', async () => {
      await setUp({})
      const r = await ensureVmImportRole({ config: config(), buckets: [BUCKET] })()
      if (r._tag === 'Left') throw new Error(r.left.message)
      expect(r.right.changed).toEqual(['CreateRole', 'PutRolePolicy'])
      expect(r.right.role).toEqual({ name: 'vmimport', arn: `arn:aws:iam::${ACCOUNT}:role/vmimport`, created: true })
      const role = await iam.send(new GetRoleCommand({ RoleName: 'vmimport' }))
      expect(JSON.parse(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!))).toEqual(r.right.policies.trust)
      expect(await policyOf()).toEqual(r.right.policies.inline.document)
      const report = await preflight({})
      for (const id of ['role', 'role-trust', 'role-s3', 'role-ec2'] as const) expect(report.checks.find((c) => c.id === id)?.status, id).toBe('pass')
    })

    it('is idempotent: a second run changes nothing', async () => {
      await setUp({})
      const first = await ensureVmImportRole({ config: config(), buckets: [BUCKET], kmsKeyArns: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`] })()
      expect(first._tag === 'Right' && first.right.changed).toEqual(['CreateRole', 'PutRolePolicy'])
      const before = await policyOf()
      const second = await ensureVmImportRole({ config: config(), buckets: [BUCKET], kmsKeyArns: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/k1`] })()
      expect(second._tag === 'Right' && second.right).toMatchObject({ changed: [], role: { created: false } })
      expect(await policyOf()).toEqual(before)
    })

    it('keeps the buckets and keys already granted: the union is written', async () => {
      await setUp({ role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } } })
      const r = await ensureVmImportRole({ config: config(), buckets: ['other'], kmsKeyArns: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/k2`] })()
      if (r._tag === 'Left') throw new Error(r.left.message)
      expect(r.right.changed).toEqual(['PutRolePolicy'])
      const written = JSON.stringify(await policyOf())
      for (const arn of [`arn:aws:s3:::${BUCKET}/*`, 'arn:aws:s3:::other/*', `arn:aws:kms:us-east-1:${ACCOUNT}:key/k2`]) expect(written).toContain(arn)
    })

    it('adds the vmie statement to a trust policy that lacks it, keeping the others', async () => {
      await setUp({ role: { trust: statement({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), inline: { vmimport: GUIDE_POLICY } } })
      const r = await ensureVmImportRole({ config: config(), buckets: [BUCKET] })()
      expect(r._tag === 'Right' && r.right.changed).toEqual(['UpdateAssumeRolePolicy'])
      const trust = JSON.parse(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'vmimport' }))).Role!.AssumeRolePolicyDocument!)) as { Statement: Array<{ Principal: { Service: string } }> }
      expect(trust.Statement.map((s) => s.Principal.Service)).toEqual(['ec2.amazonaws.com', 'vmie.amazonaws.com'])
    })

    it('a dry run writes nothing and returns the documents', async () => {
      await setUp({})
      const r = await ensureVmImportRole({ config: config(), buckets: [BUCKET], dryRun: true })()
      if (r._tag === 'Left') throw new Error(r.left.message)
      expect(r.right).toMatchObject({ changed: ['CreateRole', 'PutRolePolicy'], dryRun: true, role: { created: true } })
      expect(JSON.stringify(r.right.policies.inline.document)).toContain(`arn:aws:s3:::${BUCKET}/*`)
      await expect(iam.send(new GetRoleCommand({ RoleName: 'vmimport' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' })
      // and a dry run over an existing role with an old policy writes nothing either
      await setUp({ role: { trust: GUIDE_TRUST, inline: { vmimport: GUIDE_POLICY } } }).catch(() => undefined)
      await iam.send(new DeleteRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport' }))
      const d = await ensureVmImportRole({ config: config(), buckets: [BUCKET], dryRun: true })()
      expect(d._tag === 'Right' && d.right.changed).toEqual(['PutRolePolicy'])
      await expect(iam.send(new GetRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport' }))).rejects.toMatchObject({ name: 'NoSuchEntityException' })
    })
  })
})
