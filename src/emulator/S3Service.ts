/**
 * The emulator's S3 over HTTP: REST-XML with path-style addressing (`/bucket/key?subresource`), as a client that
 * points every service at one endpoint (`AWS_ENDPOINT_URL`, S3 in path style) sends it.
 *
 * One request goes through a fixed pipe, each stage answering with S3's `<Error>` envelope when it refuses:
 *
 * ```
 * route (method + subresources → operation) ─► SigV4 (S3 rules: the payload hash is x-amz-content-sha256)
 *   ─► permissions (AccessDenied) ─► the bucket's region ─► body: streamed through the hashes it is checked
 *   against (x-amz-content-sha256, Content-MD5, x-amz-checksum-*, aws-chunked trailers) ─► S3Store ─► XML
 * ```
 *
 * A body is never buffered beyond what the store keeps (`maxStoredObjectBytes`) or, for the XML bodies of the bucket
 * calls and `CompleteMultipartUpload`, beyond 1 MiB (S3's own limit for these is smaller or similar). A checksum is
 * judged once the last byte is in, before anything is stored: a corrupted part leaves the upload as it was.
 *
 * @since 0.2.0
 */
import { createHash, type Hash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { child, first, parseXml, textOf, type XmlNode } from '../internal/protocol/XmlReader.js'
import { AwsChunkedDecoder } from './AwsChunked.js'
import { CHECKSUM_ALGORITHMS, checksummer, digestLength, type ChecksumAlgorithm, type Checksummer } from './Checksums.js'
import {
  S3Errors,
  type ChecksumType,
  type CompletedPartClaim,
  type S3Error,
  type S3Store,
  type StoredBucket,
  type StoredEncryption,
  type StoredObject,
  type StoredUpload,
} from './S3Store.js'
import { escapeXml } from './XmlWriter.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The S3 operations the emulator serves.
 *
 * @internal
 * @since 0.2.0
 */
export type S3Operation =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'HeadBucket'
  | 'DeleteBucket'
  | 'GetBucketLocation'
  | 'GetBucketPolicy'
  | 'PutBucketPolicy'
  | 'DeleteBucketPolicy'
  | 'GetBucketLifecycleConfiguration'
  | 'PutBucketLifecycleConfiguration'
  | 'DeleteBucketLifecycle'
  | 'ListMultipartUploads'
  | 'PutObject'
  | 'HeadObject'
  | 'GetObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'

/**
 * An S3 answer, for the emulator to send and log.
 *
 * @internal
 * @since 0.2.0
 */
export interface S3Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Buffer
  readonly operation: S3Operation | undefined
  readonly errorCode?: string
}

/**
 * What the S3 side needs from the emulator.
 *
 * @internal
 * @since 0.2.0
 */
export interface S3Context {
  readonly store: S3Store
  /** Verify the signature with S3's rules; the region signed for, or the error. */
  readonly verify: (req: IncomingMessage) => { readonly region: string } | S3Error
  /** Whether the caller is refused an IAM action (`s3:GetObject`). */
  readonly denied: (action: string) => boolean
  readonly accountId: string
  readonly partition: string
  readonly requestId: string
}

interface Route {
  readonly operation: S3Operation
  /** The IAM action that authorizes it. */
  readonly action: string
  readonly bucket: string
  readonly key: string
  readonly query: ReadonlyMap<string, string>
}

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/'
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
const MAX_XML_BODY = 1024 * 1024
const MAX_PUT = 5 * 1024 ** 3
const MAX_PARTS = 10_000
const HEX_SHA256 = /^[0-9a-f]{64}$/

