/**
 * The upload's pure parts and its refusals, without a network: the part sizing (S3's 10,000 parts, 5 MiB to 5 GiB,
 * 5 TiB), and the options and files refused before anything is sent. Then the parts as they are sent, against the
 * emulator, which verifies every checksum: each part is read twice, for its checksum and then streamed through a few
 * reused chunk buffers, and the object is the file byte for byte for sizes around the chunk, ring and part
 * boundaries; a file that changes between the two reads, or shrinks, or bytes altered on the way, each fail with
 * their own clear reason. The upload runs against moto in `test/interop/upload.test.ts` and through a
 * fault-injecting proxy in `test/interop/upload-faults.test.ts`.
 */
import { createHash } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { crc32 } from 'node:zlib'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../src/emulator.js'
import { crc32c } from '../src/internal/upload/Checksums.js'
import { READ_CHUNK, RING_SIZE } from '../src/internal/upload/FileRanges.js'
import { partRange, planParts, S3_LIMITS, type PartPlan } from '../src/internal/upload/PartPlan.js'
import { uploadDiskImage, type UploadDiskImageOptions } from '../src/UploadDiskImage.js'
import { rawDisk } from './helpers/raw-disk.js'

const MiB = 1024 * 1024
const GiB = 1024 * MiB
const TiB = 1024 * GiB

const plan = (size: number, part?: number): PartPlan => {
  const p = planParts(size, part)
  if (typeof p === 'string') throw new Error(p)
  return p
}

describe('planParts', () => {
  it.each([
    // size, asked, expected part size, parts, single
    [0, undefined, 8 * MiB, 0, true],
    [1, undefined, 8 * MiB, 1, true],
    [8 * MiB - 1, undefined, 8 * MiB, 1, true],
    [8 * MiB, undefined, 8 * MiB, 1, true],
    [8 * MiB + 1, undefined, 8 * MiB, 2, false],
    [10_000 * 8 * MiB, undefined, 8 * MiB, 10_000, false], // exactly 10,000 parts of 8 MiB: 78.1 GiB
    [10_000 * 8 * MiB + 1, undefined, 9 * MiB, 8889, false], // one byte more: the part grows to the next MiB
    [85 * GiB, undefined, 9 * MiB, 9672, false], // bootc-image-builder #495's 85 GiB image
    [85 * GiB, 5 * MiB, 9 * MiB, 9672, false],
    [85 * GiB, 64 * MiB, 64 * MiB, 1360, false], // a part size that already fits is kept
    [5 * TiB, undefined, 525 * MiB, 9987, false], // the largest object S3 stores
    [5 * MiB, 5 * MiB, 5 * MiB, 1, true],
    [5 * MiB + 1, 5 * MiB, 5 * MiB, 2, false],
  ])('%d bytes (asked %s) → parts of %d × %d', (size, asked, partSize, parts, single) => {
    expect(plan(size, asked)).toEqual({ size, partSize, partCount: parts, single })
  })

  it('refuses what S3 cannot store or accept', () => {
    expect(planParts(5 * TiB + 1)).toMatch(/at most 5 TiB/)
    expect(planParts(100, 5 * MiB - 1)).toMatch(/from 5 MiB/)
    expect(planParts(100, 5 * GiB + 1)).toMatch(/to 5 GiB/)
    expect(planParts(100, 5 * MiB + 0.5)).toMatch(/whole number/)
    expect(planParts(-1)).toMatch(/not a byte count/)
  })

  it('for every size up to 5 TiB and every allowed part size: ≤ 10,000 parts within limits, ranges tile the file', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 * TiB }), fc.integer({ min: 5 * MiB, max: 5 * GiB }), (size, asked) => {
        const p = plan(size, asked)
        expect(p.partCount).toBeLessThanOrEqual(S3_LIMITS.maxParts)
        expect(p.partSize).toBeGreaterThanOrEqual(asked)
        expect(p.partSize).toBeLessThanOrEqual(S3_LIMITS.maxPartSize)
        if (p.partSize > asked) expect(p.partSize % MiB).toBe(0) // grown in whole MiB
        if (p.partCount > 0) {
          const first = partRange(p, 1)
          const last = partRange(p, p.partCount)
          expect(first.start).toBe(0)
          expect(last.end).toBe(size)
          expect(last.end - last.start).toBeGreaterThan(0)
          expect(last.end - last.start).toBeLessThanOrEqual(p.partSize)
          if (p.partCount > 1) expect(partRange(p, 2).start).toBe(first.end)
        }
      }),
      { numRuns: 2000 },
    )
  })
})

