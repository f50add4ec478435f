/**
 * Credentials of an IAM Identity Center (SSO) profile, as the AWS CLI and SDKs read it: the access token that
 * `aws sso login` left in `~/.aws/sso/cache/`, exchanged for the role's credentials with the SSO portal's
 * `GetRoleCredentials` (`GET /federation/credentials`, the token in `x-amz-sso_bearer_token`).
 *
 * Both profile forms are read: an `sso_session` that names an `[sso-session NAME]` section (the cached token is
 * `sha1(NAME).json`), and the legacy form with `sso_start_url` and `sso_region` in the profile (`sha1(start url)`).
 *
 * For the `sso_session` form the token is refreshed as the AWS SDKs refresh it: within 5 minutes of its expiry, with
 * the cached refresh token and client registration, through SSO OIDC `CreateToken` (`POST /token`), and the new
 * token is written back to the cache. A wait for an import outlives an access token (about an hour); this keeps it
 * going for as long as the SSO session lasts. A token that cannot be refreshed and has expired is an error that says
 * to run `aws sso login`.
 *
 * The portal and OIDC endpoints are `portal.sso.{region}` and `oidc.{region}` in the region's partition, or
 * `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL_SSO_OIDC` / `AWS_ENDPOINT_URL`. FIPS, dual-stack and a profile's
 * `[services]` endpoints are not applied to them.
 *
 * @since 0.1.0
 */
import { createHash } from 'node:crypto'
import * as path from 'node:path'
import type { Dispatcher } from 'undici'
import type { AwsCredentialIdentity } from '../../Credentials.js'
import { checkEndpoint, isValidRegionName, partitionOf } from '../config/Partition.js'
import {
  describeNetworkError,
  failed,
  field,
  type HttpInit,
  httpRequest,
  type HttpResult,
  isoDate,
  providerRetry,
  requestWithRetries,
  str,
} from './ProviderSupport.js'
import { envValue, errorCode, type IniSection, type ProviderEnvironment, readWith, type SharedConfig, writeWith } from '../config/SharedConfigFiles.js'

const PROVIDER = 'fromSSO'
const SSO_KEYS = ['sso_start_url', 'sso_session', 'sso_account_id', 'sso_role_name', 'sso_region'] as const
const MAX_RESPONSE_BYTES = 64 * 1024
const TIMEOUT_MS = 5_000
const MAX_ATTEMPTS = 3
const RETRY_DELAY_MS = 200

/**
 * Whether a profile is an IAM Identity Center (SSO) profile: it sets any of the `sso_*` settings.
 *
 * @internal
 * @since 0.1.0
 */
export const isSsoProfile = (profile: IniSection): boolean => SSO_KEYS.some((k) => str(profile[k]) !== undefined)

/**
 * What {@link ssoCredentials} needs besides the profile.
 *
 * @internal
 * @since 0.1.0
 */
export interface SsoContext extends ProviderEnvironment {
  readonly shared: SharedConfig
  readonly dispatcher?: Dispatcher | undefined
  readonly now: () => number
}

// A token this close to its expiry is refreshed (as the AWS SDKs do). Callers that need the same cache file
// refreshed at the same time share one refresh; one that failed is not tried again for 30 s (a monotonic clock,
// so a clock set back cannot hold it off).
const REFRESH_WINDOW_MS = 5 * 60_000
const REFRESH_THROTTLE_MS = 30_000
const refreshing = new Map<string, Promise<CachedToken | string>>()
const lastFailedRefresh = new Map<string, number>()

const login = (profileName: string): string => `run \`aws sso login --profile ${profileName}\``

/**
 * The region and token cache key of a profile, and whether its token can be refreshed: from its `sso_session`, or
 * from its own settings (the legacy form).
 */
const sessionOf = (
  profileName: string,
  profile: IniSection,
  shared: SharedConfig,
): { readonly region: string; readonly cacheKey: string; readonly refreshable: boolean } => {
  const sessionName = str(profile['sso_session'])
  if (sessionName !== undefined) {
    const session = shared.ssoSessions.get(sessionName)
    if (session === undefined) {
      throw failed(PROVIDER, `profile "${profileName}" names sso_session "${sessionName}", but there is no [sso-session ${sessionName}] section`)
    }
    const startUrl = str(session['sso_start_url'])
    const region = str(session['sso_region'])
    if (startUrl === undefined || region === undefined) {
      throw failed(PROVIDER, `[sso-session ${sessionName}] must set sso_start_url and sso_region`)
    }
    // The profile may repeat them, but not differently (as the AWS SDKs check).
    for (const [key, value] of [['sso_start_url', startUrl], ['sso_region', region]] as const) {
      const own = str(profile[key])
      if (own !== undefined && own !== value) {
        throw failed(PROVIDER, `profile "${profileName}" sets ${key} to a different value than its sso_session "${sessionName}"`)
      }
    }
    return { region, cacheKey: sessionName, refreshable: true }
  }
  const startUrl = str(profile['sso_start_url'])
  const region = str(profile['sso_region'])
  if (startUrl === undefined || region === undefined) {
    throw failed(PROVIDER, `profile "${profileName}" must set sso_session, or both sso_start_url and sso_region`)
  }
  // The legacy form's token cannot be refreshed (no client registration): the AWS SDKs do not either.
  return { region, cacheKey: startUrl, refreshable: false }
}

