/**
 * Byte ranges of a file, read by position from one open handle: read whole into a reused buffer, hashed, or
 * streamed. Parts are read by range, never the file whole.
 *
 * S3 wants a part's checksum in a header, before its body, so a part is either held (read once into a buffer that is
 * hashed and then sent) or read twice (hashed, then streamed from the page cache); an `aws-chunked` trailer would
 * avoid both, at the price of a framing and signing mode that S3 look-alikes parse unevenly. Measured in
 * `bench/upload.mjs` (512 MiB, 8 MiB parts, 4 at once): holding the part in a per-worker buffer reused from part to
 * part costs 2.3 CPU-s/GiB and leaves no garbage; streaming a fresh 1 MiB buffer per chunk, read twice, cost 5.5
 * CPU-s/GiB (the second read itself only 0.3) and its garbage raised peak memory as much as holding the parts did.
 * So parts up to 64 MiB are held (the upload's `HELD_PART_LIMIT`), and only larger ones, where holding
 * concurrency × part size would be too much, are streamed.
 *
 * @since 0.2.0
 */
import type { FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { Hasher } from './Checksums.js'

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The size of one read: large enough that syscalls are few (8 per 8 MiB part), small enough that what a part in
 * flight holds stays small.
 *
 * @internal
 */
export const READ_CHUNK = 1024 * 1024

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * Read `[start, end)` of the file into `into` (which must hold it), and return the bytes read as a view of it.
 * Rejects when the file is shorter than the range (it changed under the upload).
 *
 * @internal
 */
export const readRange = async (fh: FileHandle, start: number, end: number, into: Buffer): Promise<Buffer> => {
  let got = 0
  while (start + got < end) {
    const { bytesRead } = await fh.read(into, got, end - start - got, start + got)
    if (bytesRead === 0) throw new Error(`the file ended at byte ${start + got}, before the part's end at ${end}: it changed during the upload`)
    got += bytesRead
  }
  return into.subarray(0, got)
}

/**
 * Run `hasher` over `[start, end)` of the file, reading into `scratch` (reused: nothing escapes). Rejects when the
 * file is shorter than the range (it changed under the upload).
 *
 * @internal
 */
export const hashRange = async (fh: FileHandle, start: number, end: number, hasher: Hasher, scratch: Buffer): Promise<void> => {
  let pos = start
  while (pos < end) {
    const len = Math.min(scratch.length, end - pos)
    const { bytesRead } = await fh.read(scratch, 0, len, pos)
    if (bytesRead === 0) throw new Error(`the file ended at byte ${pos}, before the part's end at ${end}: it changed during the upload`)
    hasher.update(scratch.subarray(0, bytesRead))
    pos += bytesRead
  }
}

/**
 * A stream of `[start, end)` of the file, made afresh for every attempt of a request. `onBytes` hears of each chunk
 * as it is handed to the transport (progress); a stream the transport abandons (a failed attempt) simply stops.
 *
 * @internal
 */
export const rangeStream = (fh: FileHandle, start: number, end: number, onBytes: (n: number) => void): Readable => {
  let pos = start
  return new Readable({
    // One chunk buffered ahead: the socket's own buffer does the rest.
    highWaterMark: READ_CHUNK,
    read() {
      if (pos >= end) {
        this.push(null)
        return
      }
      const len = Math.min(READ_CHUNK, end - pos)
      // A fresh buffer per chunk: a pushed chunk is held by the socket's write queue until it is sent.
      const buf = Buffer.allocUnsafe(len)
      fh.read(buf, 0, len, pos).then(
        ({ bytesRead }) => {
          if (this.destroyed) return
          if (bytesRead === 0) {
            this.destroy(new Error(`the file ended at byte ${pos}, before the part's end at ${end}: it changed during the upload`))
            return
          }
          pos += bytesRead
          onBytes(bytesRead)
          this.push(bytesRead === len ? buf : buf.subarray(0, bytesRead))
        },
        (e: unknown) => this.destroy(e instanceof Error ? e : new Error(String(e))),
      )
    },
  })
}
