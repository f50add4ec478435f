// AWS's own SDK clients (@aws-sdk/client-s3 and client-iam, which this project did not write) against the one
// endpoint: a multipart upload with CRC32 checksums — full-object, verified by the emulator, and a corrupted part
// refused — and a role round trip with its policies.
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import * as zlib from 'node:zlib'
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetBucketLocationCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator.js'

let emulator: Emulator
let s3: S3Client
let iam: IAMClient
beforeAll(async () => {
  emulator = await startEmulator({ buckets: [{ name: 'images', region: 'eu-west-1' }], regions: ['eu-west-1', 'us-east-1'] })
  const common = { endpoint: emulator.endpoint, credentials: emulator.credentials }
  s3 = new S3Client({ ...common, region: 'eu-west-1', forcePathStyle: true })
  iam = new IAMClient({ ...common, region: 'us-east-1' })
})
afterAll(async () => {
  s3.destroy()
  iam.destroy()
  await emulator.close()
})

const crc = (b: Buffer): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(zlib.crc32(b))
  return out.toString('base64')
}

describe('@aws-sdk/client-s3 against the emulator', () => {
  it('uploads in parts with CRC32 checksums (one part streamed, with its checksum as a trailer), full-object', async () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(123_456)]
    const whole = Buffer.concat(parts)
    const created = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'images', Key: 'disk.vmdk', ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }),
    )
    const UploadId = created.UploadId!
    const done: Array<{ PartNumber: number; ETag: string; ChecksumCRC32: string }> = []
    for (const [i, p] of parts.entries()) {
      // the SDK computes the CRC32: as a header for a buffer, as an aws-chunked trailer for a stream
      const Body = i === 1 ? Readable.from([p.subarray(0, 1 << 20), p.subarray(1 << 20)]) : p
      const r = await s3.send(
        new UploadPartCommand({ Bucket: 'images', Key: 'disk.vmdk', UploadId, PartNumber: i + 1, Body, ContentLength: p.length, ChecksumAlgorithm: 'CRC32' }),
      )
      expect(r.ChecksumCRC32).toBe(crc(p))
      done.push({ PartNumber: i + 1, ETag: r.ETag!, ChecksumCRC32: r.ChecksumCRC32! })
    }
    const trailered = emulator.requests.filter((r) => r.action === 'UploadPart' && r.headers['x-amz-trailer'] === 'x-amz-checksum-crc32')
    expect(trailered.map((r) => r.params['partNumber'])).toEqual(['2'])
    const listed = await s3.send(new ListPartsCommand({ Bucket: 'images', Key: 'disk.vmdk', UploadId }))
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size, p.ChecksumCRC32])).toEqual(parts.map((p, i) => [i + 1, p.length, crc(p)]))
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'images',
        Key: 'disk.vmdk',
        UploadId,
        MultipartUpload: { Parts: done },
        ChecksumCRC32: crc(whole),
        ChecksumType: 'FULL_OBJECT',
      }),
    )
    expect([completed.ChecksumCRC32, completed.ChecksumType]).toEqual([crc(whole), 'FULL_OBJECT'])
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'images', Key: 'disk.vmdk', ChecksumMode: 'ENABLED' }))
    expect([head.ContentLength, head.ChecksumCRC32, head.ETag?.endsWith('-3"')]).toEqual([whole.length, crc(whole), true])
    expect(emulator.s3Object('images', 'disk.vmdk')?.body).toBeUndefined()
    const location = await s3.send(new GetBucketLocationCommand({ Bucket: 'images' }))
    expect(location.LocationConstraint).toBe('eu-west-1')
  })

  it('sees a part whose checksum does not match refused with BadDigest, and aborts the upload', async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'images', Key: 'bad.vmdk', ChecksumAlgorithm: 'CRC32' }))
    const p = randomBytes(1024)
    const error = await s3
      .send(new UploadPartCommand({ Bucket: 'images', Key: 'bad.vmdk', UploadId, PartNumber: 1, Body: p, ChecksumCRC32: crc(randomBytes(8)) }))
      .then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(S3ServiceException)
    expect([(error as S3ServiceException).name, (error as S3ServiceException).$metadata.httpStatusCode]).toEqual(['BadDigest', 400])
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'images' }))
    expect(uploads.Uploads?.map((u) => u.Key)).toEqual(['bad.vmdk'])
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'images', Key: 'bad.vmdk', UploadId }))
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'images' }))).Uploads ?? []).toEqual([])
  })
})

describe('@aws-sdk/client-iam against the emulator', () => {
  it('creates a role, puts and attaches policies, and reads every document back decoded', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole' }] })
    const inline = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::images/*' }] })
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'vmimport', AssumeRolePolicyDocument: trust }))
    expect(created.Role?.Arn).toBe(`arn:aws:iam::${emulator.accountId}:role/vmimport`)
    const role = await iam.send(new GetRoleCommand({ RoleName: 'vmimport' }))
    // the SDK leaves IAM's URL-encoding as it is: decoding it gives back the text sent
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toBe(trust)
    await iam.send(new PutRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport', PolicyDocument: inline }))
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'vmimport' }))).PolicyNames).toEqual(['vmimport'])
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'vmimport', PolicyName: 'vmimport' }))
    expect(decodeURIComponent(got.PolicyDocument!)).toBe(inline)
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'Extra', PolicyDocument: inline }))
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'vmimport', PolicyArn: policy.Policy!.Arn! }))
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'vmimport' }))
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'Extra', PolicyArn: policy.Policy!.Arn! }])
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: policy.Policy!.Arn!, VersionId: 'v1' }))
    expect(decodeURIComponent(version.PolicyVersion!.Document!)).toBe(inline)
    const missing = await iam.send(new GetRoleCommand({ RoleName: 'nobody' })).then(() => undefined, (e: unknown) => e)
    expect(missing).toBeInstanceOf(NoSuchEntityException)
  })
})
