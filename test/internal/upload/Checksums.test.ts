/**
 * The upload's checksums: CRC32C against its published check values, CRC combination against a CRC of the whole
 * bytes for random splits, and the composite SHA-256 as S3 documents it.
 */
import { createHash } from 'node:crypto'
import { crc32 as zlibCrc32 } from 'node:zlib'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { crc32c, crcCombine, hasherFor, objectChecksum } from '../../../src/internal/upload/Checksums.js'

const bytes = (s: string) => Buffer.from(s, 'latin1')

describe('crc32c', () => {
  it.each([
    ['', 0],
    ['123456789', 0xe3069283], // the CRC-32C check value (RFC 3720, iSCSI)
    ['a', 0xc1d04330],
  ])('crc32c(%j) = %d', (s, expected) => expect(crc32c(bytes(s))).toBe(expected))

  it('matches RFC 3720 B.4: 32 bytes of zeros, of 0xff, ascending and descending', () => {
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa)
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43)
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => i)))).toBe(0x46dd794e)
    expect(crc32c(Buffer.from(Array.from({ length: 32 }, (_, i) => 31 - i)))).toBe(0x113fdb5c)
  })

  it('continues across chunks exactly as over the whole (slicing-by-8 and the byte-wise tail agree)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (data, cut) => {
        const at = data.length === 0 ? 0 : cut % data.length
        expect(crc32c(data.subarray(at), crc32c(data.subarray(0, at)))).toBe(crc32c(data))
      }),
    )
  })
})

describe('crcCombine', () => {
  it.each(['CRC32', 'CRC32C'] as const)('%s of A‖B from CRC(A), CRC(B), |B|, for random splits', (alg) => {
    const crc = (b: Uint8Array) => (alg === 'CRC32' ? zlibCrc32(b) : crc32c(b))
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(), (data, cut) => {
        const at = data.length === 0 ? 0 : cut % (data.length + 1)
        const a = data.subarray(0, at)
        const b = data.subarray(at)
        expect(crcCombine(alg, crc(a), crc(b), b.length)).toBe(crc(data))
      }),
    )
  })

  it('handles a second part longer than 2^32 bytes (5 GiB parts): zeros shift the CRC as the CRC of zeros does', () => {
    // CRC(A‖0^n) = combine(CRC(A), CRC(0^n), n); with n = 2^32 + 8, checked via two combines of smaller runs.
    const zeros = Buffer.alloc(1 << 20)
    const crcZerosMiB = zlibCrc32(zeros)
    let crcZeros4G = 0
    for (let i = 0; i < 4096; i++) crcZeros4G = crcCombine('CRC32', crcZeros4G, crcZerosMiB, zeros.length)
    const tail = zlibCrc32(Buffer.alloc(8))
    const whole = crcCombine('CRC32', crcZeros4G, tail, 8)
    const a = zlibCrc32(bytes('header'))
    const direct = crcCombine('CRC32', a, whole, 2 ** 32 + 8)
    const stepwise = crcCombine('CRC32', crcCombine('CRC32', a, crcZeros4G, 2 ** 32), tail, 8)
    expect(direct).toBe(stepwise)
  })
})

describe('objectChecksum', () => {
  const parts = [Buffer.alloc(5000, 1), Buffer.alloc(5000, 2), Buffer.from('end')]

  it('a full-object CRC32 equals the CRC32 of the whole, whatever the split', () => {
    const whole = Buffer.concat(parts)
    const expected = Buffer.alloc(4)
    expected.writeUInt32BE(zlibCrc32(whole))
    for (const split of [[whole], parts, [whole.subarray(0, 1), whole.subarray(1)]]) {
      const sums = split.map((p) => {
        const h = hasherFor('CRC32')
        h.update(p)
        return { digest: h.digest(), size: p.length }
      })
      expect(objectChecksum('CRC32', sums)).toBe(expected.toString('base64'))
    }
  })

  it('the empty object has the CRC of nothing', () => {
    expect(objectChecksum('CRC32', [])).toBe('AAAAAA==')
    expect(objectChecksum('CRC32C', [])).toBe('AAAAAA==')
  })

  it('SHA-256 is composite: the SHA-256 of the part digests, then -N', () => {
    const digests = parts.map((p) => createHash('sha256').update(p).digest())
    const expected = `${createHash('sha256').update(Buffer.concat(digests)).digest('base64')}-3`
    expect(objectChecksum('SHA256', digests.map((digest, i) => ({ digest, size: parts[i]!.length })))).toBe(expected)
  })
})
