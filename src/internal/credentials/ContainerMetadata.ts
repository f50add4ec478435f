/**
 * Credentials from the container credentials endpoint of ECS and EKS Pod Identity, addressed by
 * `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `AWS_CONTAINER_CREDENTIALS_FULL_URI`.
 *
 * @since 0.1.0
 */
import { readFileSync } from 'node:fs'
import type { Dispatcher } from 'undici'
import type { AwsCredentialIdentityProvider } from '../../Credentials.js'
import { isLoopbackHost } from '../config/Partition.js'
import {
  describeNetworkError,
  failed,
  field,
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
  str,
} from './ProviderSupport.js'
import { envValue, errorCode } from '../config/SharedConfigFiles.js'

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
  /** Base of the backoff between attempts (exponential, fully jittered). Default 100 ms. */
  readonly retryDelayMs?: number | undefined
  /** Uniform in [0, 1), for backoff jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined
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
    const res = await requestWithRetries(providerRetry(maxAttempts, retryDelayMs, options.random), () =>
      httpRequest(url, { method: 'GET', headers, dispatcher: options.dispatcher, timeoutMs, maxBytes: METADATA_MAX_RESPONSE_BYTES }),
    )
    if (typeof res === 'string') throw failed(provider, `the container credentials endpoint ${url.origin} ${res}`)
    if (res.statusCode === 200) return metadataCredentials(provider, res.body, false)
    const code = str(field(safeJson(res.body), 'Code')) ?? str(field(safeJson(res.body), 'code'))
    throw failed(
      provider,
      `the container credentials endpoint ${url.origin} answered HTTP ${res.statusCode}` + (code !== undefined ? ` (${code})` : ''),
      { statusCode: res.statusCode, code },
    )
  }

const safeJson = (s: string): unknown => {
  try {
    return JSON.parse(s)
  } catch {
    return undefined
  }
}