const xml = (root: string, inner: string): string => `${XML_DECLARATION}<${root} xmlns="${XMLNS}">${inner}</${root}>`
const el = (name: string, value: string | number | boolean | undefined): string =>
  value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`
const iso = (ms: number): string => new Date(ms).toISOString()

const safeDecode = (s: string): string | undefined => {
  try {
    return decodeURIComponent(s)
  } catch {
    return undefined
  }
}

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v.join(',') : v
}

/**
 * The S3 error envelope: `<Error><Code/><Message/>…extra…<RequestId/><HostId/></Error>`.
 *
 * @internal
 * @since 0.2.0
 */
export const writeS3Error = (e: S3Error, requestId: string, resource?: string): string =>
  `${XML_DECLARATION}<Error>${el('Code', e.code)}${el('Message', e.message)}${Object.entries(e.extra ?? {})
    .map(([k, v]) => el(k, v))
    .join('')}${el('Resource', resource)}${el('RequestId', requestId)}${el('HostId', Buffer.from(requestId).toString('base64'))}</Error>`

const errorAnswer = (e: S3Error, route: Route | undefined, requestId: string, head: boolean): S3Answer => ({
  status: e.status,
  headers: { 'content-type': 'application/xml', ...e.headers },
  // A HEAD response has no body: the status is all a client gets.
  body: head ? '' : writeS3Error(e, requestId, route === undefined ? undefined : `/${route.bucket}${route.key === '' ? '' : `/${route.key}`}`),
  operation: route?.operation,
  errorCode: e.code,
})

const ok = (route: Route, body: string | Buffer = '', headers: Record<string, string> = {}, status = 200): S3Answer => ({
  status,
  headers: typeof body === 'string' && body !== '' ? { 'content-type': 'application/xml', ...headers } : headers,
  body,
  operation: route.operation,
})

const isError = (x: unknown): x is S3Error =>
  typeof x === 'object' && x !== null && typeof (x as S3Error).code === 'string' && typeof (x as S3Error).status === 'number'

/**
 * Which operation a request is: S3 tells them apart by method, by whether a key is present, and by subresource.
 *
 * @internal
 * @since 0.2.0
 */
export const routeOf = (method: string, target: string): Route | S3Error => {
  const q = target.indexOf('?')
  const rawPath = q === -1 ? target : target.slice(0, q)
  const query = new Map<string, string>()
  for (const part of (q === -1 ? '' : target.slice(q + 1)).split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const k = safeDecode((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '))
    const v = safeDecode((eq === -1 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '))
    if (k === undefined || v === undefined) return S3Errors.invalidArgument('The query string is not valid.')
    query.set(k, v)
  }
  const path = rawPath.startsWith('/') ? rawPath.slice(1) : rawPath
  const slash = path.indexOf('/')
  const bucket = safeDecode(slash === -1 ? path : path.slice(0, slash))
  const key = safeDecode(slash === -1 ? '' : path.slice(slash + 1))
  if (bucket === undefined || key === undefined) return S3Errors.invalidArgument('The path is not a valid URI.')
  const r = (operation: S3Operation, action: string): Route => ({ operation, action, bucket, key, query })
  const has = (k: string) => query.has(k)
  if (bucket === '') {
    return method === 'GET' ? r('ListBuckets', 's3:ListAllMyBuckets') : S3Errors.s3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.')
  }
  if (key === '') {
    switch (method) {
      case 'GET':
        if (has('location')) return r('GetBucketLocation', 's3:GetBucketLocation')
        if (has('policy')) return r('GetBucketPolicy', 's3:GetBucketPolicy')
        if (has('lifecycle')) return r('GetBucketLifecycleConfiguration', 's3:GetLifecycleConfiguration')
        if (has('uploads')) return r('ListMultipartUploads', 's3:ListBucketMultipartUploads')
        break
      case 'PUT':
        if (has('policy')) return r('PutBucketPolicy', 's3:PutBucketPolicy')
        if (has('lifecycle')) return r('PutBucketLifecycleConfiguration', 's3:PutLifecycleConfiguration')
        if (query.size === 0) return r('CreateBucket', 's3:CreateBucket')
        break
      case 'DELETE':
        if (has('policy')) return r('DeleteBucketPolicy', 's3:DeleteBucketPolicy')
        if (has('lifecycle')) return r('DeleteBucketLifecycle', 's3:PutLifecycleConfiguration')
        if (query.size === 0) return r('DeleteBucket', 's3:DeleteBucket')
        break
      case 'HEAD':
        return r('HeadBucket', 's3:ListBucket')
    }
  } else {
    switch (method) {
      case 'PUT':
        if (has('partNumber') && has('uploadId')) return r('UploadPart', 's3:PutObject')
        if (query.size === 0 || has('x-id')) return r('PutObject', 's3:PutObject')
        break
      case 'POST':
        if (has('uploads')) return r('CreateMultipartUpload', 's3:PutObject')
        if (has('uploadId')) return r('CompleteMultipartUpload', 's3:PutObject')
        break
      case 'GET':
        if (has('uploadId')) return r('ListParts', 's3:ListMultipartUploadParts')
        return r('GetObject', 's3:GetObject')
      case 'HEAD':
        return r('HeadObject', 's3:GetObject')
      case 'DELETE':
        if (has('uploadId')) return r('AbortMultipartUpload', 's3:AbortMultipartUpload')
        return r('DeleteObject', 's3:DeleteObject')
    }
  }
  return S3Errors.notImplemented('A header or query you provided implies functionality that is not implemented.')
}

// The one checksum a request claims: a header, or a trailer it announces (`x-amz-trailer`).
type Claim =
  | { readonly _tag: 'None' }
  | { readonly _tag: 'Header'; readonly algorithm: ChecksumAlgorithm; readonly value: string }
  | { readonly _tag: 'Trailer'; readonly algorithm: ChecksumAlgorithm }

const claimOf = (req: IncomingMessage, chunked: boolean): Claim | S3Error => {
  if (headerOf(req, 'x-amz-checksum-crc64nvme') !== undefined) {
    return S3Errors.notImplemented('The emulator does not verify CRC64NVME checksums.')
  }
  const given = CHECKSUM_ALGORITHMS.filter((a) => headerOf(req, `x-amz-checksum-${a}`) !== undefined)
  const trailer = headerOf(req, 'x-amz-trailer')?.trim().toLowerCase()
  if (given.length + (trailer === undefined ? 0 : 1) > 1) {
    return S3Errors.invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.')
  }
  if (trailer !== undefined) {
    const algorithm = CHECKSUM_ALGORITHMS.find((a) => trailer === `x-amz-checksum-${a}`)
    if (algorithm === undefined || !chunked) return S3Errors.invalidRequest(`The value specified in the x-amz-trailer header is not supported`)
    return { _tag: 'Trailer', algorithm }
  }
  const algorithm = given[0]
  if (algorithm === undefined) return { _tag: 'None' }
  const value = headerOf(req, `x-amz-checksum-${algorithm}`)!.trim()
  return validChecksum(algorithm, value) ? { _tag: 'Header', algorithm, value } : S3Errors.invalidRequest(`Value for x-amz-checksum-${algorithm} header is invalid.`)
}

const validChecksum = (algorithm: ChecksumAlgorithm, value: string): boolean =>
  /^[A-Za-z0-9+/]*={0,2}$/.test(value) && Buffer.from(value, 'base64').length === digestLength(algorithm)

const checksumAlgorithmOf = (v: string | undefined): ChecksumAlgorithm | undefined | S3Error => {
  if (v === undefined) return undefined
  const a = CHECKSUM_ALGORITHMS.find((x) => x === v.trim().toLowerCase())
  return a ?? S3Errors.invalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, SHA1, SHA256]`)
}

