/**
 * `uploadDiskImage` against moto's S3, through a recording proxy: objects byte-identical to the file for sizes around
 * every boundary, each checksum algorithm, kill and resume (only the missing parts sent, a part that no longer
 * matches the file sent again), abort (no multipart upload left), and an identical object not sent again.
 *
 * moto does not verify the checksums a request carries (and, without the `crc32c` Python module, computes CRC32
 * where CRC32C is asked for), so a corrupted part is not caught here: the emulator's tests catch those. What moto
 * does do is compute the object's checksum from the bytes it stored, which is checked against ours below.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { crc32 } from 'node:zlib'
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListPartsCommand, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { uploadDiskImage, type UploadDiskImageOptions, type UploadProgress } from '../../src/UploadDiskImage.js'
import { available, startMoto, type Moto } from './moto.js'
import { startS3Proxy, type S3Proxy } from './s3-proxy.js'

const why = available()
if (why !== true && process.env['MOTO_REQUIRED'] === '1') throw new Error(`the interop suite needs moto: ${why}`)

const MiB = 1024 * 1024
const PART = 5 * MiB
const BUCKET = 'images'
const DIR = resolve(import.meta.dirname, '../../temp/upload-interop')

/** A RAW disk (an MBR signature, so detection accepts it) of random bytes; under 512 bytes, just random bytes. */
const diskFile = (name: string, size: number): string => {
  const b = randomBytes(size)
  if (size >= 512) {
    b[510] = 0x55
    b[511] = 0xaa
  }
  const path = join(DIR, name)
  writeFileSync(path, b)
  return path
}

const crc32Base64 = (b: Buffer): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32(b))
  return out.toString('base64')
}
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

