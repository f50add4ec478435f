/**
 * `preflightImport` against the emulator's IAM, S3 and STS: a table of roles and policies, each with the check results
 * IAM's rules give — the same kind of table `test/interop/preflight.test.ts` runs against moto, here against the
 * endpoint whose strict mode then refuses (or runs) the import the same way.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/emulator.js'
import { preflightImport, type PreflightCheckId, type PreflightStatus } from '../src/PreflightImport.js'
import { GUIDE_TRUST, guidePolicy } from './helpers/vmimport-guide.js'

const BUCKET = 'images'
const KEY = 'disks/web.raw'
const TRUST = GUIDE_TRUST
const POLICY = guidePolicy(BUCKET)

let em: Emulator | undefined
afterEach(async () => {
  await em?.close()
  em = undefined
})

const run = async (options: EmulatorOptions) => {
  em = await startEmulator({
    region: 'eu-west-1',
    buckets: [{ name: BUCKET, objects: [{ key: KEY, body: Buffer.from('disk') }], lifecycleRules: [{ abortIncompleteMultipartUploadDays: 7 }] }],
    ...options,
  })
  const r = await preflightImport({ config: { region: 'eu-west-1', endpoint: em.endpoint, credentials: em.credentials }, bucket: BUCKET, key: KEY })()
  if (r._tag === 'Left') throw new Error(r.left.message)
  return { ok: r.right.ok, status: (id: PreflightCheckId): PreflightStatus | undefined => r.right.checks.find((c) => c.id === id)?.status }
}

const rows: ReadonlyArray<{ readonly name: string; readonly options: EmulatorOptions; readonly expect: Partial<Record<PreflightCheckId, PreflightStatus>>; readonly ok: boolean }> = [
  { name: 'the role as the guide writes it', options: { roles: [{ name: 'vmimport', trustPolicy: TRUST, inlinePolicies: { vmimport: POLICY } }] }, expect: { caller: 'pass', 'bucket-region': 'pass', object: 'pass', role: 'pass', 'role-trust': 'pass', 'role-s3': 'pass', 'role-ec2': 'pass' }, ok: true },
  { name: 'no role', options: {}, expect: { role: 'fail' }, ok: false },
  {
    name: 'a trust policy for another service',
    options: { roles: [{ name: 'vmimport', trustPolicy: { ...TRUST, Statement: [{ ...TRUST.Statement[0], Principal: { Service: 'ec2.amazonaws.com' } }] }, inlinePolicies: { vmimport: POLICY } }] },
    expect: { 'role-trust': 'fail' },
    ok: false,
  },
  {
    name: 'an explicit Deny of s3:GetObject',
    options: { roles: [{ name: 'vmimport', trustPolicy: TRUST, inlinePolicies: { vmimport: POLICY, deny: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*' }] } } }] },
    expect: { 'role-s3': 'fail' },
    ok: false,
  },
  {
    name: 'wildcard actions',
    options: { roles: [{ name: 'vmimport', trustPolicy: TRUST, inlinePolicies: { vmimport: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'ec2:*'], Resource: '*' }] } } }] },
    expect: { 'role-s3': 'pass', 'role-ec2': 'pass' },
    ok: true,
  },
  { name: 'the root user as caller', options: { caller: 'root', roles: [{ name: 'vmimport', trustPolicy: TRUST, inlinePolicies: { vmimport: POLICY } }] }, expect: { caller: 'warn' }, ok: true },
  {
    name: 'an SSE-KMS object and no kms:Decrypt (at best a warn: the key policy is not readable)',
    options: {
      roles: [{ name: 'vmimport', trustPolicy: TRUST, inlinePolicies: { vmimport: POLICY } }],
      buckets: [{ name: BUCKET, objects: [{ key: KEY, body: Buffer.from('disk'), kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1111' }], lifecycleRules: [{ abortIncompleteMultipartUploadDays: 7 }] }],
    },
    expect: { object: 'pass', 'role-kms': 'warn' },
    ok: true,
  },
  { name: 'no permission to read IAM', options: { deny: ['iam:GetRole'] }, expect: { role: 'skipped' }, ok: true },
]

describe('preflightImport against the emulator', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const r = await run(row.options)
      for (const [id, status] of Object.entries(row.expect)) expect([id, r.status(id as PreflightCheckId)]).toEqual([id, status])
      expect(r.ok).toBe(row.ok)
    })
  }
})
