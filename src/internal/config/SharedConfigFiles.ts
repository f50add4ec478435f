/**
 * The environment a credential provider may know about, and the AWS shared `config` and `credentials` files:
 * the env and file helpers every provider uses, the INI parser, and the two views of a profile (as credentials see
 * it, as settings see it).
 *
 * Like every provider module it never reads `process.env`: it receives a {@link ProviderEnvironment}, which only
 * `ClientConfig.ts` builds from the real one.
 *
 * @since 0.1.0
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'

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
  /**
   * Replaces a whole file (the only file ever written: a refreshed SSO token in `~/.aws/sso/cache/`). The default
   * writes a temporary file readable by its owner only and renames it over the old one, but only when `readFile`
   * is the default too: an environment that injects its reader gets no writes to the real disk behind its back.
   */
  readonly writeFile?: ((path: string, text: string) => void) | undefined
}

/**
 * Env values that are set but empty count as unset, as in the AWS SDKs.
 *
 * @internal
 * @since 0.1.0
 */
export const envValue = (env: Readonly<Record<string, string | undefined>>, name: string): string | undefined => {
  const v = env[name]
  return v === undefined || v === '' ? undefined : v
}

/**
 * The environment's file reader, default `fs.readFileSync(path, 'utf8')`.
 *
 * @internal
 * @since 0.1.0
 */
export const readWith = (environment: ProviderEnvironment): ((path: string) => string) =>
  environment.readFile ?? ((p: string) => readFileSync(p, 'utf8'))

/**
 * The environment's file writer (see {@link ProviderEnvironment.writeFile}), or `undefined` when it has none.
 *
 * @internal
 * @since 0.1.0
 */
export const writeWith = (environment: ProviderEnvironment): ((path: string, text: string) => void) | undefined =>
  environment.writeFile ??
  (environment.readFile !== undefined
    ? undefined
    : (p: string, text: string) => {
        const temporary = `${p}.${process.pid}.${Date.now()}.tmp`
        writeFileSync(temporary, text, { mode: 0o600 })
        try {
          renameSync(temporary, p)
        } catch (e) {
          rmSync(temporary, { force: true })
          throw e
        }
      })

/**
 * The `code` of a thrown error (`ENOENT`, `ECONNREFUSED`, ...), or `unknown error`.
 *
 * @internal
 * @since 0.1.0
 */
export const errorCode = (e: unknown): string => {
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined
  return typeof code === 'string' ? code : 'unknown error'
}

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
  /** `[sso-session x]` sections of the config file. */
  readonly ssoSessions: ReadonlyMap<string, IniSection>
  /** Files that exist but could not be read, as `path: code`, so an error can say why. */
  readonly problems: ReadonlyArray<string>
}

/**
 * Expands a leading `~` to the home directory, as the AWS SDKs do for file settings.
 *
 * @internal
 * @since 0.1.0
 */
export const expandHome = (p: string, homedir: string): string =>
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
  const ssoSessions = new Map<string, IniSection>()
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
    else if (kind === 'sso-session') ssoSessions.set(plain, section)
  }
  const credentialsProfiles = load(credentialsFilePath)
  return { configFilePath, credentialsFilePath, configProfiles, credentialsProfiles, services, ssoSessions, problems }
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