interface CachedToken {
  readonly file: string
  readonly doc: Record<string, unknown>
  readonly accessToken: string
  readonly expiresAt: Date
}

/** The token `aws sso login` cached, or why there is none. The token itself never enters a message. */
const readCachedToken = (profileName: string, cacheKey: string, context: SsoContext): CachedToken => {
  const file = path.join(context.homedir, '.aws', 'sso', 'cache', `${createHash('sha1').update(cacheKey).digest('hex')}.json`)
  let text: string
  try {
    text = readWith(context)(file)
  } catch (e) {
    throw failed(PROVIDER, `no SSO login is cached for profile "${profileName}" (${file}: ${errorCode(e)}); ${login(profileName)}`)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch {
    throw failed(PROVIDER, `the SSO token cache ${file} is not JSON; ${login(profileName)}`)
  }
  const accessToken = str(field(doc, 'accessToken'))
  const expiresAtText = str(field(doc, 'expiresAt'))
  const expiresAt = expiresAtText === undefined ? undefined : isoDate(expiresAtText)
  if (typeof doc !== 'object' || doc === null || accessToken === undefined || expiresAt === undefined) {
    throw failed(PROVIDER, `the SSO token cache ${file} has no accessToken and expiresAt; ${login(profileName)}`)
  }
  return { file, doc: doc as Record<string, unknown>, accessToken, expiresAt }
}

/** `AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else the service's endpoint in the region's partition. */
const endpointOf = (service: 'SSO' | 'SSO_OIDC', host: string, region: string, env: ProviderEnvironment['env']): URL => {
  const ignore = envValue(env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')?.toLowerCase() === 'true'
  const configured = ignore ? undefined : (envValue(env, `AWS_ENDPOINT_URL_${service}`) ?? envValue(env, 'AWS_ENDPOINT_URL'))
  const url = checkEndpoint(configured ?? `https://${host}.${region}.${partitionOf(region).dnsSuffix}`)
  if (typeof url === 'string') throw failed(PROVIDER, `the ${service.replace('_', ' ')} endpoint ${url}`)
  return url
}

/**
 * One request to the SSO portal or OIDC, retried on a network failure, throttling and 5xx (with backoff): the first
 * other response, or what went wrong on the last attempt, naming a status at most.
 */
const ssoRequest = (url: URL, init: Omit<HttpInit, 'timeoutMs' | 'maxBytes'>): Promise<HttpResult | string> =>
  requestWithRetries(providerRetry(MAX_ATTEMPTS, RETRY_DELAY_MS), () =>
    httpRequest(url, { ...init, timeoutMs: TIMEOUT_MS, maxBytes: MAX_RESPONSE_BYTES }),
  )

/**
 * SSO OIDC `CreateToken` with the cached refresh token: the new token, written back to the cache, or why there is
 * none (nothing to refresh with, or the refresh failed; the caller decides whether the old token will do). The
 * reason names a status at most: never a token, the refresh token or the client secret.
 */
const createToken = async (cached: CachedToken, region: string, context: SsoContext): Promise<CachedToken | string> => {
  const clientId = str(cached.doc['clientId'])
  const clientSecret = str(cached.doc['clientSecret'])
  const refresh = str(cached.doc['refreshToken'])
  const registrationExpiresAt = str(cached.doc['registrationExpiresAt'])
  if (clientId === undefined || clientSecret === undefined || refresh === undefined) return 'the cached login holds no refresh token'
  if (registrationExpiresAt !== undefined && (isoDate(registrationExpiresAt)?.getTime() ?? 0) <= context.now()) {
    return 'the client registration of the cached login has expired'
  }
  const url = new URL(`${endpointOf('SSO_OIDC', 'oidc', region, context.env).href.replace(/\/+$/, '')}/token`)
  const res = await ssoRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ clientId, clientSecret, grantType: 'refresh_token', refreshToken: refresh }),
    dispatcher: context.dispatcher,
  })
  if (typeof res === 'string') return `refreshing it ${res}`
  if (res.statusCode !== 200) return `refreshing it failed with HTTP ${res.statusCode}`
  let doc: unknown
  try {
    doc = JSON.parse(res.body)
  } catch {
    return 'refreshing it got a body that is not JSON'
  }
  const accessToken = str(field(doc, 'accessToken'))
  const expiresIn = field(doc, 'expiresIn')
  if (accessToken === undefined || typeof expiresIn !== 'number' || !(expiresIn > 0)) {
    return 'refreshing it got no accessToken and expiresIn'
  }
  const expiresAt = new Date(context.now() + expiresIn * 1000)
  const next = { ...cached.doc, accessToken, expiresAt: expiresAt.toISOString(), refreshToken: str(field(doc, 'refreshToken')) ?? refresh }
  try {
    writeWith(context)?.(cached.file, JSON.stringify(next, null, 2))
  } catch {
    // The new token is used all the same; the next process refreshes again (as the AWS SDKs do).
  }
  return { file: cached.file, doc: next, accessToken, expiresAt }
}

