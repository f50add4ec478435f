/**
 * Local fakes for the credential tests: loopback HTTP servers standing in for STS, ECS and IMDS, a temp
 * directory for shared config files and `credential_process` scripts, an independent SigV4 check, and
 * a leak check for secrets in errors.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { inspect } from 'node:util'
import { expect } from 'vitest'

export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

export interface FakeResponse {
  readonly status?: number
  readonly headers?: Record<string, string>
  readonly body?: string
  /** Destroy the socket instead of answering. */
  readonly destroy?: boolean
  /** Wait this long before answering. */
  readonly delayMs?: number
}

export interface FakeServer {
  readonly url: string
  readonly port: number
  readonly requests: RecordedRequest[]
  close(): Promise<void>
}

export type Handler = (req: RecordedRequest, index: number) => FakeResponse | Promise<FakeResponse>

/** A loopback HTTP server on an ephemeral port that records every request. */
export const startServer = async (handler: Handler): Promise<FakeServer> => {
  const requests: RecordedRequest[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      const index = requests.length
      requests.push(recorded)
      Promise.resolve(handler(recorded, index))
        .then(async (r) => {
          if (r.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, r.delayMs))
          if (r.destroy === true) {
            req.socket.destroy()
            return
          }
          res.writeHead(r.status ?? 200, r.headers ?? {})
          res.end(r.body ?? '')
        })
        .catch(() => {
          res.writeHead(500)
          res.end('handler failed')
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** A loopback port with nothing listening (connection refused). */
export const closedPort = async (): Promise<number> => {
  const s = await startServer(() => ({}))
  await s.close()
  return s.port
}

/** A fresh temp directory, removed by the returned cleanup. */
export const tempDir = (): { readonly dir: string; file(name: string, text: string): string; cleanup(): void } => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cred-test-'))
  return {
    dir,
    file: (name, text) => {
      const p = path.join(dir, name)
      fs.mkdirSync(path.dirname(p), { recursive: true })
      fs.writeFileSync(p, text)
      return p
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  }
}

/** A `credential_process` command line that runs a node script. */
export const nodeCommand = (script: string, ...args: string[]): string =>
  [process.execPath, script, ...args].map((a) => `"${a.replace(/(["\\])/g, '\\$1')}"`).join(' ')

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A real-shaped STS success response. */
export const stsSuccessXml = (
  action: 'AssumeRole' | 'AssumeRoleWithWebIdentity',
  c: { accessKeyId: string; secretAccessKey: string; sessionToken: string; expiration: string },
): string => `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <${action}Result>
    ${action === 'AssumeRoleWithWebIdentity' ? '<SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>\n    <Audience>sts.amazonaws.com</Audience>' : ''}
    <AssumedRoleUser>
      <AssumedRoleId>AROA3XFRBF535PLBIFPI4:session</AssumedRoleId>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/session</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${xmlEscape(c.accessKeyId)}</AccessKeyId>
      <SecretAccessKey>${xmlEscape(c.secretAccessKey)}</SecretAccessKey>
      <SessionToken>${xmlEscape(c.sessionToken)}</SessionToken>
      <Expiration>${c.expiration}</Expiration>
    </Credentials>
    <PackedPolicySize>6</PackedPolicySize>
  </${action}Result>
  <ResponseMetadata>
    <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
  </ResponseMetadata>
</${action}Response>
`

/** A real-shaped STS error envelope. */
export const stsErrorXml = (code: string, message: string): string => `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>${code}</Code>
    <Message>${xmlEscape(message)}</Message>
  </Error>
  <RequestId>4f3c1f0e-0000-4a4a-8f8f-000000000000</RequestId>
</ErrorResponse>
`

const sha256Hex = (s: string): string => crypto.createHash('sha256').update(s, 'utf8').digest('hex')
const hmac = (key: crypto.BinaryLike, data: string): Buffer => crypto.createHmac('sha256', key).update(data, 'utf8').digest()

/**
 * Verifies a received request's SigV4 `Authorization` header from scratch (an implementation
 * independent of aws4), returning the parsed credential scope.
 */
export const verifySigV4 = (
  req: RecordedRequest,
  secretAccessKey: string,
): { accessKeyId: string; date: string; region: string; service: string; signedHeaders: string[] } => {
  const auth = String(req.headers['authorization'] ?? '')
  const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth)
  if (m === null) throw new Error(`not a SigV4 Authorization header: ${auth}`)
  const [, accessKeyId, date, region, service, signedHeadersText, signature] = m as unknown as string[]
  const signedHeaders = (signedHeadersText as string).split(';')
  const amzDate = String(req.headers['x-amz-date'])
  const [p, q = ''] = req.url.split('?')
  const canonicalHeaders = signedHeaders
    .map((h) => `${h}:${String(req.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('')
  const canonicalRequest = [req.method, p, q, canonicalHeaders, signedHeaders.join(';'), sha256Hex(req.body)].join('\n')
  const scope = `${date}/${region}/${service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date as string), region as string), service as string), 'aws4_request')
  const expected = crypto.createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex')
  expect(signature, 'SigV4 signature').toBe(expected)
  return { accessKeyId: accessKeyId as string, date: date as string, region: region as string, service: service as string, signedHeaders }
}

/** Asserts that no rendering of an error (message, stack, String, JSON, inspect with cause) holds a secret. */
export const expectNoSecrets = (err: unknown, secrets: ReadonlyArray<string>): void => {
  expect(err).toBeInstanceOf(Error)
  const e = err as Error
  const renderings = [e.message, e.stack ?? '', String(e), JSON.stringify(e), inspect(e, { depth: 10 })]
  for (const s of secrets) {
    for (const r of renderings) expect(r.includes(s), `secret ${s.slice(0, 6)}… leaked into: ${r.slice(0, 200)}`).toBe(false)
  }
}

/** Awaits a rejection and returns the reason. */
export const rejectionOf = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected a rejection')
}
