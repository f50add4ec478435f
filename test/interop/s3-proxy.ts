/**
 * A loopback HTTP proxy in front of an S3 endpoint (moto) for the upload's interop tests: it records every request
 * (method, path, part number) and, when told to, injects a fault into one — a connection reset before the request
 * reaches the server or after the server acted on it (the answer lost), a 5xx with S3's error envelope, or a delay
 * longer than the client's per-part deadline.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface SeenRequest {
  readonly method: string
  readonly path: string
  /** The `partNumber` query parameter, for an UploadPart. */
  readonly partNumber: number | undefined
  readonly fault: Fault['kind'] | undefined
}

export type Fault =
  | { readonly kind: 'reset-before' }
  | { readonly kind: 'reset-after' }
  | { readonly kind: 'status'; readonly status: number; readonly code: string }
  | { readonly kind: 'delay'; readonly ms: number }

export interface S3Proxy {
  readonly endpoint: string
  readonly seen: Array<SeenRequest>
  /** Decides each request's fault; `undefined`: pass it through. */
  decide: (r: Omit<SeenRequest, 'fault'>, index: number) => Fault | undefined
  readonly stop: () => Promise<void>
}

export const startS3Proxy = async (target: string): Promise<S3Proxy> => {
  const upstream = new URL(target)
  const sockets = new Set<Socket>()
  const proxy: S3Proxy = {
    endpoint: '',
    seen: [],
    decide: () => undefined,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
  const forward = (req: IncomingMessage, res: ServerResponse, lose: boolean): void => {
    const up = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (lose) {
          // The server acted on the request; its answer never arrives.
          answer.resume()
          answer.on('end', () => req.socket.destroy())
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    up.on('error', () => req.socket.destroy())
    req.pipe(up)
  }
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy')
    const pn = url.searchParams.get('partNumber')
    const r = { method: req.method ?? 'GET', path: url.pathname + url.search, partNumber: pn === null ? undefined : Number(pn) }
    const fault = proxy.decide(r, proxy.seen.length)
    proxy.seen.push({ ...r, fault: fault?.kind })
    switch (fault?.kind) {
      case undefined:
        return forward(req, res, false)
      case 'reset-after':
        return forward(req, res, true)
      case 'reset-before': {
        // Part of the body arrives, then the connection dies: nothing reaches the server.
        req.once('data', () => req.socket.destroy())
        req.once('end', () => req.socket.destroy())
        return
      }
      case 'status': {
        req.resume()
        req.on('end', () => {
          res.writeHead(fault.status, { 'content-type': 'application/xml' })
          res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${fault.code}</Code><Message>injected by the test proxy</Message><RequestId>proxy</RequestId></Error>`)
        })
        return
      }
      case 'delay': {
        const timer = setTimeout(() => forward(req, res, false), fault.ms)
        req.socket.once('close', () => clearTimeout(timer))
        return
      }
    }
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.once('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  ;(proxy as { endpoint: string }).endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return proxy
}
