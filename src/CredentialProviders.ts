/**
 * The credential providers of the default chain the AWS SDKs and CLI use, in their order: environment
 * variables, shared config/credentials files (static keys, `credential_process`, assume-role, web
 * identity), web identity from the environment, container metadata, instance metadata.
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
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Dispatcher } from 'undici'
import type { Logger } from './ClientConfig.js'
import { decodeResponse, serializeRequest, validateRequest, type Operation } from './Operation.js'
import { classifyFailure } from './Retry.js'
import { signRequest } from './Signer.js'
import { AssumeRole, AssumeRoleWithWebIdentity, type StsCredentials } from './Sts.js'
import { globalDispatcher, send } from './Transport.js'
import { checkEndpoint, isLoopbackHost, stsEndpointFor } from './Partition.js'
import {
  type AwsCredentialIdentity,
  type AwsCredentialIdentityProvider,
  CredentialsProviderError,
  type CredentialsProviderErrorOptions,
  isCredentialsProviderError,
  type MemoizeCredentialsOptions,
  memoizeCredentials,
  type RefreshableCredentialsProvider,
} from './Credentials.js'

// -------------------------------------------------------------------------------------------------
// environment
// -------------------------------------------------------------------------------------------------

/**
 * What a provider may know about the machine it runs on. Built once by `defaultEnvironment()` in
 * `ClientConfig.ts`; tests build their own.
 *
 * @public
 * @since 0.1.0
 */
export interface ProviderEnvironment {
  /** Environment variables (e.g. a copy of `process.env`). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** Home directory, used for `~/.aws/credentials`, `~/.aws/config` and `~/` in file settings. */
  readonly homedir: string
  /**
   * Reads a whole UTF-8 file, throwing when it cannot (like `fs.readFileSync(path, 'utf8')`, the
   * default). Synchronous because configuration is resolved synchronously; the files are small.
   */
  readonly readFile?: ((path: string) => string) | undefined
}

/** Env values that are set but empty count as unset, as in the AWS SDKs. */
const envValue = (env: Readonly<Record<string, string | undefined>>, name: string): string | undefined => {
  const v = env[name]
  return v === undefined || v === '' ? undefined : v
}

const readWith = (environment: ProviderEnvironment): ((path: string) => string) =>
  environment.readFile ?? ((p: string) => readFileSync(p, 'utf8'))

const errorCode = (e: unknown): string => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : 'unknown error'
}

const notConfigured = (provider: string, message: string): CredentialsProviderError =>
  new CredentialsProviderError(message, { provider, tryNextLink: true })

const failed = (
  provider: string,
  message: string,
  extra: Omit<CredentialsProviderErrorOptions, 'provider' | 'tryNextLink'> = {},
): CredentialsProviderError => new CredentialsProviderError(message, { ...extra, provider, tryNextLink: false })

/**
 * Inside a configured profile every failure must stop the chain, even one a nested provider marked
 * "not configured" (e.g. `credential_source = Environment` with no env keys).
 */
const asConfiguredFailure = (e: unknown, provider: string, context: string): CredentialsProviderError => {
  if (isCredentialsProviderError(e)) {
    return e.tryNextLink
      ? failed(e.provider, `${context}: ${e.message}`, { code: e.code, statusCode: e.statusCode })
      : e
  }
  const message = e instanceof Error ? e.message : String(e)
  return failed(provider, `${context}: ${message}`, { cause: e })
}

const isoDate = (s: string): Date | undefined => {
  const d = new Date(s)
  return Number.isNaN(d.getTime()) ? undefined : d
}

const sleep = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms))

const positiveInt = (n: number | undefined, fallback: number): number =>
  n !== undefined && Number.isInteger(n) && n >= 1 ? n : fallback

const nonNegative = (n: number | undefined, fallback: number): number =>
  n !== undefined && Number.isFinite(n) && n >= 0 ? n : fallback

// -------------------------------------------------------------------------------------------------
// HTTP
// -------------------------------------------------------------------------------------------------

