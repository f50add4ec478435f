/**
 * The configuration edge: the client's options, and how whatever they leave out is resolved the way
 * the AWS SDKs and CLI resolve it (environment variables, shared config files, partitions).
 *
 * This is the one module that reads `process.env` and the home directory, and only in
 * {@link defaultEnvironment}; everything else receives the environment as a value, so tests and
 * embedders control it completely.
 *
 * @since 0.1.0
 */
import { readFileSync } from 'node:fs'
import * as os from 'node:os'
import * as E from 'fp-ts/lib/Either.js'
import type { Dispatcher } from 'undici'
import { configError, type ConfigError } from './Ec2ImportError.js'
import type { Logger } from './Logger.js'

export type { Logger } from './Logger.js'
import {
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  credentialsProblem,
  memoizeCredentials,
  type RefreshableCredentialsProvider,
} from './Credentials.js'
import { defaultCredentialChain } from './internal/credentials/CredentialProviders.js'
import {
  type IniSection,
  loadSharedConfig,
  type ProviderEnvironment,
  type SharedConfig,
  settingsProfile,
  envValue,
} from './internal/config/SharedConfigFiles.js'
import { defaultEndpoint, SERVICES, type ServiceEndpoint, type ServiceId } from './internal/config/Endpoints.js'
import { checkEndpoint, isValidRegionName } from './internal/config/Partition.js'
import type { ProxySettings } from './internal/http/Transport.js'

export type { ServiceId } from './internal/config/Endpoints.js'


/**
 * Options of the client. Anything left out is resolved as the AWS SDKs and CLI resolve it.
 *
 * @public
 * @since 0.1.0
 */
export interface ClientConfig {
  /** AWS region; else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`. */
  readonly region?: string | undefined
  /**
   * One endpoint URL for every service the client calls (EC2, STS, IAM, S3 — S3 then addressed by path), as
   * `AWS_ENDPOINT_URL` does: the emulator, moto, LocalStack. In 0.1 it meant EC2 only. Else, per service,
   * `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `services` section, the profile's
   * `endpoint_url`, the partition's endpoint. `http://` only for loopback hosts.
   */
  readonly endpoint?: string | undefined
  /** One service's endpoint, over `endpoint` (a VPC endpoint for one service, say). */
  readonly endpoints?: { readonly [S in ServiceId]?: string | undefined } | undefined
  /** Credentials, or an SDK-v3-style provider (memoized here); else the default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined
  /** Shared-config profile; else `AWS_PROFILE`, else `default`. */
  readonly profile?: string | undefined
  /** Attempts per operation, first included; else `AWS_MAX_ATTEMPTS`, profile `max_attempts`, 3. */
  readonly maxAttempts?: number | undefined
  /** Backoff bounds, so tests can retry fast. Defaults 100 ms and 20 000 ms (AWS standard retry mode). */
  readonly retry?: { readonly baseDelayMs?: number | undefined; readonly maxDelayMs?: number | undefined } | undefined
  /** Deadline to establish a connection (TCP and TLS). Default 10 000 ms. */
  readonly connectTimeoutMs?: number | undefined
  /** Deadline for the headers and body of one attempt. Default 60 000 ms. */
  readonly requestTimeoutMs?: number | undefined
  /** An undici dispatcher for EC2 (and STS) calls, e.g. a `ProxyAgent` or a `MockAgent`. */
  readonly dispatcher?: Dispatcher | undefined
  /** Use the FIPS endpoint; else `AWS_USE_FIPS_ENDPOINT`, profile `use_fips_endpoint`, false. */
  readonly useFipsEndpoint?: boolean | undefined
  /** Use the dual-stack endpoint; else `AWS_USE_DUALSTACK_ENDPOINT`, profile `use_dualstack_endpoint`, false. */
  readonly useDualstackEndpoint?: boolean | undefined
  readonly logger?: Logger | undefined
  /** Largest response body accepted. Default 10 MiB. */
  readonly maxResponseBytes?: number | undefined
  /**
   * The current code of an MFA device, when the default chain assumes a role whose profile sets `mfa_serial`.
   * Called with the device's serial number or ARN; resolve with the six digits.
   */
  readonly mfaCodeProvider?: ((mfaSerial: string) => Promise<string>) | undefined
}