describe('uploadDiskImage refuses before sending anything', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upload-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  // Nothing listens on port 9 of loopback: a refusal that sent anything would fail with a TransportError instead.
  const config = { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }
  const raw = join(dir, 'disk.raw')
  const mbr = Buffer.alloc(1024)
  mbr[510] = 0x55
  mbr[511] = 0xaa
  writeFileSync(raw, mbr)
  const unknown = join(dir, 'blob.bin')
  writeFileSync(unknown, Buffer.alloc(4096, 1))
  const qcow = join(dir, 'disk.qcow2')
  writeFileSync(qcow, Buffer.concat([Buffer.from('QFI\xfb', 'latin1'), Buffer.alloc(1020)]))

  it.each([
    [{ concurrency: 0 }, /concurrency/],
    [{ concurrency: 65 }, /concurrency/],
    [{ partSizeBytes: MiB }, /from 5 MiB/],
    [{ checksumAlgorithm: 'MD5' as never }, /checksumAlgorithm/],
    [{ bucket: '' }, /bucket/],
    [{ partTimeoutMs: 0 }, /partTimeoutMs/],
  ])('%o', async (bad, message) => {
    const r = await uploadDiskImage({ config, file: raw, bucket: 'b', key: 'k', ...bad })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'UploadError', reason: 'invalid-options', uploadId: undefined, partsKept: false } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(message)
  })

  it('an undetectable file is refused without format, with the formats VM Import takes', async () => {
    const r = await uploadDiskImage({ config, file: unknown, bucket: 'b', key: 'k' })()
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'format', cause: { _tag: 'DiskImageFormatError', reason: 'unknown' } } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(/VM Import takes VMDK/)
  })

  it('a qcow2 is refused with the conversion command', async () => {
    const r = await uploadDiskImage({ config, file: qcow, bucket: 'b', key: 'k' })()
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'format', cause: { detected: 'qcow2' } } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(/qemu-img convert -f qcow2/)
  })

  it('a missing file is a file error', async () => {
    const r = await uploadDiskImage({ config, file: join(dir, 'nope'), bucket: 'b', key: 'k', format: 'RAW' })()
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'file', cause: { code: 'ENOENT' } } })
  })

  it('with format given, an undetectable file goes on to the network (and fails there, as a value)', async () => {
    const r = await uploadDiskImage({ config: { ...config, maxAttempts: 1 }, file: unknown, bucket: 'b', key: 'k', format: 'RAW' })()
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'aws', cause: { _tag: 'TransportError' } } })
  })

  it('an aborted signal stops it before it starts', async () => {
    const r = await uploadDiskImage({ config, file: raw, bucket: 'b', key: 'k', signal: AbortSignal.abort() })()
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'aborted' } })
  })
})

