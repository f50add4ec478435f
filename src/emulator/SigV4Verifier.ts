/**
 * Verifies AWS Signature Version 4 on an incoming request, the way the service side does it.
 *
 * Written from the SigV4 specification with `node:crypto` alone, and deliberately sharing no code with the
 * client's signer (`Signer.ts`, built on `aws4`): a verifier that reused the signer would agree with every bug in it.
 * The canonical request is rebuilt over exactly the headers the client lists in `SignedHeaders`, so it works for
 * any signer, including `@aws-sdk/client-ec2`, which signs headers of its own (`amz-sdk-invocation-id`,
 * `amz-sdk-request`, `x-amz-user-agent`).
 *
 * @since 0.1.0
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * A key pair the verifier accepts.
 *
 * @internal
 * @since 0.1.0
 */
export interface VerifierCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

/**
 * A request as it arrived: method, raw target, raw header lines and body bytes.
 *
 * @internal
 * @since 0.1.0
 */
export interface IncomingSignedRequest {
  readonly method: string
  /** Path and `?query` exactly as on the request line. */
  readonly target: string
  /** Header names and values in arrival order, repeated names kept (Node's `rawHeaders` in pairs). */
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>
  readonly body: Uint8Array
}

/**
 * What the verifier needs from the service.
 *
 * @internal
 * @since 0.1.0
 */
export interface VerifierContext {
  /** The region(s) the endpoint serves, as named in the refusal of a request scoped elsewhere. */
  readonly region: string
  /**
   * Whether a credential scope's region is served. Default: only `region`. An endpoint serving many regions takes
   * the region from the scope, so the scope is checked against its list instead.
   *
   * @since 0.2.0
   */
  readonly acceptsRegion?: (region: string) => boolean
  readonly service: string
  /** The service's clock, in ms since the epoch. */
  readonly now: number
  /** How far `X-Amz-Date` may be from `now` either way. */
  readonly maxSkewMs: number
  readonly credentials: (accessKeyId: string) => VerifierCredentials | undefined
  /**
   * S3's rules: the path is used as sent (each segment encoded once, not normalized), and the payload's hash is the
   * `x-amz-content-sha256` header, so a body streamed after the headers is checked against it afterwards.
   *
   * @since 0.2.0
   */
  readonly s3?: boolean
}

/**
 * The verdict: the key the request was signed with, or the EC2 error to answer with.
 *
 * @internal
 * @since 0.1.0
 */
export type Verdict =
  | {
      readonly _tag: 'Verified'
      readonly accessKeyId: string
      /** The region of the credential scope: the region the request is for. @since 0.2.0 */
      readonly region: string
    }
  | { readonly _tag: 'Rejected'; readonly status: number; readonly code: string; readonly message: string }

// -------------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------------

const ALGORITHM = 'AWS4-HMAC-SHA256'

const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex')
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest()

/**
 * RFC 3986 encoding of every byte outside the unreserved set, uppercase hex, as the SigV4 spec defines `UriEncode`.
 *
 * @internal
 * @since 0.1.0
 */
export const uriEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    // A lone `%` is not an escape: keep it literally rather than refuse, the signature decides.
    return s
  }
}

// S3 signs the path as sent: each segment URI-encoded once, `.` and `..` and empty segments kept.
const s3CanonicalUri = (rawPath: string): string =>
  rawPath
    .split('/')
    .map((seg) => uriEncode(safeDecode(seg)))
    .join('/')

// Every service but S3 normalizes the path and encodes each segment of the (already encoded) path once more.
const canonicalUri = (rawPath: string): string => {
  const segments: Array<string> = []
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') segments.pop()
    else segments.push(uriEncode(seg))
  }
  const trailing = rawPath.length > 1 && rawPath.endsWith('/') && segments.length > 0 ? '/' : ''
  return `/${segments.join('/')}${trailing}`
}

const canonicalQuery = (rawQuery: string): string => {
  if (rawQuery === '') return ''
  const pairs: Array<[string, string]> = []
  for (const part of rawQuery.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const k = safeDecode((eq === -1 ? part : part.slice(0, eq)).replace(/\+/g, ' '))
    const v = safeDecode((eq === -1 ? '' : part.slice(eq + 1)).replace(/\+/g, ' '))
    if (k === 'X-Amz-Signature') continue
    pairs.push([uriEncode(k), uriEncode(v)])
  }
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
  return pairs.map(([k, v]) => `${k}=${v}`).join('&')
}

