/**
 * The S3 operations (`src/operations/S3.ts`) against moto's S3, through the one pipeline every call takes
 * (`createServiceCaller(...).call(S3, …)`: REST-XML, SigV4 for `s3`, path-style addressing on a custom endpoint).
 * moto is a server nobody here wrote: what it accepts and answers is evidence that the requests are S3's and that
 * the results are read as S3 sends them.
 *
 * One flow, in order: a bucket; a `PutObject` with a CRC32 checksum (the header S3 verifies), `HeadObject` with the
 * checksum asked back; a multipart upload of two parts (the first at S3's 5 MiB minimum), `ListParts`,
 * `ListMultipartUploads`, complete; a second upload that is aborted and then gone; `GetBucketLocation`;
 * `DeleteObject`; and the errors S3 answers with (`NoSuchUpload`, a `HEAD` of a missing key as `NotFound`). moto
 * does not verify checksums (issue 14): corrupted parts are the emulator's tests' to catch.
 */
import { createHash } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ec2ImportError } from '../../src/Ec2ImportError.js'
import {
  AbortMultipartUpload,
  CompleteMultipartUpload,
  CreateBucket,
  CreateMultipartUpload,
  DeleteObject,
  GetBucketLocation,
  HeadObject,
  ListMultipartUploads,
  ListParts,
  PutObject,
  S3,
  UploadPart,
} from '../../src/operations/S3.js'
import { createServiceCaller, type ServiceCaller } from '../../src/ServiceCaller.js'
import { available, startMoto, type Moto } from './moto.js'

const why = available()
if (why !== true && process.env['MOTO_REQUIRED'] === '1') throw new Error(`the interop suite needs moto: ${why}`)

const crc32Base64 = (b: Uint8Array): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(b) >>> 0)
  return out.toString('base64')
}

const bytes = (n: number, seed: number): Uint8Array => {
  const b = new Uint8Array(n)
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff
  return b
}

const ok = <A>(r: { _tag: 'Left'; left: Ec2ImportError } | { _tag: 'Right'; right: A }): A => {
  if (r._tag === 'Left') throw new Error(`expected a result, got ${r.left._tag}: ${r.left.message}`)
  return r.right
}