/**
 * Why the configuration cannot be used (the `ConfigError` variant of the package's error union). The
 * message names the setting and where it came from, and never contains a secret.
 *
 * @public
 * @since 0.1.0
 */
export type { ConfigError }

/**
 * Proxy settings for the client's own dispatcher, from `https_proxy`/`HTTPS_PROXY`, `http_proxy`/`HTTP_PROXY` and
 * `no_proxy`/`NO_PROXY` (lower case first, as curl reads them); empty strings when unset, so undici never reads the
 * environment itself. `noProxy` always lists the loopback hosts when a proxy is set.
 *
 * @internal
 * @since 0.1.0
 */
export type ResolvedProxy = ProxySettings

/**
 * The configuration with every default applied.
 *
 * @internal
 * @since 0.1.0
 */
export interface ResolvedConfig {
  readonly region: string
  /** EC2's endpoint (`services.ec2.url`). */
  readonly endpoint: URL
  /** EC2's signing region. */
  readonly signingRegion: string
  /** Every service's endpoint and signing region. */
  readonly services: Readonly<Record<ServiceId, ServiceEndpoint>>
  readonly credentials: RefreshableCredentialsProvider
  readonly maxAttempts: number
  readonly retry: { readonly baseDelayMs: number; readonly maxDelayMs: number }
  readonly connectTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly useFipsEndpoint: boolean
  readonly useDualstackEndpoint: boolean
  readonly logger: Logger | undefined
  readonly dispatcher: Dispatcher | undefined
  readonly maxResponseBytes: number
  /** The profile selected by the config or `AWS_PROFILE`; `undefined` when `default` applies implicitly. */
  readonly profile: string | undefined
  /** Used only when the caller gave no `dispatcher`. */
  readonly proxy: ResolvedProxy
}

/**
 * The defaults, with the reasons they were chosen.
 *
 * @internal
 * @since 0.1.0
 */
export const CONFIG_DEFAULTS = {
  /** AWS SDKs' "standard" retry mode: three attempts in all. */
  maxAttempts: 3,
  /** Standard mode's base delay and backoff cap. */
  baseDelayMs: 100,
  maxDelayMs: 20_000,
  /**
   * Long enough for TLS through a corporate proxy, short enough to fail over before a caller gives up;
   * it is also undici's own connect default.
   */
  connectTimeoutMs: 10_000,
  /**
   * The AWS CLI and botocore wait 60 s for a response (`read_timeout`). EC2 answers these calls in well
   * under a second, but their tail latency during regional events reaches tens of seconds, so a
   * tighter bound would turn slow successes into retried `ImportImage` calls.
   */
  requestTimeoutMs: 60_000,
  /** A page of `DescribeImportImageTasks` is a few hundred KiB at most; 10 MiB bounds memory. */
  maxResponseBytes: 10 * 1024 * 1024,
} as const

/**
 * The real environment: a snapshot of `process.env`, the user's home directory, and `fs.readFileSync`.
 * The only place in the package that reads them.
 *
 * @public
 * @since 0.1.0
 */
export function defaultEnvironment(): ProviderEnvironment {
  let homedir: string
  try {
    homedir = os.homedir()
  } catch {
    // No HOME and no passwd entry (arbitrary-UID containers): behave as if the shared files were absent.
    homedir = process.env['HOME'] ?? ''
  }
  return {
    env: { ...process.env },
    homedir,
    readFile: (p: string) => readFileSync(p, 'utf8'),
  }
}

/** A boolean setting from text, as the SDKs accept it ("true"/"false", any case). */
const parseBool = (text: string | boolean | undefined, source: string): E.Either<ConfigError, boolean | undefined> => {
  if (text === undefined || typeof text === 'boolean') return E.right(text)
  const t = text.trim().toLowerCase()
  if (t === 'true') return E.right(true)
  if (t === 'false') return E.right(false)
  return E.left(configError(`${source} must be "true" or "false", got "${text}"`))
}


