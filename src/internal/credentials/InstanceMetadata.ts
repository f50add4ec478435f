/**
 * Credentials of the instance profile from the EC2 Instance Metadata Service (IMDSv2, with an opt-in IMDSv1
 * fallback).
 *
 * @since 0.1.0
 */
import type { Dispatcher } from 'undici'
import type { Logger } from '../../Logger.js'
import { type AwsCredentialIdentity, type AwsCredentialIdentityProvider, DEFAULT_REFRESH_BEFORE_MS } from '../../Credentials.js'
import {
  describeNetworkError,
  failed,
  httpRequest,
  type HttpResult,
  isTransientStatus,
  METADATA_MAX_RESPONSE_BYTES,
  metadataCredentials,
  nonNegative,
  notConfigured,
  positiveInt,
  providerRetry,
  requestWithRetries,
  sleep,
} from './ProviderSupport.js'
import { envValue } from '../config/SharedConfigFiles.js'

/**
 * Tuning of {@link fromInstanceMetadata}.
 *
 * @public
 * @since 0.1.0
 */
export interface InstanceMetadataOptions {
  /** Dispatcher for IMDS requests; default undici's global one (IMDS must not go through a proxy). */
  readonly dispatcher?: Dispatcher | undefined
  /** Deadline of one request, connect included. Default 1000 ms, as AWS SDKs. */
  readonly timeoutMs?: number | undefined
  /** Attempts of each metadata GET on throttling, 5xx or a timeout once IMDS answered. Default 3. */
  readonly maxAttempts?: number | undefined
  /** Base of the backoff between attempts (exponential, fully jittered). Default 100 ms. */
  readonly retryDelayMs?: number | undefined
  /**
   * Fall back to IMDSv1 (no session token) when the token request is refused (403/404/405) or times
   * out. Off by default: IMDSv1 is what SSRF attacks use, and every current instance supports v2.
   */
  readonly allowImdsV1Fallback?: boolean | undefined
  /** Lifetime requested for the IMDSv2 session token. Default 21 600 s (6 h), as AWS SDKs. */
  readonly tokenTtlSeconds?: number | undefined
}

/**
 * Options of {@link fromInstanceMetadata}.
 *
 * @public
 * @since 0.1.0
 */
export interface FromInstanceMetadataOptions extends InstanceMetadataOptions {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly now?: (() => number) | undefined
  /** Jitter of a static-stability extension, in [0, 1). Default `Math.random`. */
  readonly random?: (() => number) | undefined
  /** Told (`warn`) when expired or last-known credentials are kept for a while because IMDS could not renew them. */
  readonly logger?: Logger | undefined
  /**
   * How long before `expiration` the cache in front of this provider renews (its `refreshBeforeMs`), so that kept
   * credentials are renewed 5 to 10 minutes later, not at once. Default that of {@link memoizeCredentials}.
   */
  readonly cacheRefreshBeforeMs?: number | undefined
}

const IMDS_CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/'

// Static stability, as the AWS SDKs do it: credentials IMDS can no longer renew are kept, and renewal is tried
// again in 5 to 10 minutes. The cache in front renews `cacheRefreshBeforeMs` before `expiration`, so the new
// expiration is that much further out.
const RETRY_RENEWAL_MS = 5 * 60_000
const RETRY_RENEWAL_JITTER_MS = 5 * 60_000

/**
 * Credentials of the instance profile from the EC2 Instance Metadata Service: IMDSv2 (a session token from
 * `PUT /latest/api/token`, cached and re-fetched on 401), endpoint from
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (default
 * `http://169.254.169.254`), disabled by `AWS_EC2_METADATA_DISABLED=true`.
 *
 * An unreachable IMDS (not on EC2) is "not configured"; so is an instance without a role.
 *
 * Static stability, as in the AWS SDKs: once IMDS has served credentials, a later renewal that fails (IMDS down,
 * throttled, unreachable) keeps the last credentials, and credentials IMDS serves already expired are kept too,
 * in both cases with an expiration that makes the client's cache try renewing again in 5 to 10 minutes. EC2 itself accepts
 * instance credentials for a while past their stated expiration for this reason. A warning goes to `logger`.
 *
 * @public
 * @since 0.1.0
 */
