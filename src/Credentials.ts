/**
 * Credential types, the provider error, and the cache every provider goes through.
 *
 * This module is part of the core: it never reads the environment, files or the network.
 *
 * @since 0.1.0
 */

/**
 * A set of AWS credentials, in the shape AWS SDK v3 uses, so values move between the two unchanged.
 *
 * @public
 * @since 0.1.0
 */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string | undefined
  /** When the credentials stop working; absent for long-term keys. */
  readonly expiration?: Date | undefined
}

/**
 * A zero-argument async function returning credentials, as AWS SDK v3's providers are, so
 * `@aws-sdk/credential-providers` plug in directly.
 *
 * @public
 * @since 0.1.0
 */
export type AwsCredentialIdentityProvider = () => Promise<AwsCredentialIdentity>

/**
 * A memoized provider. It is an {@link AwsCredentialIdentityProvider}; the optional argument lets the
 * transport discard credentials the service has just rejected as expired.
 *
 * @public
 * @since 0.1.0
 */
export type RefreshableCredentialsProvider = (options?: {
  readonly forceRefresh?: boolean | undefined
}) => Promise<AwsCredentialIdentity>

/**
 * Options of {@link CredentialsProviderError}.
 *
 * @public
 * @since 0.1.0
 */
export interface CredentialsProviderErrorOptions {
  /** The provider that failed, e.g. `fromIni`. */
  readonly provider: string
  /**
   * `true` when the provider is simply not configured, so a chain should try the next one;
   * `false` (the default) when it is configured but failed, which must stop the chain.
   */
  readonly tryNextLink?: boolean | undefined
  /** A machine-readable code, e.g. the STS error code. */
  readonly code?: string | undefined
  /** HTTP status of the response that caused the failure, when there was one. */
  readonly statusCode?: number | undefined
  /** The underlying error; callers pass only errors known not to carry secrets. */
  readonly cause?: unknown
}

/**
 * Why credentials could not be obtained. Its message, properties and stack never contain a secret
 * access key, session token or web identity token, so it can be logged or serialized as is.
 *
 * Providers reject with this error (as AWS SDK v3's do); nothing else in the package throws it.
 *
 * @public
 * @since 0.1.0
 */
export class CredentialsProviderError extends Error {
  override readonly name = 'CredentialsProviderError'
  /** The provider that failed. */
  readonly provider: string
  /** Whether a chain should move on to its next provider (SDK v3 semantics). */
  readonly tryNextLink: boolean
  /** A machine-readable code, when the source gave one (e.g. STS `AccessDenied`). */
  readonly code: string | undefined
  /** HTTP status of the failing response, when there was one. */
  readonly statusCode: number | undefined

  constructor(message: string, options: CredentialsProviderErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.provider = options.provider
    this.tryNextLink = options.tryNextLink ?? false
    this.code = options.code
    this.statusCode = options.statusCode
  }
}

/**
 * Whether a value is a {@link CredentialsProviderError}. Checks the shape as well as the class, so it
 * still answers correctly when the ESM and CommonJS builds are both loaded.
 *
 * @public
 * @since 0.1.0
 */
export const isCredentialsProviderError = (u: unknown): u is CredentialsProviderError =>
  u instanceof CredentialsProviderError ||
  (u instanceof Error &&
    u.name === 'CredentialsProviderError' &&
    typeof (u as { provider?: unknown }).provider === 'string' &&
    typeof (u as { tryNextLink?: unknown }).tryNextLink === 'boolean')

/**
 * Options of {@link memoizeCredentials}.
 *
 * @public
 * @since 0.1.0
 */
export interface MemoizeCredentialsOptions {
  /** Clock in epoch milliseconds; injectable so tests need no timers. Default `Date.now`. */
  readonly now?: (() => number) | undefined
  /**
   * How long before `expiration` credentials are refreshed. Default 5 minutes, the window AWS SDKs
   * use, so a request signed just before the refresh still reaches AWS with valid credentials.
   */
  readonly refreshBeforeMs?: number | undefined
}

/** How long before `expiration` {@link memoizeCredentials} refreshes by default. @internal */
export const DEFAULT_REFRESH_BEFORE_MS = 5 * 60 * 1000

/**
 * What is wrong with a value that should be credentials, or `undefined` when nothing is. Checked at
 * run time because a JavaScript caller's provider can return anything, and a malformed value would
 * otherwise surface later as an obscure signing failure. The answer never quotes a value.
 *
 * @internal
 * @since 0.1.0
 */
export const credentialsProblem = (u: unknown): string | undefined => {
  if (typeof u !== 'object' || u === null) return 'not an object'
  const c = u as Record<string, unknown>
  if (typeof c['accessKeyId'] !== 'string' || c['accessKeyId'] === '') return 'accessKeyId is missing or empty'
  if (typeof c['secretAccessKey'] !== 'string' || c['secretAccessKey'] === '') {
    return 'secretAccessKey is missing or empty'
  }
  if (c['sessionToken'] !== undefined && typeof c['sessionToken'] !== 'string') return 'sessionToken is not a string'
  const expiration = c['expiration']
  if (expiration !== undefined && !(expiration instanceof Date && !Number.isNaN(expiration.getTime()))) {
    return 'expiration is not a valid Date'
  }
  return undefined
}

/**
 * Returns the value as credentials, or throws a {@link CredentialsProviderError} naming the problem.
 *
 * @internal
 * @since 0.1.0
 */
export const validateCredentials = (u: unknown, provider: string): AwsCredentialIdentity => {
  const problem = credentialsProblem(u)
  if (problem !== undefined) {
    throw new CredentialsProviderError(`${provider} returned malformed credentials: ${problem}`, { provider })
  }
  return u as AwsCredentialIdentity
}

/**
 * Caches a provider's credentials.
 *
 * - Credentials without `expiration` are kept for the life of the provider.
 * - Credentials with `expiration` are refreshed once the clock is within `refreshBeforeMs` of it. While
 *   they are still valid, a failed refresh falls back to them, so a brief outage of the credential
 *   source does not fail requests that could still be signed.
 * - Concurrent callers share one in-flight call to the underlying provider.
 * - A failure is never cached: the next call asks the provider again.
 *
 * @public
 * @since 0.1.0
 */
export function memoizeCredentials(
  provider: AwsCredentialIdentityProvider,
  options: MemoizeCredentialsOptions = {},
): RefreshableCredentialsProvider {
  const now = options.now ?? Date.now
  const refreshBeforeMs = options.refreshBeforeMs ?? DEFAULT_REFRESH_BEFORE_MS
  let cached: AwsCredentialIdentity | undefined
  let inFlight: Promise<AwsCredentialIdentity> | undefined

  const refresh = (): Promise<AwsCredentialIdentity> => {
    if (inFlight === undefined) {
      const p = Promise.resolve()
        .then(() => provider())
        .then((c) => {
          const valid = validateCredentials(c, 'credentials provider')
          cached = valid
          return valid
        })
        .finally(() => {
          if (inFlight === p) inFlight = undefined
        })
      inFlight = p
    }
    return inFlight
  }

  return async (opts) => {
    if (opts?.forceRefresh === true) return refresh()
    const current = cached
    if (current !== undefined) {
      const expiration = current.expiration
      if (expiration === undefined) return current
      const t = now()
      const expiresAt = expiration.getTime()
      if (t < expiresAt - refreshBeforeMs) return current
      if (t < expiresAt) return refresh().catch(() => current)
    }
    return refresh()
  }
}