const isFipsPseudoRegion = (region: string): boolean => region.startsWith('fips-') || region.endsWith('-fips')

/** The SDKs' mapping of legacy FIPS pseudo-regions (`fips-us-gov-west-1`, `us-east-1-fips`) to regions. */
const realRegion = (region: string): string =>
  !isFipsPseudoRegion(region)
    ? region
    : region === 'fips-aws-global' || region === 'aws-fips'
      ? 'us-east-1'
      : region.replace(/fips-(dkr-|prod-)?|-fips/, '')

/**
 * Parses a configured endpoint. Plain `http:` is accepted only for loopback hosts: the request carries
 * a session token, which must not cross a network in clear text.
 *
 * @internal
 * @since 0.1.0
 */
export const parseEndpoint = (text: string, source: string): E.Either<ConfigError, URL> => {
  const checked = checkEndpoint(text)
  return typeof checked === 'string' ? E.left(configError(`${source} ${checked}`)) : E.right(checked)
}

const integerSetting = (
  value: number | string | undefined,
  source: string,
  min: number,
): E.Either<ConfigError, number | undefined> => {
  if (value === undefined) return E.right(undefined)
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN
  return Number.isSafeInteger(n) && n >= min
    ? E.right(n)
    : E.left(configError(`${source} must be an integer of at least ${min}, got ${String(value)}`))
}

const durationSetting = (
  value: number | undefined,
  source: string,
  fallback: number,
  allowZero: boolean,
): E.Either<ConfigError, number> => {
  if (value === undefined) return E.right(fallback)
  return typeof value === 'number' && Number.isFinite(value) && (allowZero ? value >= 0 : value > 0)
    ? E.right(value)
    : E.left(configError(`${source} must be a ${allowZero ? 'non-negative' : 'positive'} finite number of milliseconds`))
}

const LOOPBACK_NO_PROXY = ['localhost', '127.0.0.1', '[::1]']

/**
 * Reads the proxy variables from an environment.
 *
 * @internal
 * @since 0.1.0
 */
export const resolveProxy = (env: Readonly<Record<string, string | undefined>>): ResolvedProxy => {
  const httpsProxy = envValue(env, 'https_proxy') ?? envValue(env, 'HTTPS_PROXY') ?? ''
  const httpProxy = envValue(env, 'http_proxy') ?? envValue(env, 'HTTP_PROXY') ?? ''
  const noProxy = envValue(env, 'no_proxy') ?? envValue(env, 'NO_PROXY') ?? ''
  if ((httpsProxy === '' && httpProxy === '') || noProxy.trim() === '*') return { httpProxy, httpsProxy, noProxy }
  const entries = noProxy.split(/[,\s]+/).filter((e) => e !== '')
  const missing = LOOPBACK_NO_PROXY.filter((h) => !entries.includes(h))
  return { httpProxy, httpsProxy, noProxy: [...entries, ...missing].join(',') }
}

const staticProvider = (c: AwsCredentialIdentity): RefreshableCredentialsProvider => {
  const copy: AwsCredentialIdentity = {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken !== undefined ? { sessionToken: c.sessionToken } : {}),
    ...(c.expiration !== undefined ? { expiration: c.expiration } : {}),
  }
  return () => Promise.resolve(copy)
}

/**
 * Applies the defaults to a {@link ClientConfig}: region, endpoint (partition rules, FIPS, dual-stack,
 * the loopback rule for `http:`), retry and timeout settings, and credentials (an object is wrapped,
 * a provider memoized, none means the default chain over the same environment).
 *
 * @param environment - defaults to {@link defaultEnvironment}; tests pass their own.
 * @internal
 * @since 0.1.0
 */