const encryptionOf = (req: IncomingMessage, ctx: S3Context, region: string): StoredEncryption | S3Error => {
  const sse = headerOf(req, 'x-amz-server-side-encryption')
  if (sse === undefined || sse === 'AES256') return { algorithm: 'AES256' }
  if (sse === 'aws:kms') {
    return {
      algorithm: 'aws:kms',
      kmsKeyId: headerOf(req, 'x-amz-server-side-encryption-aws-kms-key-id') ?? `arn:${ctx.partition}:kms:${region}:${ctx.accountId}:alias/aws/s3`,
    }
  }
  return S3Errors.invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', sse)
}

const encryptionHeaders = (e: StoredEncryption): Record<string, string> => ({
  'x-amz-server-side-encryption': e.algorithm,
  ...(e.kmsKeyId === undefined ? {} : { 'x-amz-server-side-encryption-aws-kms-key-id': e.kmsKeyId }),
})

const drain = async (req: IncomingMessage): Promise<void> => {
  try {
    for await (const _ of req) {
      // discarded: the answer does not depend on it, but the connection must be left clean for the next request
    }
  } catch {
    // the client went away
  }
}

// Read a small XML/JSON body whole, refusing one over the limit.
const readSmall = async (req: IncomingMessage): Promise<Buffer | S3Error> => {
  const chunks: Array<Buffer> = []
  let size = 0
  for await (const c of req) {
    size += (c as Buffer).length
    if (size > MAX_XML_BODY) {
      await drain(req)
      return S3Errors.s3Error(400, 'MaxMessageLengthExceeded', 'Your request was too big.')
    }
    chunks.push(c as Buffer)
  }
  return Buffer.concat(chunks)
}

// -------------------------------------------------------------------------------------------------
// streaming ingest
// -------------------------------------------------------------------------------------------------

interface Ingested {
  readonly size: number
  readonly md5: Buffer
  readonly checksums: ReadonlyMap<ChecksumAlgorithm, Buffer>
  readonly body: Buffer | undefined
  /** The algorithm and value the client claimed, checked. */
  readonly claimed: ChecksumAlgorithm | undefined
}

/**
 * Stream a payload through every hash it is checked against, keeping at most `keep` bytes; judge the claims once
 * the last byte is in.
 */
