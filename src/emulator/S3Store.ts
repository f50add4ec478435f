/**
 * The emulator's S3: buckets (each in a region), objects and multipart uploads, for one account (S3 is global:
 * every region of the endpoint sees the same buckets, and a request signed for another region than the bucket's
 * is refused as S3 refuses it).
 *
 * The store holds what S3 would answer with, never more bytes than asked: every object and part keeps its size,
 * ETag and checksums, and its bytes only while the object stays within `maxStoredObjectBytes` (so a 50 GiB upload
 * through the emulator costs kilobytes). The bytes are verified as they arrive, by the HTTP side (`S3Service`);
 * what the store verifies is what only the whole upload can tell: the parts named in `CompleteMultipartUpload`, their
 * order, sizes, ETags and checksums, and the full-object checksum, combined from the parts' CRCs.
 *
 * Errors are S3's codes, statuses and wording (from S3's error-code reference).
 *
 * @since 0.2.0
 */
import { createHash, randomBytes } from 'node:crypto'
import { checksummer, combineCrc, crcBase64, type ChecksumAlgorithm } from './Checksums.js'
import { ec2Error as serviceError, type Ec2Error as ServiceErrorAnswer } from './Ec2Errors.js'
import { left, right, type Outcome } from './Listing.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * An S3 error: the `<Error>` code, message, HTTP status, and the extra elements S3 adds for it (`<Region>`,
 * `<ProposedSize>`, …).
 *
 * @internal
 * @since 0.2.0
 */
export interface S3Error extends ServiceErrorAnswer {
  readonly extra?: Readonly<Record<string, string>>
  /** Response headers S3 adds (`x-amz-bucket-region`). */
  readonly headers?: Readonly<Record<string, string>>
}

/**
 * `FULL_OBJECT`: the object's checksum is that of all its bytes, whatever the part size (CRCs only).
 * `COMPOSITE`: the checksum of the parts' checksums, suffixed `-N`.
 *
 * @internal
 * @since 0.2.0
 */
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE'

/**
 * An object's or a part's checksum, base64 as S3 writes it.
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredChecksum {
  readonly algorithm: ChecksumAlgorithm
  readonly type: ChecksumType
  readonly value: string
}

/**
 * Server-side encryption as S3 reports it.
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredEncryption {
  readonly algorithm: 'AES256' | 'aws:kms'
  readonly kmsKeyId?: string | undefined
}

/**
 * An object.
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredObject {
  readonly key: string
  readonly size: number
  /** Quoted, as in the `ETag` header. */
  readonly etag: string
  readonly lastModified: number
  readonly contentType: string
  readonly checksum: StoredChecksum | undefined
  readonly encryption: StoredEncryption
  readonly partsCount: number | undefined
  /** The bytes, when the object is within the limit. */
  readonly body: Buffer | undefined
}

/**
 * An uploaded part.
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredPart {
  readonly number: number
  readonly size: number
  readonly etag: string
  readonly md5: Buffer
  readonly lastModified: number
  /** The part's checksums as computed here, raw (one per algorithm verified or the upload's algorithm). */
  readonly checksums: ReadonlyMap<ChecksumAlgorithm, Buffer>
  readonly body: Buffer | undefined
}

/**
 * A multipart upload in progress.
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredUpload {
  readonly id: string
  readonly key: string
  readonly initiated: number
  readonly algorithm: ChecksumAlgorithm | undefined
  readonly type: ChecksumType | undefined
  readonly contentType: string
  readonly encryption: StoredEncryption
  readonly parts: Map<number, StoredPart>
}

/**
 * A bucket.
 *
 * @internal
 * @since 0.2.0
 */
export interface StoredBucket {
  readonly name: string
  readonly region: string
  readonly created: number
  policy: string | undefined
  /** The lifecycle configuration, as the XML S3 answers `GetBucketLifecycleConfiguration` with. */
  lifecycle: string | undefined
  readonly objects: Map<string, StoredObject>
  readonly uploads: Map<string, StoredUpload>
}

/**
 * A lifecycle rule given in the options (the emulator writes it as S3's XML).
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorLifecycleRule {
  readonly id?: string
  /** Default `''`: every key. */
  readonly prefix?: string
  /** Default `Enabled`. */
  readonly status?: 'Enabled' | 'Disabled'
  readonly abortIncompleteMultipartUploadDays?: number
  readonly expirationDays?: number
}

