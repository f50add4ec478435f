/**
 * The fast path of `signRequest`: the SigV4 `Authorization` for the requests EC2, IAM and STS get (a form body sent
 * to a plain path), computed directly instead of through `aws4`. A speed trick that earns its place: `npm run bench`
 * measures the client with and without it in the same run (bench/README.md, "Speed tricks").
 *
 * It computes exactly what `aws4` computes (test/internal/http/SignerFastPath.test.ts checks the two agree on random
 * requests, and the AWS SigV4 suite runs through both), and it declines (returns `undefined`) whatever it does not
 * cover, which `Signer.ts` then signs with `aws4`:
 *   - S3 (its canonical path rules and payload hash header differ);
 *   - a body that is not text;
 *   - a path that is not plain: anything but `/` and segments of unreserved characters, a query, an empty, `.` or
 *     `..` segment (`aws4` normalizes and re-encodes those);
 *   - a header named like a property of `Object.prototype` (`constructor`), which `aws4` leaves unsigned.
 * What makes it cheaper: one-shot `crypto.hash` for the two SHA-256s (no hash object each), a signing key kept per
 * credentials object, the signature's HMAC computed from two more one-shot hashes over buffers made once per key (see
 * `hmacHex`), and the canonical headers built from the headers already merged by the signer.
 *
 * @since 0.2.0
 */
// Through the module object, as aws4 calls it, so a test can count the HMACs either path makes.
import crypto from 'node:crypto'

/** The credentials this path signs with (the signer's `SigningCredentials`). */
interface Credentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

// The headers `aws4` never signs (its HEADERS_TO_IGNORE).
const UNSIGNED: ReadonlySet<string> = new Set(['authorization', 'connection', 'x-amzn-trace-id', 'user-agent', 'expect', 'presigned-expires', 'range'])

// `/`, or `/`-separated segments of RFC 3986 unreserved characters, none empty, `.` or `..`.
const PLAIN_PATH = /^(?:\/|(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9\-._~]+)+\/?)$/

const hmac = (key: Buffer | string, data: string): Buffer => crypto.createHmac('sha256', key).update(data, 'utf8').digest()

// The longest string to sign `hmacHex` takes, in UTF-16 units: at most 3 UTF-8 bytes each, so it always fits the
// buffer. A string to sign is about 150 units (the scope's region and service are the only parts that vary).
const MAX_TO_SIGN = 512

/**
 * A signing key ready for HMAC-SHA256 (RFC 2104) without an HMAC object: the key XOR ipad at the start of `inner`,
 * the key XOR opad at the start of `outer`. `crypto.createHmac` costs about 2 µs a call on Node 20 (its OpenSSL 3
 * setup), two one-shot hashes over these buffers about 1 µs (bench/README.md, "Speed tricks").
 */
interface SigningKey {
  readonly secret: string
  readonly key: Buffer
  /** key ⊕ ipad (64 bytes), then room for the string to sign. */
  readonly inner: Buffer
  /** key ⊕ opad (64 bytes), then the inner hash (32 bytes). */
  readonly outer: Buffer
}

const keyed = (secret: string, key: Buffer): SigningKey => {
  const inner = Buffer.alloc(64 + 3 * MAX_TO_SIGN)
  const outer = Buffer.alloc(64 + 32)
  // A SHA-256 key is 32 bytes, shorter than the block, so it is used as it is, padded with zeros.
  for (let i = 0; i < 64; i++) {
    const k = i < key.length ? key[i]! : 0
    inner[i] = k ^ 0x36
    outer[i] = k ^ 0x5c
  }
  return { secret, key, inner, outer }
}

/**
 * HMAC-SHA256 of `text` (as UTF-8) under `k`, in hex: H(key ⊕ opad ‖ H(key ⊕ ipad ‖ text)). Signing is synchronous,
 * so the key's buffers are never written by two signatures at once. The inner hash travels as a `binary` (Latin-1)
 * string, one character per byte, so writing it back as `binary` puts exactly its 32 bytes after the outer pad.
 */
const hmacHex = (k: SigningKey, text: string): string => {
  if (text.length > MAX_TO_SIGN) return crypto.createHmac('sha256', k.key).update(text, 'utf8').digest('hex')
  const n = k.inner.write(text, 64, 'utf8')
  k.outer.write(crypto.hash('sha256', k.inner.subarray(0, 64 + n), 'binary'), 64, 'binary')
  return crypto.hash('sha256', k.outer, 'hex')
}

// Signing keys by credentials object, then by `date/region/service`. Keyed by the object (the client's providers
// return the same one until they refresh), so no secret is a key and a dropped credentials object takes its keys
// with it; the secret is compared as well, in case a caller reuses an object with a new secret.
const signingKeys = new WeakMap<Credentials, Map<string, SigningKey>>()

const signingKey = (creds: Credentials, scope: string, date: string, region: string, service: string): SigningKey => {
  let byScope = signingKeys.get(creds)
  if (byScope === undefined) signingKeys.set(creds, (byScope = new Map()))
  const cached = byScope.get(scope)
  if (cached !== undefined && cached.secret === creds.secretAccessKey) return cached
  const key = keyed(creds.secretAccessKey, hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, date), region), service), 'aws4_request'))
  // A few scopes per day at most (services and regions one client signs for); yesterday's go when the day turns.
  if (byScope.size >= 16) byScope.clear()
  byScope.set(scope, key)
  return key
}

/**
 * `hmacHex`, for the test that it computes what `crypto.createHmac` computes.
 *
 * @internal
 */
export const hmacHexForTest = (key: Buffer, text: string): string => hmacHex(keyed('', key), text)

/**
 * The `Authorization` value `aws4` would compute for this request, or `undefined` when the request is not one this
 * path covers. `headers` are the headers to send, already merged by name and carrying `Host` and `X-Amz-Date`.
 *
 * @internal
 */
export const fastAuthorization = (
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
  body: unknown,
  creds: Credentials,
  region: string,
  service: string,
  amzDate: string,
): string | undefined => {
  if (service === 's3' || typeof body !== 'string' || !PLAIN_PATH.test(path)) return undefined
  const names: Array<string> = []
  const values: Record<string, string> = Object.create(null) as Record<string, string>
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase()
    if (UNSIGNED.has(lower)) continue
    // aws4 looks the lowercased name up in a plain object, so it never signs one `Object.prototype` has
    // (`constructor`): such a request goes to aws4, to sign what it signs.
    if (lower in Object.prototype) return undefined
    names.push(lower)
    values[lower] = headers[name]!
  }
  names.sort()
  let canonicalHeaders = ''
  for (const name of names) canonicalHeaders += `${name}:${values[name]!.trim().replace(/\s+/g, ' ')}\n`
  const signedHeaders = names.join(';')
  // aws4 takes a payload hash the caller gave, in either of these two spellings only.
  const payloadHash = headers['X-Amz-Content-Sha256'] || headers['x-amz-content-sha256'] || crypto.hash('sha256', body, 'hex')
  const canonicalRequest = `${method}\n${path}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`
  const date = amzDate.slice(0, 8)
  const scope = `${date}/${region}/${service}/aws4_request`
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${crypto.hash('sha256', canonicalRequest, 'hex')}`
  const signature = hmacHex(signingKey(creds, scope, date, region, service), stringToSign)
  return `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`
}
