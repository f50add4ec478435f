/**
 * The SHA-256 hash object `@smithy/signature-v4` asks for (`update`/`digest`, optionally keyed for HMAC), on
 * node:crypto: the packaged one lives in `@smithy/core`, which this project does not depend on.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'

export class Sha256 {
  private readonly hash: Hash | Hmac
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret)
  }
  update(data: string | Uint8Array): void {
    this.hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest())
  }
  reset(): void {
    throw new Error('not needed by the signer')
  }
}
