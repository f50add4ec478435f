/**
 * The two STS operations the credential chain needs (`AssumeRole`, `AssumeRoleWithWebIdentity`), declared with the
 * same combinators as EC2's shapes, so they go through the same serializer, signer, transport and XML reader.
 *
 * STS speaks awsQuery, not ec2Query; for these shapes (scalars only) the two write the same form body, and the
 * reader already knows awsQuery's `<ErrorResponse>` envelope. The result sits one element deeper
 * (`<AssumeRoleResponse><AssumeRoleResult>`), which the output declarations say.
 *
 * It also holds {@link createStsClient}, the small STS client the shared-profile and web-identity credential
 * providers use unless they are given one.
 *
 * @since 0.1.0
 */
import type { Dispatcher } from 'undici'
import type { AwsCredentialIdentity } from '../../Credentials.js'
import { decodeResponse, serializeRequest, validateRequest, type Operation } from '../protocol/Operation.js'
import { checkEndpoint, stsEndpointFor } from '../config/Partition.js'
import { failed, nonNegative, positiveInt, sleep, str } from './ProviderSupport.js'
import { classifyFailure } from '../http/Retry.js'
import * as S from '../schema/Schema.js'
import { signRequest } from '../http/Signer.js'
import { globalDispatcher, send } from '../http/Transport.js'

/** The STS API version. @internal */
export const STS_API_VERSION = '2011-06-15'

const StsCredentials = S.struct('Credentials', {
  AccessKeyId: S.member(S.string),
  SecretAccessKey: S.member(S.sensitiveString, { sensitive: true }),
  SessionToken: S.member(S.sensitiveString, { sensitive: true }),
  Expiration: S.member(S.timestamp()),
})

const result = (name: string) =>
  S.struct(`${name}Response`, {
    [`${name}Result`]: S.member(S.struct(`${name}Result`, { Credentials: S.member(StsCredentials) })),
  })

/**
 * The temporary credentials STS returns.
 *
 * @internal
 */
export interface StsCredentials {
  readonly AccessKeyId?: string
  readonly SecretAccessKey?: string
  readonly SessionToken?: string
  readonly Expiration?: Date
}

type StsOperation<I> = Operation<I, Record<string, { readonly Credentials?: StsCredentials } | undefined>>

const operation = <I>(name: string, input: S.StructType<S.Members, unknown, unknown>): StsOperation<I> =>
  ({ name, version: STS_API_VERSION, input, output: result(name) }) as unknown as StsOperation<I>

/**
 * The parameters of `AssumeRole` this client sends (`SerialNumber` and `TokenCode` for a role that requires MFA).
 *
 * @public
 * @since 0.1.0
 */
export interface AssumeRoleInput {
  readonly RoleArn: string
  readonly RoleSessionName: string
  readonly ExternalId?: string | undefined
  readonly DurationSeconds?: number | undefined
  readonly SerialNumber?: string | undefined
  readonly TokenCode?: string | undefined
}

/**
 * The parameters of `AssumeRoleWithWebIdentity` this client sends.
 *
 * @public
 * @since 0.1.0
 */
export interface AssumeRoleWithWebIdentityInput {
  readonly RoleArn: string
  readonly RoleSessionName: string
  readonly WebIdentityToken: string
  readonly DurationSeconds?: number | undefined
}

/**
 * `AssumeRole`: credentials for a role, signed with the source credentials.
 *
 * @internal
 */
export const AssumeRole = operation<AssumeRoleInput>(
  'AssumeRole',
  S.struct('AssumeRoleRequest', {
    RoleArn: S.member(S.string, { required: true }),
    RoleSessionName: S.member(S.string, { required: true }),
    ExternalId: S.member(S.string),
    DurationSeconds: S.member(S.integer),
    // the MFA device and its current code, for a role that requires MFA
    SerialNumber: S.member(S.string),
    TokenCode: S.member(S.sensitiveString, { sensitive: true }),
  }) as never,
)

/**
 * `AssumeRoleWithWebIdentity`: credentials for a role from an OIDC token; not signed.
 *
 * @internal
 */
export const AssumeRoleWithWebIdentity = operation<AssumeRoleWithWebIdentityInput>(
  'AssumeRoleWithWebIdentity',
  S.struct('AssumeRoleWithWebIdentityRequest', {
    RoleArn: S.member(S.string, { required: true }),
    RoleSessionName: S.member(S.string, { required: true }),
    WebIdentityToken: S.member(S.sensitiveString, { required: true, sensitive: true }),
    DurationSeconds: S.member(S.integer),
  }) as never,
)

// -------------------------------------------------------------------------------------------------
// the STS client
// -------------------------------------------------------------------------------------------------

/**
 * The two STS calls the providers need. Injected, so the client's own Query engine can serve them;
 * {@link createStsClient} is a small self-contained default.
 *
 * Implementations reject with a {@link CredentialsProviderError} whose message carries no secret.
 *
 * @public
 * @since 0.1.0
 */
export interface StsClient {
  assumeRole(input: AssumeRoleInput, sourceCredentials: AwsCredentialIdentity): Promise<AwsCredentialIdentity>
  assumeRoleWithWebIdentity(input: AssumeRoleWithWebIdentityInput): Promise<AwsCredentialIdentity>
}

/**
 * Options of {@link createStsClient}.
 *
 * @public
 * @since 0.1.0
 */
