/**
 * How a file is cut into the parts of an S3 multipart upload, within S3's limits: at most 10,000 parts, each at least
 * 5 MiB (but the last) and at most 5 GiB, at most 5 TiB in all. The part size asked for is a floor: it grows, in whole
 * MiB, until the file fits 10,000 parts, so an 85 GiB image never meets the part limit that a fixed 8 MiB hits at
 * 78 GiB. A pure function, so the sizing is tested without a byte being sent.
 *
 * @since 0.2.0
 */

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The parts of one upload.
 *
 * @internal
 */
export interface PartPlan {
  readonly size: number
  readonly partSize: number
  /** 0 for an empty file. */
  readonly partCount: number
  /** One `PutObject` rather than a multipart upload: the file fits one part. */
  readonly single: boolean
}

/**
 * One part: its number (from 1) and its byte range `[start, end)`.
 *
 * @internal
 */
export interface PartRange {
  readonly partNumber: number
  readonly start: number
  readonly end: number
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

const MiB = 1024 * 1024

/**
 * S3's multipart limits.
 *
 * @internal
 */
export const S3_LIMITS = {
  minPartSize: 5 * MiB,
  maxPartSize: 5 * 1024 * MiB,
  maxParts: 10_000,
  maxObjectSize: 5 * 1024 * 1024 * MiB,
} as const

/**
 * The part size when none is asked for: large enough that a request's overhead is small against its bytes, small
 * enough that a failed part costs little to send again and memory stays bounded (as lib-storage's and the CLI's 8 MiB).
 *
 * @internal
 */
export const DEFAULT_PART_SIZE = 8 * MiB

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * The plan for a file of `size` bytes, or why there is none (a message).
 *
 * @internal
 */
export const planParts = (size: number, requestedPartSize: number = DEFAULT_PART_SIZE): PartPlan | string => {
  if (!Number.isSafeInteger(size) || size < 0) return `the file size ${size} is not a byte count`
  if (!Number.isSafeInteger(requestedPartSize) || requestedPartSize < S3_LIMITS.minPartSize || requestedPartSize > S3_LIMITS.maxPartSize) {
    return `partSizeBytes must be a whole number of bytes from 5 MiB (${S3_LIMITS.minPartSize}) to 5 GiB (${S3_LIMITS.maxPartSize}), not ${requestedPartSize}`
  }
  if (size > S3_LIMITS.maxObjectSize) return `the file is ${size} bytes; an S3 object is at most 5 TiB (${S3_LIMITS.maxObjectSize} bytes)`
  let partSize = requestedPartSize
  if (Math.ceil(size / partSize) > S3_LIMITS.maxParts) {
    // The smallest whole number of MiB that fits the file in 10,000 parts: 5 TiB / 10,000 is under 5 GiB, so it
    // always exists.
    partSize = Math.ceil(size / S3_LIMITS.maxParts / MiB) * MiB
  }
  const partCount = Math.ceil(size / partSize)
  return { size, partSize, partCount, single: partCount <= 1 }
}

/**
 * The byte range of part `partNumber` (from 1).
 *
 * @internal
 */
export const partRange = (plan: PartPlan, partNumber: number): PartRange => {
  const start = (partNumber - 1) * plan.partSize
  return { partNumber, start, end: Math.min(plan.size, start + plan.partSize) }
}