class HttpFailure extends Error {
  override readonly name = 'HttpFailure'
  constructor(
    readonly reason: string,
    readonly unreachable: boolean,
  ) {
    super(reason)
  }
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
])

/** Turns an undici/network error into a short description that carries no request data. */
const describeNetworkError = (e: unknown): HttpFailure => {
  if (e instanceof HttpFailure) return e
  const name = e instanceof Error ? e.name : ''
  const code = errorCode(e)
  const causeCode = errorCode(e instanceof Error ? e.cause : undefined)
  if (name === 'TimeoutError' || name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new HttpFailure('timed out', true)
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') return new HttpFailure('timed out reading the response', false)
  const c = UNREACHABLE_CODES.has(code) ? code : UNREACHABLE_CODES.has(causeCode) ? causeCode : undefined
  if (c !== undefined) return new HttpFailure(`connection failed (${c})`, true)
  return new HttpFailure(`network error (${code !== 'unknown error' ? code : causeCode})`, false)
}

interface HttpResult {
  readonly statusCode: number
  readonly body: string
}

interface HttpInit {
  readonly method: 'GET' | 'PUT' | 'POST'
  readonly headers?: Record<string, string>
  readonly body?: string
  readonly dispatcher?: Dispatcher | undefined
  readonly timeoutMs: number
  readonly maxBytes: number
}

/**
 * One bounded request — a total deadline (connect included) and a cap on the body it buffers — through the client's
 * own transport stage, with its failure turned into a short description that carries no request data.
 */
const httpRequest = async (url: URL, init: HttpInit): Promise<HttpResult> => {
  const res = await send(
    { origin: url.origin, path: url.pathname + url.search, method: init.method, headers: init.headers ?? {}, body: init.body ?? '' },
    { dispatcher: init.dispatcher ?? globalDispatcher(), requestTimeoutMs: init.timeoutMs, maxResponseBytes: init.maxBytes },
  )
  if (!('_tag' in res)) return { statusCode: res.statusCode, body: res.body }
  switch (res.reason) {
    case 'body-too-large':
      throw new HttpFailure(`response larger than ${init.maxBytes} bytes`, false)
    case 'connect-timeout':
      throw new HttpFailure('timed out', true)
    case 'request-timeout':
      throw res.code === 'UND_ERR_BODY_TIMEOUT' ? new HttpFailure('timed out reading the response', false) : new HttpFailure('timed out', true)
    default:
      throw describeNetworkError(Object.assign(new Error(res.message), { code: res.code }))
  }
}

const isTransientStatus = (status: number): boolean => status === 429 || status >= 500

// -------------------------------------------------------------------------------------------------
// shared config and credentials files
// -------------------------------------------------------------------------------------------------

/**
 * One section of an INI file. Nested properties (`s3 =` followed by indented `key = value` lines)
 * are flattened to `s3.key`, as AWS SDK v3 does.
 *
 * @internal
 * @since 0.1.0
 */
export type IniSection = Readonly<Record<string, string>>

/**
 * Parses the AWS shared-file INI dialect: `[section]` headers, `key = value`, `#`/`;` comments at the
 * start of a line or after whitespace, nested properties. Sections and keys are stored in
 * prototype-less containers so a profile named `__proto__` is just a name.
 *
 * @internal
 * @since 0.1.0
 */
export const parseIni = (text: string): Map<string, IniSection> => {
  const sections = new Map<string, Record<string, string>>()
  let current: Record<string, string> | undefined
  let subSection: string | undefined
  for (const raw of text.split(/\r?\n/)) {
    const line = (raw.split(/(?:^|\s)[;#]/)[0] ?? '').trim()
    if (line === '') continue
    if (line.startsWith('[') && line.endsWith(']')) {
      const name = line.slice(1, -1).trim()
      subSection = undefined
      current = sections.get(name)
      if (current === undefined) {
        current = Object.create(null) as Record<string, string>
        sections.set(name, current)
      }
      continue
    }
    if (current === undefined) continue
    const eq = line.indexOf('=')
    if (eq <= 0) continue
    const key = line.slice(0, eq).trim()
    const value = line.slice(eq + 1).trim()
    const indented = /^\s/.test(raw)
    if (value === '') {
      subSection = key
      continue
    }
    if (subSection !== undefined && !indented) subSection = undefined
    current[subSection !== undefined ? `${subSection}.${key}` : key] = value
  }
  return sections
}

/**
 * The parsed shared files.
 *
 * @internal
 * @since 0.1.0
 */
export interface SharedConfig {
  readonly configFilePath: string
  readonly credentialsFilePath: string
  /** Profiles of the config file, by plain name (`[profile x]` and `[default]`). */
  readonly configProfiles: ReadonlyMap<string, IniSection>
  /** Profiles of the credentials file (`[x]`). */
  readonly credentialsProfiles: ReadonlyMap<string, IniSection>
  /** `[services x]` sections of the config file. */
  readonly services: ReadonlyMap<string, IniSection>
  /** Files that exist but could not be read, as `path: code`, so an error can say why. */
  readonly problems: ReadonlyArray<string>
}

const expandHome = (p: string, homedir: string): string =>
  p === '~' ? homedir : p.startsWith('~/') || p.startsWith('~\\') ? path.join(homedir, p.slice(2)) : p

const sectionNameParts = (name: string): readonly [string, string] | undefined => {
  const m = /^(\S+)\s+(.+)$/.exec(name)
  if (m === null) return undefined
  const rest = (m[2] ?? '').trim()
  const unquoted = /^(["'])(.*)\1$/.exec(rest)
  return [m[1] ?? '', unquoted !== null ? (unquoted[2] ?? '') : rest]
}

/**
 * Reads and parses `AWS_CONFIG_FILE` (default `~/.aws/config`) and `AWS_SHARED_CREDENTIALS_FILE`
 * (default `~/.aws/credentials`). A missing file is an empty one, as in every AWS SDK.
 *
 * @internal
 * @since 0.1.0
 */
export const loadSharedConfig = (environment: ProviderEnvironment): SharedConfig => {
  const { env, homedir } = environment
  const read = readWith(environment)
  const configFilePath = expandHome(
    envValue(env, 'AWS_CONFIG_FILE') ?? path.join(homedir, '.aws', 'config'),
    homedir,
  )
  const credentialsFilePath = expandHome(
    envValue(env, 'AWS_SHARED_CREDENTIALS_FILE') ?? path.join(homedir, '.aws', 'credentials'),
    homedir,
  )
  const problems: string[] = []
  const load = (p: string): Map<string, IniSection> => {
    let text: string
    try {
      text = read(p)
    } catch (e) {
      const code = errorCode(e)
      if (code !== 'ENOENT') problems.push(`${p}: ${code}`)
      return new Map()
    }
    return parseIni(text)
  }
  const configProfiles = new Map<string, IniSection>()
  const services = new Map<string, IniSection>()
  for (const [name, section] of load(configFilePath)) {
    if (name === 'default') {
      // `[profile default]` and `[default]` name the same profile; merge, later lines winning.
      configProfiles.set('default', { ...configProfiles.get('default'), ...section })
      continue
    }
    const parts = sectionNameParts(name)
    if (parts === undefined) continue
    const [kind, plain] = parts
    if (kind === 'profile') configProfiles.set(plain, { ...configProfiles.get(plain), ...section })
    else if (kind === 'services') services.set(plain, section)
  }
  const credentialsProfiles = load(credentialsFilePath)
  return { configFilePath, credentialsFilePath, configProfiles, credentialsProfiles, services, problems }
}

const merge = (a: IniSection | undefined, b: IniSection | undefined): IniSection | undefined =>
  a === undefined && b === undefined
    ? undefined
    : (Object.assign(Object.create(null) as Record<string, string>, a, b) as IniSection)

/**
 * A profile as the credential providers see it: both files merged, the credentials file winning.
 *
 * @internal
 * @since 0.1.0
 */
export const credentialsProfile = (shared: SharedConfig, name: string): IniSection | undefined =>
  merge(shared.configProfiles.get(name), shared.credentialsProfiles.get(name))

/**
 * A profile as settings (region, endpoint, retries) see it: both files merged, the config file winning.
 *
 * @internal
 * @since 0.1.0
 */
export const settingsProfile = (shared: SharedConfig, name: string): IniSection | undefined =>
  merge(shared.credentialsProfiles.get(name), shared.configProfiles.get(name))

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
// STS
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
  assumeRole(
    input: {
      readonly RoleArn: string
      readonly RoleSessionName: string
      readonly ExternalId?: string | undefined
      readonly DurationSeconds?: number | undefined
    },
    sourceCredentials: AwsCredentialIdentity,
  ): Promise<AwsCredentialIdentity>
  assumeRoleWithWebIdentity(input: {
    readonly RoleArn: string
    readonly RoleSessionName: string
    readonly WebIdentityToken: string
    readonly DurationSeconds?: number | undefined
  }): Promise<AwsCredentialIdentity>
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

const field = (o: unknown, ...keys: string[]): unknown => {
  let cur: unknown = o
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined
    cur = (cur as Record<string, unknown>)[k]
  }
  return cur
}

const str = (u: unknown): string | undefined => (typeof u === 'string' && u !== '' ? u : undefined)


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

// -------------------------------------------------------------------------------------------------
// credential_process
// -------------------------------------------------------------------------------------------------

/**
 * Splits a `credential_process` command line the way a POSIX shell would for simple cases: blanks
 * separate words, single quotes are literal, double quotes allow `\"` and `\\`. Outside quotes a
 * backslash escapes only a blank, quote or backslash, so Windows paths (`C:\tools\x.exe`) survive.
 * Returns `undefined` for an unterminated quote.
 *
 * @internal
 * @since 0.1.0
 */
export const splitCommandLine = (line: string): string[] | undefined => {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    const next = line[i + 1]
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && (next === '"' || next === '\\')) {
        word += next
        i++
      } else word += c
    } else if (c === "'" || c === '"') {
      quote = c
      inWord = true
    } else if (c === '\\' && next !== undefined && /[\s"'\\]/.test(next)) {
      word += next
      inWord = true
      i++
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote !== undefined) return undefined
  if (inWord) words.push(word)
  return words
}

const PROCESS_MAX_OUTPUT_BYTES = 1024 * 1024

const definedEnv = (env: Readonly<Record<string, string | undefined>>): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}

/** A short, single-line excerpt of stderr: enough to act on ("run aws sso login"), never stdout. */
const stderrExcerpt = (stderr: string): string => {
  const s = stderr.replace(/\s+/g, ' ').trim()
  return s === '' ? '' : `: ${s.length > 300 ? `${s.slice(0, 300)}…` : s}`
}

const runCredentialProcess = (
  profileName: string,
  commandLine: string,
  env: Readonly<Record<string, string | undefined>>,
  timeoutMs: number,
  now: () => number,
): Promise<AwsCredentialIdentity> =>
  new Promise((resolve, reject) => {
    const provider = 'fromProcess'
    const argv = splitCommandLine(commandLine)
    const file = argv?.[0]
    if (argv === undefined || file === undefined) {
      reject(failed(provider, `credential_process of profile "${profileName}" is not a valid command line`))
      return
    }
    // Only the program's name goes into messages: arguments may well hold a secret.
    const program = path.basename(file)
    execFile(
      file,
      argv.slice(1),
      { env: definedEnv(env), timeout: timeoutMs, maxBuffer: PROCESS_MAX_OUTPUT_BYTES, windowsHide: true, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const prefix = `credential_process "${program}" of profile "${profileName}"`
        if (error !== null) {
          const code: unknown = error.code
          const why =
            code === 'ENOENT'
              ? 'could not be started (ENOENT)'
              : error.killed === true && error.signal !== undefined
                ? `was killed with ${error.signal} (timeout ${timeoutMs} ms or output over ${PROCESS_MAX_OUTPUT_BYTES} bytes)`
                : typeof code === 'number'
                  ? `exited with code ${code}`
                  : typeof code === 'string'
                    ? `failed (${code})`
                    : 'failed'
          reject(failed(provider, `${prefix} ${why}${stderrExcerpt(String(stderr))}`))
          return
        }
        let data: unknown
        try {
          data = JSON.parse(String(stdout))
        } catch {
          reject(failed(provider, `${prefix} did not print valid JSON`))
          return
        }
        if (typeof data !== 'object' || data === null) {
          reject(failed(provider, `${prefix} did not print a JSON object`))
          return
        }
        const d = data as Record<string, unknown>
        if (d['Version'] !== 1) {
          reject(failed(provider, `${prefix} printed Version ${JSON.stringify(d['Version'] ?? null)}, expected 1`))
          return
        }
        const accessKeyId = str(d['AccessKeyId'])
        const secretAccessKey = str(d['SecretAccessKey'])
        if (accessKeyId === undefined || secretAccessKey === undefined) {
          reject(failed(provider, `${prefix} printed no AccessKeyId or SecretAccessKey`))
          return
        }
        if (d['SessionToken'] !== undefined && typeof d['SessionToken'] !== 'string') {
          reject(failed(provider, `${prefix} printed a SessionToken that is not a string`))
          return
        }
        const sessionToken = str(d['SessionToken'])
        let expiration: Date | undefined
        if (d['Expiration'] !== undefined) {
          expiration = typeof d['Expiration'] === 'string' ? isoDate(d['Expiration']) : undefined
          if (expiration === undefined) {
            reject(failed(provider, `${prefix} printed an Expiration that is not an ISO 8601 date-time`))
            return
          }
          if (expiration.getTime() <= now()) {
            reject(failed(provider, `${prefix} returned credentials that expired at ${expiration.toISOString()}`))
            return
          }
        }
        resolve({
          accessKeyId,
          secretAccessKey,
          ...(sessionToken !== undefined ? { sessionToken } : {}),
          ...(expiration !== undefined ? { expiration } : {}),
        })
      },
    )
  })

// -------------------------------------------------------------------------------------------------
// container metadata (ECS, EKS Pod Identity)
// -------------------------------------------------------------------------------------------------

/**
 * Tuning of {@link fromContainerMetadata}.
 *
 * @public
 * @since 0.1.0
 */
export interface ContainerMetadataOptions {
  /** Dispatcher for the metadata request; default undici's global one (never a proxy you set for AWS). */
  readonly dispatcher?: Dispatcher | undefined
  /** Deadline of one attempt, connect included. Default 1000 ms, as AWS SDKs. */
  readonly timeoutMs?: number | undefined
  /** Attempts for network failures, 429 and 5xx. Default 3. */
  readonly maxAttempts?: number | undefined
  /** Pause between attempts. Default 100 ms. */
  readonly retryDelayMs?: number | undefined
  /**
   * Origin that `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to. Default
   * `http://169.254.170.2`, the ECS agent; tests point it at a loopback server.
   */
  readonly relativeUriOrigin?: string | undefined
}

/**
 * Options of {@link fromContainerMetadata}.
 *
 * @public
 * @since 0.1.0
 */
export interface FromContainerMetadataOptions extends ContainerMetadataOptions {
  readonly env: Readonly<Record<string, string | undefined>>
  /** Reads `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`; default `fs.readFileSync(path, 'utf8')`. */
  readonly readFile?: ((path: string) => string) | undefined
}

const ECS_HOST = '169.254.170.2'
const CONTAINER_HTTP_HOSTS = new Set([ECS_HOST, '169.254.170.23', '[fd00:ec2::23]'])
const METADATA_MAX_RESPONSE_BYTES = 64 * 1024

/** Maps the `{AccessKeyId, SecretAccessKey, Token, Expiration}` document ECS, EKS and IMDS serve. */
const metadataCredentials = (
  provider: string,
  body: string,
  requireSessionParts: boolean,
): AwsCredentialIdentity => {
  let d: unknown
  try {
    d = JSON.parse(body)
  } catch {
    throw failed(provider, 'the metadata service returned a body that is not JSON')
  }
  const accessKeyId = str(field(d, 'AccessKeyId'))
  const secretAccessKey = str(field(d, 'SecretAccessKey'))
  const sessionToken = str(field(d, 'Token'))
  const expirationText = str(field(d, 'Expiration'))
  const code = str(field(d, 'Code'))
  if (code !== undefined && code !== 'Success') {
    throw failed(provider, `the metadata service answered with Code ${code}`, { code })
  }
  if (
    accessKeyId === undefined ||
    secretAccessKey === undefined ||
    (requireSessionParts && (sessionToken === undefined || expirationText === undefined))
  ) {
    throw failed(provider, 'the metadata service returned a document without the expected credential fields')
  }
  const expiration = expirationText === undefined ? undefined : isoDate(expirationText)
  if (expirationText !== undefined && expiration === undefined) {
    throw failed(provider, 'the metadata service returned an Expiration that is not a date-time')
  }
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken !== undefined ? { sessionToken } : {}),
    ...(expiration !== undefined ? { expiration } : {}),
  }
}

/**
 * Credentials from the ECS/EKS container credentials endpoint:
 * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` (on `169.254.170.2`) or
 * `AWS_CONTAINER_CREDENTIALS_FULL_URI` (`https:` anywhere; `http:` only for loopback and the ECS/EKS
 * link-local hosts), with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every call, as EKS
 * rotates it) or `AWS_CONTAINER_AUTHORIZATION_TOKEN` as the `Authorization` header.
 *
 * @public
 * @since 0.1.0
 */
export const fromContainerMetadata =
  (options: FromContainerMetadataOptions): AwsCredentialIdentityProvider =>
  async () => {
    const provider = 'fromContainerMetadata'
    const { env } = options
    const relative = envValue(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')
    const full = envValue(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI')
    if (relative === undefined && full === undefined) {
      throw notConfigured(
        provider,
        'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set',
      )
    }
    let url: URL
    if (relative !== undefined) {
      const origin = options.relativeUriOrigin ?? `http://${ECS_HOST}`
      try {
        url = new URL(relative.startsWith('/') ? relative : `/${relative}`, origin)
      } catch {
        throw failed(provider, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI does not form a valid URL')
      }
    } else {
      try {
        url = new URL(full as string)
      } catch {
        throw failed(provider, 'AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL')
      }
      const allowed =
        url.protocol === 'https:' ||
        (url.protocol === 'http:' && (isLoopbackHost(url.hostname) || CONTAINER_HTTP_HOSTS.has(url.hostname)))
      if (!allowed) {
        throw failed(
          provider,
          `AWS_CONTAINER_CREDENTIALS_FULL_URI host ${url.hostname} is not allowed over ${url.protocol}; ` +
            'use https, a loopback host, 169.254.170.2, 169.254.170.23 or [fd00:ec2::23]',
        )
      }
    }
    const tokenFile = envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE')
    let authorization = envValue(env, 'AWS_CONTAINER_AUTHORIZATION_TOKEN')
    if (tokenFile !== undefined) {
      try {
        authorization = (options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(tokenFile).trim()
      } catch (e) {
        throw failed(provider, `could not read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ${tokenFile} (${errorCode(e)})`)
      }
    }
    if (authorization !== undefined && /[\r\n]/.test(authorization)) {
      throw failed(provider, 'the container authorization token contains a line break')
    }
    const timeoutMs = positiveInt(options.timeoutMs, 1000)
    const maxAttempts = positiveInt(options.maxAttempts, 3)
    const retryDelayMs = nonNegative(options.retryDelayMs, 100)
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(authorization !== undefined ? { authorization } : {}),
    }
    let lastProblem = ''
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(retryDelayMs)
      let res: HttpResult
      try {
        res = await httpRequest(url, { method: 'GET', headers, dispatcher: options.dispatcher, timeoutMs, maxBytes: METADATA_MAX_RESPONSE_BYTES })
      } catch (e) {
        lastProblem = describeNetworkError(e).reason
        continue
      }
      if (res.statusCode === 200) return metadataCredentials(provider, res.body, false)
      if (isTransientStatus(res.statusCode)) {
        lastProblem = `HTTP ${res.statusCode}`
        continue
      }
      const code = str(field(safeJson(res.body), 'Code')) ?? str(field(safeJson(res.body), 'code'))
      throw failed(
        provider,
        `the container credentials endpoint ${url.origin} answered HTTP ${res.statusCode}` +
          (code !== undefined ? ` (${code})` : ''),
        { statusCode: res.statusCode, code },
      )
    }
    throw failed(
      provider,
      `the container credentials endpoint ${url.origin} failed after ${maxAttempts} attempt(s): ${lastProblem}`,
    )
  }

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}

// -------------------------------------------------------------------------------------------------
// instance metadata (IMDS)
// -------------------------------------------------------------------------------------------------

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
  /** Pause between attempts. Default 100 ms. */
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
}

const IMDS_CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/'

/**
 * Credentials of the instance profile from the EC2 Instance Metadata Service: IMDSv2 (a `PUT
 * /latest/api/token` session token, cached and re-fetched on 401), endpoint from
 * `AWS_EC2_METADATA_SERVICE_ENDPOINT` or `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE` (default
 * `http://169.254.169.254`), disabled by `AWS_EC2_METADATA_DISABLED=true`.
 *
 * An unreachable IMDS (not on EC2) is "not configured"; so is an instance without a role.
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
    let lastProblem = ''
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(retryDelayMs)
      let res: HttpResult
      try {
        res = await httpRequest(new URL('/latest/api/token', base), {
          method: 'PUT',
          headers: { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) },
          dispatcher: options.dispatcher,
          timeoutMs,
          maxBytes: METADATA_MAX_RESPONSE_BYTES,
        })
      } catch (e) {
        const f = describeNetworkError(e)
        // Nothing listening (not on EC2) should cost one timeout, not several.
        if (f.unreachable) {
          if (allowV1 && f.reason === 'timed out') return undefined
          throw notConfigured(provider, `the instance metadata service at ${base.origin} is not reachable: ${f.reason}`)
        }
        lastProblem = f.reason
        continue
      }
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
      if (isTransientStatus(res.statusCode)) {
        lastProblem = `HTTP ${res.statusCode}`
        continue
      }
      throw failed(provider, `the IMDSv2 token request failed with HTTP ${res.statusCode}`, {
        statusCode: res.statusCode,
      })
    }
    throw failed(provider, `the IMDSv2 token request failed after ${maxAttempts} attempt(s): ${lastProblem}`)
  }

  const get = async (base: URL, p: string): Promise<HttpResult> => {
    let tok = await token(base)
    let renewedToken = false
    let lastProblem = ''
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(retryDelayMs)
      let res: HttpResult
      try {
        res = await httpRequest(new URL(p, base), {
          method: 'GET',
          ...(tok !== undefined ? { headers: { 'x-aws-ec2-metadata-token': tok } } : {}),
          dispatcher: options.dispatcher,
          timeoutMs,
          maxBytes: METADATA_MAX_RESPONSE_BYTES,
        })
      } catch (e) {
        lastProblem = describeNetworkError(e).reason
        continue
      }
      if (res.statusCode === 401 && tok !== undefined && !renewedToken) {
        // The session token expired or IMDS restarted: get a fresh one once, without using an attempt.
        cachedToken = undefined
        renewedToken = true
        tok = await token(base)
        attempt--
        continue
      }
      if (isTransientStatus(res.statusCode)) {
        lastProblem = `HTTP ${res.statusCode}`
        continue
      }
      return res
    }
    throw failed(provider, `instance metadata request failed after ${maxAttempts} attempt(s): ${lastProblem}`)
  }

  return async () => {
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
  readonly logger?: Logger | undefined
  readonly now?: (() => number) | undefined
}

interface IniContext {
  readonly options: FromIniOptions
  readonly shared: SharedConfig
  readonly now: () => number
}

const stsFor = (ctx: IniContext, profileRegion: string | undefined): StsClient => {
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

const SSO_KEYS = ['sso_start_url', 'sso_session', 'sso_account_id', 'sso_role_name', 'sso_region'] as const

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
      return run(fromInstanceMetadata({ ...o.instanceMetadata, env: o.env, now: ctx.now }), source)
    case 'EcsContainer':
      return run(fromContainerMetadata({ ...o.containerMetadata, env: o.env, readFile: readWith(o) }), source)
    default:
      throw failed(
        'fromIni',
        `credential_source of profile "${profileName}" is ${source}; expected Environment, Ec2InstanceMetadata or EcsContainer`,
      )
  }
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
    if (str(p['mfa_serial']) !== undefined) {
      throw failed(
        provider,
        `profile "${name}" requires MFA (mfa_serial), which this client cannot prompt for; pass ` +
          "credentials: fromIni({ mfaCodeProvider }) from '@aws-sdk/credential-providers' instead",
      )
    }
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
    ctx.options.logger?.debug?.('credentials: assuming role from shared profile', { profile: name, roleArn })
    try {
      return await stsFor(ctx, str(p['region'])).assumeRole(
        {
          RoleArn: roleArn,
          RoleSessionName: str(p['role_session_name']) ?? defaultSessionName(ctx.now),
          ...(externalId !== undefined ? { ExternalId: externalId } : {}),
          ...(durationSeconds !== undefined ? { DurationSeconds: durationSeconds } : {}),
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
  if (SSO_KEYS.some((k) => str(p[k]) !== undefined) || str(p['login_session']) !== undefined) {
    throw failed(
      provider,
      `profile "${name}" uses IAM Identity Center (SSO) or console login, which this client does not ` +
        "implement; pass credentials: fromSSO({ profile }) from '@aws-sdk/credential-providers' instead",
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
 * (`Environment`, `Ec2InstanceMetadata`, `EcsContainer`) via STS `AssumeRole`, and
 * `web_identity_token_file` with `role_arn` via `AssumeRoleWithWebIdentity`.
 *
 * The `default` profile missing or holding no credential settings is "not configured"; a profile
 * named explicitly (option or `AWS_PROFILE`) that does not exist is an error that stops the chain.
 *
 * @public
 * @since 0.1.0
 */
export const fromIni =
  (options: FromIniOptions): AwsCredentialIdentityProvider =>
  async () => {
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
    const r = await resolveProfile({ options, shared, now: options.now ?? Date.now }, name, [])
    if (r === NO_CREDENTIALS) throw notConfigured(provider, `profile "${name}" holds no credential settings`)
    return r
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
    const ctx: IniContext = { options, shared: loadSharedConfig(options), now }
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

/**
 * The default credential chain of the AWS SDKs, memoized: environment variables → shared profile
 * (static keys, `credential_process`, assume-role, web identity) → web identity from the environment
 * → container metadata → instance metadata. The first provider that yields wins; one that is not
 * configured passes to the next; one that is configured but fails stops the chain with its own error.
 * When nothing is configured, the error lists every provider tried and why it passed.
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
    ['instance metadata', fromInstanceMetadata({ ...options.instanceMetadata, env: options.env, now })],
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
        throw isCredentialsProviderError(e) ? e : asConfiguredFailure(e, 'defaultCredentialChain', label)
      }
    }
    throw new CredentialsProviderError(
      `Could not load AWS credentials from any source. Tried: ${skipped.join('; ')}`,
      { provider: 'defaultCredentialChain', tryNextLink: true },
    )
  }
  return memoizeCredentials(chain, { ...options.memoize, now: options.memoize?.now ?? now })
}
