/**
 * `uploadDiskImage`: a disk image file to an S3 object, verified, resumable and fast, over the shared pipeline.
 *
 * ```
 * detect format ─► plan parts ─► same object already there? (HeadObject, checksum mode) ─► done
 *   ─► one part: PutObject
 *   ─► else: find the key's unfinished upload (ListMultipartUploads, ListParts, each part checked against the file)
 *            or CreateMultipartUpload ─► UploadPart × the rest, `concurrency` at once ─► CompleteMultipartUpload
 * ```
 *
 * - Every part carries a checksum S3 verifies before it accepts the part. CRC32 by default, of the full-object type:
 *   the object's checksum is the CRC32 of its bytes whatever the part size, made here by combining the parts' CRCs
 *   (`internal/upload/Checksums.ts` says why), sent with `CompleteMultipartUpload` for S3 to check, and returned.
 *   CRC32C is full-object too; SHA-256 is composite (S3 has no full-object SHA-256).
 * - A part is read from the file twice, by byte range, through a few small buffers each worker reuses: once for its
 *   checksum, which S3 wants in a header before the body, then again as the body, streamed (from the page cache);
 *   `internal/upload/FileRanges.ts` says why. Memory is bounded by `concurrency` × 1 MiB, not by the part size nor
 *   the file. Each part retries on its own through the pipeline's retry (a stream made afresh from the file for every
 *   attempt), within its own deadline. A file that changes between the two reads is caught: S3 refuses the part
 *   (`BadDigest`), and the range read a third time says whether the file changed.
 * - An interrupted upload resumes: the key's unfinished upload with the same checksum algorithm and part size is
 *   found, each part S3 holds is checked against the file's range (its checksum recomputed), and only the others are
 *   sent. An abort stops every request at once and aborts the multipart upload, unless `keepPartsOnAbort`.
 *
 * @since 0.2.0
 */
import { createHash } from 'node:crypto'
import { open, stat, type FileHandle } from 'node:fs/promises'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Runtime } from './Call.js'
import type { ClientConfig } from './ClientConfig.js'
import { detectDiskImageFormat, type DetectedDiskImage, type DiskImageFormat, type DiskImageFormatError } from './DetectDiskImageFormat.js'
import type { Ec2ImportError } from './Ec2ImportError.js'
import { createServiceCaller, type ServiceCaller } from './ServiceCaller.js'
import {
  checksumMember,
  hasherFor,
  multipartChecksumType,
  objectChecksum,
  type PartChecksum,
} from './internal/upload/Checksums.js'
import { chunkRing, hashRange, hashScratch, rangeStream, type ChunkRing } from './internal/upload/FileRanges.js'
import { partRange, planParts, type PartPlan, type PartRange } from './internal/upload/PartPlan.js'
import {
  AbortMultipartUpload,
  CompleteMultipartUpload,
  CreateMultipartUpload,
  HeadObject,
  ListMultipartUploads,
  ListParts,
  PutObject,
  S3,
  UploadPart,
} from './operations/S3.js'
import type { HeadObjectOutput, MultipartUpload, Part } from './shapes/S3.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A checksum S3 verifies on every part.
 *
 * @public
 * @since 0.2.0
 */
export type UploadChecksum = 'CRC32' | 'CRC32C' | 'SHA256'

/**
 * One progress report.
 *
 * @public
 * @since 0.2.0
 */
export interface UploadProgress {
  /**
   * `checking`: looking for the object or an unfinished upload, and checking its parts against the file;
   * `uploading`: sending parts; `completing`: `CompleteMultipartUpload`; `done`.
   */
  readonly phase: 'checking' | 'uploading' | 'completing' | 'done'
  /** Bytes of the object S3 has or is receiving: parts kept from an earlier run, parts sent, the part in flight. */
  readonly bytesDone: number
  readonly bytesTotal: number
  /** Bytes sent by this run (kept parts excluded). */
  readonly bytesSent: number
  /** The rate over the last few seconds, bytes per second. */
  readonly bytesPerSecond: number
  /** Seconds left at that rate; `undefined` until there is a rate. */
  readonly etaSeconds: number | undefined
  readonly partsDone: number
  readonly partsTotal: number
}

/**
 * Options of `uploadDiskImage`.
 *
 * @public
 * @since 0.2.0
 */
