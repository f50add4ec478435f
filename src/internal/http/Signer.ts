/**
 * The SigV4 signing stage. Each attempt of a call, including every retry, goes through `signRequest`.
 * It is built on `aws4`'s `RequestSigner`, and it sits behind a pure interface: the function gets the request, the
 * credentials and the clock as arguments, returns a new request, and reads no ambient state.
 *
 * Which headers get signed: the request is sent with exactly the headers that come back from `signRequest`, and each
 * of them is signed except the few that `aws4` never signs (`user-agent`, `connection`, `expect`, `range`,
 * `x-amzn-trace-id`, `presigned-expires`; proxies and agents may rewrite these). The signer adds only what SigV4
 * itself needs:
 *
 * - `Host`, unless the caller already set one. A default port is left out, because HTTP clients leave it out of the
 *   `Host` they send, and a signed `host` that differs from the one sent fails verification.
 * - `X-Amz-Date`, from `params.now`.
 * - `X-Amz-Security-Token`, when the credentials carry a session token. It is signed as well as sent, as the AWS SDKs
 *   do.
 * - `Authorization`.
 *
 * `aws4`'s own header defaults are turned off (`doNotModifyHeaders`). Left on, `aws4` adds `Content-Length` to every
 * request with a body, and the signature would then depend on a header that the transport (undici) computes and
 * sends by itself. The body is already bound by its hash in the canonical request. The serializer sets
 * `Content-Type` (`application/x-www-form-urlencoded; charset=utf-8` for EC2 Query), and that value is signed as
 * given.
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import aws4 from 'aws4'
import type { RequestBody } from '../protocol/Protocol.js'
import { fastAuthorization } from './SignerFastPath.js'

export type { RequestBody } from '../protocol/Protocol.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The credentials one signature is computed with. They are always passed in explicitly: if `aws4` is given no
 * credentials it falls back to `process.env`, and a client that picks up credentials from the environment behind
 * the caller's back is both surprising and hard to test.
 *
 * An empty `sessionToken` counts as no token, the same as `aws4` and the AWS SDKs treat it.
 *
 * @internal
 * @since 0.1.0
 */
export interface SigningCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
}

/**
 * An HTTP request as the transport will send it. This shape is both the input and the output of signing, so a
 * signed request can be handed straight to the transport, and a retry can re-sign the original unsigned request.
 *
 * `path` is the request target: path plus `?query`, already percent-encoded. The canonical URI applies the second
 * encoding that SigV4 requires for every service except S3.
 *
 * @internal
 * @since 0.1.0
 */
export interface HttpRequest {
  readonly method: string
  readonly protocol: 'https:' | 'http:'
  readonly hostname: string
  readonly port?: number | undefined
  /** Path and `?query`, already percent-encoded. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: RequestBody
}


/**
 * Everything besides the request and the credentials that a signature depends on. The clock is an input so that
 * signing is deterministic: tests can pin it, and a retry can sign with the time of that attempt rather than the time
 * the call was built.
 *
 * @internal
 * @since 0.1.0
 */
export interface SigningParams {
  /** For example `us-east-1`. It is part of the credential scope. */
  readonly region: string
  /** The signing name. It is `ec2` for EC2. */
  readonly service: string
  /** The signing time. It becomes `X-Amz-Date` and the date of the credential scope. */
  readonly now: Date
}

/**
 * The intermediate results of one signature, as computed by the same `aws4` signer that `signRequest` uses. The test
 * suite uses them to compare each stage against the AWS SigV4 vectors, so that a mismatch points at the stage that
 * went wrong.
 *
 * @internal
 * @since 0.1.0
 */
export interface SigningStages {
  readonly canonicalRequest: string
  readonly stringToSign: string
  readonly authorization: string
}

// -------------------------------------------------------------------------------------------------
// internal
// -------------------------------------------------------------------------------------------------

const DEFAULT_PORT = { 'https:': 443, 'http:': 80 } as const

// Headers the signer owns. The caller's copies are dropped so that a re-signed request, or a stale token left over
// from earlier credentials, can never be sent next to (or signed instead of) the values computed here.
const OWNED = new Set(['authorization', 'x-amz-date', 'x-amz-security-token'])

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)