/**
 * An object a bucket starts with: its bytes, or only a size (the emulator then keeps no bytes, as for a large
 * object, and `GetObject` cannot serve it).
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorObject {
  readonly key: string
  readonly body?: string | Uint8Array
  readonly size?: number
  /** SSE-KMS with this key; default SSE-S3 (`AES256`), as every bucket encrypts since 2023. */
  readonly kmsKeyId?: string
}

/**
 * A bucket the emulator starts with.
 *
 * @public
 * @since 0.2.0
 */
export interface EmulatorBucket {
  readonly name: string
  /** Default: the emulator's main region. */
  readonly region?: string
  /** The bucket policy, as JSON text or an object. */
  readonly policy?: string | object
  readonly lifecycleRules?: ReadonlyArray<EmulatorLifecycleRule>
  readonly objects?: ReadonlyArray<EmulatorObject>
}

// -------------------------------------------------------------------------------------------------
// errors
// -------------------------------------------------------------------------------------------------

const s3Error = (
  status: number,
  code: string,
  message: string,
  extra?: Readonly<Record<string, string>>,
): S3Error => ({ ...serviceError(status, code, message), ...(extra === undefined ? {} : { extra }) })

/**
 * S3's errors, as its error-code reference words them.
 *
 * @internal
 * @since 0.2.0
 */
export const S3Errors = {
  noSuchBucket: (bucket: string) => s3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket }),
  noSuchKey: (key: string) => s3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key }),
  noSuchUpload: (id: string) =>
    s3Error(
      404,
      'NoSuchUpload',
      'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
      { UploadId: id },
    ),
  invalidPart: () =>
    s3Error(
      400,
      'InvalidPart',
      "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
    ),
  invalidPartOrder: () =>
    s3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.'),
  malformedXml: () =>
    s3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema'),
  badDigest: (algorithm: string) =>
    s3Error(400, 'BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`),
  invalidRequest: (message: string) => s3Error(400, 'InvalidRequest', message),
  invalidArgument: (message: string, name?: string, value?: string) =>
    s3Error(400, 'InvalidArgument', message, name === undefined ? undefined : { ArgumentName: name, ArgumentValue: value ?? '' }),
  accessDenied: () => s3Error(403, 'AccessDenied', 'Access Denied'),
  notImplemented: (message: string) => s3Error(501, 'NotImplemented', message),
  wrongRegion: (signed: string, bucketRegion: string): S3Error => ({
    ...s3Error(
      400,
      'AuthorizationHeaderMalformed',
      `The authorization header is malformed; the region '${signed}' is wrong; expecting '${bucketRegion}'`,
      { Region: bucketRegion },
    ),
    headers: { 'x-amz-bucket-region': bucketRegion },
  }),
  s3Error,
} as const

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/

/**
 * Whether S3 accepts a bucket name (general purpose buckets): 3–63 lowercase letters, digits, dots and hyphens,
 * starting and ending with a letter or digit, not shaped like an IP address, no `..`.
 *
 * @internal
 * @since 0.2.0
 */
export const isBucketName = (name: string): boolean =>
  BUCKET_NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name)

const quoted = (hex: string): string => `"${hex}"`
const unquoted = (etag: string): string => etag.trim().replace(/^"(.*)"$/, '$1')

const uploadId = (): string => randomBytes(48).toString('base64url')