export interface UploadDiskImageOptions {
  readonly config: ClientConfig
  /** The disk image's path. */
  readonly file: string
  readonly bucket: string
  readonly key: string
  /** The format, when detection cannot tell (it is then not refused) or is to be overridden. */
  readonly format?: DiskImageFormat | undefined
  /** The smallest part size (5 MiB to 5 GiB; default 8 MiB). It grows so that the file fits in 10,000 parts. */
  readonly partSizeBytes?: number | undefined
  /** Parts in flight at once (1 to 64; default 4). */
  readonly concurrency?: number | undefined
  /** Default `CRC32`. */
  readonly checksumAlgorithm?: UploadChecksum | undefined
  /**
   * On abort or failure, leave the multipart upload and its parts in S3, so that the same call later resumes it.
   * Otherwise it is aborted, and nothing is left to pay for. (A bucket lifecycle rule that aborts incomplete
   * multipart uploads cleans up after a process that was killed.)
   */
  readonly keepPartsOnAbort?: boolean | undefined
  /** Called at most every 250 ms, and once per phase. A callback that throws does not break the upload. */
  readonly onProgress?: ((p: UploadProgress) => void) | undefined
  readonly signal?: AbortSignal | undefined
  /**
   * The deadline of one attempt of one part. Default: 60 s, or more for large parts (30 s plus 4 s per MiB), so a
   * part is not bound by the client's small-request timeout.
   */
  readonly partTimeoutMs?: number | undefined
}

/**
 * The object's checksum.
 *
 * @public
 * @since 0.2.0
 */
export interface ObjectChecksum {
  readonly algorithm: UploadChecksum
  /** `FULL_OBJECT`: of all the bytes, independent of parts; `COMPOSITE`: of the parts' checksums, with `-N`. */
  readonly type: 'FULL_OBJECT' | 'COMPOSITE'
  /** Base64, as S3 states it (`x-amz-checksum-crc32`). */
  readonly value: string
}

/**
 * What was uploaded.
 *
 * @public
 * @since 0.2.0
 */
export interface UploadDiskImageResult {
  readonly bucket: string
  readonly key: string
  readonly size: number
  /** S3's ETag, quotes included, as S3 sends it. */
  readonly etag: string | undefined
  readonly checksum: ObjectChecksum
  readonly format: DiskImageFormat
  /** What detection found, with its warnings and boot mode hint; `undefined` when it found nothing and `format` was given. */
  readonly detected: DetectedDiskImage | undefined
  /** `uploaded`; `resumed` (some parts were kept from an earlier run); `unchanged` (the same object was there). */
  readonly outcome: 'uploaded' | 'resumed' | 'unchanged'
  readonly partSizeBytes: number
  /** Parts of the object (0 for a single `PutObject` of an empty file). */
  readonly parts: number
  /** Parts kept from an earlier run. */
  readonly partsResumed: number
  /** Bytes this run sent. */
  readonly bytesSent: number
}

/**
 * Why an upload failed.
 *
 * - `invalid-options`: an option is out of range; nothing was read or sent;
 * - `file`: the file could not be read, or changed during the upload;
 * - `format`: detection refused the file and no `format` was given (`cause` says why and how to convert);
 * - `too-large`: larger than S3's 5 TiB;
 * - `aws`: a call failed after its retries (`cause` is the pipeline's error);
 * - `checksum-mismatch`: S3 stated a different checksum than the file's, or refused a part's bytes as not matching
 *   its checksum while the file still matches it (the bytes changed on the way);
 * - `aborted`: the signal fired.
 *
 * @public
 * @since 0.2.0
 */
export interface UploadError {
  readonly _tag: 'UploadError'
  readonly reason: 'invalid-options' | 'file' | 'format' | 'too-large' | 'aws' | 'checksum-mismatch' | 'aborted'
  readonly message: string
  readonly cause: Ec2ImportError | DiskImageFormatError | undefined
  readonly bucket: string
  readonly key: string
  /** The multipart upload, when one was started or found. */
  readonly uploadId: string | undefined
  /** The multipart upload was left in S3 (`keepPartsOnAbort`, or aborting it failed): the same call resumes it. */
  readonly partsKept: boolean
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

const MiB = 1024 * 1024
const DEFAULT_CONCURRENCY = 4
const MAX_CONCURRENCY = 64
const PROGRESS_EVERY_MS = 250
const PLAIN_ETAG = /^"[0-9a-fA-F]{32}"$/
const RATE_WINDOW_MS = 5_000
// Cleanup after an abort must not hang on a dead network.
const CLEANUP_TIMEOUT_MS = 30_000

// -------------------------------------------------------------------------------------------------
// internal
// -------------------------------------------------------------------------------------------------

class Failed {
  constructor(
    readonly reason: UploadError['reason'],
    readonly message: string,
    readonly cause: Ec2ImportError | DiskImageFormatError | undefined = undefined,
  ) {}
}

const isAbort = (e: Ec2ImportError): boolean => e._tag === 'TransportError' && e.reason === 'aborted'

const isNotFound = (e: Ec2ImportError): boolean =>
  e._tag === 'ServiceError' && (e.statusCode === 404 || e.code === 'NotFound' || e.code === 'NoSuchKey' || e.code === 'NoSuchUpload')

// S3's answer to bytes that do not match the checksum header sent with them.
const isBadDigest = (e: Ec2ImportError): boolean => e._tag === 'ServiceError' && e.code === 'BadDigest'

const checksumOf = (o: Partial<Record<'ChecksumCRC32' | 'ChecksumCRC32C' | 'ChecksumSHA256', string | undefined>>, algorithm: UploadChecksum): string | undefined =>
  o[checksumMember(algorithm)]

/** The default deadline of one part's attempt: a slow link (256 KiB/s) still gets a whole part through. */
const partTimeoutOf = (partSize: number): number => Math.max(60_000, 30_000 + Math.ceil(partSize / MiB) * 4_000)

/** Progress: bytes, a rate over a sliding window, an ETA, reported at most every 250 ms. */
class Progress {
  private sentByPart = new Map<number, number>()
  private sent = 0
  private kept = 0
  private partsDone = 0
  private samples: Array<readonly [number, number]> = []
  private lastReport = -Infinity
  phase: UploadProgress['phase'] = 'checking'

