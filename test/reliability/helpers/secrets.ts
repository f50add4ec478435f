/**
 * Known secret values for the whole reliability suite, and a sink that collects everything a person could see of
 * the client's results: every `Left` (its `message`, `String()`, `JSON.stringify`, `util.inspect`, the stack of any
 * `Error` inside it), every log line, every line of CLI output. The last test of each file sweeps the sink for the
 * secrets: the secret key, the session token (raw and URL-encoded), every SigV4 signature seen on the wire, and the
 * signature and query string of a presigned `Url`.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { inspect } from 'node:util'
import type { Logger } from '../../../src/Logger.js'

// -------------------------------------------------------------------------------------------------
// the secrets
// -------------------------------------------------------------------------------------------------

export const ACCESS_KEY_ID = 'AKIARELIABILITYTEST0'
export const SECRET_KEY = 'rel/SECRET+key/9fQz7Lw2XkVbN3mH8pT4sY6uC1eR5aD0gJ'
export const SESSION_TOKEN = 'IQoJb3JpZ2luX2VjRELIABILITY+session/token==SeCrEt0123456789abcdefTOKEN'

/** Credentials carrying both secrets: every client of the suite signs with them. */
export const CREDENTIALS = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_KEY, sessionToken: SESSION_TOKEN } as const

/** A presigned S3 URL, as a caller would pass in `DiskContainers[].Url`: its query holds a signature and the token. */
export const PRESIGNED_SIGNATURE = '5d2c0e8f7a6b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d'
export const PRESIGNED_QUERY =
  `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${ACCESS_KEY_ID}%2F20260101%2Fus-east-1%2Fs3%2Faws4_request` +
  `&X-Amz-Date=20260101T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host` +
  `&X-Amz-Security-Token=${encodeURIComponent(SESSION_TOKEN)}&X-Amz-Signature=${PRESIGNED_SIGNATURE}`
export const PRESIGNED_URL = `https://images.s3.us-east-1.amazonaws.com/disks/web.vmdk?${PRESIGNED_QUERY}`
/** What a redacted log line shows of it. */
export const PRESIGNED_REDACTED = 'https://images.s3.us-east-1.amazonaws.com/disks/web.vmdk?[redacted]'

/** An environment with nothing in it: no client of the suite reads the real environment or home directory. */
export const EMPTY_ENVIRONMENT = { env: {}, homedir: '/nonexistent-reliability-home' } as const

// -------------------------------------------------------------------------------------------------
// the signatures on the wire
// -------------------------------------------------------------------------------------------------

const SIGNATURE = /Signature=([0-9a-f]{64})/g

/**
 * Collect the SigV4 signature of every request any undici client of this process sends, from undici's
 * `undici:client:sendHeaders` diagnostics channel (the raw request head as written to the socket).
 */
export const tapSignatures = (): { readonly signatures: () => ReadonlySet<string>; readonly stop: () => void } => {
  const seen = new Set<string>()
  const onHeaders = (message: unknown): void => {
    const headers = (message as { headers?: unknown }).headers
    if (typeof headers !== 'string') return
    // A fresh copy: a match is a slice that would keep the whole request head alive.
    for (const m of headers.matchAll(SIGNATURE)) seen.add(Buffer.from(m[1]!, 'hex').toString('hex'))
  }
  subscribe('undici:client:sendHeaders', onHeaders)
  return { signatures: () => seen, stop: () => unsubscribe('undici:client:sendHeaders', onHeaders) }
}

// -------------------------------------------------------------------------------------------------
// the sink
// -------------------------------------------------------------------------------------------------

/** Everything a person could see of a value: its text in every form it is commonly printed in. */
export const renderings = (value: unknown): Array<string> => {
  const out: Array<string> = []
  try {
    out.push(JSON.stringify(value) ?? '')
  } catch (e) {
    out.push(`JSON.stringify threw: ${String(e)}`)
  }
  out.push(String(value))
  out.push(inspect(value, { depth: null, showHidden: true, maxArrayLength: null, maxStringLength: null }))
  const seen = new Set<unknown>()
  const walk = (v: unknown, depth: number): void => {
    if (typeof v !== 'object' || v === null || seen.has(v) || depth > 20) return
    seen.add(v)
    if (v instanceof Error) out.push(String(v.stack), v.message, String(v))
    const o = v as Record<string, unknown>
    if (typeof o['message'] === 'string') out.push(o['message'])
    for (const k of Object.getOwnPropertyNames(v)) {
      try {
        walk(o[k], depth + 1)
      } catch {
        // a getter that throws is not ours to judge here
      }
    }
  }
  walk(value, 0)
  return out
}

/** What the suite has seen of the client, checked for secrets as it comes in. */
export interface SecretSink {
  /** Check the Left of an `Either` (a Right is the caller's own data and is not swept). */
  readonly either: (r: unknown) => void
  /** A logger whose lines (message and fields) are checked. */
  readonly logger: Logger
  /** Check some text (CLI output). */
  readonly text: (s: string) => void
  /** How many things were checked, by kind. */
  readonly counts: () => { readonly lefts: number; readonly logLines: number; readonly texts: number }
  /** Every text that held a secret: its kind and the 80 characters before the secret (the secret masked). */
  readonly leaks: () => ReadonlyArray<string>
  /** The log lines, when the sink keeps them (`keep: true`). */
  readonly logLines: () => ReadonlyArray<string>
}

const HEX64_RUN = /[0-9a-f]{64,}/g

/**
 * A sink that checks each text as it arrives — for the fixed secrets and for every SigV4 signature seen on the wire
 * so far (a signature is on the wire before any Left or log line about its request exists) — and keeps only what it
 * found, so a load test's heap is not the sink's. `keep` also keeps the log lines, for tests that read them.
 */
export const secretSink = (signatures: () => ReadonlySet<string>, options: { readonly keep?: boolean } = {}): SecretSink => {
  const found: Array<string> = []
  const kept: Array<string> = []
  const counts = { lefts: 0, logLines: 0, texts: 0 }
  const fixed = [SECRET_KEY, SESSION_TOKEN, encodeURIComponent(SESSION_TOKEN), PRESIGNED_SIGNATURE, PRESIGNED_QUERY]
  const check = (kind: string, s: string): void => {
    const report = (at: number) => found.push(`${kind}: …${s.slice(Math.max(0, at - 80), at)}[SECRET]…`)
    for (const secret of fixed) {
      const at = s.indexOf(secret)
      if (at !== -1) report(at)
    }
    const sigs = signatures()
    if (sigs.size === 0) return
    for (const m of s.matchAll(HEX64_RUN)) {
      for (let i = 0; i + 64 <= m[0].length; i++) {
        if (sigs.has(m[0].slice(i, i + 64))) report(m.index + i)
      }
    }
  }
  const line =
    (level: string) =>
    (msg: string, fields?: Record<string, unknown>): void => {
      counts.logLines++
      const text = `${level} ${msg} ${renderings(fields).join(' ')}`
      check('log line', text)
      if (options.keep === true) kept.push(text)
    }
  return {
    either: (r) => {
      const e = r as { _tag?: string; left?: unknown }
      if (e?._tag === 'Right') return
      counts.lefts++
      check('Left', renderings(e?._tag === 'Left' ? e.left : r).join('\n'))
    },
    logger: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    text: (s) => {
      counts.texts++
      check('output', s)
    },
    counts: () => ({ ...counts }),
    leaks: () => found.slice(),
    logLines: () => kept.slice(),
  }
}
