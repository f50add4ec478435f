// Strict mode: ImportImage and ImportSnapshot check the service role and the S3 object as VM Import does — a
// missing or unassumable role is the synchronous InvalidParameter, an object missing or unreadable by the role ends
// the task deleted with the 403 message — and the default stays as lenient as 0.1.
import { request } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { signRequest } from '../../src/internal/http/Signer.js'
import { decodeResponse, serializeRequest, type Operation } from '../../src/internal/protocol/Operation.js'
import { DescribeImportImageTasks, DescribeImportSnapshotTasks, ImportImage, ImportSnapshot } from '../../src/operations/Ec2.js'
import { DEFAULT_PHASES, startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator.js'
import type { ImportImageRequest } from '../../src/shapes/ImportImage.js'
import { agent, query } from './raw-aws.js'
import { GUIDE_TRUST } from '../helpers/vmimport-guide.js'

afterAll(() => agent.close())
const running: Array<Emulator> = []
afterEach(async () => {
  for (const e of running.splice(0)) await e.close()
})
const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const e = await startEmulator({ clock: 'manual', ...options })
  running.push(e)
  return e
}

let tokens = 0
const call = async <I, O>(e: Emulator, op: Operation<I, O>, input: I) => {
  const url = new URL(e.endpoint)
  const body = serializeRequest(op, input, () => `token-${++tokens}`)
  const signed = signRequest(
    { method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/', headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' }, body },
    e.credentials,
    { region: e.region, service: 'ec2', now: new Date(e.clock.now()) },
  )
  const res = await request(`${e.endpoint}/`, { method: 'POST', headers: signed.headers, body, dispatcher: agent })
  const text = await res.body.text()
  return decodeResponse(op, { statusCode: res.statusCode, headers: res.headers, body: text }, 1)
}

const TOTAL = Object.values(DEFAULT_PHASES).reduce((a, b) => a + b, 0)
const DENIED = 'ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]'
const trust = GUIDE_TRUST
const read = (resource: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'], Resource: resource }] })
const bucket = { name: 'images', objects: [{ key: 'disk.vmdk', size: 8 * 1024 ** 3 }] }
const importImage: ImportImageRequest = { DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'disk.vmdk' } }] }

const finalState = async (e: Emulator, id: string) => {
  e.clock.advance(TOTAL + 60_000)
  const r = await call(e, DescribeImportImageTasks, { ImportTaskIds: [id] })
  if (r._tag === 'Left') throw new Error(r.left.message)
  const t = r.right.value.ImportImageTasks![0]!
  return [t.Status, t.StatusMessage]
}