  constructor(
    private readonly total: number,
    private readonly partsTotal: number,
    private readonly now: () => number,
    private readonly listener: ((p: UploadProgress) => void) | undefined,
  ) {}

  keep(bytes: number): void {
    this.kept += bytes
    this.partsDone++
  }

  /** A new attempt of a part starts from nothing: what the failed one counted is taken back. */
  restart(part: number): void {
    this.sent -= this.sentByPart.get(part) ?? 0
    this.sentByPart.set(part, 0)
  }

  add(part: number, bytes: number): void {
    this.sent += bytes
    this.sentByPart.set(part, (this.sentByPart.get(part) ?? 0) + bytes)
    this.report(false)
  }

  partDone(): void {
    this.partsDone++
    // Each finished part is reported: a caller counting parts (or stopping after some) hears of every one, however
    // fast the parts go; bytes in between are reported at most every PROGRESS_EVERY_MS.
    this.report(true)
  }

  bytesSent(): number {
    return this.sent
  }

  enter(phase: UploadProgress['phase']): void {
    this.phase = phase
    this.report(true)
  }

  private report(force: boolean): void {
    if (this.listener === undefined) return
    const t = this.now()
    if (!force && t - this.lastReport < PROGRESS_EVERY_MS) return
    this.lastReport = t
    this.samples.push([t, this.sent])
    while (this.samples.length > 2 && t - this.samples[0]![0] > RATE_WINDOW_MS) this.samples.shift()
    const [t0, b0] = this.samples[0]!
    const rate = t > t0 ? ((this.sent - b0) * 1000) / (t - t0) : 0
    const done = Math.min(this.total, this.kept + this.sent)
    try {
      this.listener({
        phase: this.phase,
        bytesDone: this.phase === 'done' ? this.total : done,
        bytesTotal: this.total,
        bytesSent: this.sent,
        bytesPerSecond: Math.round(rate),
        etaSeconds: this.phase === 'done' ? 0 : rate > 0 ? (this.total - done) / rate : undefined,
        partsDone: this.phase === 'done' ? this.partsTotal : this.partsDone,
        partsTotal: this.partsTotal,
      })
    } catch {
      // A progress callback that throws must not break the upload.
    }
  }
}

// -------------------------------------------------------------------------------------------------
// the upload
// -------------------------------------------------------------------------------------------------

/** A part's checksum and its body, sent as a stream (`UNSIGNED-PAYLOAD`, bound by its signed checksum header). */
interface PartBody {
  readonly sum: PartChecksum
  readonly body: () => NodeJS.ReadableStream
  readonly ringReusable: () => boolean
  readonly fileError: () => Error | undefined
}

interface Settings {
  readonly algorithm: UploadChecksum
  readonly concurrency: number
  readonly partTimeoutMs: number
}

/** One run of one upload: the caller, the open file, the plan, and what has been made so far. */
class Run {
  uploadId: string | undefined = undefined
  readonly controller = new AbortController()

  constructor(
    readonly o: UploadDiskImageOptions,
    readonly s3: ServiceCaller,
    readonly fh: FileHandle,
    readonly plan: PartPlan,
    readonly settings: Settings,
    readonly progress: Progress,
  ) {}

  get signal(): AbortSignal {
    return this.controller.signal
  }

  private aws(e: Ec2ImportError, what: string): Failed {
    if (isAbort(e) || this.signal.aborted) return new Failed('aborted', `${what}: aborted`, e)
    return new Failed('aws', `${what}: ${e.message}`, e)
  }