// `YYYYMMDDTHHMMSSZ`, from the date's UTC fields (`toISOString` and slicing cost ten times as much). SigV4's basic
// format has four digits for the year: a date outside 0000-9999 cannot be expressed.
const toAmzDate = (now: Date): string => {
  if (!Number.isFinite(now.getTime())) {
    throw new RangeError('Signer: params.now is not a valid Date')
  }
  const year = now.getUTCFullYear()
  if (year < 0 || year > 9999) {
    throw new RangeError('Signer: params.now is outside the years 0000-9999')
  }
  return `${String(year).padStart(4, '0')}${pad2(now.getUTCMonth() + 1)}${pad2(now.getUTCDate())}T${pad2(now.getUTCHours())}${pad2(now.getUTCMinutes())}${pad2(now.getUTCSeconds())}Z`
}

// The error messages name the field and never include its value: a message must not be able to carry a secret into
// a log.
const requireNonEmpty = (value: string, name: string): void => {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`Signer: ${name} must be a non-empty string`)
  }
}

// One object per request, holding exactly the headers to send before `Authorization` is added. A `Record` can hold
// the same header under two spellings (`My-Header` and `my-header`). HTTP treats those as one field whose values are
// joined with `,`, and SigV4 canonicalizes them the same way, so they are merged here. The first spelling is kept.
const headersToSend = (req: HttpRequest, amzDate: string, sessionToken: string | undefined, s3: boolean): Record<string, string> => {
  const out: Record<string, string> = {}
  const spelling = new Map<string, string>()
  for (const name of Object.keys(req.headers)) {
    const value = req.headers[name]
    if (value === undefined) continue
    const lower = name.toLowerCase()
    if (OWNED.has(lower)) continue
    const first = spelling.get(lower)
    if (first === undefined) {
      spelling.set(lower, name)
      out[name] = value
    } else {
      out[first] = `${out[first] ?? ''},${value}`
    }
  }
  // S3 refuses a SigV4 request without the payload hash header; the other services take it from the canonical request.
  if (s3 && !spelling.has('x-amz-content-sha256') && typeof req.body === 'string') {
    out['X-Amz-Content-Sha256'] = createHash('sha256').update(req.body, 'utf8').digest('hex')
  }
  if (!spelling.has('host')) {
    out['Host'] =
      req.port === undefined || req.port === DEFAULT_PORT[req.protocol] ? req.hostname : `${req.hostname}:${req.port}`
  }
  out['X-Amz-Date'] = amzDate
  if (sessionToken !== undefined) {
    out['X-Amz-Security-Token'] = sessionToken
  }
  return out
}

// Text is hashed by aws4. Anything else must carry its hash (or UNSIGNED-PAYLOAD) in `x-amz-content-sha256`, which
// aws4 then signs instead of hashing a body it cannot read.
const bodyToHash = (req: HttpRequest): string => {
  if (typeof req.body === 'string') return req.body
  const given = Object.keys(req.headers).some((h) => h.toLowerCase() === 'x-amz-content-sha256')
  if (!given) throw new TypeError('Signer: a body that is not text needs an x-amz-content-sha256 header')
  return ''
}

interface Prepared {
  readonly signer: aws4.RequestSigner
  readonly headers: Record<string, string>
}

interface ToSign {
  readonly headers: Record<string, string>
  readonly amzDate: string
  readonly creds: SigningCredentials
  readonly sessionToken: string | undefined
}

// What both signers start from: the arguments checked, and the headers to send (without `Authorization`).
const toSign = (req: HttpRequest, creds: SigningCredentials, params: SigningParams): ToSign => {
  requireNonEmpty(params.region, 'params.region')
  requireNonEmpty(params.service, 'params.service')
  requireNonEmpty(creds.accessKeyId, 'credentials.accessKeyId')
  requireNonEmpty(creds.secretAccessKey, 'credentials.secretAccessKey')
  const amzDate = toAmzDate(params.now)
  const sessionToken = creds.sessionToken === undefined || creds.sessionToken === '' ? undefined : creds.sessionToken
  return { headers: headersToSend(req, amzDate, sessionToken, params.service === 's3'), amzDate, creds, sessionToken }
}