const lifecycleXml = (rules: ReadonlyArray<EmulatorLifecycleRule>): string => {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules
    .map(
      (r, i) =>
        `<Rule><ID>${esc(r.id ?? `rule-${i + 1}`)}</ID><Filter><Prefix>${esc(r.prefix ?? '')}</Prefix></Filter><Status>${r.status ?? 'Enabled'}</Status>` +
        (r.expirationDays === undefined ? '' : `<Expiration><Days>${r.expirationDays}</Days></Expiration>`) +
        (r.abortIncompleteMultipartUploadDays === undefined
          ? ''
          : `<AbortIncompleteMultipartUpload><DaysAfterInitiation>${r.abortIncompleteMultipartUploadDays}</DaysAfterInitiation></AbortIncompleteMultipartUpload>`) +
        '</Rule>',
    )
    .join('')}</LifecycleConfiguration>`
}

/**
 * A part named in `CompleteMultipartUpload`'s body.
 *
 * @internal
 * @since 0.2.0
 */
export interface CompletedPartClaim {
  readonly partNumber: number
  readonly etag: string
  readonly checksums: ReadonlyMap<ChecksumAlgorithm, string>
}

// -------------------------------------------------------------------------------------------------
// store
// -------------------------------------------------------------------------------------------------

/**
 * One account's S3.
 *
 * @internal
 * @since 0.2.0
 */
export class S3Store {
  private readonly buckets = new Map<string, StoredBucket>()

  constructor(
    private readonly options: {
      readonly now: () => number
      readonly maxStoredObjectBytes: number
      readonly minPartSizeBytes: number
      readonly defaultRegion: string
    },
  ) {}

  /** The limit on kept bytes, for the HTTP side to decide what to keep while it streams. */
  get maxStoredObjectBytes(): number {
    return this.options.maxStoredObjectBytes
  }

  /** Seed from the options; a bad seed is the caller's mistake and throws. */
  seed(buckets: ReadonlyArray<EmulatorBucket>): void {
    for (const b of buckets) {
      const made = this.createBucket(b.name, b.region ?? this.options.defaultRegion)
      if (made._tag === 'Left') throw new RangeError(`startEmulator: buckets '${b.name}': ${made.left.message}`)
      if (b.policy !== undefined) made.right.policy = typeof b.policy === 'string' ? b.policy : JSON.stringify(b.policy)
      if (b.lifecycleRules !== undefined) made.right.lifecycle = lifecycleXml(b.lifecycleRules)
      for (const o of b.objects ?? []) {
        const body = o.body === undefined ? undefined : typeof o.body === 'string' ? Buffer.from(o.body, 'utf8') : Buffer.from(o.body)
        const size = body?.length ?? o.size ?? 0
        if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`startEmulator: buckets '${b.name}': object '${o.key}' has a bad size`)
        const md5 = body === undefined ? createHash('md5').update(o.key).digest('hex') : createHash('md5').update(body).digest('hex')
        let checksum: StoredChecksum | undefined
        if (body !== undefined) {
          const c = checksummer('crc32')
          c.update(body)
          checksum = { algorithm: 'crc32', type: 'FULL_OBJECT', value: c.digest().toString('base64') }
        }
        made.right.objects.set(o.key, {
          key: o.key,
          size,
          etag: quoted(md5),
          lastModified: this.options.now(),
          contentType: 'binary/octet-stream',
          checksum,
          encryption: o.kmsKeyId === undefined ? { algorithm: 'AES256' } : { algorithm: 'aws:kms', kmsKeyId: o.kmsKeyId },
          partsCount: undefined,
          body: body !== undefined && body.length <= this.options.maxStoredObjectBytes ? body : undefined,
        })
      }
    }
  }

  bucket(name: string): StoredBucket | undefined {
    return this.buckets.get(name)
  }

  listBuckets(): ReadonlyArray<StoredBucket> {
    return [...this.buckets.values()]
  }

  createBucket(name: string, region: string): Outcome<StoredBucket> {
    if (!isBucketName(name)) return left(s3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name }))
    if (this.buckets.has(name)) {
      return left(
        s3Error(
          409,
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          { BucketName: name },
        ),
      )
    }
    const b: StoredBucket = {
      name,
      region,
      created: this.options.now(),
      policy: undefined,
      lifecycle: undefined,
      objects: new Map(),
      uploads: new Map(),
    }
    this.buckets.set(name, b)
    return right(b)
  }

  deleteBucket(b: StoredBucket): Outcome<Record<string, never>> {
    if (b.objects.size > 0 || b.uploads.size > 0) {
      return left(s3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: b.name }))
    }
    this.buckets.delete(b.name)
    return right({})
  }

  putObject(b: StoredBucket, o: Omit<StoredObject, 'lastModified'>): StoredObject {
    const stored = { ...o, lastModified: this.options.now() }
    b.objects.set(o.key, stored)
    return stored
  }

  createUpload(
    b: StoredBucket,
    key: string,
    algorithm: ChecksumAlgorithm | undefined,
    type: ChecksumType | undefined,
    contentType: string,
    encryption: StoredEncryption,
  ): Outcome<StoredUpload> {
    if (type !== undefined && algorithm === undefined) {
      return left(S3Errors.invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.'))
    }
    if (type === 'FULL_OBJECT' && algorithm !== 'crc32' && algorithm !== 'crc32c') {
      return left(S3Errors.invalidRequest(`The FULL_OBJECT checksum type cannot be used with the ${algorithm!} checksum algorithm.`))
    }
    const u: StoredUpload = {
      id: uploadId(),
      key,
      initiated: this.options.now(),
      algorithm,
      // Without a type, S3 makes a CRC32/CRC32C/SHA upload COMPOSITE.
      type: algorithm === undefined ? undefined : (type ?? 'COMPOSITE'),
      contentType,
      encryption,
      parts: new Map(),
    }
    b.uploads.set(u.id, u)
    return right(u)
  }

  upload(b: StoredBucket, key: string, id: string): Outcome<StoredUpload> {
    const u = b.uploads.get(id)
    return u === undefined || u.key !== key ? left(S3Errors.noSuchUpload(id)) : right(u)
  }

  putPart(u: StoredUpload, part: Omit<StoredPart, 'lastModified'>): StoredPart {
    const stored = { ...part, lastModified: this.options.now() }
    u.parts.set(part.number, stored)
    return stored
  }

  abortUpload(b: StoredBucket, u: StoredUpload): void {
    b.uploads.delete(u.id)
  }

  /**
   * `CompleteMultipartUpload`: the parts claimed, checked against those uploaded, become the object; the full-object
   * checksum the client sent (if any) is checked against the parts' CRCs combined.
   */
  completeUpload(
    b: StoredBucket,
    u: StoredUpload,
    claims: ReadonlyArray<CompletedPartClaim>,
    expected: { readonly type: ChecksumType | undefined; readonly checksums: ReadonlyMap<ChecksumAlgorithm, string> },
  ): Outcome<StoredObject> {
    if (claims.length === 0) return left(S3Errors.malformedXml())
    for (let i = 1; i < claims.length; i++) {
      if (claims[i]!.partNumber <= claims[i - 1]!.partNumber) return left(S3Errors.invalidPartOrder())
    }
    if (expected.type !== undefined && u.type !== undefined && expected.type !== u.type) {
      return left(
        S3Errors.invalidRequest(
          `The upload was created using the ${u.type} checksum mode. The complete request must use the same checksum mode.`,
        ),
      )
    }
    const parts: Array<StoredPart> = []
    for (const [i, c] of claims.entries()) {
      const p = u.parts.get(c.partNumber)
      if (p === undefined || unquoted(p.etag) !== unquoted(c.etag)) return left(S3Errors.invalidPart())
      for (const [algorithm, claimed] of c.checksums) {
        const mine = p.checksums.get(algorithm)
        if (mine === undefined || mine.toString('base64') !== claimed) return left(S3Errors.invalidPart())
      }
      if (i < claims.length - 1 && p.size < this.options.minPartSizeBytes) {
        return left(
          s3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
            ProposedSize: String(p.size),
            MinSizeAllowed: String(this.options.minPartSizeBytes),
            PartNumber: String(p.number),
            ETag: unquoted(p.etag),
          }),
        )
      }
      parts.push(p)
    }
    const size = parts.reduce((n, p) => n + p.size, 0)
    const md5s = Buffer.concat(parts.map((p) => p.md5))
    const etag = quoted(`${createHash('md5').update(md5s).digest('hex')}-${parts.length}`)

    let checksum: StoredChecksum | undefined
    const algorithm = u.algorithm
    if (algorithm !== undefined) {
      if (parts.some((p) => !p.checksums.has(algorithm))) {
        return left(S3Errors.invalidRequest(`The upload was created using a ${algorithm} checksum; every part must have one.`))
      }
      if (u.type === 'FULL_OBJECT' && (algorithm === 'crc32' || algorithm === 'crc32c')) {
        let crc = 0
        for (const [i, p] of parts.entries()) {
          const partCrc = p.checksums.get(algorithm)!.readUInt32BE(0)
          crc = i === 0 ? partCrc : combineCrc(algorithm, crc, partCrc, p.size)
        }
        checksum = { algorithm, type: 'FULL_OBJECT', value: crcBase64(crc) }
      } else {
        // A composite checksum is the algorithm's checksum of the parts' raw checksums, concatenated.
        const c = checksummer(algorithm)
        for (const p of parts) c.update(p.checksums.get(algorithm)!)
        checksum = { algorithm, type: 'COMPOSITE', value: `${c.digest().toString('base64')}-${parts.length}` }
      }
    }
    for (const [a, claimed] of expected.checksums) {
      if (checksum === undefined || a !== checksum.algorithm) {
        return left(S3Errors.invalidRequest(`The upload was not created with a ${a} checksum: it cannot be checked on completion.`))
      }
      if (claimed !== checksum.value) return left(S3Errors.badDigest(a))
    }
    const body =
      size <= this.options.maxStoredObjectBytes && parts.every((p) => p.body !== undefined)
        ? Buffer.concat(parts.map((p) => p.body!))
        : undefined
    b.uploads.delete(u.id)
    return right(
      this.putObject(b, {
        key: u.key,
        size,
        etag,
        contentType: u.contentType,
        checksum,
        encryption: u.encryption,
        partsCount: parts.length,
        body,
      }),
    )
  }
}
