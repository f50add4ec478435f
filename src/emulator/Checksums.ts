/**
 * The checksums the emulator's S3 computes over the bytes it receives, to verify what a client claims: CRC32 and
 * CRC32C (S3's base64 of the big-endian 32-bit value), SHA-1 and SHA-256 (base64 of the digest), and the combination
 * of CRC32s of consecutive parts into the CRC of the whole object, which is how S3 checks a `FULL_OBJECT` checksum
 * without reading the object again.
 *
 * CRC32 is `zlib.crc32`; CRC32C and the combination are the upload's (`internal/upload/Checksums.ts`, checked there
 * against RFC 3720's vectors and zlib's CRC32), not a second implementation of each.
 *
 * @since 0.2.0
 */
import { createHash, type Hash } from 'node:crypto'
import * as zlib from 'node:zlib'
import { crc32c, crcCombine } from '../internal/upload/Checksums.js'

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

/**
 * Continue a CRC32 over `data` from the (finalized) value `crc`.
 *
 * @internal
 * @since 0.2.0
 */
export const crc32 = (data: Uint8Array, crc = 0): number => zlib.crc32(data, crc)

/**
 * The CRC of `A ‖ B` from `crc(A)`, `crc(B)` and the length of `B` in bytes.
 *
 * @internal
 * @since 0.2.0
 */
export const combineCrc = (algorithm: 'crc32' | 'crc32c', crcA: number, crcB: number, lengthB: number): number =>
  crcCombine(algorithm === 'crc32' ? 'CRC32' : 'CRC32C', crcA, crcB, lengthB)

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