  /** Hash a range of the file; with `md5`, its MD5 too, in the same read (an ETag to compare with). */
  async checksumRange(r: PartRange, scratch: Buffer, md5 = false): Promise<PartChecksum & { readonly md5?: string }> {
    const h = hasherFor(this.settings.algorithm)
    const m = md5 ? createHash('md5') : undefined
    const both = m === undefined ? h : { update: (c: Uint8Array) => (h.update(c), m.update(c)), digest: h.digest }
    try {
      await hashRange(this.fh, r.start, r.end, both, scratch)
    } catch (e) {
      throw new Failed('file', `${this.o.file}: ${e instanceof Error ? e.message : String(e)}`)
    }
    return { digest: h.digest(), size: r.end - r.start, ...(m === undefined ? {} : { md5: `"${m.digest('hex')}"` }) }
  }

  /** The whole file's checksum as S3 would state it for this plan (a full read: only when an object may match). */
  async fileChecksum(): Promise<string> {
    const scratch = hashScratch()
    if (this.plan.single || this.settings.algorithm !== 'SHA256') {
      const whole = await this.checksumRange({ partNumber: 1, start: 0, end: this.plan.size }, scratch)
      return whole.digest.toString('base64')
    }
    const parts: Array<PartChecksum> = []
    for (let n = 1; n <= this.plan.partCount; n++) parts.push(await this.checksumRange(partRange(this.plan, n), scratch))
    return objectChecksum('SHA256', parts)
  }

  expectedType(): ObjectChecksum['type'] {
    return this.plan.single ? 'FULL_OBJECT' : multipartChecksumType(this.settings.algorithm)
  }

  /** The object under the key, when it is this file already: same size, same checksum of our algorithm. */
  async unchanged(): Promise<HeadObjectOutput | undefined> {
    const head = await this.s3.call(S3, HeadObject, { Bucket: this.o.bucket, Key: this.o.key, ChecksumMode: 'ENABLED' }, { signal: this.signal })()
    if (head._tag === 'Left') {
      // Absent, or not ours to read (403 is what S3 says for an absent key without s3:ListBucket): upload it.
      if (isNotFound(head.left) || (head.left._tag === 'ServiceError' && head.left.statusCode === 403)) return undefined
      throw this.aws(head.left, 'HeadObject')
    }
    const stated = checksumOf(head.right, this.settings.algorithm)
    if (head.right.ContentLength !== this.plan.size || stated === undefined) return undefined
    // A SHA-256 composite made with another part count cannot match this plan's, whatever the bytes.
    if (stated.includes('-') !== (this.expectedType() === 'COMPOSITE')) return undefined
    return stated === (await this.fileChecksum()) ? head.right : undefined
  }

  /** PutObject of a file that fits one part. */
  async putObject(): Promise<UploadDiskImageResult> {
    const r = { partNumber: 1, start: 0, end: this.plan.size }
    const part = await this.partBody(r, chunkRing())
    const value = part.sum.digest.toString('base64')
    this.progress.enter('uploading')
    const put = await this.s3.call(
      S3,
      PutObject,
      {
        Bucket: this.o.bucket,
        Key: this.o.key,
        ContentLength: this.plan.size,
        ContentType: 'application/octet-stream',
        ChecksumAlgorithm: this.settings.algorithm,
        [checksumMember(this.settings.algorithm)]: value,
        Body: part.body,
      },
      { signal: this.signal, requestTimeoutMs: this.settings.partTimeoutMs },
    )()
    if (put._tag === 'Left') throw await this.sendFailed(put.left, 'PutObject', r, part)
    this.verifyStated(checksumOf(put.right, this.settings.algorithm), value, 'PutObject')
    this.progress.partDone()
    return this.result(put.right.ETag, value, 'uploaded', 0)
  }

  verifyStated(stated: string | undefined, expected: string, what: string): void {
    // A composite checksum is stated with its `-N` by S3, without it by some look-alikes (moto).
    if (stated !== undefined && stated !== expected && stated !== expected.replace(/-\d+$/, '')) {
      throw new Failed('checksum-mismatch', `${what}: S3 states the ${this.settings.algorithm} checksum ${stated}, the file's is ${expected}`)
    }
  }

  result(etag: string | undefined, value: string, outcome: UploadDiskImageResult['outcome'], partsResumed: number): UploadDiskImageResult {
    return {
      bucket: this.o.bucket,
      key: this.o.key,
      size: this.plan.size,
      etag,
      checksum: { algorithm: this.settings.algorithm, type: this.expectedType(), value },
      format: 'RAW', // replaced by the caller, which knows the format
      detected: undefined,
      outcome,
      partSizeBytes: this.plan.partSize,
      parts: this.plan.partCount,
      partsResumed,
      bytesSent: this.progress.bytesSent(),
    }
  }

