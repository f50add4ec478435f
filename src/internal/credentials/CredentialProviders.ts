/**
 * The credential providers of the default chain the AWS SDKs and CLI use, in their order: environment
 * variables, shared config/credentials files (static keys, `credential_process`, assume-role, web
 * identity), web identity from the environment, container metadata, instance metadata.
 *
 * This module holds the environment, shared-profile and web-identity providers and the chain itself; the
 * other links live in `ContainerMetadata.ts`, `InstanceMetadata.ts` and `CredentialProcess.ts`, the shared
 * files in `SharedConfigFiles.ts`, the STS client in `Sts.ts` and their common helpers in `ProviderSupport.ts`.
 *
 * Every provider receives its environment explicitly (an `env` record, the home directory, a file
 * reader, an undici `Dispatcher`, a clock) so this module never reads `process.env`; only
 * `ClientConfig.ts` builds the real environment.
 *
 * Providers follow AWS SDK v3's contract: a zero-argument async function that rejects with a
 * {@link CredentialsProviderError}. `tryNextLink: true` means "not configured here"; a provider that is
 * configured but fails rejects with `tryNextLink: false`, which stops a chain.
 *
 * @since 0.1.0
 */
import type { Dispatcher } from 'undici'
import type { Logger } from '../../Logger.js'
import { type ContainerMetadataOptions, fromContainerMetadata } from './ContainerMetadata.js'
import { runCredentialProcess } from './CredentialProcess.js'
import {
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  CredentialsProviderError,
  isCredentialsProviderError,
  type MemoizeCredentialsOptions,
  memoizeCredentials,
  type RefreshableCredentialsProvider,
} from '../../Credentials.js'
import { fromInstanceMetadata, type InstanceMetadataOptions } from './InstanceMetadata.js'
import { asConfiguredFailure, failed, isoDate, notConfigured, positiveInt, str } from './ProviderSupport.js'
import {
  credentialsProfile,
  envValue,
  errorCode,
  expandHome,
  type IniSection,
  loadSharedConfig,
  type ProviderEnvironment,
  readWith,
  type SharedConfig,
} from '../config/SharedConfigFiles.js'
import { isSsoProfile, ssoCredentials } from './SsoCredentials.js'
import { createStsClient, type StsClient, type StsClientOptions } from './Sts.js'

// -------------------------------------------------------------------------------------------------
// fromEnv
// -------------------------------------------------------------------------------------------------

/**
 * Options of {@link fromEnv}.
 *
 * @public
 * @since 0.1.0
 */