// The `aws4` signer over those headers: the code path behind `signingStages`, and behind `signRequest` for whatever
// the fast path declines. `aws4` mutates the request object it gets, so it gets a new object; it also copies
// `headers` itself.
const prepare = (req: HttpRequest, { headers, amzDate, creds, sessionToken }: ToSign, params: SigningParams): Prepared => {
  const signer = new aws4.RequestSigner(
    {
      method: req.method,
      hostname: req.hostname,
      path: req.path,
      headers,
      body: bodyToHash(req),
      // Given explicitly so that `aws4` never guesses them from the host name. An empty value would make it guess,
      // which is why both are checked above.
      service: params.service,
      region: params.region,
      doNotModifyHeaders: true,
    },
    // Always an object, so `aws4` never falls back to `process.env`. It is a new object that holds only these
    // three fields.
    sessionToken === undefined
      ? { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }
      : { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey, sessionToken },
  )
  // With `doNotModifyHeaders`, `aws4` stops reading `X-Amz-Date` and would take the wall clock instead, so the
  // clock is pinned on the signer directly. This is the documented way to fix its date, and it keeps the header
  // and the scope in agreement.
  signer.datetime = amzDate
  // This is the first step of `aws4.sign`. It runs here, before anything else reads the signer, because
  // `authHeader` computes (and caches) the signed-header list before it would get round to it. Then both exports
  // below see the same state, whatever order they read it in.
  signer.prepareRequest()
  return { signer, headers }
}

// -------------------------------------------------------------------------------------------------
// signing
// -------------------------------------------------------------------------------------------------

/**
 * Signs `req` with AWS Signature Version 4 and returns a new request to send as-is. The input is never mutated, so a
 * retry re-signs the same unsigned request with a fresh `now`.
 *
 * The result carries `Host` (if it was missing), `X-Amz-Date`, `X-Amz-Security-Token` (when there is a session token;
 * signed too) and `Authorization`. Any of those three that were already on `req` are replaced. Every other header is
 * kept and signed as given, except the unsignable ones listed in the module documentation.
 *
 * `path` comes back as `aws4` serialized it. The query is re-encoded in strict RFC 3986 form (for example a `+` becomes
 * `%20`), so the target that is sent is the one that was canonicalized. Sending the original could make the server
 * read a `+` differently and reject the signature.
 *
 * Only header signing is supported. For `service: 's3'`, `aws4` canonicalizes the path the way S3 does: encoded once
 * (the path as sent), never normalized (`a//b` and `./` are part of an S3 key), `%2F` kept as `/`; it also signs only
 * the first value of a repeated query parameter, which no S3 operation this package calls has. S3 also requires the
 * payload hash header on every request: a text body gets `x-amz-content-sha256` (its SHA-256) added here, and a
 * body that is not text must already carry it (its SHA-256, or `UNSIGNED-PAYLOAD`).
 *
 * A form body sent to a plain path (every EC2, IAM and STS call) is signed by `SignerFastPath.ts`, which computes
 * what `aws4` would, more cheaply; everything else by `aws4`. Either way the signing key is derived once per
 * secret, day, region and service and then cached, so after the first request of a day a signature costs one
 * SHA-256 of the body, one of the canonical request and one HMAC.
 *
 * @throws `TypeError` if the region, the service, the access key id or the secret is empty; `RangeError` if `now` is
 * not a valid date between the years 0000 and 9999; `URIError` (from `aws4`) if `path` holds a malformed
 * percent-encoding. No message includes a credential.
 *
 * @internal
 * @since 0.1.0
 */
export function signRequest(req: HttpRequest, creds: SigningCredentials, params: SigningParams): HttpRequest {
  const given = toSign(req, creds, params)
  const fast = fastAuthorization(req.method, req.path, given.headers, req.body, creds, params.region, params.service, given.amzDate)
  let path = req.path
  if (fast !== undefined) given.headers['Authorization'] = fast
  else {
    const { signer } = prepare(req, given, params)
    // The rest of `aws4.sign`, done by hand so the result is built from our own string-typed headers. `headers` was
    // made for this call and `aws4` only copied it, so it can become the result's headers without another copy.
    given.headers['Authorization'] = signer.authHeader()
    path = signer.formatPath()
  }
  const headers = given.headers
  return req.port === undefined
    ? { method: req.method, protocol: req.protocol, hostname: req.hostname, path, headers, body: req.body }
    : { method: req.method, protocol: req.protocol, hostname: req.hostname, port: req.port, path, headers, body: req.body }
}

/**
 * The canonical request, the string to sign and the `Authorization` value that `signRequest` would produce for the
 * same arguments. It runs the same preparation and the same `aws4` signer; only the signer's intermediate results
 * are returned. This exists so the conformance tests can check each SigV4 stage. The client never calls it.
 *
 * @internal
 * @since 0.1.0
 */
export function signingStages(req: HttpRequest, creds: SigningCredentials, params: SigningParams): SigningStages {
  const { signer } = prepare(req, toSign(req, creds, params), params)
  return {
    canonicalRequest: signer.canonicalString(),
    stringToSign: signer.stringToSign(),
    authorization: signer.authHeader(),
  }
}