  /** The key's unfinished uploads, newest first. */
  async unfinishedUploads(): Promise<Array<MultipartUpload>> {
    const found: Array<MultipartUpload> = []
    let KeyMarker: string | undefined
    let UploadIdMarker: string | undefined
    for (let page = 0; page < 100; page++) {
      const r = await this.s3.call(
        S3,
        ListMultipartUploads,
        { Bucket: this.o.bucket, Prefix: this.o.key, ...(KeyMarker === undefined ? {} : { KeyMarker }), ...(UploadIdMarker === undefined ? {} : { UploadIdMarker }) },
        { signal: this.signal },
      )()
      if (r._tag === 'Left') throw this.aws(r.left, 'ListMultipartUploads')
      for (const u of r.right.Uploads ?? []) if (u.Key === this.o.key && u.UploadId !== undefined) found.push(u)
      if (r.right.IsTruncated !== true || r.right.NextKeyMarker === undefined) break
      // Past this key, nothing more can be this key's.
      if (r.right.NextKeyMarker !== this.o.key) break
      KeyMarker = r.right.NextKeyMarker
      UploadIdMarker = r.right.NextUploadIdMarker
    }
    return found.sort((a, b) => (b.Initiated?.getTime() ?? 0) - (a.Initiated?.getTime() ?? 0))
  }

  /** Every part of an upload, or `undefined` when it is gone. */
  async partsOf(uploadId: string): Promise<{ parts: Array<Part>; algorithm: string | undefined } | undefined> {
    const parts: Array<Part> = []
    let algorithm: string | undefined
    let PartNumberMarker: number | undefined
    for (;;) {
      const r = await this.s3.call(
        S3,
        ListParts,
        { Bucket: this.o.bucket, Key: this.o.key, UploadId: uploadId, ...(PartNumberMarker === undefined ? {} : { PartNumberMarker }) },
        { signal: this.signal },
      )()
      if (r._tag === 'Left') {
        if (isNotFound(r.left)) return undefined
        throw this.aws(r.left, 'ListParts')
      }
      algorithm ??= r.right.ChecksumAlgorithm
      parts.push(...(r.right.Parts ?? []))
      const next = r.right.NextPartNumberMarker
      if (r.right.IsTruncated !== true || next === undefined || next === PartNumberMarker) break
      PartNumberMarker = next
    }
    return { parts, algorithm }
  }

  /**
   * An unfinished upload of this key made as this one would be (the same checksum algorithm, parts of this plan's
   * sizes), with the parts that match the file. The first that fits is taken; others are left alone (they may be
   * someone else's).
   */
  async resumable(): Promise<{ uploadId: string; kept: Map<number, { etag: string; sum: PartChecksum }> } | undefined> {
    const member = checksumMember(this.settings.algorithm)
    for (const u of await this.unfinishedUploads()) {
      if (u.ChecksumAlgorithm !== undefined && u.ChecksumAlgorithm !== this.settings.algorithm) continue
      const listed = await this.partsOf(u.UploadId!)
      if (listed === undefined) continue
      if (listed.algorithm !== undefined && listed.algorithm !== this.settings.algorithm) continue
      const fits = listed.parts.every((p) => {
        const n = p.PartNumber ?? 0
        if (n < 1 || n > this.plan.partCount) return false
        const r = partRange(this.plan, n)
        return p.Size === r.end - r.start
      })
      if (!fits) continue
      const kept = new Map<number, { etag: string; sum: PartChecksum }>()
      const scratch = hashScratch()
      for (const p of listed.parts) {
        if (this.signal.aborted) throw new Failed('aborted', 'aborted while checking the parts of an earlier upload')
        const stated = p[member]
        if (p.ETag === undefined) continue
        // S3 lists each part's checksum; where a server lists none (moto), a part's plain ETag is its MD5 (not for
        // SSE-KMS or SSE-C objects, whose parts are then sent again).
        const byEtag = stated === undefined && PLAIN_ETAG.test(p.ETag)
        if (stated === undefined && !byEtag) continue
        const sum = await this.checksumRange(partRange(this.plan, p.PartNumber!), scratch, byEtag)
        // A part that differs from the file is simply sent again: the same part number replaces it.
        const matches = byEtag ? sum.md5 === p.ETag.toLowerCase() : sum.digest.toString('base64') === stated
        if (matches) kept.set(p.PartNumber!, { etag: p.ETag, sum: { digest: sum.digest, size: sum.size } })
      }
      return { uploadId: u.UploadId!, kept }
    }
    return undefined
  }

