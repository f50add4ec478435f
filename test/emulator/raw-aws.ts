/**
 * A raw client for the emulator's S3, IAM and STS in the tests: requests signed by `aws4` (not the package's
 * pipeline, and not the emulator's verifier), sent with undici, answers returned as they came.
 */
import aws4 from 'aws4'
import { Agent, request } from 'undici'
import type { Emulator } from '../../src/emulator.js'

export const agent = new Agent({ keepAliveTimeout: 1000 })

export interface RawAnswer {
  readonly status: number
  readonly headers: Record<string, string | Array<string> | undefined>
  readonly body: string
}

export interface S3RequestOptions {
  readonly body?: Buffer | string
  readonly headers?: Record<string, string>
  readonly region?: string
  /** Sign `UNSIGNED-PAYLOAD` instead of the body's SHA-256. */
  readonly unsignedPayload?: boolean
  /** Change the body after signing. */
  readonly tamper?: (body: Buffer) => Buffer
  readonly credentials?: { accessKeyId: string; secretAccessKey: string }
}

/** The text of one element in an XML body (the first), `undefined` when absent. */
export const tag = (xml: string, name: string): string | undefined => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]

export const s3 = async (emulator: Emulator, method: string, path: string, options: S3RequestOptions = {}): Promise<RawAnswer> => {
  const url = new URL(emulator.endpoint)
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body)
  const headers: Record<string, string> = { ...options.headers }
  if (options.unsignedPayload === true) headers['X-Amz-Content-Sha256'] = 'UNSIGNED-PAYLOAD'
  const signed = aws4.sign(
    {
      service: 's3',
      region: options.region ?? emulator.region,
      method,
      host: url.host,
      path,
      headers,
      ...(body === undefined ? {} : { body }),
    },
    { ...(options.credentials ?? emulator.credentials) },
  )
  const sent = body === undefined ? null : options.tamper === undefined ? body : options.tamper(body)
  const res = await request(`${emulator.endpoint}${path}`, {
    method: method as 'GET',
    headers: signed.headers as Record<string, string>,
    body: sent,
    dispatcher: agent,
  })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

export const query = async (
  emulator: Emulator,
  service: 'iam' | 'sts',
  params: Record<string, string>,
  options: { readonly region?: string; readonly credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Promise<RawAnswer> => {
  const url = new URL(emulator.endpoint)
  const body = new URLSearchParams({ Version: service === 'iam' ? '2010-05-08' : '2011-06-15', ...params }).toString()
  const signed = aws4.sign(
    {
      service,
      region: options.region ?? 'us-east-1',
      method: 'POST',
      host: url.host,
      path: '/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    },
    { ...(options.credentials ?? emulator.credentials) },
  )
  const res = await request(`${emulator.endpoint}/`, {
    method: 'POST',
    headers: signed.headers as Record<string, string>,
    body,
    dispatcher: agent,
  })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}