describe('strict ImportImage', () => {
  it('refuses at once when the role does not exist, or does not let vmie.amazonaws.com assume it', async () => {
    const e = await start({ strict: true, buckets: [bucket], roles: [{ name: 'ec2-only', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }] })
    for (const RoleName of [undefined, 'ec2-only']) {
      const r = await call(e, ImportImage, { ...importImage, ...(RoleName === undefined ? {} : { RoleName }) })
      expect(r._tag).toBe('Left')
      if (r._tag === 'Left' && r.left._tag === 'ServiceError') {
        expect([r.left.statusCode, r.left.code, r.left.serviceMessage]).toEqual([
          400,
          'InvalidParameter',
          `The service role ${RoleName ?? 'vmimport'} provided does not exist or does not have sufficient permissions`,
        ])
      } else throw new Error('expected a ServiceError')
    }
    // a dry run does not check the role, as on AWS
    const dry = await call(e, ImportImage, { ...importImage, DryRun: true })
    expect(dry._tag === 'Left' && dry.left._tag === 'ServiceError' && dry.left.code).toBe('DryRunOperation')
    expect(e.tasks()).toEqual([])
  })

  it('refuses a role that is still within roleDelayMs, and accepts it after', async () => {
    const e = await start({ strict: true, buckets: [bucket], roleDelayMs: 10_000 })
    await query(e, 'iam', { Action: 'CreateRole', RoleName: 'vmimport', AssumeRolePolicyDocument: JSON.stringify(trust) })
    await query(e, 'iam', { Action: 'PutRolePolicy', RoleName: 'vmimport', PolicyName: 'vmimport', PolicyDocument: JSON.stringify(read('arn:aws:s3:::images/*')) })
    const early = await call(e, ImportImage, importImage)
    expect(early._tag === 'Left' && early.left._tag === 'ServiceError' && early.left.code).toBe('InvalidParameter')
    e.clock.advance(10_000)
    const later = await call(e, ImportImage, importImage)
    expect(later._tag).toBe('Right')
    if (later._tag === 'Right') expect(await finalState(e, later.right.value.ImportTaskId!)).toEqual(['completed', undefined])
  })

  it('ends the task deleted with the 403 message when the object is missing or the role may not read it', async () => {
    const e = await start({
      strict: true,
      buckets: [bucket, { name: 'other', objects: [{ key: 'disk.vmdk', body: 'x' }] }, { name: 'shared', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/vmimport' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }] }, objects: [{ key: 'disk.vmdk', size: 100 }] }],
      roles: [
        {
          name: 'vmimport',
          trustPolicy: trust,
          inlinePolicies: {
            vmimport: read('arn:aws:s3:::images/*'),
            deny: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:Get*', Resource: 'arn:aws:s3:::images/secret*' }] },
          },
        },
      ],
    })
    const cases: ReadonlyArray<readonly [string, string, string | undefined]> = [
      ['images', 'disk.vmdk', undefined], // readable
      ['images', 'missing.vmdk', DENIED], // no such object
      ['other', 'disk.vmdk', DENIED], // no statement grants it
      ['nope', 'disk.vmdk', DENIED], // no such bucket
      ['shared', 'disk.vmdk', undefined], // the bucket policy grants it
    ]
    for (const [S3Bucket, S3Key, message] of cases) {
      const r = await call(e, ImportImage, { DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket, S3Key } }] })
      if (r._tag === 'Left') throw new Error(r.left.message)
      expect(await finalState(e, r.right.value.ImportTaskId!), `${S3Bucket}/${S3Key}`).toEqual(message === undefined ? ['completed', undefined] : ['deleted', message])
    }
    // an explicit Deny wins over the Allow
    const secret = await start({ strict: true, buckets: [{ name: 'images', objects: [{ key: 'secret.vmdk', size: 1 }] }], roles: [{ name: 'vmimport', trustPolicy: trust, inlinePolicies: { a: read('arn:aws:s3:::images/*'), d: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:Get*', Resource: 'arn:aws:s3:::images/secret*' }] } } }] })
    const r = await call(secret, ImportImage, { DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'secret.vmdk' } }] })
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(await finalState(secret, r.right.value.ImportTaskId!)).toEqual(['deleted', DENIED])
  })

  it('is off by default: no role, no bucket, and the import completes as in 0.1', async () => {
    const e = await start()
    expect(e.strict).toBe(false)
    const r = await call(e, ImportImage, importImage)
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(await finalState(e, r.right.value.ImportTaskId!)).toEqual(['completed', undefined])
  })
})

describe('strict ImportSnapshot', () => {
  it('refuses a missing role at once, and ends deleted with the 403 message for a missing object', async () => {
    const e = await start({ strict: true, buckets: [bucket] })
    const noRole = await call(e, ImportSnapshot, { DiskContainer: { Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'disk.vmdk' } } })
    expect(noRole._tag === 'Left' && noRole.left._tag === 'ServiceError' && noRole.left.code).toBe('InvalidParameter')

    const ok = await start({ strict: true, buckets: [bucket], roles: [{ name: 'vmimport', trustPolicy: trust, inlinePolicies: { vmimport: read('*') } }] })
    const missing = await call(ok, ImportSnapshot, { DiskContainer: { Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'gone.vmdk' } } })
    const present = await call(ok, ImportSnapshot, { DiskContainer: { Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'disk.vmdk' } } })
    if (missing._tag === 'Left' || present._tag === 'Left') throw new Error('ImportSnapshot refused')
    ok.clock.advance(TOTAL + 60_000)
    const d = await call(ok, DescribeImportSnapshotTasks, { ImportTaskIds: [missing.right.value.ImportTaskId!, present.right.value.ImportTaskId!] })
    if (d._tag === 'Left') throw new Error(d.left.message)
    const byId = new Map(d.right.value.ImportSnapshotTasks!.map((t) => [t.ImportTaskId, t.SnapshotTaskDetail]))
    expect([byId.get(missing.right.value.ImportTaskId)?.Status, byId.get(missing.right.value.ImportTaskId)?.StatusMessage]).toEqual(['deleted', DENIED])
    expect(byId.get(present.right.value.ImportTaskId)?.Status).toBe('completed')
    expect(ok.snapshots().length).toBe(1)
  })
})