  async multipart(): Promise<UploadDiskImageResult> {
    const { algorithm } = this.settings
    const member = checksumMember(algorithm)
    const found = await this.resumable()
    let kept = new Map<number, { etag: string; sum: PartChecksum }>()
    if (found !== undefined) {
      this.uploadId = found.uploadId
      kept = found.kept
    } else {
      const created = await this.s3.call(
        S3,
        CreateMultipartUpload,
        {
          Bucket: this.o.bucket,
          Key: this.o.key,
          ContentType: 'application/octet-stream',
          ChecksumAlgorithm: algorithm,
          ChecksumType: multipartChecksumType(algorithm),
        },
        { signal: this.signal },
      )()
      if (created._tag === 'Left') throw this.aws(created.left, 'CreateMultipartUpload')
      if (created.right.UploadId === undefined) throw new Failed('aws', 'CreateMultipartUpload: S3 returned no UploadId')
      this.uploadId = created.right.UploadId
    }
    const uploadId = this.uploadId
    const done = new Map<number, { etag: string; sum: PartChecksum }>(kept)
    for (const k of kept.values()) this.progress.keep(k.sum.size)

    // The parts still to send, in order; `concurrency` workers take them one by one.
    const todo: Array<number> = []
    for (let n = 1; n <= this.plan.partCount; n++) if (!kept.has(n)) todo.push(n)
    this.progress.enter('uploading')
    let failure: Failed | undefined
    const worker = async (): Promise<void> => {
      // The worker's chunk buffers, reused part after part; made afresh after a part that needed a retry.
      let ring: ChunkRing | undefined
      for (let n = todo.shift(); n !== undefined && failure === undefined; n = todo.shift()) {
        try {
          ring ??= chunkRing()
          const { ringReusable, ...sent } = await this.sendPart(uploadId, partRange(this.plan, n), ring)
          if (!ringReusable) ring = undefined
          done.set(n, sent)
          this.progress.partDone()
        } catch (e) {
          // The first failure stops the others at once: their requests are aborted, not waited for.
          failure ??= e instanceof Failed ? e : new Failed('file', String(e))
          this.controller.abort()
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.settings.concurrency, Math.max(1, todo.length)) }, worker))
    if (failure !== undefined) throw failure
    if (this.signal.aborted) throw new Failed('aborted', 'the upload was aborted')

