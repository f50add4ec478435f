/**
 * The upload's pure parts and its refusals, without a network: the part sizing (S3's 10,000 parts, 5 MiB to 5 GiB,
 * 5 TiB), and the options and files refused before anything is sent. The upload itself runs against moto in
 * `test/interop/upload.test.ts` and through a fault-injecting proxy in `test/interop/upload-faults.test.ts`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { partRange, planParts, S3_LIMITS, type PartPlan } from '../src/internal/upload/PartPlan.js'
import { uploadDiskImage } from '../src/UploadDiskImage.js'

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