export interface FromEnvOptions {
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and
 * `AWS_CREDENTIAL_EXPIRATION`. Neither key set: not configured. Only one of them set: a
 * configuration error that stops the chain, because silently using other credentials would be worse.
 *
 * @public
 * @since 0.1.0
 */
export const fromEnv =
  (options: FromEnvOptions): AwsCredentialIdentityProvider =>
  async () => {
    const { env } = options
    const accessKeyId = envValue(env, 'AWS_ACCESS_KEY_ID')
    const secretAccessKey = envValue(env, 'AWS_SECRET_ACCESS_KEY')
    if (accessKeyId === undefined && secretAccessKey === undefined) {
      throw notConfigured('fromEnv', 'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set')
    }
    if (accessKeyId === undefined) {
      throw failed('fromEnv', 'AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not')
    }
    if (secretAccessKey === undefined) {
      throw failed('fromEnv', 'AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not')
    }
    const sessionToken = envValue(env, 'AWS_SESSION_TOKEN')
    const expirationText = envValue(env, 'AWS_CREDENTIAL_EXPIRATION')
    const expiration = expirationText === undefined ? undefined : isoDate(expirationText)
    if (expirationText !== undefined && expiration === undefined) {
      throw failed('fromEnv', 'AWS_CREDENTIAL_EXPIRATION is not a valid ISO 8601 date-time')
    }
    return {
      accessKeyId,
      secretAccessKey,
      ...(sessionToken !== undefined ? { sessionToken } : {}),
      ...(expiration !== undefined ? { expiration } : {}),
    }
  }

// -------------------------------------------------------------------------------------------------
// shared profile (fromIni) and web identity
// -------------------------------------------------------------------------------------------------

/**
 * Options of {@link fromIni}.
 *
 * @public
 * @since 0.1.0
 */
export interface FromIniOptions extends ProviderEnvironment {
  /** Profile to use; default `AWS_PROFILE`, else `default`. */
  readonly profile?: string | undefined
  /**
   * Region for STS when the role's profile names none; then `AWS_REGION`, `AWS_DEFAULT_REGION`,
   * `us-east-1`.
   */
  readonly region?: string | undefined
  /** STS implementation; default {@link createStsClient} for the region in play. */
  readonly sts?: StsClient | undefined
  /** Dispatcher of the default STS client (an STS call is an AWS API call like any other). */
  readonly dispatcher?: Dispatcher | undefined
  /** Options of the default STS client. */
  readonly stsOptions?: Omit<StsClientOptions, 'region' | 'endpoint' | 'dispatcher' | 'now'> | undefined
  /** Used by `credential_source = EcsContainer`. */
  readonly containerMetadata?: ContainerMetadataOptions | undefined
  /** Used by `credential_source = Ec2InstanceMetadata`. */
  readonly instanceMetadata?: InstanceMetadataOptions | undefined
  /** Deadline of a `credential_process`. Default 60 000 ms: long enough for an interactive helper. */
  readonly processTimeoutMs?: number | undefined
  /**
   * The current code of an MFA device, for a role profile with `mfa_serial` (as AWS SDK v3's `fromIni`). Called
   * with the device's serial number or ARN each time the role is assumed; the command line prompts for it.
   */
  readonly mfaCodeProvider?: ((mfaSerial: string) => Promise<string>) | undefined
  readonly logger?: Logger | undefined
  readonly now?: (() => number) | undefined
}

interface IniContext {
  readonly options: FromIniOptions
  readonly shared: SharedConfig
  readonly now: () => number
  /** `credential_source = Ec2InstanceMetadata`: one provider for the life of the `fromIni` provider, so its
   * static stability has the last credentials to fall back on. */
  readonly instanceMetadata: () => AwsCredentialIdentityProvider
}

const stsFor = (ctx: Pick<IniContext, 'options' | 'now'>, profileRegion: string | undefined): StsClient => {
  const o = ctx.options
  if (o.sts !== undefined) return o.sts
  const region =
    profileRegion ?? o.region ?? envValue(o.env, 'AWS_REGION') ?? envValue(o.env, 'AWS_DEFAULT_REGION') ?? 'us-east-1'
  const ignoreEndpoints = envValue(o.env, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS')?.toLowerCase() === 'true'
  const endpoint = ignoreEndpoints
    ? undefined
    : (envValue(o.env, 'AWS_ENDPOINT_URL_STS') ?? envValue(o.env, 'AWS_ENDPOINT_URL'))
  return createStsClient({
    ...o.stsOptions,
    region,
    now: ctx.now,
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(o.dispatcher !== undefined ? { dispatcher: o.dispatcher } : {}),
  })
}

const parseDuration = (provider: string, profileName: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n < 900 || n > 43_200) {
    throw failed(provider, `duration_seconds of profile "${profileName}" must be an integer from 900 to 43200`)
  }
  return n
}

const defaultSessionName = (now: () => number): string => `ec2-import-image-${now()}`

const webIdentity = async (
  provider: string,
  params: {
    readonly tokenFile: string
    readonly roleArn: string
    readonly sessionName: string | undefined
    readonly durationSeconds: number | undefined
  },
  sts: StsClient,
  environment: ProviderEnvironment,
  now: () => number,
): Promise<AwsCredentialIdentity> => {
  let token: string
  try {
    token = readWith(environment)(expandHome(params.tokenFile, environment.homedir)).trim()
  } catch (e) {
    throw failed(provider, `could not read the web identity token file ${params.tokenFile} (${errorCode(e)})`)
  }
  if (token === '') throw failed(provider, `the web identity token file ${params.tokenFile} is empty`)
  try {
    return await sts.assumeRoleWithWebIdentity({
      RoleArn: params.roleArn,
      RoleSessionName: params.sessionName ?? defaultSessionName(now),
      WebIdentityToken: token,
      ...(params.durationSeconds !== undefined ? { DurationSeconds: params.durationSeconds } : {}),
    })
  } catch (e) {
    throw asConfiguredFailure(e, provider, `AssumeRoleWithWebIdentity for ${params.roleArn}`)
  }
}

const hasStaticKeys = (p: IniSection | undefined): boolean =>
  p !== undefined && str(p['aws_access_key_id']) !== undefined && str(p['aws_secret_access_key']) !== undefined


/** Sentinel for "this profile holds no credential settings at all". */
const NO_CREDENTIALS = Symbol('no credentials')

const credentialSource = async (
  ctx: IniContext,
  profileName: string,
  source: string,
): Promise<AwsCredentialIdentity> => {
  const o = ctx.options
  const run = (p: AwsCredentialIdentityProvider, label: string): Promise<AwsCredentialIdentity> =>
    p().catch((e: unknown) => {
      throw asConfiguredFailure(e, 'fromIni', `credential_source ${label} of profile "${profileName}"`)
    })
  switch (source) {
    case 'Environment':
      return run(fromEnv({ env: o.env }), source)
    case 'Ec2InstanceMetadata':
      return run(ctx.instanceMetadata(), source)
    case 'EcsContainer':
      return run(fromContainerMetadata({ ...o.containerMetadata, env: o.env, readFile: readWith(o) }), source)
    default:
      throw failed(
        'fromIni',
        `credential_source of profile "${profileName}" is ${source}; expected Environment, Ec2InstanceMetadata or EcsContainer`,
      )
  }
}

// STS takes six digits; anything else is refused here, before a request is signed or sent.
const MFA_CODE = /^\d{6}$/

const mfaCode = async (ctx: IniContext, profileName: string, serial: string): Promise<string> => {
  const ask = ctx.options.mfaCodeProvider
  if (ask === undefined) {
    throw failed(
      'fromIni',
      `profile "${profileName}" requires MFA (mfa_serial ${serial}); pass mfaCodeProvider in the client's config ` +
        '(the command line asks for the code when it runs in a terminal)',
    )
  }
  let code: string
  try {
    code = (await ask(serial)).trim()
  } catch (e) {
    throw failed('fromIni', `no MFA code for profile "${profileName}": ${e instanceof Error ? e.message : String(e)}`)
  }
  if (!MFA_CODE.test(code)) throw failed('fromIni', `the MFA code for profile "${profileName}" must be 6 digits`)
  return code
}

const resolveProfile = async (
  ctx: IniContext,
  name: string,
  visited: ReadonlyArray<string>,
): Promise<AwsCredentialIdentity | typeof NO_CREDENTIALS> => {
  const provider = 'fromIni'
  const p = credentialsProfile(ctx.shared, name)
  const isSource = visited.length > 0
  if (p === undefined) {
    throw failed(provider, `source_profile "${name}" (used by profile "${visited[visited.length - 1] ?? ''}") does not exist`)
  }
  const staticKeys = (): AwsCredentialIdentity => {
    const sessionToken = str(p['aws_session_token'])
    return {
      accessKeyId: p['aws_access_key_id'] as string,
      secretAccessKey: p['aws_secret_access_key'] as string,
      ...(sessionToken !== undefined ? { sessionToken } : {}),
    }
  }
  // A source profile's own keys win over its role settings: that is how a profile can be its own source.
  if (isSource && hasStaticKeys(p)) return staticKeys()

  const roleArn = str(p['role_arn'])
  const sourceProfile = str(p['source_profile'])
  const credentialSourceName = str(p['credential_source'])
  if (roleArn !== undefined && (sourceProfile !== undefined || credentialSourceName !== undefined)) {
    if (sourceProfile !== undefined && credentialSourceName !== undefined) {
      throw failed(provider, `profile "${name}" sets both source_profile and credential_source; choose one`)
    }
    const mfaSerial = str(p['mfa_serial'])
    const durationSeconds = parseDuration(provider, name, str(p['duration_seconds']))
    let source: AwsCredentialIdentity
    if (sourceProfile !== undefined) {
      const path_ = [...visited, name]
      if (path_.includes(sourceProfile) && !hasStaticKeys(credentialsProfile(ctx.shared, sourceProfile))) {
        throw failed(
          provider,
          `source_profile cycle: ${[...path_, sourceProfile].map((n) => `"${n}"`).join(' -> ')}`,
        )
      }
      const r = await resolveProfile(ctx, sourceProfile, path_)
      if (r === NO_CREDENTIALS) {
        throw failed(provider, `source_profile "${sourceProfile}" of profile "${name}" holds no credentials`)
      }
      source = r
    } else {
      source = await credentialSource(ctx, name, credentialSourceName as string)
    }
    const externalId = str(p['external_id'])
    const mfa = mfaSerial === undefined ? undefined : { SerialNumber: mfaSerial, TokenCode: await mfaCode(ctx, name, mfaSerial) }
    ctx.options.logger?.debug?.('credentials: assuming role from shared profile', { profile: name, roleArn })
    try {
      return await stsFor(ctx, str(p['region'])).assumeRole(
        {
          RoleArn: roleArn,
          RoleSessionName: str(p['role_session_name']) ?? defaultSessionName(ctx.now),
          ...(externalId !== undefined ? { ExternalId: externalId } : {}),
          ...(durationSeconds !== undefined ? { DurationSeconds: durationSeconds } : {}),
          ...mfa,
        },
        source,
      )
    } catch (e) {
      throw asConfiguredFailure(e, provider, `AssumeRole for ${roleArn} (profile "${name}")`)
    }
  }

  if (hasStaticKeys(p)) return staticKeys()
  if (str(p['aws_access_key_id']) !== undefined || str(p['aws_secret_access_key']) !== undefined) {
    throw failed(provider, `profile "${name}" sets only one of aws_access_key_id and aws_secret_access_key`)
  }
  const tokenFile = str(p['web_identity_token_file'])
  if (tokenFile !== undefined && roleArn !== undefined) {
    return webIdentity(
      provider,
      {
        tokenFile,
        roleArn,
        sessionName: str(p['role_session_name']),
        durationSeconds: parseDuration(provider, name, str(p['duration_seconds'])),
      },
      stsFor(ctx, str(p['region'])),
      ctx.options,
      ctx.now,
    )
  }
  const processLine = str(p['credential_process'])
  if (processLine !== undefined) {
    return runCredentialProcess(
      name,
      processLine,
      ctx.options.env,
      positiveInt(ctx.options.processTimeoutMs, 60_000),
      ctx.now,
    )
  }
  if (isSsoProfile(p)) {
    const o = ctx.options
    return ssoCredentials(name, p, {
      env: o.env,
      homedir: o.homedir,
      readFile: o.readFile,
      writeFile: o.writeFile,
      shared: ctx.shared,
      dispatcher: o.dispatcher,
      now: ctx.now,
    })
  }
  if (str(p['login_session']) !== undefined) {
    throw failed(
      provider,
      `profile "${name}" uses console login (login_session), which this client does not implement; pass ` +
        'credentials from @aws-sdk/credential-provider-login instead',
    )
  }
  if (roleArn !== undefined) {
    throw failed(
      provider,
      `profile "${name}" sets role_arn without source_profile, credential_source or web_identity_token_file`,
    )
  }
  return NO_CREDENTIALS
}

/**
 * Credentials from the shared `credentials` and `config` files: static keys, `credential_process`,
 * `role_arn` with `source_profile` (followed recursively, cycles reported) or `credential_source`
 * (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`) via STS `AssumeRole`,
 * `web_identity_token_file` with `role_arn` via `AssumeRoleWithWebIdentity`, and IAM Identity Center (SSO)
 * profiles from the token `aws sso login` cached (`SsoCredentials.ts`).
 *
 * The `default` profile missing or holding no credential settings is "not configured"; a profile
 * named explicitly (option or `AWS_PROFILE`) that does not exist is an error that stops the chain.
 *
 * @public
 * @since 0.1.0
 */
export const fromIni = (options: FromIniOptions): AwsCredentialIdentityProvider => {
  let imds: AwsCredentialIdentityProvider | undefined
  const instanceMetadata = (): AwsCredentialIdentityProvider =>
    (imds ??= fromInstanceMetadata({ ...options.instanceMetadata, env: options.env, now: options.now, logger: options.logger }))
  return async () => {
    const provider = 'fromIni'
    const shared = loadSharedConfig(options)
    const explicit = options.profile ?? envValue(options.env, 'AWS_PROFILE')
    const name = explicit ?? 'default'
    const where = `${shared.credentialsFilePath} or ${shared.configFilePath}`
    if (credentialsProfile(shared, name) === undefined) {
      const problems = shared.problems.length > 0 ? ` (unreadable: ${shared.problems.join(', ')})` : ''
      const message = `profile "${name}" not found in ${where}${problems}`
      throw explicit !== undefined ? failed(provider, message) : notConfigured(provider, message)
    }
    const r = await resolveProfile({ options, shared, now: options.now ?? Date.now, instanceMetadata }, name, [])
    if (r === NO_CREDENTIALS) throw notConfigured(provider, `profile "${name}" holds no credential settings`)
    return r
  }
}

/**
 * Options of {@link fromWebIdentityTokenFile}.
 *
 * @public
 * @since 0.1.0
 */
export interface FromWebIdentityTokenFileOptions extends FromIniOptions {
  /** Default `AWS_WEB_IDENTITY_TOKEN_FILE`. */
  readonly webIdentityTokenFile?: string | undefined
  /** Default `AWS_ROLE_ARN`. */
  readonly roleArn?: string | undefined
  /** Default `AWS_ROLE_SESSION_NAME`, else a generated name. */
  readonly roleSessionName?: string | undefined
}

/**
 * `AssumeRoleWithWebIdentity` with the token in `AWS_WEB_IDENTITY_TOKEN_FILE` for `AWS_ROLE_ARN` (EKS
 * IRSA and similar). Neither set: not configured; only one set: an error that stops the chain.
 *
 * @public
 * @since 0.1.0
 */
export const fromWebIdentityTokenFile =
  (options: FromWebIdentityTokenFileOptions): AwsCredentialIdentityProvider =>
  async () => {
    const provider = 'fromWebIdentityTokenFile'
    const tokenFile = options.webIdentityTokenFile ?? envValue(options.env, 'AWS_WEB_IDENTITY_TOKEN_FILE')
    const roleArn = options.roleArn ?? envValue(options.env, 'AWS_ROLE_ARN')
    if (tokenFile === undefined && roleArn === undefined) {
      throw notConfigured(provider, 'AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN are not set')
    }
    if (tokenFile === undefined || roleArn === undefined) {
      throw failed(
        provider,
        tokenFile === undefined
          ? 'AWS_ROLE_ARN is set but AWS_WEB_IDENTITY_TOKEN_FILE is not'
          : 'AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not',
      )
    }
    const now = options.now ?? Date.now
    const ctx = { options, now }
    return webIdentity(
      provider,
      {
        tokenFile,
        roleArn,
        sessionName: options.roleSessionName ?? envValue(options.env, 'AWS_ROLE_SESSION_NAME'),
        durationSeconds: undefined,
      },
      stsFor(ctx, undefined),
      options,
      now,
    )
  }

// -------------------------------------------------------------------------------------------------
// the default chain
// -------------------------------------------------------------------------------------------------

/**
 * Options of {@link defaultCredentialChain}.
 *
 * @public
 * @since 0.1.0
 */
export interface DefaultCredentialChainOptions extends FromIniOptions {
  /** Cache tuning; its clock defaults to `now`. */
  readonly memoize?: MemoizeCredentialsOptions | undefined
}

const METADATA_LINKS: ReadonlySet<string> = new Set(['container metadata', 'instance metadata'])

const noCredentials = (tried: ReadonlyArray<string>): string =>
  `No AWS credentials found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile (AWS_PROFILE), or pass ` +
  `credentials to the client. Tried, in order: ${tried.map((t, i) => `${i + 1}. ${t}`).join('; ')}`

/**
 * The default credential chain of the AWS SDKs, memoized: environment variables → shared profile
 * (static keys, `credential_process`, assume-role, web identity) → web identity from the environment
 * → container metadata → instance metadata. The first provider that yields wins; one that is not
 * configured passes to the next; one that is configured but fails stops the chain with its own error.
 * When nothing is configured, or only a metadata endpoint answers and refuses, the error says no credentials were
 * found and lists every provider tried, in order, and why each gave nothing.
 *
 * As in AWS SDK v3, selecting a profile (the `profile` option or `AWS_PROFILE`) skips the environment
 * keys, so the named profile is what is used.
 *
 * @public
 * @since 0.1.0
 */
export const defaultCredentialChain = (options: DefaultCredentialChainOptions): RefreshableCredentialsProvider => {
  const now = options.now ?? Date.now
  const logger = options.logger
  const links: ReadonlyArray<readonly [string, AwsCredentialIdentityProvider]> = [
    [
      'environment variables',
      async () => {
        const profile = options.profile ?? envValue(options.env, 'AWS_PROFILE')
        if (profile !== undefined) {
          if (envValue(options.env, 'AWS_ACCESS_KEY_ID') !== undefined) {
            logger?.warn?.(
              'credentials: both a profile and AWS_ACCESS_KEY_ID are set; using the profile, as AWS SDK v3 does',
              { profile },
            )
          }
          throw notConfigured('fromEnv', `skipped because profile "${profile}" is selected`)
        }
        return fromEnv(options)()
      },
    ],
    ['shared config profile', fromIni({ ...options, now })],
    ['web identity token file', fromWebIdentityTokenFile({ ...options, now })],
    ['container metadata', fromContainerMetadata({ ...options.containerMetadata, env: options.env, readFile: readWith(options) })],
    [
      'instance metadata',
      fromInstanceMetadata({
        ...options.instanceMetadata,
        env: options.env,
        now,
        logger,
        cacheRefreshBeforeMs: options.memoize?.refreshBeforeMs,
      }),
    ],
  ]
  const chain: AwsCredentialIdentityProvider = async () => {
    const skipped: string[] = []
    for (const [label, link] of links) {
      logger?.debug?.(`credentials: trying ${label}`)
      try {
        const credentials = await link()
        logger?.debug?.(`credentials: using ${label}`)
        return credentials
      } catch (e) {
        if (isCredentialsProviderError(e) && e.tryNextLink) {
          skipped.push(`${label} (${e.message})`)
          continue
        }
        // The metadata endpoints are the chain's last resort: one that answers but refuses (an IMDS that answers 403
        // inside a container, say) is reported with every source tried before it, so a newcomer with no
        // credentials at all reads that none were found and why each source gave nothing — not only the last.
        if (METADATA_LINKS.has(label)) {
          const reason = e instanceof Error ? e.message : 'it failed'
          throw new CredentialsProviderError(noCredentials([...skipped, `${label} (${reason})`]), {
            provider: 'defaultCredentialChain',
            tryNextLink: true,
          })
        }
        throw isCredentialsProviderError(e) ? e : asConfiguredFailure(e, 'defaultCredentialChain', label)
      }
    }
    throw new CredentialsProviderError(noCredentials(skipped), { provider: 'defaultCredentialChain', tryNextLink: true })
  }
  return memoizeCredentials(chain, { ...options.memoize, now: options.memoize?.now ?? now })
}
