/**
 * `credential_process`: runs the command a shared profile names and reads the credentials it prints (the JSON
 * document of the AWS CLI's process provider, `Version: 1`), without ever quoting its arguments or stdout.
 *
 * @since 0.1.0
 */
import { execFile } from 'node:child_process'
import * as path from 'node:path'
import type { AwsCredentialIdentity } from '../../Credentials.js'
import { failed, isoDate, str } from './ProviderSupport.js'

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

/**
 * Runs the `credential_process` of profile `profileName` and resolves with the credentials it prints; rejects with
 * a `fromProcess` {@link CredentialsProviderError} that names only the program, never its arguments.
 *
 * @internal
 * @since 0.1.0
 */
export const runCredentialProcess = (
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
