/**
 * `uploadDiskImage` through a fault-injecting loopback proxy in front of moto: connection resets before a part
 * reaches S3 and after S3 stored it (the answer lost), 5xx answers, throttling, and parts slower than their deadline.
 * Whatever happens, the object is the file byte for byte, or the upload fails as a value; and no multipart upload is
 * left behind either way.
 *
 * moto does not verify the checksums parts carry, so a part corrupted on the way would not be caught here: the
 * emulator's tests catch those. The faults here lose or delay bytes; they do not alter them.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { crc32 } from 'node:zlib'
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { uploadDiskImage, type UploadDiskImageOptions } from '../../src/UploadDiskImage.js'
import { available, startMoto, type Moto } from './moto.js'
import { startS3Proxy, type Fault, type S3Proxy } from './s3-proxy.js'
import { rawDisk } from '../helpers/raw-disk.js'

const why = available()
if (why !== true && process.env['MOTO_REQUIRED'] === '1') throw new Error(`the interop suite needs moto: ${why}`)

const MiB = 1024 * 1024
const PART = 5 * MiB
const BUCKET = 'faults'
const DIR = resolve(import.meta.dirname, '../../temp/upload-faults')

const disk = (name: string, size: number): { path: string; bytes: Buffer } => rawDisk(DIR, name, size)
const crc32Base64 = (b: Buffer): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(b))
  return out.toString('base64')
}
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

describe.skipIf(why !== true)(`uploadDiskImage through a faulty network${why === true ? '' : ` (skipped: ${why})`}`, () => {
  let moto: Moto
  let proxy: S3Proxy
  let sdk: S3Client
  const options = (file: string, key: string, more: Partial<UploadDiskImageOptions> = {}): UploadDiskImageOptions => ({
    config: { endpoint: proxy.endpoint, region: 'us-east-1', credentials: moto.credentials, maxAttempts: 4 },
    file,
    bucket: BUCKET,
    key,
    partSizeBytes: PART,
    concurrency: 3,
    partTimeoutMs: 1_500,
    ...more,
  })
  const noUploadLeft = async () => expect((await sdk.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).toEqual([])
  const isPart = (r: { method: string; partNumber: number | undefined }) => r.method === 'PUT' && r.partNumber !== undefined
  const isComplete = (r: { method: string; path: string }) => r.method === 'POST' && /[?&]uploadId=/.test(r.path)
  const isCreate = (r: { method: string; path: string }) => r.method === 'POST' && /[?&]uploads(=|&|$)/.test(r.path)

  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true })
    moto = await startMoto()
    proxy = await startS3Proxy(moto.endpoint)
    sdk = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials: moto.credentials, forcePathStyle: true })
    await sdk.send(new CreateBucketCommand({ Bucket: BUCKET }))
  }, 60_000)
  afterAll(async () => {
    sdk?.destroy()
    await proxy?.stop()
    await moto?.stop()
    rmSync(DIR, { recursive: true, force: true })
  })
  beforeEach(() => {
    proxy.seen.length = 0
    proxy.decide = () => undefined
  })

  it('every part’s first attempt fails (reset before, 500, reset after, too slow, 503), Create is throttled: the object is the file', async () => {
    const { path, bytes } = disk('every-part.raw', 8 * PART + 777)
    const faults: ReadonlyArray<Fault> = [
      { kind: 'reset-before' },
      { kind: 'status', status: 500, code: 'InternalError' },
      { kind: 'reset-after' },
      { kind: 'delay', ms: 3_000 }, // past the 1.5 s part deadline
      { kind: 'status', status: 503, code: 'SlowDown' },
      { kind: 'delay', ms: 400 }, // slow, within the deadline: not a failure
    ]
    const attempts = new Map<number, number>()
    let creates = 0
    proxy.decide = (r) => {
      if (isCreate(r) && creates++ === 0) return { kind: 'status', status: 503, code: 'SlowDown' }
      if (!isPart(r)) return undefined
      const n = r.partNumber!
      const a = (attempts.get(n) ?? 0) + 1
      attempts.set(n, a)
      return a === 1 ? faults[(n - 1) % faults.length] : undefined
    }
    const r = await uploadDiskImage(options(path, 'every-part.raw'))()
    if (r._tag === 'Left') throw new Error(`${r.left.reason}: ${r.left.message}`)
    expect(r.right).toMatchObject({ outcome: 'uploaded', parts: 9, size: bytes.length })
    expect(r.right.checksum.value).toBe(crc32Base64(bytes))
    // Every part was tried at least twice but the slow-but-in-time ones; none more than the attempts allowed.
    for (let n = 1; n <= 9; n++) expect(attempts.get(n)).toBe(faults[(n - 1) % faults.length]!.kind === 'delay' && n % 6 === 0 ? 1 : 2)
    const got = await sdk.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'every-part.raw' }))
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(bytes))
    const head = await sdk.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'every-part.raw', ChecksumMode: 'ENABLED' }))
    expect(head.ChecksumCRC32).toBe(crc32Base64(bytes))
    await noUploadLeft()
  })

  it('a part that always fails: the upload fails as a value, stops the other parts, and aborts the multipart upload', async () => {
    const { path } = disk('always-500.raw', 10 * PART)
    proxy.decide = (r) => (isPart(r) && r.partNumber === 3 ? { kind: 'status', status: 500, code: 'InternalError' } : undefined)
    const r = await uploadDiskImage(options(path, 'always-500.raw', { concurrency: 2 }))()
    expect(r).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'UploadError', reason: 'aws', partsKept: false, cause: { _tag: 'ServiceError', code: 'InternalError', attempts: 4 } },
    })
    expect(r._tag === 'Left' && r.left.uploadId).toBeTruthy()
    expect(proxy.seen.filter((q) => isPart(q) && q.partNumber === 3)).toHaveLength(4)
    // Once part 3 gave up, nothing more was sent but the abort: the other worker stopped (how many parts it had sent
    // by then depends on the retry jitter, so it is not counted).
    const lastPart3 = proxy.seen.map((q) => isPart(q) && q.partNumber === 3).lastIndexOf(true)
    // The other worker's part in flight meanwhile, and one it may have begun in the milliseconds of that last answer.
    expect(proxy.seen.slice(lastPart3 + 1).filter((q) => q.method !== 'DELETE').length).toBeLessThanOrEqual(2)
    expect(proxy.seen.at(-1)).toMatchObject({ method: 'DELETE' })
    await noUploadLeft()
  })

  it('CompleteMultipartUpload’s answer is lost after S3 acted: the object is found to be the file, and that is success', async () => {
    const { path, bytes } = disk('lost-complete.raw', 2 * PART + 5)
    proxy.decide = (r) => (isComplete(r) ? { kind: 'reset-after' } : undefined)
    const r = await uploadDiskImage(options(path, 'lost-complete.raw'))()
    if (r._tag === 'Left') throw new Error(`${r.left.reason}: ${r.left.message}`)
    expect(r.right.checksum.value).toBe(crc32Base64(bytes))
    expect(proxy.seen.filter(isComplete)).toHaveLength(1) // not retried: it is not idempotent
    await noUploadLeft()
  })

  it('CompleteMultipartUpload fails with a 500: the upload fails and aborts, leaving nothing', async () => {
    const { path } = disk('complete-500.raw', 2 * PART + 5)
    proxy.decide = (r) => (isComplete(r) ? { kind: 'status', status: 500, code: 'InternalError' } : undefined)
    const r = await uploadDiskImage(options(path, 'complete-500.raw'))()
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'aws', partsKept: false } })
    await noUploadLeft()
  })

  it('a network gone for good while keeping parts: the upload fails, says the parts are kept, and a second run finishes it', async () => {
    const { path, bytes } = disk('gone.raw', 6 * PART)
    proxy.decide = (r) => (isPart(r) && r.partNumber! >= 4 ? { kind: 'reset-before' } : undefined)
    const first = await uploadDiskImage(options(path, 'gone.raw', { concurrency: 1, keepPartsOnAbort: true }))()
    expect(first).toMatchObject({ _tag: 'Left', left: { reason: 'aws', partsKept: true, cause: { _tag: 'TransportError' } } })
    proxy.decide = () => undefined
    proxy.seen.length = 0
    const second = await uploadDiskImage(options(path, 'gone.raw'))()
    if (second._tag === 'Left') throw new Error(second.left.message)
    expect(second.right).toMatchObject({ outcome: 'resumed', partsResumed: 3 })
    expect(proxy.seen.filter(isPart).map((q) => q.partNumber).sort()).toEqual([4, 5, 6])
    expect(second.right.checksum.value).toBe(crc32Base64(bytes))
    await noUploadLeft()
  })
})