const ingest = async (
  req: IncomingMessage,
  compute: ReadonlyArray<ChecksumAlgorithm>,
  keep: number,
  limit: number,
): Promise<Ingested | S3Error> => {
  const contentSha = headerOf(req, 'x-amz-content-sha256')?.trim() ?? ''
  const encoding = (headerOf(req, 'content-encoding') ?? '').split(',').map((s) => s.trim().toLowerCase())
  const chunked = contentSha === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' || encoding.includes('aws-chunked')
  if (contentSha.startsWith('STREAMING-AWS4-') || contentSha.startsWith('STREAMING-ECDSA')) {
    await drain(req)
    return S3Errors.notImplemented('The emulator does not verify chunk signatures: sign the payload, or send UNSIGNED-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER.')
  }
  if (!chunked && contentSha !== 'UNSIGNED-PAYLOAD' && !HEX_SHA256.test(contentSha)) {
    await drain(req)
    return S3Errors.invalidArgument(
      'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, or a valid sha256 value.',
      'x-amz-content-sha256',
      contentSha,
    )
  }
  const declared = chunked ? headerOf(req, 'x-amz-decoded-content-length') : headerOf(req, 'content-length')
  if (declared === undefined || !/^\d+$/.test(declared)) {
    await drain(req)
    return S3Errors.s3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.')
  }
  if (Number(declared) > limit) {
    await drain(req)
    return S3Errors.s3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', {
      ProposedSize: declared,
      MaxSizeAllowed: String(limit),
    })
  }
  const claim = claimOf(req, chunked)
  if (isError(claim)) {
    await drain(req)
    return claim
  }
  const contentMd5 = headerOf(req, 'content-md5')
  const md5 = createHash('md5')
  const sha: Hash | undefined = HEX_SHA256.test(contentSha) ? createHash('sha256') : undefined
  const algorithms = new Set(compute)
  if (claim._tag !== 'None') algorithms.add(claim.algorithm)
  const hashers = new Map<ChecksumAlgorithm, Checksummer>([...algorithms].map((a) => [a, checksummer(a)]))
  const decoder = chunked ? new AwsChunkedDecoder() : undefined
  let kept: Array<Buffer> | undefined = keep > 0 ? [] : undefined
  let size = 0
  const take = (piece: Buffer): void => {
    size += piece.length
    md5.update(piece)
    sha?.update(piece)
    for (const h of hashers.values()) h.update(piece)
    if (kept !== undefined) {
      if (size <= keep) kept.push(Buffer.from(piece))
      else kept = undefined
    }
  }
  try {
    for await (const c of req) {
      const chunk = c as Buffer
      if (sha !== undefined && decoder !== undefined) sha.update(chunk)
      if (decoder === undefined) take(chunk)
      else for (const piece of decoder.push(chunk)) take(piece)
    }
  } catch {
    return S3Errors.s3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header')
  }
  let trailers: ReadonlyMap<string, string> = new Map()
  if (decoder !== undefined) {
    const ended = decoder.end()
    if (typeof ended === 'string') return S3Errors.invalidRequest(`The aws-chunked body is malformed: ${ended}.`)
    trailers = ended
  }
  if (size !== Number(declared)) {
    return S3Errors.s3Error(400, 'IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header')
  }
  if (sha !== undefined && decoder === undefined) {
    const computed = sha.digest('hex')
    if (computed !== contentSha) {
      return S3Errors.s3Error(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        ClientComputedContentSHA256: contentSha,
        S3ComputedContentSHA256: computed,
      })
    }
  }
  const md5Digest = md5.digest()
  if (contentMd5 !== undefined && contentMd5.trim() !== md5Digest.toString('base64')) {
    return S3Errors.s3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', {
      ExpectedDigest: contentMd5.trim(),
      CalculatedDigest: md5Digest.toString('base64'),
    })
  }
  const checksums = new Map([...hashers].map(([a, h]) => [a, h.digest()] as const))
  if (claim._tag !== 'None') {
    const value = claim._tag === 'Header' ? claim.value : trailers.get(`x-amz-checksum-${claim.algorithm}`)
    if (value === undefined || !validChecksum(claim.algorithm, value)) {
      return S3Errors.invalidRequest(`Value for x-amz-checksum-${claim.algorithm} trailing header is invalid.`)
    }
    if (checksums.get(claim.algorithm)!.toString('base64') !== value) return S3Errors.badDigest(claim.algorithm)
  }
  return {
    size,
    md5: md5Digest,
    checksums,
    body: kept === undefined ? undefined : Buffer.concat(kept),
    claimed: claim._tag === 'None' ? undefined : claim.algorithm,
  }
}

// -------------------------------------------------------------------------------------------------
// operations
// -------------------------------------------------------------------------------------------------

