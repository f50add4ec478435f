/**
 * A loopback HTTP server whose answers a test scripts, one per request, and which records every request it gets.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
  readonly params: URLSearchParams
}

export type Answer =
  | { readonly status: number; readonly body: string; readonly headers?: Record<string, string>; readonly delayMs?: number }
  | { readonly reset: true }
  | { readonly stall: true }
  | { readonly custom: (req: IncomingMessage, res: ServerResponse) => void }

export interface ScriptedServer {
  readonly endpoint: string
  readonly requests: Array<Recorded>
  /** Answers for the next requests, in order; the last one repeats. */
  script(...answers: Array<Answer>): void
  close(): Promise<void>
  readonly openSockets: () => number
}

export const startScriptedServer = async (): Promise<ScriptedServer> => {
  let answers: Array<Answer> = []
  const requests: Array<Recorded> = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, params: new URLSearchParams(body) })
      const answer = answers.length > 1 ? answers.shift()! : answers[0]
      if (answer === undefined) {
        res.writeHead(500).end('no answer scripted')
        return
      }
      if ('reset' in answer) {
        req.socket.destroy()
        return
      }
      if ('stall' in answer) return
      if ('custom' in answer) {
        answer.custom(req, res)
        return
      }
      const send = () => {
        res.writeHead(answer.status, { 'content-type': 'text/xml;charset=UTF-8', ...(answer.headers ?? {}) })
        res.end(answer.body)
      }
      if (answer.delayMs !== undefined) setTimeout(send, answer.delayMs)
      else send()
    })
  })
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    script: (...a) => {
      answers = a
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
    openSockets: () => sockets.size,
  }
}

export const NS = 'http://ec2.amazonaws.com/doc/2016-11-15/'

export const importImageOk = (taskId = 'import-ami-0123456789abcdef0', requestId = 'req-1') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<ImportImageResponse xmlns="${NS}">
  <requestId>${requestId}</requestId>
  <importTaskId>${taskId}</importTaskId>
  <progress>1</progress>
  <status>active</status>
  <statusMessage>pending</statusMessage>
  <snapshotDetailSet>
    <item><diskImageSize>0.0</diskImageSize><format>VMDK</format><userBucket><s3Bucket>images</s3Bucket><s3Key>web.vmdk</s3Key></userBucket></item>
  </snapshotDetailSet>
  <licenseType>BYOL</licenseType>
  <platform>Linux</platform>
  <tagSet/>
</ImportImageResponse>`

export const ec2Error = (code: string, message: string, requestId = 'err-req') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