describe('uploadDiskImage sends each part read twice, streamed through reused chunks (the emulator verifies every checksum)', () => {
  const PART = 5 * MiB
  const C = READ_CHUNK
  const RING = RING_SIZE * READ_CHUNK
  const dir = mkdtempSync(join(tmpdir(), 'upload-stream-'))
  let em: Emulator
  beforeAll(async () => {
    em = await startEmulator({ region: 'us-east-1', buckets: [{ name: 'images' }], maxStoredObjectBytes: 32 * MiB })
  })
  afterAll(async () => {
    await em?.close()
    rmSync(dir, { recursive: true, force: true })
  })
  const disk = (name: string, size: number): { path: string; bytes: Buffer } => rawDisk(dir, name, size)
  const options = (path: string, key: string, more: Partial<UploadDiskImageOptions> = {}): UploadDiskImageOptions => ({
    config: { endpoint: em.endpoint, region: 'us-east-1', credentials: em.credentials, retry: { baseDelayMs: 1, maxDelayMs: 20 } },
    file: path,
    bucket: 'images',
    key,
    partSizeBytes: PART,
    ...more,
  })
  const crcBase64 = (n: number): string => {
    const out = Buffer.alloc(4)
    out.writeUInt32BE(n)
    return out.toString('base64')
  }
  /** A clock that moves 300 ms each time it is read: every chunk sent is reported to `onProgress`. */
  const hurried = (): { now: () => number } => {
    let t = 0
    return { now: () => Date.now() + 300 * t++ }
  }
  /** Change bytes of the file in place (its size kept), as another program writing to it would. */
  const overwrite = (path: string, at: number, b: Buffer): void => {
    const fd = openSync(path, 'r+')
    writeSync(fd, b, 0, b.length, at)
    closeSync(fd)
  }

  it.each([
    // one PutObject: around one chunk, and around the ring of chunks a worker reads through
    ['PutObject', C - 1],
    ['PutObject', C],
    ['PutObject', C + 1],
    ['PutObject', RING],
    ['PutObject', RING + 1],
    ['PutObject', PART],
    // multipart: the last part around one chunk and the ring; whole parts
    ['multipart', PART + 1],
    ['multipart', PART + C - 1],
    ['multipart', PART + C],
    ['multipart', PART + C + 1],
    ['multipart', 2 * PART + RING - 1],
    ['multipart', 2 * PART + RING + 1],
    ['multipart', 3 * PART],
  ] as const)('%s of %d bytes: the object is the file, byte for byte, its CRC32 the file’s', async (how, size) => {
    const { path, bytes } = disk(`sizes-${size}.raw`, size)
    const key = `sizes/${size}.raw`
    const before = em.requests.length
    const r = await uploadDiskImage(options(path, key, { concurrency: 2 }))()
    if (r._tag === 'Left') throw new Error(`${r.left.reason}: ${r.left.message}`)
    const parts = Math.ceil(size / PART)
    expect(r.right).toMatchObject({ outcome: 'uploaded', size, parts, bytesSent: size })
    expect(r.right.checksum.value).toBe(crcBase64(crc32(bytes)))
    const o = em.s3Object('images', key)
    expect(o?.size).toBe(size)
    expect(Buffer.from(o!.body!).equals(bytes)).toBe(true)
    // Each part went as a stream (UNSIGNED-PAYLOAD) bound by its checksum header, and was accepted.
    const writes = em.requests.slice(before).filter((q) => q.action === 'PutObject' || q.action === 'UploadPart')
    expect(writes.map((q) => [q.action, q.status, q.headers['x-amz-content-sha256'], q.headers['x-amz-checksum-crc32'] !== undefined])).toEqual(
      Array.from({ length: parts }, () => [how === 'PutObject' ? 'PutObject' : 'UploadPart', 200, 'UNSIGNED-PAYLOAD', true]),
    )
  })

  it.each(['CRC32C', 'SHA256'] as const)('%s: the object is the file, each part’s checksum verified', async (algorithm) => {
    const { path, bytes } = disk(`algorithm-${algorithm}.raw`, 2 * PART + C + 1)
    const r = await uploadDiskImage(options(path, `algorithm/${algorithm}.raw`, { checksumAlgorithm: algorithm, concurrency: 3 }))()
    if (r._tag === 'Left') throw new Error(`${r.left.reason}: ${r.left.message}`)
    if (algorithm === 'CRC32C') expect(r.right.checksum.value).toBe(crcBase64(crc32c(bytes)))
    else {
      const digests = [0, 1, 2].map((i) => createHash('sha256').update(bytes.subarray(i * PART, (i + 1) * PART)).digest())
      expect(r.right.checksum.value).toBe(`${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-3`)
    }
    expect(Buffer.from(em.s3Object('images', `algorithm/${algorithm}.raw`)!.body!).equals(bytes)).toBe(true)
  })

  it('a file that changes between a part’s two reads: S3 refuses the part, and the error says the file changed', async () => {
    const { path, bytes } = disk('changing.raw', 2 * PART + 1000)
    let changed = false
    const r = await uploadDiskImage(
      options(path, 'changing.raw', {
        concurrency: 1,
        onProgress: (p) => {
          // Part 1's first chunk is on its way; its last byte is yet to be read the second time.
          if (changed || p.phase !== 'uploading' || p.bytesSent === 0) return
          changed = true
          // (a byte other than the one there: the file's bytes are random, and one in 256 already held any fixed value)
          overwrite(path, PART - 1, Buffer.from([bytes[PART - 1]! ^ 0xff]))
        },
      }),
      hurried(),
    )()
    expect(changed).toBe(true)
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'file', partsKept: false, cause: { _tag: 'ServiceError', code: 'BadDigest' } } })
    if (r._tag === 'Left') {
      expect(r.left.message).toContain(`${path} changed during the upload: bytes 0 to ${PART - 1} (part 1) were read for their CRC32 checksum, then again to be sent, and differed`)
      expect(r.left.message).toMatch(/a copy or a snapshot/)
    }
    expect(em.multipartUploads('images').filter((u) => u.key === 'changing.raw')).toEqual([])
    expect(em.s3Object('images', 'changing.raw')).toBeUndefined()
  })

  it('a file that shrinks while a part is sent: the upload fails as a file error that says so', async () => {
    const { path } = disk('shrinking.raw', 3 * C)
    let cut = false
    const r = await uploadDiskImage(
      options(path, 'shrinking.raw', {
        onProgress: (p) => {
          if (cut || p.phase !== 'uploading' || p.bytesSent === 0) return
          cut = true
          truncateSync(path, C + 10)
        },
      }),
      hurried(),
    )()
    expect(cut).toBe(true)
    expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'file' } })
    if (r._tag === 'Left') expect(r.left.message).toMatch(/shrinking\.raw: the file ended at byte \d+, before the part's end at \d+: it changed during the upload/)
    expect(em.s3Object('images', 'shrinking.raw')).toBeUndefined()
  })

  describe('bytes altered on the way', () => {
    let proxy: Server
    let endpoint: string
    beforeAll(async () => {
      // Flips one byte of every part 1 it forwards to the emulator.
      proxy = createServer((req, res) => {
        const target = new URL(em.endpoint)
        const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        let seen = 0
        const flip = /[?&]partNumber=1(&|$)/.test(req.url ?? '')
        req
          .pipe(
            new Transform({
              transform(chunk: Buffer, _enc, done) {
                const out = Buffer.from(chunk)
                if (flip && seen <= 100 && seen + out.length > 100) out[100 - seen] = out[100 - seen]! ^ 0xff
                seen += out.length
                done(null, out)
              },
            }),
          )
          .pipe(up)
      })
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', () => resolve()))
      endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
    })
    afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())))

    it('S3 refuses the part, the file is unchanged: a checksum mismatch, not a file error', async () => {
      const { path } = disk('altered.raw', PART + 1)
      const o = options(path, 'altered.raw')
      const r = await uploadDiskImage({ ...o, config: { ...o.config, endpoint } })()
      expect(r).toMatchObject({ _tag: 'Left', left: { reason: 'checksum-mismatch', partsKept: false, cause: { code: 'BadDigest' } } })
      if (r._tag === 'Left') expect(r.left.message).toMatch(/UploadPart 1: S3 refused bytes 0 to 5242879 \(part 1\) as not matching their CRC32 checksum \(BadDigest\), and the file still has that checksum/)
      expect(em.multipartUploads('images').filter((u) => u.key === 'altered.raw')).toEqual([])
    })
  })
})