const objectHeaders = (o: StoredObject, req: IncomingMessage): Record<string, string> => {
  const checksumMode = headerOf(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED'
  return {
    'content-length': String(o.size),
    'content-type': o.contentType,
    etag: o.etag,
    'last-modified': new Date(o.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    ...encryptionHeaders(o.encryption),
    ...(o.partsCount === undefined ? {} : { 'x-amz-mp-parts-count': String(o.partsCount) }),
    ...(checksumMode && o.checksum !== undefined
      ? { [`x-amz-checksum-${o.checksum.algorithm}`]: o.checksum.value, 'x-amz-checksum-type': o.checksum.type }
      : {}),
  }
}

const owner = (ctx: S3Context): string => `<ID>${ctx.accountId}</ID><DisplayName>emulator</DisplayName>`

const partInt = (v: string | undefined, name: string, min: number, max: number): number | S3Error => {
  if (v === undefined || !/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) {
    return S3Errors.invalidArgument(`${name} must be an integer between ${min} and ${max}.`, name, v ?? '')
  }
  return Number(v)
}

const completionClaims = (body: Buffer): ReadonlyArray<CompletedPartClaim> | S3Error => {
  const doc = parseXml(body.toString('utf8'))
  if (doc._tag !== 'Right') return S3Errors.malformedXml()
  const root = doc.right['CompleteMultipartUpload']
  if (root === undefined) return S3Errors.malformedXml()
  const parts = child(root, 'Part')
  const list: ReadonlyArray<XmlNode> = parts === undefined ? [] : Array.isArray(parts) ? (parts as ReadonlyArray<XmlNode>) : [parts as XmlNode]
  const out: Array<CompletedPartClaim> = []
  for (const p of list) {
    const n = textOf(first(child(p, 'PartNumber')))
    const etag = textOf(first(child(p, 'ETag')))
    if (n === undefined || !/^\d+$/.test(n) || etag === undefined) return S3Errors.malformedXml()
    const checksums = new Map<ChecksumAlgorithm, string>()
    for (const a of CHECKSUM_ALGORITHMS) {
      const v = textOf(first(child(p, `Checksum${a.toUpperCase()}`)))
      if (v !== undefined) checksums.set(a, v.trim())
    }
    out.push({ partNumber: Number(n), etag, checksums })
  }
  return out
}

const uploadXml = (u: StoredUpload, ctx: S3Context): string =>
  `<Upload>${el('Key', u.key)}${el('UploadId', u.id)}<Initiator>${owner(ctx)}</Initiator><Owner>${owner(ctx)}</Owner><StorageClass>STANDARD</StorageClass>${el('Initiated', iso(u.initiated))}${el('ChecksumAlgorithm', u.algorithm?.toUpperCase())}${el('ChecksumType', u.type)}</Upload>`

/**
 * Answer one S3 request. Never throws for anything a client sends; the body is always consumed before answering.
 *
 * @internal
 * @since 0.2.0
 */
export const handleS3 = async (req: IncomingMessage, ctx: S3Context): Promise<S3Answer> => {
  const method = (req.method ?? 'GET').toUpperCase()
  const head = method === 'HEAD'
  const routed = routeOf(method, req.url ?? '/')
  if (isError(routed)) {
    await drain(req)
    return errorAnswer(routed, undefined, ctx.requestId, head)
  }
  const route = routed
  const fail = async (e: S3Error, consume = true): Promise<S3Answer> => {
    if (consume) await drain(req)
    return errorAnswer(e, route, ctx.requestId, head)
  }
  const verified = ctx.verify(req)
  if (isError(verified)) return fail(verified)
  if (ctx.denied(route.action)) return fail(S3Errors.accessDenied())
  const store = ctx.store
  const signedRegion = verified.region

  if (route.operation === 'ListBuckets') {
    await drain(req)
    const buckets = store
      .listBuckets()
      .map((b) => `<Bucket>${el('Name', b.name)}${el('CreationDate', iso(b.created))}${el('BucketRegion', b.region)}</Bucket>`)
      .join('')
    return ok(route, xml('ListAllMyBucketsResult', `<Owner>${owner(ctx)}</Owner><Buckets>${buckets}</Buckets>`))
  }

  if (route.operation === 'CreateBucket') {
    const body = await readSmall(req)
    if (isError(body)) return fail(body, false)
    let region = 'us-east-1'
    if (body.length > 0) {
      const doc = parseXml(body.toString('utf8'))
      const root = doc._tag === 'Right' ? doc.right['CreateBucketConfiguration'] : undefined
      if (root === undefined) return fail(S3Errors.malformedXml(), false)
      const constraint = textOf(first(child(root, 'LocationConstraint')))
      if (constraint !== undefined && constraint !== '') region = constraint
    }
    // A bucket is made in the region the request is signed for; a constraint naming another is refused.
    if (region !== signedRegion) {
      return fail(
        S3Errors.s3Error(
          400,
          'IllegalLocationConstraintException',
          `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`,
        ),
        false,
      )
    }
    const made = store.createBucket(route.bucket, region)
    if (made._tag === 'Left') return fail(made.left, false)
    return ok(route, '', { location: `/${route.bucket}` })
  }

  const bucket = store.bucket(route.bucket)
  if (bucket === undefined) return fail(S3Errors.noSuchBucket(route.bucket))
  // S3 is global but each bucket lives in one region: a request signed for another is refused, saying where.
  if (route.operation !== 'GetBucketLocation' && bucket.region !== signedRegion) {
    return fail(S3Errors.wrongRegion(signedRegion, bucket.region))
  }
  return bucketOperation(req, route, bucket, ctx, signedRegion, fail)
}

const bucketOperation = async (
  req: IncomingMessage,
  route: Route,
  bucket: StoredBucket,
  ctx: S3Context,
  region: string,
  fail: (e: S3Error, consume?: boolean) => Promise<S3Answer>,
): Promise<S3Answer> => {
  const store = ctx.store
  const q = route.query
  switch (route.operation) {
    case 'HeadBucket':
      await drain(req)
      return ok(route, '', { 'x-amz-bucket-region': bucket.region })
    case 'DeleteBucket': {
      await drain(req)
      const d = store.deleteBucket(bucket)
      return d._tag === 'Left' ? fail(d.left, false) : ok(route, '', {}, 204)
    }
    case 'GetBucketLocation':
      await drain(req)
      // us-east-1 is the empty constraint, for historical reasons.
      return ok(route, xml('LocationConstraint', escapeXml(bucket.region === 'us-east-1' ? '' : bucket.region)))
    case 'GetBucketPolicy':
      await drain(req)
      if (bucket.policy === undefined) {
        return fail(S3Errors.s3Error(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: bucket.name }), false)
      }
      return ok(route, Buffer.from(bucket.policy, 'utf8'), { 'content-type': 'application/json' })
    case 'PutBucketPolicy': {
      const body = await readSmall(req)
      if (isError(body)) return fail(body, false)
      try {
        const parsed: unknown = JSON.parse(body.toString('utf8'))
        if (typeof parsed !== 'object' || parsed === null) throw new TypeError('not an object')
      } catch {
        return fail(S3Errors.s3Error(400, 'MalformedPolicy', 'Policies must be valid JSON and the first byte must be \'{\''), false)
      }
      bucket.policy = body.toString('utf8')
      return ok(route, '', {}, 204)
    }
    case 'DeleteBucketPolicy':
      await drain(req)
      bucket.policy = undefined
      return ok(route, '', {}, 204)
    case 'GetBucketLifecycleConfiguration':
      await drain(req)
      if (bucket.lifecycle === undefined) {
        return fail(
          S3Errors.s3Error(404, 'NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', { BucketName: bucket.name }),
          false,
        )
      }
      return ok(route, `${XML_DECLARATION}${bucket.lifecycle}`)
    case 'PutBucketLifecycleConfiguration': {
      const body = await readSmall(req)
      if (isError(body)) return fail(body, false)
      const text = body.toString('utf8')
      const doc = parseXml(text)
      if (doc._tag !== 'Right' || doc.right['LifecycleConfiguration'] === undefined) return fail(S3Errors.malformedXml(), false)
      // Kept as sent (without its declaration): GetBucketLifecycleConfiguration answers with the same rules.
      bucket.lifecycle = text.replace(/^\s*<\?xml[^>]*\?>\s*/, '')
      return ok(route)
    }
    case 'DeleteBucketLifecycle':
      await drain(req)
      bucket.lifecycle = undefined
      return ok(route, '', {}, 204)
    case 'ListMultipartUploads': {
      await drain(req)
      const prefix = q.get('prefix') ?? ''
      const keyMarker = q.get('key-marker') ?? ''
      const idMarker = q.get('upload-id-marker') ?? ''
      const max = partInt(q.get('max-uploads') ?? '1000', 'max-uploads', 0, 1000)
      if (isError(max)) return fail(max, false)
      const all = [...bucket.uploads.values()]
        .filter((u) => u.key.startsWith(prefix))
        .sort((a, b) => (a.key === b.key ? a.initiated - b.initiated || (a.id < b.id ? -1 : 1) : a.key < b.key ? -1 : 1))
      // Markers: uploads after (key-marker, upload-id-marker) in that order.
      const start = keyMarker === '' ? 0 : all.findIndex((u) => u.key > keyMarker || (u.key === keyMarker && idMarker !== '' && u.id > idMarker))
      const rest = start === -1 ? [] : all.slice(start)
      const page = rest.slice(0, max)
      const truncated = rest.length > page.length
      const last = page[page.length - 1]
      return ok(
        route,
        xml(
          'ListMultipartUploadsResult',
          `${el('Bucket', bucket.name)}${el('KeyMarker', keyMarker)}${el('UploadIdMarker', idMarker)}${
            truncated && last !== undefined ? `${el('NextKeyMarker', last.key)}${el('NextUploadIdMarker', last.id)}` : ''
          }${el('Prefix', prefix)}${el('MaxUploads', max)}${el('IsTruncated', truncated)}${page.map((u) => uploadXml(u, ctx)).join('')}`,
        ),
      )
    }
    default:
      return objectOperation(req, route, bucket, ctx, region, fail)
  }
}

const objectOperation = async (
  req: IncomingMessage,
  route: Route,
  bucket: StoredBucket,
  ctx: S3Context,
  region: string,
  fail: (e: S3Error, consume?: boolean) => Promise<S3Answer>,
): Promise<S3Answer> => {
  const store = ctx.store
  const q = route.query
  switch (route.operation) {
    case 'PutObject': {
      if (headerOf(req, 'x-amz-copy-source') !== undefined) return fail(S3Errors.notImplemented('The emulator does not copy objects.'))
      const encryption = encryptionOf(req, ctx, region)
      if (isError(encryption)) return fail(encryption)
      const sdkAlgorithm = checksumAlgorithmOf(headerOf(req, 'x-amz-sdk-checksum-algorithm'))
      if (isError(sdkAlgorithm)) return fail(sdkAlgorithm)
      // Every object gets a checksum, as S3 gives one since 2025: the claimed one, else CRC32 (S3's default).
      const got = await ingest(req, [sdkAlgorithm ?? 'crc32'], store.maxStoredObjectBytes, MAX_PUT)
      if (isError(got)) return fail(got, false)
      const algorithm = got.claimed ?? sdkAlgorithm ?? 'crc32'
      const value = got.checksums.get(algorithm)!.toString('base64')
      const o = store.putObject(bucket, {
        key: route.key,
        size: got.size,
        etag: `"${got.md5.toString('hex')}"`,
        contentType: headerOf(req, 'content-type') ?? 'binary/octet-stream',
        checksum: { algorithm, type: 'FULL_OBJECT', value },
        encryption,
        partsCount: undefined,
        body: got.body,
      })
      return ok(route, '', {
        etag: o.etag,
        [`x-amz-checksum-${algorithm}`]: value,
        'x-amz-checksum-type': 'FULL_OBJECT',
        ...encryptionHeaders(encryption),
      })
    }
    case 'HeadObject':
    case 'GetObject': {
      await drain(req)
      const o = bucket.objects.get(route.key)
      if (o === undefined) return fail(S3Errors.noSuchKey(route.key), false)
      const headers = objectHeaders(o, req)
      if (route.operation === 'HeadObject') return ok(route, '', headers)
      if (o.body === undefined) {
        return fail(
          S3Errors.notImplemented(
            `The emulator keeps the bytes of objects up to ${store.maxStoredObjectBytes} bytes (maxStoredObjectBytes); this one has ${o.size}.`,
          ),
          false,
        )
      }
      return ok(route, o.body, headers)
    }
    case 'DeleteObject':
      await drain(req)
      // Deleting a key that does not exist succeeds: S3 answers 204 either way.
      bucket.objects.delete(route.key)
      return ok(route, '', {}, 204)
    case 'CreateMultipartUpload': {
      await drain(req)
      const algorithm = checksumAlgorithmOf(headerOf(req, 'x-amz-checksum-algorithm'))
      if (isError(algorithm)) return fail(algorithm, false)
      const typeHeader = headerOf(req, 'x-amz-checksum-type')?.trim().toUpperCase()
      if (typeHeader !== undefined && typeHeader !== 'FULL_OBJECT' && typeHeader !== 'COMPOSITE') {
        return fail(S3Errors.invalidRequest(`Value for x-amz-checksum-type header is invalid.`), false)
      }
      const encryption = encryptionOf(req, ctx, region)
      if (isError(encryption)) return fail(encryption, false)
      const made = store.createUpload(
        bucket,
        route.key,
        algorithm,
        typeHeader as ChecksumType | undefined,
        headerOf(req, 'content-type') ?? 'binary/octet-stream',
        encryption,
      )
      if (made._tag === 'Left') return fail(made.left, false)
      const u = made.right
      return ok(
        route,
        xml('InitiateMultipartUploadResult', `${el('Bucket', bucket.name)}${el('Key', u.key)}${el('UploadId', u.id)}`),
        {
          ...(u.algorithm === undefined ? {} : { 'x-amz-checksum-algorithm': u.algorithm.toUpperCase() }),
          ...(u.type === undefined ? {} : { 'x-amz-checksum-type': u.type }),
          ...encryptionHeaders(encryption),
        },
      )
    }
    case 'UploadPart': {
      const n = partInt(q.get('partNumber'), 'partNumber', 1, MAX_PARTS)
      if (isError(n)) return fail(n)
      const found = store.upload(bucket, route.key, q.get('uploadId') ?? '')
      if (found._tag === 'Left') return fail(found.left)
      const u = found.right
      const claimed = CHECKSUM_ALGORITHMS.find(
        (a) => headerOf(req, `x-amz-checksum-${a}`) !== undefined || headerOf(req, 'x-amz-trailer')?.trim().toLowerCase() === `x-amz-checksum-${a}`,
      )
      if (u.algorithm !== undefined && claimed !== undefined && claimed !== u.algorithm) {
        return fail(
          S3Errors.invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${u.algorithm}, actual checksum Type: ${claimed}`),
        )
      }
      // Part bytes are kept only while the whole upload stays within the limit.
      let keptElsewhere = 0
      for (const p of u.parts.values()) if (p.number !== n && p.body !== undefined) keptElsewhere += p.size
      const keep = Math.max(0, store.maxStoredObjectBytes - keptElsewhere)
      const got = await ingest(req, u.algorithm === undefined ? [] : [u.algorithm], keep, MAX_PUT)
      if (isError(got)) return fail(got, false)
      // The upload may have been completed or aborted while this part streamed in.
      if (bucket.uploads.get(u.id) !== u) return fail(S3Errors.noSuchUpload(u.id), false)
      const etag = `"${got.md5.toString('hex')}"`
      store.putPart(u, {
        number: n,
        size: got.size,
        etag,
        md5: got.md5,
        checksums: got.checksums,
        body: got.body !== undefined && got.body.length <= keep ? got.body : undefined,
      })
      const shown = got.claimed ?? u.algorithm
      return ok(route, '', {
        etag,
        ...(shown === undefined ? {} : { [`x-amz-checksum-${shown}`]: got.checksums.get(shown)!.toString('base64') }),
        ...encryptionHeaders(u.encryption),
      })
    }
    case 'CompleteMultipartUpload': {
      const body = await readSmall(req)
      if (isError(body)) return fail(body, false)
      const found = store.upload(bucket, route.key, q.get('uploadId') ?? '')
      if (found._tag === 'Left') return fail(found.left, false)
      const claims = completionClaims(body)
      if (isError(claims)) return fail(claims, false)
      const typeHeader = headerOf(req, 'x-amz-checksum-type')?.trim().toUpperCase()
      if (typeHeader !== undefined && typeHeader !== 'FULL_OBJECT' && typeHeader !== 'COMPOSITE') {
        return fail(S3Errors.invalidRequest(`Value for x-amz-checksum-type header is invalid.`), false)
      }
      const expected = new Map<ChecksumAlgorithm, string>()
      for (const a of CHECKSUM_ALGORITHMS) {
        const v = headerOf(req, `x-amz-checksum-${a}`)
        if (v !== undefined) expected.set(a, v.trim())
      }
      const done = store.completeUpload(bucket, found.right, claims, { type: typeHeader as ChecksumType | undefined, checksums: expected })
      if (done._tag === 'Left') return fail(done.left, false)
      const o = done.right
      const host = headerOf(req, 'host') ?? '127.0.0.1'
      const c = o.checksum
      return ok(
        route,
        xml(
          'CompleteMultipartUploadResult',
          `${el('Location', `http://${host}/${encodeURIComponent(bucket.name)}/${route.key.split('/').map(encodeURIComponent).join('/')}`)}${el('Bucket', bucket.name)}${el('Key', o.key)}${el('ETag', o.etag)}${
            c === undefined ? '' : `${el(`Checksum${c.algorithm.toUpperCase()}`, c.value)}${el('ChecksumType', c.type)}`
          }`,
        ),
        encryptionHeaders(o.encryption),
      )
    }
    case 'AbortMultipartUpload': {
      await drain(req)
      const found = store.upload(bucket, route.key, q.get('uploadId') ?? '')
      if (found._tag === 'Left') return fail(found.left, false)
      store.abortUpload(bucket, found.right)
      return ok(route, '', {}, 204)
    }
    case 'ListParts': {
      await drain(req)
      const found = store.upload(bucket, route.key, q.get('uploadId') ?? '')
      if (found._tag === 'Left') return fail(found.left, false)
      const u = found.right
      const max = partInt(q.get('max-parts') ?? '1000', 'max-parts', 0, 1000)
      if (isError(max)) return fail(max, false)
      const marker = partInt(q.get('part-number-marker') ?? '0', 'part-number-marker', 0, MAX_PARTS)
      if (isError(marker)) return fail(marker, false)
      const after = [...u.parts.values()].filter((p) => p.number > marker).sort((a, b) => a.number - b.number)
      const page = after.slice(0, max)
      const truncated = after.length > page.length
      const parts = page
        .map(
          (p) =>
            `<Part>${el('PartNumber', p.number)}${el('LastModified', iso(p.lastModified))}${el('ETag', p.etag)}${el('Size', p.size)}${[...p.checksums]
              .map(([a, v]) => el(`Checksum${a.toUpperCase()}`, v.toString('base64')))
              .join('')}</Part>`,
        )
        .join('')
      return ok(
        route,
        xml(
          'ListPartsResult',
          `${el('Bucket', bucket.name)}${el('Key', u.key)}${el('UploadId', u.id)}${el('PartNumberMarker', marker)}${el(
            'NextPartNumberMarker',
            page[page.length - 1]?.number ?? marker,
          )}${el('MaxParts', max)}${el('IsTruncated', truncated)}${parts}<Initiator>${owner(ctx)}</Initiator><Owner>${owner(ctx)}</Owner><StorageClass>STANDARD</StorageClass>${el(
            'ChecksumAlgorithm',
            u.algorithm?.toUpperCase(),
          )}${el('ChecksumType', u.type)}`,
        ),
      )
    }
    default:
      return fail(S3Errors.notImplemented('A header or query you provided implies functionality that is not implemented.'))
  }
}

// Exported for the emulator's body-less answers (faults before the body is read).
export { drain as drainBody }
