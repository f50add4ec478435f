/**
 * The checksums the emulator's S3 computes over the bytes it receives, to verify what a client claims: CRC32 and
 * CRC32C (S3's base64 of the big-endian 32-bit value), SHA-1 and SHA-256 (base64 of the digest), and the combination
 * of CRC32s of consecutive parts into the CRC of the whole object, which is how S3 checks a `FULL_OBJECT` checksum
 * without reading the object again.
 *
 * CRC32 is `zlib.crc32` (native since Node 20.15). Node has no CRC32C, so it is computed here, eight bytes per step
 * over eight tables (slicing-by-8), several times faster than a byte per step on a multi-gigabyte upload.
 *
 * Combining: a CRC register is affine in its input, so for parts A and B,
 * `crc(A ‖ B) = Z_|B|(crc(A)) ⊕ crc(B)`, where `Z_n` runs the register over `n` zero bytes — the init and final
 * XOR (both `0xFFFFFFFF`) cancel out. `Z_n` is a linear map over GF(2)^32, so it is a 32×32 bit matrix, raised to
 * the power `8n` by squaring: a few thousand word operations per part, whatever its size.
 *
 * @since 0.2.0
 */
import { createHash, type Hash } from 'node:crypto'
import * as zlib from 'node:zlib'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A checksum algorithm S3 verifies, by its header suffix (`x-amz-checksum-crc32`).
 *
 * @internal
 * @since 0.2.0
 */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'sha1' | 'sha256'

/**
 * The algorithms, in the order S3's documentation lists them.
 *
 * @internal
 * @since 0.2.0
 */
export const CHECKSUM_ALGORITHMS: ReadonlyArray<ChecksumAlgorithm> = ['crc32', 'crc32c', 'sha1', 'sha256']

/**
 * An incremental checksum: `update` with each chunk, `digest` once, as raw bytes.
 *
 * @internal
 * @since 0.2.0
 */
export interface Checksummer {
  update(chunk: Uint8Array): void
  digest(): Buffer
}

// -------------------------------------------------------------------------------------------------
// CRC32C
// -------------------------------------------------------------------------------------------------

// Reflected Castagnoli polynomial (CRC32C) and the reflected IEEE polynomial (CRC32), for the combination matrices.
const POLY_CRC32C = 0x82f63b78
const POLY_CRC32 = 0xedb88320

const CRC32C_TABLES: ReadonlyArray<Uint32Array> = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256))
  const t0 = tables[0]!
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY_CRC32C : c >>> 1
    t0[n] = c >>> 0
  }
  for (let n = 0; n < 256; n++) {
    let c = t0[n]!
    for (let k = 1; k < 8; k++) {
      c = (t0[c & 0xff]! ^ (c >>> 8)) >>> 0
      tables[k]![n] = c
    }
  }
  return tables
})()

/**
 * Continue a CRC32C over `data` from the (finalized) value `crc`; `crc32c(data)` starts from 0, like `zlib.crc32`.
 *
 * @internal
 * @since 0.2.0
 */
export const crc32c = (data: Uint8Array, crc = 0): number => {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = CRC32C_TABLES as [
    Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array,
  ]
  let c = ~crc >>> 0
  let i = 0
  const n = data.length
  for (; i + 8 <= n; i += 8) {
    const lo = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0
    c =
      t7[lo & 0xff]! ^
      t6[(lo >>> 8) & 0xff]! ^
      t5[(lo >>> 16) & 0xff]! ^
      t4[lo >>> 24]! ^
      t3[data[i + 4]!]! ^
      t2[data[i + 5]!]! ^
      t1[data[i + 6]!]! ^
      t0[data[i + 7]!]!
  }
  for (; i < n; i++) c = t0[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return ~c >>> 0
}

/**
 * Continue a CRC32 (IEEE, as zlib) over `data` from `crc`.
 *
 * @internal
 * @since 0.2.0
 */
export const crc32 = (data: Uint8Array, crc = 0): number => zlib.crc32(data, crc)

// -------------------------------------------------------------------------------------------------
// combination
// -------------------------------------------------------------------------------------------------

// A 32×32 matrix over GF(2) as its 32 columns: column i is the image of the register with only bit i set.
type Gf2Matrix = Uint32Array

const apply = (m: Gf2Matrix, v: number): number => {
  let out = 0
  for (let i = 0; v !== 0; i++, v >>>= 1) if (v & 1) out ^= m[i]!
  return out >>> 0
}

const multiply = (a: Gf2Matrix, b: Gf2Matrix): Gf2Matrix => {
  const out = new Uint32Array(32)
  for (let i = 0; i < 32; i++) out[i] = apply(a, b[i]!)
  return out
}

// The register's step over one zero bit, and its powers 2^k, made once per polynomial.
const zeroBitPowers = (poly: number): ReadonlyArray<Gf2Matrix> => {
  const one = new Uint32Array(32)
  one[0] = poly
  for (let i = 1; i < 32; i++) one[i] = (1 << (i - 1)) >>> 0
  const powers: Array<Gf2Matrix> = [one]
  // 2^45 bits: far beyond S3's 5 TiB object limit (2^46 bits would need another square).
  for (let k = 1; k < 48; k++) powers.push(multiply(powers[k - 1]!, powers[k - 1]!))
  return powers
}

const POWERS: Readonly<Record<'crc32' | 'crc32c', ReadonlyArray<Gf2Matrix>>> = {
  crc32: zeroBitPowers(POLY_CRC32),
  crc32c: zeroBitPowers(POLY_CRC32C),
}

/**
 * The CRC of `A ‖ B` from `crc(A)`, `crc(B)` and the length of `B` in bytes.
 *
 * @internal
 * @since 0.2.0
 */
export const combineCrc = (algorithm: 'crc32' | 'crc32c', crcA: number, crcB: number, lengthB: number): number => {
  let v = crcA >>> 0
  const powers = POWERS[algorithm]
  // Bits of B, as a binary number: apply 2^k zero bits for each bit set.
  let bits = BigInt(lengthB) * 8n
  for (let k = 0; bits > 0n; k++, bits >>= 1n) if (bits & 1n) v = apply(powers[k]!, v)
  return (v ^ crcB) >>> 0
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

const crcBytes = (crc: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(crc >>> 0)
  return b
}

/**
 * A CRC value as S3 writes it: the big-endian 4 bytes, base64.
 *
 * @internal
 * @since 0.2.0
 */
export const crcBase64 = (crc: number): string => crcBytes(crc).toString('base64')

/**
 * A checksummer for an algorithm.
 *
 * @internal
 * @since 0.2.0
 */
export const checksummer = (algorithm: ChecksumAlgorithm): Checksummer => {
  switch (algorithm) {
    case 'crc32':
    case 'crc32c': {
      const f = algorithm === 'crc32' ? crc32 : crc32c
      let c = 0
      return { update: (chunk) => void (c = f(chunk, c)), digest: () => crcBytes(c) }
    }
    case 'sha1':
    case 'sha256': {
      const h: Hash = createHash(algorithm)
      return { update: (chunk) => void h.update(chunk), digest: () => h.digest() }
    }
  }
}

/**
 * The raw size of a digest of each algorithm, to check a claimed value's length before comparing it.
 *
 * @internal
 * @since 0.2.0
 */
export const digestLength = (algorithm: ChecksumAlgorithm): number =>
  algorithm === 'sha256' ? 32 : algorithm === 'sha1' ? 20 : 4