describe.skipIf(why !== true)(`S3 operations against moto${why === true ? '' : ` (skipped: ${why})`}`, () => {
  let moto: Moto
  let caller: ServiceCaller
  const Bucket = 'vm-images'
  beforeAll(async () => {
    moto = await startMoto()
    caller = createServiceCaller({ region: 'us-east-1', endpoint: moto.endpoint, credentials: moto.credentials, maxAttempts: 1 })
  }, 60_000)
  afterAll(async () => {
    await caller?.close()
    await moto?.stop()
  })

  it('creates a bucket and reads back its location', async () => {
    ok(await caller.call(S3, CreateBucket, { Bucket })())
    const where = ok(await caller.call(S3, GetBucketLocation, { Bucket })())
    // us-east-1 is the empty location constraint (S3's oldest convention)
    expect(where.LocationConstraint ?? '').toBe('')
    expect(where.$metadata.httpStatusCode).toBe(200)
  })

  it('puts an object with a CRC32 checksum and heads it, checksum and metadata included', async () => {
    const body = bytes(1000, 7)
    const Key = 'disks/web server+1.vmdk' // a space, a plus and a slash: the greedy label's encoding
    const put = ok(
      await caller.call(S3, PutObject, {
        Bucket,
        Key,
        Body: body,
        ContentLength: body.length,
        ChecksumAlgorithm: 'CRC32',
        ChecksumCRC32: crc32Base64(body),
        Metadata: { format: 'vmdk' },
      })(),
    )
    expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`)
    expect(put.ChecksumCRC32).toBe(crc32Base64(body))
    const head = ok(await caller.call(S3, HeadObject, { Bucket, Key, ChecksumMode: 'ENABLED' })())
    expect(head.ContentLength).toBe(1000)
    expect(head.ETag).toBe(put.ETag)
    expect(head.ChecksumCRC32).toBe(crc32Base64(body))
    expect(head.Metadata).toEqual({ format: 'vmdk' })
    expect(head.LastModified).toBeInstanceOf(Date)
  })

  it('streams a body made afresh per attempt (sent as UNSIGNED-PAYLOAD, the signer never reads it)', async () => {
    const body = bytes(4096, 3)
    const { Readable } = await import('node:stream')
    ok(
      await caller.call(S3, PutObject, { Bucket, Key: 'streamed.raw', Body: () => Readable.from([Buffer.from(body)]), ContentLength: body.length })(),
    )
    const head = ok(await caller.call(S3, HeadObject, { Bucket, Key: 'streamed.raw' })())
    expect(head.ContentLength).toBe(4096)
  })

  it('uploads two parts, lists them and the upload, completes, and the object is whole', async () => {
    const Key = 'images/disk.vmdk'
    const part1 = bytes(5 * 1024 * 1024, 1)
    const part2 = bytes(1234, 2)
    const created = ok(await caller.call(S3, CreateMultipartUpload, { Bucket, Key, ChecksumAlgorithm: 'CRC32' })())
    expect(created.Bucket).toBe(Bucket)
    expect(created.Key).toBe(Key)
    const UploadId = created.UploadId!
    expect(UploadId).toBeTruthy()

    const etags: Array<string> = []
    for (const [i, part] of [part1, part2].entries()) {
      const up = ok(
        await caller.call(S3, UploadPart, {
          Bucket,
          Key,
          UploadId,
          PartNumber: i + 1,
          Body: part,
          ContentLength: part.length,
          ChecksumCRC32: crc32Base64(part),
        })(),
      )
      expect(up.ETag).toBe(`"${createHash('md5').update(part).digest('hex')}"`)
      etags.push(up.ETag!)
    }

    const parts = ok(await caller.call(S3, ListParts, { Bucket, Key, UploadId })())
    expect(parts.UploadId).toBe(UploadId)
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, part1.length, etags[0]],
      [2, part2.length, etags[1]],
    ])
    expect(parts.IsTruncated).toBe(false)

    const uploads = ok(await caller.call(S3, ListMultipartUploads, { Bucket })())
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toContainEqual([Key, UploadId])

    const done = ok(
      await caller.call(S3, CompleteMultipartUpload, {
        Bucket,
        Key,
        UploadId,
        MultipartUpload: {
          Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1, ChecksumCRC32: crc32Base64(i === 0 ? part1 : part2) })),
        },
      })(),
    )
    expect(done.Key).toBe(Key)
    expect(done.ETag).toMatch(/-2"$/) // a multipart ETag names its part count
    const head = ok(await caller.call(S3, HeadObject, { Bucket, Key })())
    expect(head.ContentLength).toBe(part1.length + part2.length)

    const again = await caller.call(S3, ListMultipartUploads, { Bucket })()
    expect(ok(again).Uploads?.some((u) => u.UploadId === UploadId) ?? false).toBe(false)
  })

  it('aborts an upload, after which S3 no longer knows it (NoSuchUpload)', async () => {
    const Key = 'images/aborted.vmdk'
    const { UploadId } = ok(await caller.call(S3, CreateMultipartUpload, { Bucket, Key })())
    ok(await caller.call(S3, UploadPart, { Bucket, Key, UploadId: UploadId!, PartNumber: 1, Body: bytes(100, 9), ContentLength: 100 })())
    const aborted = ok(await caller.call(S3, AbortMultipartUpload, { Bucket, Key, UploadId: UploadId! })())
    expect(aborted.$metadata.httpStatusCode).toBe(204)
    const gone = await caller.call(S3, ListParts, { Bucket, Key, UploadId: UploadId! })()
    expect(gone._tag).toBe('Left')
    if (gone._tag === 'Left') {
      expect(gone.left._tag).toBe('ServiceError')
      if (gone.left._tag === 'ServiceError') {
        expect(gone.left.code).toBe('NoSuchUpload')
        expect(gone.left.statusCode).toBe(404)
      }
    }
  })

  it('deletes an object; a HEAD of it is then NotFound, from the status alone', async () => {
    const Key = 'disks/web server+1.vmdk'
    const deleted = ok(await caller.call(S3, DeleteObject, { Bucket, Key })())
    expect(deleted.$metadata.httpStatusCode).toBe(204)
    const head = await caller.call(S3, HeadObject, { Bucket, Key })()
    expect(head._tag).toBe('Left')
    if (head._tag === 'Left' && head.left._tag === 'ServiceError') {
      expect(head.left.code).toBe('NotFound')
      expect(head.left.statusCode).toBe(404)
    } else {
      throw new Error(`expected a ServiceError, got ${JSON.stringify(head)}`)
    }
  })

  it('answers a missing bucket with S3 error XML, read as NoSuchBucket', async () => {
    const r = await caller.call(S3, GetBucketLocation, { Bucket: 'no-such-bucket-here' })()
    expect(r._tag).toBe('Left')
    if (r._tag === 'Left' && r.left._tag === 'ServiceError') expect(r.left.code).toBe('NoSuchBucket')
    else throw new Error(`expected a ServiceError, got ${JSON.stringify(r)}`)
  })
})
