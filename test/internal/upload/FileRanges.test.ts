/**
 * Byte ranges of a file through a ring of reused chunk buffers: a range streamed is the file's bytes exactly, for
 * ranges around the chunk and ring boundaries; so it stays when undici sends it to a server that reads slowly (the
 * socket backs up, and each buffer is read into again while the request is still going); a hashed range is the
 * hash of those bytes; a file shorter than the range is an error that says it changed.
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { Agent, request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasherFor } from '../../../src/internal/upload/Checksums.js'
import { chunkRing, hashRange, rangeStream, READ_CHUNK, RING_SIZE } from '../../../src/internal/upload/FileRanges.js'

const C = READ_CHUNK
const RING = RING_SIZE * C
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

/** Everything a stream yields, each chunk copied as it comes (a chunk is a view of a buffer that is reused). */
const collect = (s: Readable): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    s.on('data', (c: Buffer) => chunks.push(Buffer.from(c)))
    s.on('end', () => resolve(Buffer.concat(chunks)))
    s.on('error', reject)
  })

let dir: string
let bytes: Buffer
let fh: FileHandle
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'file-ranges-'))
  bytes = randomBytes(3 * RING + 3 * C + 17)
  writeFileSync(join(dir, 'disk.raw'), bytes)
  fh = await open(join(dir, 'disk.raw'), 'r')
})
afterAll(async () => {
  await fh?.close()
  rmSync(dir, { recursive: true, force: true })
})

// [start, length]: around one chunk, the ring, several turns of the ring; from the start, one byte in, one short of
// a chunk in; empty.
const RANGES: ReadonlyArray<readonly [number, number]> = [0, 1, C - 1].flatMap((start) =>
  [0, 1, C - 1, C, C + 1, 2 * C, RING - 1, RING, RING + 1, 2 * RING + C + 1, 3 * RING + 7].map((length) => [start, length] as const),
)

describe('rangeStream', () => {
  it.each(RANGES)('from %d, %d bytes: the file’s bytes exactly, each chunk counted once', async (start, length) => {
    let counted = 0
    const got = await collect(rangeStream(fh, start, start + length, chunkRing(), (n) => (counted += n)))
    expect(got.length).toBe(length)
    expect(got.equals(bytes.subarray(start, start + length))).toBe(true)
    expect(counted).toBe(length)
  })

  it('one ring serves one stream after another (a worker’s parts), each the file’s bytes', async () => {
    const ring = chunkRing()
    for (const [start, length] of [[0, RING + 5], [RING + 5, 2 * C - 1], [7, C]] as const) {
      const got = await collect(rangeStream(fh, start, start + length, ring, () => undefined))
      expect(got.equals(bytes.subarray(start, start + length))).toBe(true)
    }
  })

  it('a file shorter than the range: the stream fails, saying the file changed, and onError hears of it', async () => {
    const errors: Array<Error> = []
    const s = rangeStream(fh, bytes.length - C, bytes.length + 10, chunkRing(), () => undefined, (e) => errors.push(e))
    await expect(collect(s)).rejects.toThrow(/the file ended at byte \d+, before the part's end at \d+: it changed during the upload/)
    expect(errors).toHaveLength(1)
  })

  describe('sent by undici to a server that reads slowly', () => {
    let server: Server
    let url: string
    let big: Buffer
    let bigFh: FileHandle
    const received = new Map<string, string>()
    beforeAll(async () => {
      // More than the kernel's socket buffers hold, so that writes are left pending on the socket.
      big = randomBytes(24 * 1024 * 1024 + 3)
      writeFileSync(join(dir, 'big.raw'), big)
      bigFh = await open(join(dir, 'big.raw'), 'r')
      server = createServer((req, res) => {
        const h = createHash('sha256')
        let n = 0
        // Stall at first, then read in bursts: the socket fills, its writes stay pending, and undici waits for it to
        // drain while the stream reads ahead into the ring.
        req.pause()
        setTimeout(() => req.resume(), 100)
        req.on('data', (c: Buffer) => {
          h.update(c)
          n += c.length
          if (n > 4 * C) {
            n = 0
            req.pause()
            setTimeout(() => req.resume(), 10)
          }
        })
        req.on('end', () => {
          received.set(req.url ?? '', h.digest('hex'))
          res.end('ok')
        })
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    })
    afterAll(async () => {
      await bigFh?.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })

    it('every byte arrives as in the file, through two requests at once, each with its own ring', async () => {
      const dispatcher = new Agent({ connections: 2 })
      const ranges = [
        [0, big.length],
        [C - 1, big.length - C - 5],
      ] as const
      await Promise.all(
        ranges.map(async ([start, length], i) => {
          const r = await request(`${url}/r${i}`, {
            method: 'PUT',
            dispatcher,
            headers: { 'content-length': String(length) },
            body: rangeStream(bigFh, start, start + length, chunkRing(), () => undefined),
          })
          expect(await r.body.text()).toBe('ok')
        }),
      )
      await dispatcher.close()
      ranges.forEach(([start, length], i) => expect(received.get(`/r${i}`)).toBe(sha256(big.subarray(start, start + length))))
    }, 30_000)
  })
})

describe('hashRange', () => {
  it.each(RANGES)('from %d, %d bytes through a one-chunk scratch: the hash of those bytes', async (start, length) => {
    const h = hasherFor('SHA256')
    await hashRange(fh, start, start + length, h, Buffer.allocUnsafe(C))
    expect(h.digest().toString('hex')).toBe(sha256(bytes.subarray(start, start + length)))
  })

  it('a file shorter than the range is refused, saying it changed', async () => {
    await expect(hashRange(fh, bytes.length - 3, bytes.length + 1, hasherFor('CRC32'), Buffer.allocUnsafe(C))).rejects.toThrow(/it changed during the upload/)
  })
})