    this.progress.enter('completing')
    const ordered = Array.from({ length: this.plan.partCount }, (_, i) => done.get(i + 1)!)
    const value = objectChecksum(algorithm, ordered.map((p) => p.sum))
    const completed = await this.s3.call(
      S3,
      CompleteMultipartUpload,
      {
        Bucket: this.o.bucket,
        Key: this.o.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: ordered.map((p, i) => ({ PartNumber: i + 1, ETag: p.etag, [member]: p.sum.digest.toString('base64') })) },
        // The full-object checksum is stated for S3 to check against the one it combines from the parts; a
        // composite one is S3's to compute.
        ...(multipartChecksumType(algorithm) === 'FULL_OBJECT' ? { [member]: value, ChecksumType: 'FULL_OBJECT' } : {}),
        MpuObjectSize: this.plan.size,
      },
      { signal: this.signal },
    )()
    if (completed._tag === 'Left') {
      // A Complete whose answer was lost (the connection dropped after S3 acted), or a retried one whose first attempt
      // succeeded (NoSuchUpload): the object under the key says whether it is this file.
      const lost = completed.left._tag === 'TransportError' && completed.left.reason !== 'aborted'
      const redone = completed.left._tag === 'ServiceError' && isNotFound(completed.left) && completed.left.attempts > 1
      if (lost || redone) {
        const there = await this.unchanged().catch(() => undefined)
        if (there !== undefined) return this.result(there.ETag, value, kept.size > 0 ? 'resumed' : 'uploaded', kept.size)
      }
      throw this.aws(completed.left, 'CompleteMultipartUpload')
    }
    this.verifyStated(checksumOf(completed.right, algorithm), value, 'CompleteMultipartUpload')
    this.uploadId = undefined
    return this.result(completed.right.ETag, value, kept.size > 0 ? 'resumed' : 'uploaded', kept.size)
  }

  /**
   * A part's checksum, from a first read of its range, and its body: a stream over the range read again, made afresh
   * for every attempt. The first attempt reads through `ring`; a retry through a ring of its own, since the failed
   * attempt may still hold `ring`'s buffers (a read in flight, chunks on a dying socket). Once the part is answered,
   * `ring` serves the next part only if one attempt did it all.
   */
  async partBody(r: PartRange, ring: ChunkRing): Promise<PartBody> {
    const sum = await this.checksumRange(r, ring.whole)
    let attempts = 0
    let fileError: Error | undefined
    return {
      sum,
      body: () => {
        attempts++
        this.progress.restart(r.partNumber)
        return rangeStream(
          this.fh,
          r.start,
          r.end,
          attempts === 1 ? ring : chunkRing(),
          (n) => this.progress.add(r.partNumber, n),
          (e) => (fileError = e),
        )
      },
      ringReusable: () => attempts <= 1,
      fileError: () => fileError,
    }
  }

  /** Why sending a part failed: the file (unreadable, shorter, changed between the two reads), or S3. */
  async sendFailed(e: Ec2ImportError, what: string, r: PartRange, part: PartBody): Promise<Failed> {
    const fileError = part.fileError()
    if (fileError !== undefined && !this.signal.aborted) return new Failed('file', `${this.o.file}: ${fileError.message}`)
    if (!isBadDigest(e)) return this.aws(e, what)
    // The bytes S3 received are not those the checksum was made of. Read a third time, the range says which changed:
    // the file, or the bytes on the way.
    let now: PartChecksum
    try {
      now = await this.checksumRange(r, hashScratch())
    } catch (f) {
      return f instanceof Failed ? f : new Failed('file', String(f))
    }
    const bytes = `bytes ${r.start} to ${r.end - 1}${this.plan.single ? '' : ` (part ${r.partNumber})`}`
    if (!now.digest.equals(part.sum.digest)) {
      return new Failed(
        'file',
        `${this.o.file} changed during the upload: ${bytes} were read for their ${this.settings.algorithm} checksum, then again to be sent, and differed, so S3 refused them (${what}: BadDigest). Upload a file that nothing writes to meanwhile (a copy or a snapshot).`,
        e,
      )
    }
    return new Failed(
      'checksum-mismatch',
      `${what}: S3 refused ${bytes} as not matching their ${this.settings.algorithm} checksum (BadDigest), and the file still has that checksum: the bytes changed on the way`,
      e,
    )
  }

  /** One part, with its checksum; retried by the pipeline on its own. */
  async sendPart(uploadId: string, r: PartRange, ring: ChunkRing): Promise<{ etag: string; sum: PartChecksum; ringReusable: boolean }> {
    const part = await this.partBody(r, ring)
    const stated = part.sum.digest.toString('base64')
    const sent = await this.s3.call(
      S3,
      UploadPart,
      {
        Bucket: this.o.bucket,
        Key: this.o.key,
        UploadId: uploadId,
        PartNumber: r.partNumber,
        ContentLength: r.end - r.start,
        ChecksumAlgorithm: this.settings.algorithm,
        [checksumMember(this.settings.algorithm)]: stated,
        Body: part.body,
      },
      { signal: this.signal, requestTimeoutMs: this.settings.partTimeoutMs },
    )()
    if (sent._tag === 'Left') throw await this.sendFailed(sent.left, `UploadPart ${r.partNumber}`, r, part)
    this.verifyStated(checksumOf(sent.right, this.settings.algorithm), stated, `UploadPart ${r.partNumber}`)
    if (sent.right.ETag === undefined) throw new Failed('aws', `UploadPart ${r.partNumber}: S3 returned no ETag`)
    return { etag: sent.right.ETag, sum: part.sum, ringReusable: part.ringReusable() }
  }

  /** After an abort or a failure: abort the multipart upload unless its parts are to be kept. Returns whether kept. */
  async cleanUp(): Promise<boolean> {
    if (this.uploadId === undefined) return false
    if (this.o.keepPartsOnAbort === true) return true
    // Not the aborted signal: the cleanup must still go out, within its own deadline.
    const aborted = await this.s3.call(
      S3,
      AbortMultipartUpload,
      { Bucket: this.o.bucket, Key: this.o.key, UploadId: this.uploadId },
      { signal: AbortSignal.timeout(CLEANUP_TIMEOUT_MS) },
    )()
    return aborted._tag === 'Left' && !isNotFound(aborted.left)
  }
}