describe.skipIf(why !== true)(`uploadDiskImage against moto${why === true ? '' : ` (skipped: ${why})`}`, () => {
  let moto: Moto
  let proxy: S3Proxy
  let sdk: S3Client
  const options = (file: string, key: string, more: Partial<UploadDiskImageOptions> = {}): UploadDiskImageOptions => ({
    config: { endpoint: proxy.endpoint, region: 'us-east-1', credentials: moto.credentials },
    file,
    bucket: BUCKET,
    key,
    partSizeBytes: PART,
    ...more,
  })
  const download = async (key: string): Promise<Buffer> => {
    const r = await sdk.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
    return Buffer.from(await r.Body!.transformToByteArray())
  }
  const uploadsOf = async (key: string) =>
    ((await sdk.send(new ListMultipartUploadsCommand({ Bucket: BUCKET }))).Uploads ?? []).filter((u) => u.Key === key)
  const parts = () => proxy.seen.filter((r) => r.method === 'PUT' && r.partNumber !== undefined)

  beforeAll(async () => {
    mkdirSync(DIR, { recursive: true })
    moto = await startMoto()
    proxy = await startS3Proxy(moto.endpoint)
    sdk = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials: moto.credentials, forcePathStyle: true, responseChecksumValidation: 'WHEN_REQUIRED' })
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

  it.each([
    ['empty', 0, 0, 'PutObject'],
    ['1 byte', 1, 1, 'PutObject'],
    ['one part - 1', PART - 1, 1, 'PutObject'],
    ['exactly one part', PART, 1, 'PutObject'],
    ['one part + 1', PART + 1, 2, 'multipart'],
    ['several parts', 3 * PART + 12_345, 4, 'multipart'],
  ] as const)('%s (%d bytes): the object is the file, byte for byte, its CRC32 the file’s', async (name, size, partCount, how) => {
    const file = diskFile(`${name.replace(/\W/g, '-')}.raw`, size)
    const key = `boundary/${name}.raw`
    const r = await uploadDiskImage(options(file, key, size < 512 ? { format: 'RAW' } : {}))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    const bytes = readFileSync(file)
    expect(r.right).toMatchObject({ bucket: BUCKET, key, size, format: 'RAW', outcome: 'uploaded', parts: partCount, partsResumed: 0, bytesSent: size })
    expect(r.right.checksum).toEqual({ algorithm: 'CRC32', type: 'FULL_OBJECT', value: crc32Base64(bytes) })
    expect(sha256(await download(key))).toBe(sha256(bytes))
    // moto computes the object's checksum from the bytes it stored.
    const head = await sdk.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }))
    expect(head.ChecksumCRC32).toBe(crc32Base64(bytes))
    expect(head.ContentLength).toBe(size)
    const sent = proxy.seen.filter((q) => q.method === 'PUT')
    if (how === 'PutObject') expect(sent).toEqual([expect.objectContaining({ partNumber: undefined })])
    else expect(sent.map((q) => q.partNumber).sort()).toEqual(Array.from({ length: partCount }, (_, i) => i + 1))
    expect(await uploadsOf(key)).toEqual([])
  })

  it('SHA-256 is composite: moto’s SHA-256 of the part digests matches ours', async () => {
    const file = diskFile('sha.raw', 2 * PART + 7)
    const r = await uploadDiskImage(options(file, 'sha.raw', { checksumAlgorithm: 'SHA256' }))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    const bytes = readFileSync(file)
    const digests = [bytes.subarray(0, PART), bytes.subarray(PART, 2 * PART), bytes.subarray(2 * PART)].map((p) => createHash('sha256').update(p).digest())
    const expected = `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-3`
    expect(r.right.checksum).toEqual({ algorithm: 'SHA256', type: 'COMPOSITE', value: expected })
    const head = await sdk.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sha.raw', ChecksumMode: 'ENABLED' }))
    // moto states a composite checksum without its -N suffix.
    expect(head.ChecksumSHA256?.replace(/-\d+$/, '')).toBe(expected.replace(/-3$/, ''))
    expect(sha256(await download('sha.raw'))).toBe(sha256(bytes))
  })

  it('CRC32C: the object is the file (moto cannot check CRC32C values without its crc32c module)', async () => {
    const file = diskFile('crc32c.raw', 2 * PART + 3)
    const r = await uploadDiskImage(options(file, 'crc32c.raw', { checksumAlgorithm: 'CRC32C', concurrency: 2 }))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(r.right.checksum).toMatchObject({ algorithm: 'CRC32C', type: 'FULL_OBJECT' })
    expect(sha256(await download('crc32c.raw'))).toBe(sha256(readFileSync(file)))
  })

  it('kill and resume: parts kept on abort; the next run sends only the missing parts, and a part that no longer matches the file', async () => {
    const file = diskFile('resume.raw', 6 * PART - 100)
    const key = 'resume.raw'
    const controller = new AbortController()
    const first = await uploadDiskImage(
      options(file, key, {
        concurrency: 1,
        keepPartsOnAbort: true,
        signal: controller.signal,
        onProgress: (p) => (p.partsDone >= 3 ? controller.abort() : undefined),
      }),
    )()
    expect(first).toMatchObject({ _tag: 'Left', left: { reason: 'aborted', partsKept: true } })
    const uploadId = first._tag === 'Left' ? first.left.uploadId : undefined
    expect(uploadId).toBeDefined()
    const listed = (await sdk.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId }))).Parts ?? []
    const keptNumbers = listed.map((p) => p.PartNumber!)
    expect(keptNumbers.length).toBeGreaterThanOrEqual(3)
    expect(keptNumbers.length).toBeLessThan(6)

    // Part 2 of the file changes: its stored copy no longer matches and must be sent again.
    const bytes = readFileSync(file)
    bytes[PART + 10] = bytes[PART + 10]! ^ 0xff
    writeFileSync(file, bytes)

    proxy.seen.length = 0
    const second = await uploadDiskImage(options(file, key, { concurrency: 2 }))()
    if (second._tag === 'Left') throw new Error(second.left.message)
    const resent = parts().map((q) => q.partNumber!).sort()
    const expected = [2, ...[1, 2, 3, 4, 5, 6].filter((n) => !keptNumbers.includes(n))].sort()
    expect(resent).toEqual(expected)
    expect(second.right).toMatchObject({ outcome: 'resumed', partsResumed: keptNumbers.length - 1, parts: 6 })
    expect(second.right.bytesSent).toBe(resent.reduce((s, n) => s + (n === 6 ? PART - 100 : PART), 0))
    expect(second.right.checksum.value).toBe(crc32Base64(bytes))
    expect(sha256(await download(key))).toBe(sha256(bytes))
    expect(await uploadsOf(key)).toEqual([])
  })

  it('abort: stops at once and leaves no multipart upload', async () => {
    const file = diskFile('abort.raw', 8 * PART)
    const controller = new AbortController()
    const started = Date.now()
    const r = await uploadDiskImage(
      options(file, 'abort.raw', { concurrency: 2, signal: controller.signal, onProgress: (p) => (p.partsDone >= 1 ? controller.abort() : undefined) }),
    )()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'UploadError', reason: 'aborted', partsKept: false } })
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(parts().length).toBeLessThan(8)
    expect(proxy.seen.some((q) => q.method === 'DELETE')).toBe(true)
    expect(await uploadsOf('abort.raw')).toEqual([])
  })

  it('an identical object is not sent again; a changed file of the same size is', async () => {
    const file = diskFile('same.raw', 2 * PART + 1)
    const first = await uploadDiskImage(options(file, 'same.raw'))()
    expect(first).toMatchObject({ _tag: 'Right', right: { outcome: 'uploaded' } })
    proxy.seen.length = 0
    const events: Array<UploadProgress> = []
    const again = await uploadDiskImage(options(file, 'same.raw', { onProgress: (p) => events.push(p) }))()
    expect(again).toMatchObject({ _tag: 'Right', right: { outcome: 'unchanged', bytesSent: 0 } })
    if (first._tag === 'Right' && again._tag === 'Right') expect(again.right.checksum).toEqual(first.right.checksum)
    expect(proxy.seen.map((q) => q.method)).toEqual(['HEAD'])
    expect(events.at(-1)).toMatchObject({ phase: 'done', bytesDone: 2 * PART + 1 })

    const bytes = readFileSync(file)
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1
    writeFileSync(file, bytes)
    proxy.seen.length = 0
    const changed = await uploadDiskImage(options(file, 'same.raw'))()
    expect(changed).toMatchObject({ _tag: 'Right', right: { outcome: 'uploaded' } })
    expect(parts()).toHaveLength(3)
    expect(sha256(await download('same.raw'))).toBe(sha256(bytes))
  })

  it('reports progress: bytes only grow, a rate, and done at the end', async () => {
    const file = diskFile('progress.raw', 4 * PART)
    const events: Array<UploadProgress> = []
    const r = await uploadDiskImage(options(file, 'progress.raw', { concurrency: 1, onProgress: (p) => events.push(p) }))()
    expect(r._tag).toBe('Right')
    expect(events[0]!.phase).toBe('checking')
    expect(events.at(-1)).toMatchObject({ phase: 'done', bytesDone: 4 * PART, partsDone: 4, partsTotal: 4, etaSeconds: 0 })
    const uploading = events.filter((e) => e.phase === 'uploading')
    expect(uploading.length).toBeGreaterThan(1)
    for (let i = 1; i < events.length; i++) expect(events[i]!.bytesDone).toBeGreaterThanOrEqual(events[i - 1]!.bytesDone)
    expect(uploading.some((e) => e.bytesPerSecond > 0 && e.etaSeconds !== undefined)).toBe(true)
  })
})