export const fromInstanceMetadata = (options: FromInstanceMetadataOptions): AwsCredentialIdentityProvider => {
  const provider = 'fromInstanceMetadata'
  const now = options.now ?? Date.now
  const timeoutMs = positiveInt(options.timeoutMs, 1000)
  const maxAttempts = positiveInt(options.maxAttempts, 3)
  const retryDelayMs = nonNegative(options.retryDelayMs, 100)
  const ttl = positiveInt(options.tokenTtlSeconds, 21_600)
  const allowV1 = options.allowImdsV1Fallback === true
  let cachedToken: { readonly value: string; readonly expiresAt: number } | undefined
  const retry = () => providerRetry(maxAttempts, retryDelayMs, options.random)

  const endpoint = (): URL => {
    const { env } = options
    const configured = envValue(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT')
    if (configured !== undefined) {
      try {
        return new URL(configured)
      } catch {
        throw failed(provider, 'AWS_EC2_METADATA_SERVICE_ENDPOINT is not a valid URL')
      }
    }
    const mode = envValue(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE') ?? 'IPv4'
    if (mode.toLowerCase() === 'ipv4') return new URL('http://169.254.169.254')
    if (mode.toLowerCase() === 'ipv6') return new URL('http://[fd00:ec2::254]')
    throw failed(provider, `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE must be IPv4 or IPv6, got ${mode}`)
  }

  /** `undefined` means "use IMDSv1", only ever returned when the fallback is allowed. */
  const token = async (base: URL): Promise<string | undefined> => {
    if (cachedToken !== undefined && now() < cachedToken.expiresAt) return cachedToken.value
    cachedToken = undefined
    // Nothing listening (not on EC2) should cost one timeout, not several: the first unreachable attempt ends it.
    let v1Instead = false
    const res = await requestWithRetries(
      retry(),
      () =>
        httpRequest(new URL('/latest/api/token', base), {
          method: 'PUT',
          headers: { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) },
          dispatcher: options.dispatcher,
          timeoutMs,
          maxBytes: METADATA_MAX_RESPONSE_BYTES,
        }),
      (f) => {
        if (!f.unreachable) return
        if (allowV1 && f.reason === 'timed out') {
          v1Instead = true
          throw f
        }
        throw notConfigured(provider, `the instance metadata service at ${base.origin} is not reachable: ${f.reason}`)
      },
    ).catch((e: unknown) => {
      if (v1Instead) return undefined
      throw e
    })
    if (res === undefined) return undefined
    if (typeof res === 'string') throw failed(provider, `the IMDSv2 token request ${res}`)
    if (res.statusCode === 200 && res.body.trim() !== '') {
      // Re-fetch a minute early so a token never expires between check and use.
      cachedToken = { value: res.body.trim(), expiresAt: now() + Math.max(ttl - 60, 1) * 1000 }
      return cachedToken.value
    }
    if ([403, 404, 405].includes(res.statusCode)) {
      if (allowV1) return undefined
      throw failed(
        provider,
        `the IMDSv2 token request was refused with HTTP ${res.statusCode} and IMDSv1 fallback is disabled ` +
          '(enable it with allowImdsV1Fallback)',
        { statusCode: res.statusCode },
      )
    }
    throw failed(provider, `the IMDSv2 token request failed with HTTP ${res.statusCode}`, { statusCode: res.statusCode })
  }

  const get = async (base: URL, p: string): Promise<HttpResult> => {
    let tok = await token(base)
    let renewedToken = false
    const request = () =>
      httpRequest(new URL(p, base), {
        method: 'GET',
        ...(tok !== undefined ? { headers: { 'x-aws-ec2-metadata-token': tok } } : {}),
        dispatcher: options.dispatcher,
        timeoutMs,
        maxBytes: METADATA_MAX_RESPONSE_BYTES,
      })
    const res = await requestWithRetries(retry(), async () => {
      const first = await request()
      if (first.statusCode !== 401 || tok === undefined || renewedToken) return first
      // The session token expired or IMDS restarted: get a fresh one once, within the same attempt.
      cachedToken = undefined
      renewedToken = true
      tok = await token(base)
      return request()
    })
    if (typeof res === 'string') throw failed(provider, `instance metadata request ${res}`)
    return res
  }

  const fetchCredentials = async (): Promise<AwsCredentialIdentity> => {
    if (envValue(options.env, 'AWS_EC2_METADATA_DISABLED')?.toLowerCase() === 'true') {
      throw notConfigured(provider, 'disabled by AWS_EC2_METADATA_DISABLED')
    }
    const base = endpoint()
    const list = await get(base, IMDS_CREDENTIALS_PATH)
    if (list.statusCode === 404) {
      throw notConfigured(provider, 'no IAM role is attached to this instance (no instance profile)')
    }
    if (list.statusCode !== 200) {
      throw failed(provider, `listing the instance's IAM role failed with HTTP ${list.statusCode}`, {
        statusCode: list.statusCode,
      })
    }
    const role = list.body.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '')
    if (role === undefined) throw notConfigured(provider, 'no IAM role is attached to this instance')
    const res = await get(base, `${IMDS_CREDENTIALS_PATH}${encodeURIComponent(role)}`)
    if (res.statusCode !== 200) {
      throw failed(provider, `fetching the credentials of role ${role} failed with HTTP ${res.statusCode}`, {
        statusCode: res.statusCode,
      })
    }
    return metadataCredentials(provider, res.body, true)
  }

  const random = options.random ?? Math.random
  const cacheWindowMs = nonNegative(options.cacheRefreshBeforeMs, DEFAULT_REFRESH_BEFORE_MS)
  let last: AwsCredentialIdentity | undefined
  const extended = (credentials: AwsCredentialIdentity, why: string): AwsCredentialIdentity => {
    const expiration = new Date(now() + cacheWindowMs + RETRY_RENEWAL_MS + Math.floor(random() * RETRY_RENEWAL_JITTER_MS))
    try {
      options.logger?.warn?.(
        `credentials: ${why}; keeping the instance credentials and trying to renew them again in 5 to 10 minutes` +
          ' (static stability: https://docs.aws.amazon.com/sdkref/latest/guide/feature-static-credentials.html)',
      )
    } catch {
      // A logger that throws must not cost the credentials.
    }
    return { ...credentials, expiration }
  }
  return async () => {
    let credentials: AwsCredentialIdentity
    try {
      credentials = await fetchCredentials()
      if (credentials.expiration !== undefined && credentials.expiration.getTime() <= now()) {
        credentials = extended(credentials, 'the instance metadata service served credentials that have already expired')
      }
    } catch (e) {
      if (last === undefined) throw e
      credentials = extended(last, `renewing from the instance metadata service failed (${e instanceof Error ? e.message : String(e)})`)
    }
    last = credentials
    return credentials
  }
}
