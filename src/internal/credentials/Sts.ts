/**
 * The two STS operations the credential chain needs (`AssumeRole`, `AssumeRoleWithWebIdentity`), declared with the
 * same combinators as EC2's shapes, and sent through the same pipeline (`internal/http/Pipeline`).
 *
 * It also holds {@link createStsClient}, the small STS client the shared-profile and web-identity credential
 * providers use unless they are given one.
 *
 * @since 0.1.0
 */
import type { Dispatcher } from 'undici'
import type { CallOptions } from '../../Call.js'
import type { AwsCredentialIdentity } from '../../Credentials.js'
import type { Ec2ImportError } from '../../Ec2ImportError.js'
import { checkEndpoint, stsEndpointFor } from '../config/Partition.js'
import { endpointOf, execute, type CallContext, type ServiceDescription } from '../http/Pipeline.js'
import { RetryQuota, sleep } from '../http/Retry.js'
import { globalDispatcher } from '../http/Transport.js'
import { awsQuery } from '../protocol/AwsQuery.js'
import type { Operation } from '../protocol/Operation.js'
import * as S from '../schema/Schema.js'
import { failed, nonNegative, positiveInt, str } from './ProviderSupport.js'

const USER_AGENT = `ec2-import-image/0.2.0 node/${process.version}`

/** The STS API version. @internal */
export const STS_API_VERSION = '2011-06-15'

const StsCredentials = S.struct('Credentials', {
  AccessKeyId: S.member(S.string),
  SecretAccessKey: S.member(S.sensitiveString, { sensitive: true }),
  SessionToken: S.member(S.sensitiveString, { sensitive: true }),
  Expiration: S.member(S.timestamp()),
})

// AWS Query wraps the result in `<NameResponse><NameResult>`; the protocol unwraps it, so this is the inner element.
const result = (name: string) => S.struct(`${name}Result`, { Credentials: S.member(StsCredentials) })

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

type StsOperation<I> = Operation<I, { readonly Credentials?: StsCredentials }>

// Neither call carries a token, and a repeat only issues other temporary credentials: both are safe to retry.
const operation = <I>(name: string, input: S.StructType<S.Members, unknown, unknown>): StsOperation<I> =>
  ({ name, version: STS_API_VERSION, input, output: result(name), idempotent: true }) as unknown as StsOperation<I>

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
  assumeRole(input: AssumeRoleInput, sourceCredentials: AwsCredentialIdentity, options?: CallOptions): Promise<AwsCredentialIdentity>
  assumeRoleWithWebIdentity(input: AssumeRoleWithWebIdentityInput, options?: CallOptions): Promise<AwsCredentialIdentity>
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
  /** Uniform in [0, 1), for backoff jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined
}

const STS_MAX_RESPONSE_BYTES = 1024 * 1024

/**
 * STS: AWS Query, signed as `sts`.
 *
 * @internal
 */
export const STS: ServiceDescription = { signingName: 'sts', protocol: awsQuery }

/** Why an STS call failed, in a message that names the role and never a secret. */
const describeFailure = (what: string, origin: string, e: Ec2ImportError): Error => {
  switch (e._tag) {
    case 'TransportError':
      return failed('sts', `${what} failed: ${e.message} (${origin})`)
    case 'ServiceError':
      return failed(
        'sts',
        `${what} failed with ${e.code}${e.serviceMessage !== '' ? `: ${e.serviceMessage}` : ''}` +
          (e.requestId !== undefined ? ` (request id ${e.requestId})` : ''),
        { code: e.code, statusCode: e.statusCode },
      )
    case 'DecodeError':
      return failed('sts', `${what} returned HTTP ${e.statusCode} without an STS error response`, { statusCode: e.statusCode })
    default:
      return failed('sts', `${what}: ${e.message}`)
  }
}

/**
 * An STS client for `AssumeRole` (signed with the source credentials) and `AssumeRoleWithWebIdentity` (unsigned, as
 * STS specifies), over the package's one pipeline: the same serializer, signer, transport, reader and retry rules
 * as EC2's calls — standard-mode backoff, a retry quota per STS client, `Retry-After`, abort, clock-skew correction.
 * Its methods reject with a {@link CredentialsProviderError} whose message carries no secret, as credential
 * providers do; they never throw.
 *
 * @public
 * @since 0.1.0
 */
export function createStsClient(options: StsClientOptions): StsClient {
  const timeoutMs = positiveInt(options.timeoutMs, 10_000)
  const region = options.region
  const runtime = {
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sleep,
    // STS's two calls carry no idempotency token.
    uuid: () => '',
  }
  const quota = new RetryQuota()
  const clock = { offsetMs: 0 }
  const policy = { maxAttempts: positiveInt(options.maxAttempts, 3), baseDelayMs: nonNegative(options.retryDelayMs, 100), maxDelayMs: 20_000 }

  const call = async <I>(op: StsOperation<I>, input: I, source: AwsCredentialIdentity | undefined, signal: AbortSignal | undefined): Promise<AwsCredentialIdentity> => {
    const url = checkEndpoint(options.endpoint ?? stsEndpointFor(region))
    if (typeof url === 'string') throw failed('sts', `STS endpoint ${url}`)
    const what = `STS ${op.name} for ${(input as { readonly RoleArn: string }).RoleArn}`
    const ctx: CallContext = {
      service: STS,
      endpoint: endpointOf(url),
      signingRegion: region,
      credentials: source === undefined ? undefined : () => Promise.resolve(source),
      dispatcher: options.dispatcher ?? globalDispatcher(),
      policy,
      quota,
      clock,
      runtime,
      requestTimeoutMs: timeoutMs,
      maxResponseBytes: STS_MAX_RESPONSE_BYTES,
      userAgent: USER_AGENT,
      logger: undefined,
    }
    const r = await execute(ctx, op, input, { signal })
    if (r._tag === 'Left') throw describeFailure(what, url.origin, r.left)
    const creds = r.right.Credentials
    const accessKeyId = str(creds?.AccessKeyId)
    const secretAccessKey = str(creds?.SecretAccessKey)
    const sessionToken = str(creds?.SessionToken)
    if (accessKeyId === undefined || secretAccessKey === undefined || sessionToken === undefined) {
      // The body would hold secrets if it were a near-miss, so it is never quoted.
      throw failed('sts', `${what} returned a response without credentials`, { statusCode: 200 })
    }
    return { accessKeyId, secretAccessKey, sessionToken, ...(creds?.Expiration !== undefined ? { expiration: creds.Expiration } : {}) }
  }

  return {
    assumeRole: (input, sourceCredentials, callOptions) => call(AssumeRole, input, sourceCredentials, callOptions?.signal),
    assumeRoleWithWebIdentity: (input, callOptions) => call(AssumeRoleWithWebIdentity, input, undefined, callOptions?.signal),
  }
}
