/**
 * The SHA-256 hash object `@smithy/signature-v4` asks for (`update`/`digest`, optionally keyed for HMAC), on
 * node:crypto: the packaged one lives in `@smithy/core`, which this project does not depend on.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'

export class Sha256 {
  private readonly hash: Hash | Hmac
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret))
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data))
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest())
  }
}

const toBytes = (d: string | ArrayBuffer | ArrayBufferView): Uint8Array =>
  typeof d === 'string'
    ? Buffer.from(d, 'utf8')
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength)