export interface StsClientOptions {
  /** Region whose regional STS endpoint is used and whose name goes into the signature. */
  readonly region: string
  /** Overrides the endpoint; `https:`, or `http:` for loopback hosts only (tests, local emulators). */
  readonly endpoint?: string | undefined
  readonly dispatcher?: Dispatcher | undefined
  /** Clock in epoch milliseconds, used for the signature date. Default `Date.now`. */
  readonly now?: (() => number) | undefined
  /** Deadline of one attempt, connect included. Default 10 000 ms. */
  readonly timeoutMs?: number | undefined
  /** Attempts for throttling, 5xx and network failures. Default 3, as AWS SDKs' standard mode. */
  readonly maxAttempts?: number | undefined
  /** Base of the exponential, fully jittered backoff between attempts. Default 100 ms. */
  readonly retryDelayMs?: number | undefined
}

const STS_MAX_RESPONSE_BYTES = 1024 * 1024
const STS_RETRYABLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'IDPCommunicationError',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
])

/**
 * A minimal STS client for `AssumeRole` (SigV4-signed with aws4, credentials always passed
 * explicitly) and `AssumeRoleWithWebIdentity` (unsigned, as STS specifies), speaking the Query
 * protocol over undici. Configuration problems surface as rejections of its methods, never as throws.
 *
 * @public
 * @since 0.1.0
 */
export function createStsClient(options: StsClientOptions): StsClient {
  const now = options.now ?? Date.now
  const timeoutMs = positiveInt(options.timeoutMs, 10_000)
  const maxAttempts = positiveInt(options.maxAttempts, 3)
  const retryDelayMs = nonNegative(options.retryDelayMs, 100)
  const region = options.region
  const endpoint = (): URL => {
    const text = options.endpoint ?? stsEndpointFor(region)
    const url = checkEndpoint(text)
    if (typeof url === 'string') throw failed('sts', `STS endpoint ${url}`)
    return url
  }

  // The same pipeline as EC2's calls: validate and serialize by declaration, sign with aws4 (`Signer`), send with
  // undici (`Transport`), read the envelope (`XmlReader`), classify for retry (`Retry`).
  const call = async <I>(
    op: Operation<I, Record<string, { readonly Credentials?: StsCredentials } | undefined>>,
    input: I,
    source: AwsCredentialIdentity | undefined,
  ): Promise<AwsCredentialIdentity> => {
    const url = endpoint()
    const roleArn = (input as { readonly RoleArn: string }).RoleArn
    const what = `STS ${op.name} for ${roleArn}`
    const valid = validateRequest(op, input)
    if (valid._tag === 'Left') throw failed('sts', `${what}: ${valid.left.message}`)
    const body = serializeRequest(op, valid.right, () => '')
    const path = `${url.pathname.replace(/\/+$/, '')}/`
    const dispatcher = options.dispatcher ?? globalDispatcher()
    for (let attempt = 1; ; attempt++) {
      let headers: Readonly<Record<string, string>> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', host: url.host }
      if (source !== undefined) {
        headers = signRequest(
          {
            method: 'POST',
            protocol: url.protocol === 'http:' ? 'http:' : 'https:',
            hostname: url.hostname,
            port: url.port === '' ? undefined : Number(url.port),
            path,
            headers,
            body,
          },
          source,
          { region, service: 'sts', now: new Date(now()) },
        ).headers
      }
      const res = await send({ origin: url.origin, path, method: 'POST', headers, body }, { dispatcher, requestTimeoutMs: timeoutMs, maxResponseBytes: STS_MAX_RESPONSE_BYTES })
      const failure = '_tag' in res ? res : undefined
      const decoded = failure === undefined && !('_tag' in res) ? decodeResponse(op, res, attempt) : undefined
      if (decoded?._tag === 'Right') {
        const creds = decoded.right.value[`${op.name}Result`]?.Credentials
        const accessKeyId = str(creds?.AccessKeyId)
        const secretAccessKey = str(creds?.SecretAccessKey)
        const sessionToken = str(creds?.SessionToken)
        if (accessKeyId === undefined || secretAccessKey === undefined || sessionToken === undefined) {
          // The body would hold secrets if it were a near-miss, so it is never quoted.
          throw failed('sts', `${what} returned a response without credentials`, { statusCode: 200 })
        }
        return { accessKeyId, secretAccessKey, sessionToken, ...(creds?.Expiration !== undefined ? { expiration: creds.Expiration } : {}) }
      }
      const f = failure ?? decoded!.left
      const retryable =
        f._tag === 'ServiceError'
          ? STS_RETRYABLE_CODES.has(f.code) || f.statusCode >= 500 || classifyFailure(f) === 'throttling'
          : classifyFailure(f) !== 'fatal'
      if (retryable && attempt < maxAttempts) {
        await sleep(Math.random() * Math.min(20_000, retryDelayMs * 2 ** (attempt - 1)))
        continue
      }
      switch (f._tag) {
        case 'TransportFailure':
          throw failed('sts', `${what} failed: ${f.message}${f.code === undefined ? '' : ` (${f.code})`} (${url.origin})`)
        case 'ServiceError':
          throw failed(
            'sts',
            `${what} failed with ${f.code}${f.serviceMessage !== '' ? `: ${f.serviceMessage}` : ''}` +
              (f.requestId !== undefined ? ` (request id ${f.requestId})` : ''),
            { code: f.code, statusCode: f.statusCode },
          )
        default:
          throw failed('sts', `${what} returned HTTP ${f.statusCode} without an STS error response`, { statusCode: f.statusCode })
      }
    }
  }

  return {
    assumeRole: (input, sourceCredentials) => call(AssumeRole, input, sourceCredentials),
    assumeRoleWithWebIdentity: (input) => call(AssumeRoleWithWebIdentity, input, undefined),
  }
}
