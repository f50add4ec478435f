// The loopback S3 endpoint of `npm run bench:upload`, in a process of its own (its CPU is not the client's): just
// enough of S3's multipart upload for our client, lib-storage and the raw undici floor. It verifies every part's
// checksum (CRC32, CRC32C or SHA-256; in a header, or in an aws-chunked trailer as the AWS SDK sends it), checks a
// full-object CRC stated at completion against the parts', and discards the bytes. A wrong checksum is a 400
// BadDigest, which fails the run.
//
// Started by bench/upload.mjs with the path of the bundled checksum module (BENCH_CHECKSUMS); prints its URL.
import { createHash } from 'node:crypto'
import { createServer } from 'node:http'
import { crc32 } from 'node:zlib'

const { crc32c, crcCombine } = await import(process.env.BENCH_CHECKSUMS)

const uploads = new Map() // uploadId → Map<partNumber, { crc, size, algorithm }>
let nextId = 1
const stats = { parts: 0, verified: 0, bytes: 0 }

const xml = (res, status, body, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/xml', ...headers })
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`)
}
const bad = (res, code, message) => xml(res, 400, `<Error><Code>${code}</Code><Message>${message}</Message></Error>`)

const ALGORITHMS = { 'x-amz-checksum-crc32': 'CRC32', 'x-amz-checksum-crc32c': 'CRC32C', 'x-amz-checksum-sha256': 'SHA256' }

const hasher = (algorithm) => {
  if (algorithm === 'SHA256') {
    const h = createHash('sha256')
    return { update: (b) => h.update(b), value: () => h.digest('base64'), crc: () => undefined }
  }
  let c = 0
  const f = algorithm === 'CRC32' ? crc32 : crc32c
  const bytes = () => {
    const out = Buffer.alloc(4)
    out.writeUInt32BE(c >>> 0)
    return out
  }
  return { update: (b) => (c = f(b, c)), value: () => bytes().toString('base64'), crc: () => c >>> 0 }
}

// aws-chunked: `hex-size[;ext]\r\n` data `\r\n` … `0\r\n` trailers `\r\n`. Parsed incrementally, so a part is never
// held whole.
const awsChunked = (onData) => {
  let buf = Buffer.alloc(0)
  let need = -1 // bytes of chunk data still to come; -1: reading a size line; -2: reading trailers
  const trailers = {}
  return {
    trailers,
    push(chunk) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk])
      for (;;) {
        if (need > 0) {
          const take = Math.min(need, buf.length)
          if (take === 0) return
          onData(buf.subarray(0, take))
          buf = buf.subarray(take)
          need -= take
          if (need === 0) need = -3 // the \r\n after the data
          continue
        }
        if (need === -3) {
          if (buf.length < 2) return
          buf = buf.subarray(2)
          need = -1
          continue
        }
        const eol = buf.indexOf('\r\n')
        if (eol < 0) return
        const line = buf.subarray(0, eol).toString('latin1')
        buf = buf.subarray(eol + 2)
        if (need === -1) {
          const size = Number.parseInt(line.split(';')[0], 16)
          need = size === 0 ? -2 : size
        } else if (line !== '') {
          const at = line.indexOf(':')
          trailers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim()
        }
      }
    },
  }
}

const receive = (req, res, onDone) => {
  const chunked = (req.headers['content-encoding'] ?? '').includes('aws-chunked') || String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-')
  const declared = Object.keys(ALGORITHMS).find((h) => req.headers[h] !== undefined)
  const trailerName = String(req.headers['x-amz-trailer'] ?? '').toLowerCase()
  const algorithm = ALGORITHMS[declared ?? trailerName]
  const h = algorithm === undefined ? undefined : hasher(algorithm)
  let size = 0
  const onData = (b) => {
    size += b.length
    h?.update(b)
  }
  const decoder = chunked ? awsChunked(onData) : undefined
  req.on('data', (c) => (decoder === undefined ? onData(c) : decoder.push(c)))
  req.on('end', () => {
    stats.parts++
    stats.bytes += size
    if (h !== undefined) {
      const stated = declared !== undefined ? req.headers[declared] : decoder?.trailers[trailerName]
      if (stated !== h.value()) return bad(res, 'BadDigest', `the ${algorithm} checksum ${stated} does not match the body's ${h.value()}`)
      stats.verified++
    }
    onDone({ size, algorithm, value: h?.value(), crc: h?.crc(), header: declared ?? trailerName })
  })
}

const server = createServer((req, res) => {
  const url = new URL(req.url, 'http://x')
  const q = url.searchParams
  const [, bucket, ...rest] = url.pathname.split('/')
  const key = rest.join('/')
  if (req.url === '/__stats') return res.end(JSON.stringify(stats))
  if (req.method === 'HEAD') {
    res.writeHead(404)
    return res.end()
  }
  if (req.method === 'GET' && q.has('uploads')) {
    return xml(res, 200, `<ListMultipartUploadsResult><Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`)
  }
  if (req.method === 'POST' && q.has('uploads')) {
    req.resume()
    const id = `u${nextId++}`
    uploads.set(id, new Map())
    return xml(res, 200, `<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`)
  }
  if (req.method === 'PUT') {
    return receive(req, res, (part) => {
      const n = Number(q.get('partNumber') ?? 0)
      uploads.get(q.get('uploadId'))?.set(n, part)
      const headers = { etag: `"${n}-${part.size}"` }
      if (part.value !== undefined) headers[part.header] = part.value
      res.writeHead(200, headers)
      res.end()
    })
  }
  if (req.method === 'POST' && q.has('uploadId')) {
    const parts = uploads.get(q.get('uploadId'))
    req.resume()
    req.on('end', () => {
      if (parts === undefined) return xml(res, 404, '<Error><Code>NoSuchUpload</Code><Message>no such upload</Message></Error>')
      const numbers = [...parts.keys()].sort((a, b) => a - b)
      const first = parts.get(numbers[0])
      let body = ''
      // A full-object CRC stated at completion must be the parts' CRCs combined.
      const stated = req.headers['x-amz-checksum-crc32'] ?? req.headers['x-amz-checksum-crc32c']
      if (stated !== undefined && first?.crc !== undefined) {
        let crc = 0
        for (const n of numbers) crc = crcCombine(first.algorithm, crc, parts.get(n).crc, parts.get(n).size)
        const b = Buffer.alloc(4)
        b.writeUInt32BE(crc)
        if (b.toString('base64') !== stated) return bad(res, 'BadDigest', `full-object checksum ${stated} is not the parts' ${b.toString('base64')}`)
        body = `<Checksum${first.algorithm}>${stated}</Checksum${first.algorithm}><ChecksumType>FULL_OBJECT</ChecksumType>`
      }
      uploads.delete(q.get('uploadId'))
      xml(res, 200, `<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${key}</Key><ETag>"done-${numbers.length}"</ETag>${body}</CompleteMultipartUploadResult>`)
    })
    return
  }
  if (req.method === 'DELETE') {
    uploads.delete(q.get('uploadId'))
    res.writeHead(204)
    return res.end()
  }
  bad(res, 'NotImplemented', `${req.method} ${req.url}`)
})
server.keepAliveTimeout = 30_000
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`))
