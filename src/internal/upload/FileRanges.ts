/**
 * Byte ranges of a file, read by position from one open handle: hashed, or streamed as a request body, always
 * through small buffers reused from chunk to chunk. Parts are read by range, never the file whole, and never a part
 * whole either.
 *
 * S3 wants a part's checksum in a header, before its body, so a part is read twice: once to hash it, once to send it
 * (the second read comes from the page cache). An `aws-chunked` trailer would avoid the first read, at the price of
 * a framing and signing mode that S3 look-alikes parse unevenly. Holding each part in memory instead (one read) keeps
 * concurrency × part size in memory: 32 MiB at the defaults, as much as lib-storage. Reading twice through a few
 * reused chunks keeps concurrency × `RING_SIZE` × `READ_CHUNK` (4 MiB at the defaults) whatever the part size, for
 * about 0.3 CPU-s/GiB more (the second read, from the page cache; measured in `bench/upload.mjs`). The buffers must be
 * reused, not made afresh per chunk: a fresh buffer per chunk left as much garbage as the held parts (the collector
 * frees memory outside its heap late) and cost more than twice the CPU when it was measured (5.5 against 2.3
 * CPU-s/GiB).
 *
 * @since 0.2.0
 */
import type { FileHandle } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { Hasher } from './Checksums.js'

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

/**
 * The chunk buffers one reader cycles through: a worker's, reused part after part.
 *
 * @internal
 */
export interface ChunkRing {
  readonly buffers: ReadonlyArray<Buffer>
  /** All of the ring's memory as one buffer (`buffers` are views of it): a first read's scratch, 4× fewer reads. */
  readonly whole: Buffer
}

// -------------------------------------------------------------------------------------------------
// constants
// -------------------------------------------------------------------------------------------------

/**
 * The size of one read: well above a socket's 16 KiB high-water mark (so every chunk written waits for the socket to
 * drain; `rangeStream` relies on it), large enough that reads are few (32 per 8 MiB part), small enough that a
 * worker's ring stays small.
 *
 * @internal
 */
export const READ_CHUNK = 256 * 1024

/**
 * Chunks in a ring: a chunk's buffer is read into again this many chunks later. Two would do (see `rangeStream`);
 * four leave a margin.
 *
 * @internal
 */
export const RING_SIZE = 4

// -------------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------------

/**
 * A fresh ring.
 *
 * @internal
 */
export const chunkRing = (): ChunkRing => {
  const whole = Buffer.allocUnsafe(RING_SIZE * READ_CHUNK)
  return { whole, buffers: Array.from({ length: RING_SIZE }, (_, i) => whole.subarray(i * READ_CHUNK, (i + 1) * READ_CHUNK)) }
}

/**
 * A buffer to hash a range through (checking parts kept from an earlier run, a whole file): a ring's worth.
 *
 * @internal
 */
export const hashScratch = (): Buffer => Buffer.allocUnsafe(RING_SIZE * READ_CHUNK)

const ended = (pos: number, end: number): Error =>
  new Error(`the file ended at byte ${pos}, before the part's end at ${end}: it changed during the upload`)

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
    if (bytesRead === 0) throw ended(pos, end)
    hasher.update(scratch.subarray(0, bytesRead))
    pos += bytesRead
  }
}

/**
 * A stream of `[start, end)` of the file through the buffers of `ring`, for one attempt of one request. `onBytes`
 * hears of each chunk as it is handed on (progress); `onError` of a read that failed or came short (the stream is
 * then destroyed with that error).
 *
 * A pushed chunk is a view of a ring buffer, which is read into again `RING_SIZE` chunks later, so the consumer must
 * be done with a chunk by then. The transport is: undici writes each chunk to the socket and, when the write is not
 * taken at once — always, for a chunk over the socket's 16 KiB high-water mark — waits for the socket to drain before
 * it takes the next. So when chunk n + 1 is taken, chunk n - 1 is written; this stream reads ahead one chunk at most
 * (its high-water mark is one chunk), so the read of chunk n + 2 goes into a buffer already written. Were that ever
 * wrong, the part would not be stored altered: S3 checks the bytes against the checksum of the first read, and
 * refuses the part. A ring must not serve two streams at once, nor a new one while an abandoned one may still read
 * into it or have its chunks on a dying socket: the caller gives each attempt after a failed one a fresh ring.
 *
 * @internal
 */
export const rangeStream = (
  fh: FileHandle,
  start: number,
  end: number,
  ring: ChunkRing,
  onBytes: (n: number) => void,
  onError: (e: Error) => void = () => undefined,
): Readable => {
  let pos = start
  let slot = 0
  const fail = (stream: Readable, e: Error): void => {
    onError(e)
    stream.destroy(e)
  }
  return new Readable({
    highWaterMark: READ_CHUNK,
    read() {
      if (pos >= end) {
        this.push(null)
        return
      }
      const buf = ring.buffers[slot]!
      slot = (slot + 1) % ring.buffers.length
      const len = Math.min(buf.length, end - pos)
      fh.read(buf, 0, len, pos).then(
        ({ bytesRead }) => {
          if (this.destroyed) return
          if (bytesRead === 0) return fail(this, ended(pos, end))
          pos += bytesRead
          onBytes(bytesRead)
          this.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead))
        },
        (e: unknown) => {
          if (!this.destroyed) fail(this, e instanceof Error ? e : new Error(String(e)))
        },
      )
    },
  })
}