const validate = (o: UploadDiskImageOptions): Settings | string => {
  const concurrency = o.concurrency ?? DEFAULT_CONCURRENCY
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) return `concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${concurrency}`
  const algorithm = o.checksumAlgorithm ?? 'CRC32'
  if (!['CRC32', 'CRC32C', 'SHA256'].includes(algorithm)) return `checksumAlgorithm must be CRC32, CRC32C or SHA256, not ${String(algorithm)}`
  if (typeof o.bucket !== 'string' || o.bucket === '') return 'bucket must be named'
  if (typeof o.key !== 'string' || o.key === '') return 'key must be named'
  if (o.partTimeoutMs !== undefined && !(Number.isFinite(o.partTimeoutMs) && o.partTimeoutMs > 0)) return `partTimeoutMs must be a positive number of milliseconds, not ${o.partTimeoutMs}`
  return { algorithm, concurrency, partTimeoutMs: o.partTimeoutMs ?? 0 }
}

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Upload a disk image file to `s3://bucket/key`, every part verified by S3, resuming an interrupted upload of the same
 * file, and skipping it altogether when the same object is already there. The format is detected first; a file whose
 * format cannot be detected is refused unless `format` is given.
 *
 * @example
 * ```ts
 * import { uploadDiskImage } from 'ec2-import-image'
 *
 * const up = await uploadDiskImage({
 *   config: { region: 'eu-west-1' },
 *   file: './web.vmdk',
 *   bucket: 'images',
 *   key: 'web-1.4.vmdk',
 *   onProgress: (p) => console.log(`${(p.bytesDone / p.bytesTotal * 100).toFixed(1)}% ${(p.bytesPerSecond / 1e6).toFixed(0)} MB/s`),
 * })()
 * if (up._tag === 'Right') console.log(up.right.format, up.right.checksum.value, up.right.outcome)
 * ```
 *
 * @public
 * @since 0.2.0
 */
export const uploadDiskImage =
  (options: UploadDiskImageOptions, runtime: Partial<Runtime> = {}): TaskEither<UploadError, UploadDiskImageResult> =>
  async () => {
    const fail = (f: Failed, uploadId: string | undefined = undefined, partsKept = false): { _tag: 'Left'; left: UploadError } => ({
      _tag: 'Left',
      left: { _tag: 'UploadError', reason: f.reason, message: f.message, cause: f.cause, bucket: options.bucket, key: options.key, uploadId, partsKept },
    })
    // A function, not the property: the check below would otherwise make the compiler think it can never change.
    const callerAborted = (): boolean => options.signal?.aborted === true
    const settings = validate(options)
    if (typeof settings === 'string') return fail(new Failed('invalid-options', settings))
    if (options.signal?.aborted === true) return fail(new Failed('aborted', 'the upload was aborted before it started'))

    const detected = await detectDiskImageFormat(options.file)()
    if (detected._tag === 'Left' && (detected.left.reason === 'unreadable' || options.format === undefined)) {
      return fail(new Failed(detected.left.reason === 'unreadable' ? 'file' : 'format', `${detected.left.message}. ${detected.left.fix}`, detected.left))
    }
    const format = options.format ?? (detected._tag === 'Right' ? detected.right.format : 'RAW')
    const size = detected._tag === 'Right' ? detected.right.size : (await stat(options.file).catch(() => undefined))?.size
    if (size === undefined) return fail(new Failed('file', `${options.file} could not be read`))
    const plan = planParts(size, options.partSizeBytes)
    if (typeof plan === 'string') return fail(new Failed(size > 5 * 1024 * 1024 * MiB ? 'too-large' : 'invalid-options', plan))

    let fh: FileHandle
    try {
      fh = await open(options.file, 'r')
    } catch (e) {
      return fail(new Failed('file', `${options.file} could not be opened: ${e instanceof Error ? e.message : String(e)}`))
    }
    const s3 = createServiceCaller(options.config, runtime)
    const now = runtime.now ?? Date.now
    const progress = new Progress(size, plan.partCount, now, options.onProgress)
    const run = new Run(options, s3, fh, plan, { ...settings, partTimeoutMs: settings.partTimeoutMs || partTimeoutOf(plan.partSize) }, progress)
    const onAbort = (): void => run.controller.abort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      progress.enter('checking')
      const there = await run.unchanged()
      const result =
        there !== undefined
          ? run.result(there.ETag, checksumOf(there, settings.algorithm)!, 'unchanged', 0)
          : plan.single
            ? await run.putObject()
            : await run.multipart()
      progress.enter('done')
      return { _tag: 'Right', right: { ...result, format, detected: detected._tag === 'Right' ? detected.right : undefined } }
    } catch (e) {
      const f = e instanceof Failed ? e : new Failed('file', e instanceof Error ? e.message : String(e))
      const reason = callerAborted() ? 'aborted' : f.reason
      const kept = await run.cleanUp()
      return fail(new Failed(reason, reason === 'aborted' ? `the upload was aborted${kept ? '; its parts are kept, and the same call resumes it' : ''}` : f.message, f.cause), run.uploadId, kept)
    } finally {
      options.signal?.removeEventListener('abort', onAbort)
      await fh.close().catch(() => undefined)
      await s3.close()
    }
  }
