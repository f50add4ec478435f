/**
 * S3's `aws-chunked` content encoding, unsigned with trailers (`x-amz-content-sha256:
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER`): how a client sends a checksum it computes while it streams, after the
 * bytes. The body is a series of `<hex size>\r\n<bytes>\r\n` chunks, a `0\r\n` chunk, then trailer lines
 * `x-amz-checksum-crc32:<base64>\r\n` and an empty line.
 *
 * The decoder is incremental, chunk by chunk as the socket delivers them, so a part of gigabytes streams through
 * it with memory bounded by one socket chunk; a header or trailer line longer than 4 KiB is malformed, not buffered.
 *
 * @since 0.2.0
 */

// -------------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------------

type State = 'size' | 'data' | 'dataEnd' | 'trailer' | 'done'

const MAX_LINE = 4096

// -------------------------------------------------------------------------------------------------
// decoder
// -------------------------------------------------------------------------------------------------

/**
 * An incremental `aws-chunked` decoder: `push` each received chunk to get the payload bytes in it, then `end` for
 * the trailers (or why the encoding was broken).
 *
 * @internal
 * @since 0.2.0
 */
export class AwsChunkedDecoder {
  private state: State = 'size'
  private line = ''
  private remaining = 0
  private broken: string | undefined
  private readonly trailers = new Map<string, string>()

  /** The payload bytes in `chunk` (views into it, not copies). Nothing more once the encoding is broken. */
  push(chunk: Buffer): Array<Buffer> {
    const out: Array<Buffer> = []
    let i = 0
    while (i < chunk.length && this.broken === undefined) {
      switch (this.state) {
        case 'data': {
          const n = Math.min(this.remaining, chunk.length - i)
          out.push(chunk.subarray(i, i + n))
          i += n
          this.remaining -= n
          if (this.remaining === 0) this.state = 'dataEnd'
          break
        }
        case 'size':
        case 'dataEnd':
        case 'trailer': {
          const nl = chunk.indexOf(10, i)
          const end = nl === -1 ? chunk.length : nl + 1
          this.line += chunk.toString('latin1', i, end)
          i = end
          if (this.line.length > MAX_LINE) this.broken = 'a chunk header or trailer line is too long'
          else if (nl !== -1) this.onLine(this.line.replace(/\r?\n$/, ''))
          break
        }
        case 'done':
          // Bytes after the final empty line: not part of the encoding.
          if (chunk.subarray(i).some((b) => b !== 13 && b !== 10)) this.broken = 'bytes after the final chunk'
          i = chunk.length
          break
      }
    }
    return out
  }

  private onLine(line: string): void {
    this.line = ''
    switch (this.state) {
      case 'dataEnd':
        if (line !== '') this.broken = 'a chunk is longer than its size'
        else this.state = 'size'
        return
      case 'size': {
        const m = /^([0-9a-fA-F]{1,16})(;.*)?$/.exec(line)
        if (m === null) {
          this.broken = `a chunk size is not hexadecimal: '${line.slice(0, 40)}'`
          return
        }
        this.remaining = parseInt(m[1]!, 16)
        this.state = this.remaining === 0 ? 'trailer' : 'data'
        return
      }
      case 'trailer': {
        if (line === '') {
          this.state = 'done'
          return
        }
        const colon = line.indexOf(':')
        if (colon <= 0) {
          this.broken = 'a trailer is not `name:value`'
          return
        }
        this.trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
        return
      }
      default:
        return
    }
  }

  /** The trailers, by lowercase name, once the whole body is in; a string saying why the encoding is broken. */
  end(): ReadonlyMap<string, string> | string {
    if (this.broken !== undefined) return this.broken
    // Some writers stop after the trailers without the final empty line.
    if (this.state === 'trailer' && this.line === '') return this.trailers
    return this.state === 'done' ? this.trailers : 'the body ended inside a chunk'
  }
}