/** {@link createToken}, shared by concurrent callers of one cache file and held off for a while after a failure. */
const refreshToken = (cached: CachedToken, region: string, context: SsoContext): Promise<CachedToken | string> => {
  const running = refreshing.get(cached.file)
  if (running !== undefined) return running
  const failedAt = lastFailedRefresh.get(cached.file)
  if (failedAt !== undefined && performance.now() - failedAt < REFRESH_THROTTLE_MS) {
    return Promise.resolve('a refresh failed less than 30 seconds ago')
  }
  const p = createToken(cached, region, context)
    .then((r) => {
      if (typeof r === 'string') lastFailedRefresh.set(cached.file, performance.now())
      else lastFailedRefresh.delete(cached.file)
      return r
    })
    .finally(() => refreshing.delete(cached.file))
  refreshing.set(cached.file, p)
  return p
}

/** A usable access token: the cached one, refreshed first when it is close to expiry and can be. */
const accessTokenOf = async (
  profileName: string,
  session: { readonly region: string; readonly cacheKey: string; readonly refreshable: boolean },
  context: SsoContext,
): Promise<string> => {
  const cached = readCachedToken(profileName, session.cacheKey, context)
  if (cached.expiresAt.getTime() - context.now() > REFRESH_WINDOW_MS) return cached.accessToken
  const refreshed = session.refreshable ? await refreshToken(cached, session.region, context) : 'this legacy SSO profile cannot be refreshed'
  if (typeof refreshed !== 'string') return refreshed.accessToken
  if (cached.expiresAt.getTime() > context.now()) return cached.accessToken
  throw failed(
    PROVIDER,
    `the SSO session of profile "${profileName}" expired at ${cached.expiresAt.toISOString()} (${refreshed}); ${login(profileName)}`,
  )
}

/** The service's own words for a refusal: the `message` of its JSON error body, else the status. */
const serviceMessage = (res: HttpResult): string => {
  let doc: unknown
  try {
    doc = JSON.parse(res.body)
  } catch {
    return `HTTP ${res.statusCode}`
  }
  const m = str(field(doc, 'message')) ?? str(field(doc, 'Message'))
  return m === undefined ? `HTTP ${res.statusCode}` : m.slice(0, 300)
}

/**
 * The role credentials of an SSO profile.
 *
 * @internal
 * @since 0.1.0
 */
export const ssoCredentials = async (profileName: string, profile: IniSection, context: SsoContext): Promise<AwsCredentialIdentity> => {
  const session = sessionOf(profileName, profile, context.shared)
  if (!isValidRegionName(session.region)) {
    throw failed(PROVIDER, `the sso_region of profile "${profileName}" is not a valid region name: "${session.region}"`)
  }
  const accountId = str(profile['sso_account_id'])
  const roleName = str(profile['sso_role_name'])
  if (accountId === undefined || roleName === undefined) {
    throw failed(PROVIDER, `profile "${profileName}" must set sso_account_id and sso_role_name`)
  }
  const token = await accessTokenOf(profileName, session, context)
  const url = new URL(
    `${endpointOf('SSO', 'portal.sso', session.region, context.env).href.replace(/\/+$/, '')}/federation/credentials` +
      `?role_name=${encodeURIComponent(roleName)}&account_id=${encodeURIComponent(accountId)}`,
  )
  const res = await ssoRequest(url, { method: 'GET', headers: { 'x-amz-sso_bearer_token': token }, dispatcher: context.dispatcher })
  if (typeof res === 'string') throw failed(PROVIDER, `GetRoleCredentials ${res}`)
  if (res.statusCode === 401) {
    throw failed(PROVIDER, `the SSO portal did not accept the cached login of profile "${profileName}" (${serviceMessage(res)}); ${login(profileName)}`, {
      statusCode: 401,
    })
  }
  if (res.statusCode !== 200) {
    throw failed(PROVIDER, `GetRoleCredentials for role ${roleName} in account ${accountId} failed: ${serviceMessage(res)}`, {
      statusCode: res.statusCode,
    })
  }
  let doc: unknown
  try {
    doc = JSON.parse(res.body)
  } catch {
    throw failed(PROVIDER, 'GetRoleCredentials answered with a body that is not JSON')
  }
  const accessKeyId = str(field(doc, 'roleCredentials', 'accessKeyId'))
  const secretAccessKey = str(field(doc, 'roleCredentials', 'secretAccessKey'))
  const sessionToken = str(field(doc, 'roleCredentials', 'sessionToken'))
  const expiration = field(doc, 'roleCredentials', 'expiration')
  if (accessKeyId === undefined || secretAccessKey === undefined || sessionToken === undefined || typeof expiration !== 'number') {
    throw failed(PROVIDER, 'GetRoleCredentials answered without the expected roleCredentials fields')
  }
  return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration) }
}