export function resolveConfig(
  config: ClientConfig,
  environment: ProviderEnvironment = defaultEnvironment(),
): E.Either<ConfigError, ResolvedConfig> {
  const env = environment.env
  const profileName = config.profile ?? envValue(env, 'AWS_PROFILE')
  if (profileName !== undefined && profileName.trim() === '') return E.left(configError('profile must not be empty'))
  const effectiveProfile = profileName ?? 'default'

  // The files are read only when a setting is actually left to them.
  let shared: SharedConfig | undefined
  const files = (): SharedConfig => (shared ??= loadSharedConfig(environment))
  let profileCache: IniSection | null | undefined
  const profile = (): IniSection | undefined => {
    if (profileCache === undefined) profileCache = settingsProfile(files(), effectiveProfile) ?? null
    return profileCache ?? undefined
  }
  const fromProfile = (key: string): string | undefined => {
    const v = profile()?.[key]
    return v === undefined || v === '' ? undefined : v
  }
  const profileSource = (key: string): string => `${key} of profile "${effectiveProfile}" in ${files().configFilePath}`

  // Every setting follows the same order, written once here: explicit > environment > profile > default. `setting`
  // returns the first source that has a value, with the name a message should give it.
  const setting = <A>(explicit: readonly [A | undefined, string], envNames: ReadonlyArray<string>, profileKey: string | undefined): readonly [A | string, string] | undefined => {
    if (explicit[0] !== undefined) return [explicit[0], explicit[1]]
    for (const name of envNames) {
      const v = envValue(env, name)
      if (v !== undefined) return [v, name]
    }
    if (profileKey === undefined) return undefined
    const v = fromProfile(profileKey)
    return v === undefined ? undefined : [v, profileSource(profileKey)]
  }

  // region
  const regionSetting = setting([config.region, 'region'], ['AWS_REGION', 'AWS_DEFAULT_REGION'], 'region')
  if (regionSetting === undefined) {
    return E.left(
      configError(
        `No AWS region configured: pass region, set AWS_REGION, or set region in profile "${effectiveProfile}" ` +
          `of ${files().configFilePath}`,
      ),
    )
  }
  const [regionText, regionSource] = regionSetting
  const region = realRegion(regionText.trim())
  if (!isValidRegionName(region)) {
    return E.left(configError(`${regionSource} is not a valid region name: "${regionText}"`))
  }

  // flags
  const flag = (explicit: boolean | undefined, envName: string, profileKey: string): E.Either<ConfigError, boolean> => {
    const found = setting([explicit, envName], [envName], profileKey)
    return E.map((b: boolean | undefined) => b ?? false)(parseBool(found?.[0], found?.[1] ?? envName))
  }
  const fipsFlag = flag(config.useFipsEndpoint, 'AWS_USE_FIPS_ENDPOINT', 'use_fips_endpoint')
  if (E.isLeft(fipsFlag)) return fipsFlag
  const dualFlag = flag(config.useDualstackEndpoint, 'AWS_USE_DUALSTACK_ENDPOINT', 'use_dualstack_endpoint')
  if (E.isLeft(dualFlag)) return dualFlag
  const useFipsEndpoint = fipsFlag.right || isFipsPseudoRegion(regionText.trim())
  const useDualstackEndpoint = dualFlag.right

  // endpoints, per service
  const ignoreSetting = setting<boolean>([undefined, ''], ['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'], 'ignore_configured_endpoint_urls')
  const ignoreConfigured = parseBool(ignoreSetting?.[0], ignoreSetting?.[1] ?? '')
  if (E.isLeft(ignoreConfigured)) return ignoreConfigured
  const servicesName = fromProfile('services')
  const services = {} as Record<ServiceId, ServiceEndpoint>
  for (const { id, envSuffix } of SERVICES) {
    const fromServices = servicesName === undefined ? undefined : files().services.get(servicesName)?.[`${id}.endpoint_url`]
    const explicit = config.endpoints?.[id] !== undefined ? ([config.endpoints[id], `endpoints.${id}`] as const) : ([config.endpoint, 'endpoint'] as const)
    const found =
      explicit[0] !== undefined
        ? ([explicit[0], explicit[1]] as const)
        : ignoreConfigured.right === true
          ? undefined
          : (setting([undefined, ''], [`AWS_ENDPOINT_URL_${envSuffix}`, 'AWS_ENDPOINT_URL'], undefined) ??
            (fromServices !== undefined && fromServices !== ''
              ? ([fromServices, `${id} endpoint_url of [services ${servicesName ?? ''}] in ${files().configFilePath}`] as const)
              : setting([undefined, ''], [], 'endpoint_url')))
    if (found === undefined) {
      const computed = defaultEndpoint(id, region, { useFipsEndpoint, useDualstackEndpoint })
      if (E.isLeft(computed)) {
        // A service the client never calls in this partition must not make the whole client unusable.
        if (id === 'ec2') return computed
        continue
      }
      services[id] = computed.right
      continue
    }
    const [text, source] = found as readonly [string, string]
    if (useFipsEndpoint || useDualstackEndpoint) {
      return E.left(
        configError(
          `${source} is a custom endpoint, which cannot be combined with ` +
            `${useFipsEndpoint ? 'FIPS' : 'dual-stack'} endpoint selection (as in the AWS SDKs); unset one of them`,
        ),
      )
    }
    const parsed = parseEndpoint(text, source)
    if (E.isLeft(parsed)) return parsed
    services[id] = { url: parsed.right, signingRegion: region, custom: true }
  }
  const endpoint = services.ec2.url

  // retries, timeouts, limits
  const attemptsSetting = setting([config.maxAttempts, 'maxAttempts'], ['AWS_MAX_ATTEMPTS'], 'max_attempts')
  const attempts = integerSetting(attemptsSetting?.[0], attemptsSetting?.[1] ?? 'maxAttempts', 1)
  if (E.isLeft(attempts)) return attempts
  const baseDelayMs = durationSetting(config.retry?.baseDelayMs, 'retry.baseDelayMs', CONFIG_DEFAULTS.baseDelayMs, true)
  if (E.isLeft(baseDelayMs)) return baseDelayMs
  const maxDelayMs = durationSetting(config.retry?.maxDelayMs, 'retry.maxDelayMs', CONFIG_DEFAULTS.maxDelayMs, true)
  if (E.isLeft(maxDelayMs)) return maxDelayMs
  if (maxDelayMs.right < baseDelayMs.right) {
    return E.left(configError('retry.maxDelayMs must not be less than retry.baseDelayMs'))
  }
  const connectTimeoutMs = durationSetting(config.connectTimeoutMs, 'connectTimeoutMs', CONFIG_DEFAULTS.connectTimeoutMs, false)
  if (E.isLeft(connectTimeoutMs)) return connectTimeoutMs
  const requestTimeoutMs = durationSetting(config.requestTimeoutMs, 'requestTimeoutMs', CONFIG_DEFAULTS.requestTimeoutMs, false)
  if (E.isLeft(requestTimeoutMs)) return requestTimeoutMs
  const maxResponseBytes = integerSetting(config.maxResponseBytes, 'maxResponseBytes', 1)
  if (E.isLeft(maxResponseBytes)) return maxResponseBytes

  // credentials
  const c: unknown = config.credentials
  let credentials: RefreshableCredentialsProvider
  if (c === undefined) {
    credentials = defaultCredentialChain({
      ...environment,
      profile: profileName,
      region,
      dispatcher: config.dispatcher,
      logger: config.logger,
      mfaCodeProvider: config.mfaCodeProvider,
    })
  } else if (typeof c === 'function') {
    credentials = memoizeCredentials(c as AwsCredentialIdentityProvider)
  } else {
    const problem = credentialsProblem(c)
    if (problem !== undefined) return E.left(configError(`credentials are malformed: ${problem}`))
    credentials = staticProvider(c as AwsCredentialIdentity)
  }

  return E.right({
    region,
    endpoint,
    signingRegion: services.ec2.signingRegion,
    services,
    credentials,
    maxAttempts: attempts.right ?? CONFIG_DEFAULTS.maxAttempts,
    retry: { baseDelayMs: baseDelayMs.right, maxDelayMs: maxDelayMs.right },
    connectTimeoutMs: connectTimeoutMs.right,
    requestTimeoutMs: requestTimeoutMs.right,
    useFipsEndpoint,
    useDualstackEndpoint,
    logger: config.logger,
    dispatcher: config.dispatcher,
    maxResponseBytes: maxResponseBytes.right ?? CONFIG_DEFAULTS.maxResponseBytes,
    profile: profileName,
    proxy: resolveProxy(env),
  })
}