const headerValues = (headers: IncomingSignedRequest['headers'], lower: string): Array<string> =>
  headers.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v)

const oneHeader = (headers: IncomingSignedRequest['headers'], lower: string): string | undefined => {
  const vs = headerValues(headers, lower)
  return vs.length === 0 ? undefined : vs.join(',')
}

const reject = (status: number, code: string, message: string): Verdict => ({ _tag: 'Rejected', status, code, message })

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/

const parseAmzDate = (s: string): number | undefined => {
  const m = AMZ_DATE.exec(s)
  if (m === null) return undefined
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
  return Number.isNaN(t) ? undefined : t
}

const toAmzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

interface ParsedAuthorization {
  readonly credential: string
  readonly signedHeaders: ReadonlyArray<string>
  readonly signature: string
}

const parseAuthorization = (value: string): ParsedAuthorization | string => {
  const space = value.indexOf(' ')
  const algorithm = space === -1 ? value : value.slice(0, space)
  if (algorithm !== ALGORITHM) return `Unsupported AWS 'algorithm': '${algorithm}'`
  const fields = new Map<string, string>()
  for (const part of value.slice(space + 1).split(',')) {
    const p = part.trim()
    const eq = p.indexOf('=')
    if (eq > 0) fields.set(p.slice(0, eq), p.slice(eq + 1))
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((k) => !fields.has(k))
  if (missing.length > 0) return missing.map((k) => `Authorization header requires '${k}' parameter.`).join(' ')
  return {
    credential: fields.get('Credential')!,
    signedHeaders: fields.get('SignedHeaders')!.split(';'),
    signature: fields.get('Signature')!,
  }
}

// -------------------------------------------------------------------------------------------------
// verifier
// -------------------------------------------------------------------------------------------------

/**
 * The canonical request SigV4 defines, over the headers named in `signedHeaders` (lowercase, in that order).
 *
 * @internal
 * @since 0.1.0
 */
export const canonicalRequest = (
  req: IncomingSignedRequest,
  signedHeaders: ReadonlyArray<string>,
  s3?: { readonly payloadHash: string },
): string => {
  const q = req.target.indexOf('?')
  const path = q === -1 ? req.target : req.target.slice(0, q)
  const query = q === -1 ? '' : req.target.slice(q + 1)
  const headerLines = signedHeaders.map((h) => {
    const values = headerValues(req.headers, h).map((v) => v.trim().replace(/\s+/g, ' '))
    return `${h}:${values.join(',')}\n`
  })
  return [
    req.method.toUpperCase(),
    s3 === undefined ? canonicalUri(path === '' ? '/' : path) : s3CanonicalUri(path === '' ? '/' : path),
    canonicalQuery(query),
    headerLines.join(''),
    signedHeaders.join(';'),
    s3 === undefined ? sha256Hex(req.body) : s3.payloadHash,
  ].join('\n')
}

/**
 * The SigV4 signature of a request, given the canonical request's inputs. Exposed so tests can sign by the spec
 * without the client's signer.
 *
 * @internal
 * @since 0.1.0
 */
export const computeSignature = (
  secretAccessKey: string,
  amzDate: string,
  scope: { readonly date: string; readonly region: string; readonly service: string },
  canonical: string,
): string => {
  const stringToSign = [
    ALGORITHM,
    amzDate,
    `${scope.date}/${scope.region}/${scope.service}/aws4_request`,
    sha256Hex(canonical),
  ].join('\n')
  const kDate = hmac(`AWS4${secretAccessKey}`, scope.date)
  const kRegion = hmac(kDate, scope.region)
  const kService = hmac(kRegion, scope.service)
  const kSigning = hmac(kService, 'aws4_request')
  return createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex')
}

/**
 * Check a request's `Authorization` header, its date and its session token. The error codes and HTTP statuses are
 * EC2's: `MissingAuthenticationToken` 403, `IncompleteSignature` 400, `AuthFailure` 401 (unknown key or token),
 * `RequestExpired` 400, `SignatureDoesNotMatch` 403.
 *
 * @internal
 * @since 0.1.0
 */
export const verifySigV4 = (req: IncomingSignedRequest, ctx: VerifierContext): Verdict => {
  const authorization = oneHeader(req.headers, 'authorization')
  if (authorization === undefined || authorization.trim() === '') {
    return reject(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token')
  }
  const parsed = parseAuthorization(authorization.trim())
  if (typeof parsed === 'string') return reject(400, 'IncompleteSignature', parsed)

  const amzDateHeader = oneHeader(req.headers, 'x-amz-date')
  if (amzDateHeader === undefined) {
    return reject(
      400,
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    )
  }
  const signedAt = parseAmzDate(amzDateHeader.trim())
  if (signedAt === undefined) {
    return reject(
      400,
      'IncompleteSignature',
      `Date must be in ISO-8601 'basic format'. Got '${amzDateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    )
  }

  const scope = parsed.credential.split('/')
  if (scope.length !== 5 || scope[4] !== 'aws4_request' || scope.some((s) => s === '')) {
    return reject(
      400,
      'IncompleteSignature',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/aws4_request, got '${parsed.credential.split('/').slice(1).join('/')}'`,
    )
  }
  const [accessKeyId, scopeDate, scopeRegion, scopeService] = scope as [string, string, string, string, string]

  const creds = ctx.credentials(accessKeyId)
  if (creds === undefined) {
    return reject(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials')
  }

  // Freshness is judged against the emulator's clock, so a test can age a request by advancing the clock.
  if (Math.abs(ctx.now - signedAt) > ctx.maxSkewMs) {
    return reject(
      400,
      'RequestExpired',
      `Request has expired. Timestamp date is ${amzDateHeader.trim()}, the service's clock reads ${toAmzDate(ctx.now)}.`,
    )
  }
  if (scopeDate !== amzDateHeader.trim().slice(0, 8)) {
    return reject(
      403,
      'SignatureDoesNotMatch',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDateHeader.trim().slice(0, 8)}', from 'X-Amz-Date'.`,
    )
  }
  if (scopeService !== ctx.service) {
    return reject(403, 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${ctx.service}'.`)
  }
  if (!(ctx.acceptsRegion ?? ((r: string) => r === ctx.region))(scopeRegion)) {
    return reject(
      403,
      'SignatureDoesNotMatch',
      `Credential should be scoped to a valid region, not '${scopeRegion}'. This endpoint serves '${ctx.region}'.`,
    )
  }
  const signed = parsed.signedHeaders
  if (!signed.includes('host')) {
    return reject(400, 'IncompleteSignature', "'Host' must be a 'SignedHeader' in the AWS Authorization.")
  }

  let s3: { readonly payloadHash: string } | undefined
  if (ctx.s3 === true) {
    const payloadHash = oneHeader(req.headers, 'x-amz-content-sha256')?.trim()
    // S3 refuses a SigV4 request without it: the hash it signs is the header's, not one it computes.
    if (payloadHash === undefined) {
      return reject(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256')
    }
    if (!signed.includes('x-amz-content-sha256')) {
      return reject(400, 'InvalidRequest', "'x-amz-content-sha256' must be a 'SignedHeader' in the AWS Authorization.")
    }
    s3 = { payloadHash }
  }
  const expected = computeSignature(
    creds.secretAccessKey,
    amzDateHeader.trim(),
    { date: scopeDate, region: scopeRegion, service: scopeService },
    canonicalRequest(req, signed, s3),
  )
  const given = Buffer.from(parsed.signature, 'utf8')
  const want = Buffer.from(expected, 'utf8')
  if (given.length !== want.length || !timingSafeEqual(given, want)) {
    return reject(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    )
  }

  // Temporary credentials are only valid with their token; long-term keys never carry one.
  const token = oneHeader(req.headers, 'x-amz-security-token')
  const wantToken = creds.sessionToken === undefined || creds.sessionToken === '' ? undefined : creds.sessionToken
  if (token !== wantToken) {
    return reject(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials')
  }
  return { _tag: 'Verified', accessKeyId, region: scopeRegion }
}

/**
 * The service named in a request's credential scope (`Credential=AKID/20260101/us-east-1/s3/aws4_request` → `s3`),
 * read before anything is verified, to choose which service answers (and in whose error envelope). `undefined` when
 * the request carries no readable scope.
 *
 * @internal
 * @since 0.2.0
 */
export const scopeServiceOf = (headers: IncomingSignedRequest['headers']): string | undefined => {
  const authorization = oneHeader(headers, 'authorization')
  if (authorization === undefined) return undefined
  const m = /Credential=([^,\s]+)/.exec(authorization)
  const parts = m?.[1]?.split('/')
  return parts !== undefined && parts.length === 5 ? parts[3] : undefined
}
