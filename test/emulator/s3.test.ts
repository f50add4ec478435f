// The emulator's S3, driven over HTTP by requests aws4 signs: multipart uploads whose part and full-object checksums
// it verifies (good and corrupted), ListParts, ListMultipartUploads, abort, bucket location, policy and lifecycle, the
// <Error> envelope, x-amz-content-sha256, aws-chunked trailers, and what it keeps in memory.
import { createHash, randomBytes } from 'node:crypto'
import * as zlib from 'node:zlib'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { crc32c } from '../../src/internal/upload/Checksums.js'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator.js'
import { agent, s3, tag } from './raw-aws.js'

afterAll(() => agent.close())

const running: Array<Emulator> = []
afterEach(async () => {
  for (const e of running.splice(0)) await e.close()
})
const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const e = await startEmulator({ clock: 'manual', minPartSizeBytes: 1024, buckets: [{ name: 'images' }], ...options })
  running.push(e)
  return e
}

const b64crc32 = (b: Buffer): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(zlib.crc32(b))
  return out.toString('base64')
}
const b64crc32c = (b: Buffer): string => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(crc32c(b))
  return out.toString('base64')
}
const b64sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('base64')

const createUpload = async (e: Emulator, key: string, headers: Record<string, string> = {}): Promise<string> => {
  const r = await s3(e, 'POST', `/images/${key}?uploads`, { headers })
  expect(r.status, r.body).toBe(200)
  return tag(r.body, 'UploadId')!
}

const completeBody = (parts: ReadonlyArray<{ n: number; etag: string; extra?: string }>): string =>
  `<CompleteMultipartUpload>${parts.map((p) => `<Part><PartNumber>${p.n}</PartNumber><ETag>${p.etag}</ETag>${p.extra ?? ''}</Part>`).join('')}</CompleteMultipartUpload>`

describe('multipart upload with CRC32 checksums', () => {
  const parts = [randomBytes(3000), randomBytes(2048), randomBytes(777)]
  const whole = Buffer.concat(parts)

  it('verifies each part, lists them, and completes with the full-object CRC32 combined from the parts', async () => {
    const e = await start()
    const id = await createUpload(e, 'disk.vmdk', { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' })
    const etags: Array<string> = []
    for (const [i, p] of parts.entries()) {
      const r = await s3(e, 'PUT', `/images/disk.vmdk?partNumber=${i + 1}&uploadId=${encodeURIComponent(id)}`, {
        body: p,
        headers: { 'x-amz-checksum-crc32': b64crc32(p) },
      })
      expect(r.status, r.body).toBe(200)
      expect(r.headers['x-amz-checksum-crc32']).toBe(b64crc32(p))
      expect(r.headers['etag']).toBe(`"${createHash('md5').update(p).digest('hex')}"`)
      etags.push(r.headers['etag'] as string)
    }
    const listed = await s3(e, 'GET', `/images/disk.vmdk?uploadId=${encodeURIComponent(id)}`)
    expect(listed.status).toBe(200)
    expect([...listed.body.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1])).toEqual(['1', '2', '3'])
    expect([...listed.body.matchAll(/<Size>(\d+)<\/Size>/g)].map((m) => Number(m[1]))).toEqual(parts.map((p) => p.length))
    expect(listed.body).toContain(`<ChecksumCRC32>${b64crc32(parts[1]!)}</ChecksumCRC32>`)
    expect(tag(listed.body, 'ChecksumType')).toBe('FULL_OBJECT')

    const done = await s3(e, 'POST', `/images/disk.vmdk?uploadId=${encodeURIComponent(id)}`, {
      body: completeBody(etags.map((etag, i) => ({ n: i + 1, etag, extra: `<ChecksumCRC32>${b64crc32(parts[i]!)}</ChecksumCRC32>` }))),
      headers: { 'x-amz-checksum-crc32': b64crc32(whole), 'x-amz-checksum-type': 'FULL_OBJECT' },
    })
    expect(done.status, done.body).toBe(200)
    expect(tag(done.body, 'ChecksumCRC32')).toBe(b64crc32(whole))
    expect(tag(done.body, 'ChecksumType')).toBe('FULL_OBJECT')
    const md5s = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()))
    expect(tag(done.body, 'ETag')).toBe(`&quot;${createHash('md5').update(md5s).digest('hex')}-3&quot;`.replace(/&quot;/g, '"'))

    const head = await s3(e, 'HEAD', '/images/disk.vmdk', { headers: { 'x-amz-checksum-mode': 'ENABLED' } })
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe(String(whole.length))
    expect(head.headers['x-amz-checksum-crc32']).toBe(b64crc32(whole))
    expect(head.headers['x-amz-checksum-type']).toBe('FULL_OBJECT')
    const got = await s3(e, 'GET', '/images/disk.vmdk')
    expect([got.status, got.headers['content-length']]).toEqual([200, String(whole.length)])
    expect(e.s3Object('images', 'disk.vmdk')?.body).toEqual(new Uint8Array(whole))
    expect(e.multipartUploads()).toEqual([])
  })

  it('refuses a part whose CRC32 does not match its bytes (BadDigest), and keeps the upload as it was', async () => {
    const e = await start()
    const id = await createUpload(e, 'disk.vmdk', { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' })
    const corrupted = Buffer.from(parts[0]!)
    corrupted[100] = corrupted[100]! ^ 0xff
    // the claim is for the good bytes, the body is the corrupted ones (the payload is not signed)
    const r = await s3(e, 'PUT', `/images/disk.vmdk?partNumber=1&uploadId=${encodeURIComponent(id)}`, {
      body: parts[0]!,
      unsignedPayload: true,
      headers: { 'x-amz-checksum-crc32': b64crc32(parts[0]!) },
      tamper: () => corrupted,
    })
    expect(r.status).toBe(400)
    expect(tag(r.body, 'Code')).toBe('BadDigest')
    expect(tag(r.body, 'Message')).toBe('The CRC32 you specified did not match the calculated checksum.')
    expect(r.body).toMatch(/^<\?xml[^>]*>\n<Error><Code>/)
    expect(e.multipartUploads()).toEqual([{ bucket: 'images', key: 'disk.vmdk', uploadId: id, parts: [] }])
    const listed = await s3(e, 'GET', `/images/disk.vmdk?uploadId=${encodeURIComponent(id)}`)
    expect(listed.body).not.toContain('<Part>')
  })

  it('refuses a body that does not match its signed x-amz-content-sha256 (XAmzContentSHA256Mismatch)', async () => {
    const e = await start()
    const r = await s3(e, 'PUT', '/images/small.bin', {
      body: Buffer.from('hello world'),
      tamper: () => Buffer.from('hello worle'),
    })
    expect(r.status).toBe(400)
    expect(tag(r.body, 'Code')).toBe('XAmzContentSHA256Mismatch')
    expect(e.s3Object('images', 'small.bin')).toBeUndefined()
  })

  it('refuses a full-object CRC32 that does not match the parts (BadDigest) and completes once it does', async () => {
    const e = await start()
    const id = await createUpload(e, 'disk.vmdk', { 'x-amz-checksum-algorithm': 'CRC32', 'x-amz-checksum-type': 'FULL_OBJECT' })
    const etags: Array<string> = []
    for (const [i, p] of parts.entries()) {
      const r = await s3(e, 'PUT', `/images/disk.vmdk?partNumber=${i + 1}&uploadId=${encodeURIComponent(id)}`, {
        body: p,
        headers: { 'x-amz-checksum-crc32': b64crc32(p) },
      })
      etags.push(r.headers['etag'] as string)
    }
    const other = Buffer.from(whole)
    other[0] = other[0]! ^ 1
    const bad = await s3(e, 'POST', `/images/disk.vmdk?uploadId=${encodeURIComponent(id)}`, {
      body: completeBody(etags.map((etag, i) => ({ n: i + 1, etag }))),
      headers: { 'x-amz-checksum-crc32': b64crc32(other), 'x-amz-checksum-type': 'FULL_OBJECT' },
    })
    expect(bad.status).toBe(400)
    expect(tag(bad.body, 'Code')).toBe('BadDigest')
    expect(e.s3Object('images', 'disk.vmdk')).toBeUndefined()
    expect(e.multipartUploads()).toHaveLength(1)
    const good = await s3(e, 'POST', `/images/disk.vmdk?uploadId=${encodeURIComponent(id)}`, {
      body: completeBody(etags.map((etag, i) => ({ n: i + 1, etag }))),
      headers: { 'x-amz-checksum-crc32': b64crc32(whole), 'x-amz-checksum-type': 'FULL_OBJECT' },
    })
    expect(good.status, good.body).toBe(200)
    expect(e.s3Object('images', 'disk.vmdk')?.checksum).toEqual({ algorithm: 'CRC32', type: 'FULL_OBJECT', value: b64crc32(whole) })
  })

  it('refuses a completion naming a part wrongly: ETag, checksum, order, size', async () => {
    const e = await start()
    const id = await createUpload(e, 'k', { 'x-amz-checksum-algorithm': 'CRC32' })
    const etags: Array<string> = []
    for (const [i, p] of [randomBytes(1500), randomBytes(500), randomBytes(1500)].entries()) {
      const r = await s3(e, 'PUT', `/images/k?partNumber=${i + 1}&uploadId=${encodeURIComponent(id)}`, {
        body: p,
        headers: { 'x-amz-checksum-crc32': b64crc32(p) },
      })
      etags.push(r.headers['etag'] as string)
    }
    const complete = (body: string) => s3(e, 'POST', `/images/k?uploadId=${encodeURIComponent(id)}`, { body })
    const wrongEtag = await complete(completeBody([{ n: 1, etag: '"00000000000000000000000000000000"' }]))
    expect([wrongEtag.status, tag(wrongEtag.body, 'Code')]).toEqual([400, 'InvalidPart'])
    const wrongSum = await complete(completeBody([{ n: 1, etag: etags[0]!, extra: '<ChecksumCRC32>AAAAAA==</ChecksumCRC32>' }]))
    expect([wrongSum.status, tag(wrongSum.body, 'Code')]).toEqual([400, 'InvalidPart'])
    const missing = await complete(completeBody([{ n: 1, etag: etags[0]! }, { n: 7, etag: etags[1]! }]))
    expect(tag(missing.body, 'Code')).toBe('InvalidPart')
    const order = await complete(completeBody([{ n: 2, etag: etags[1]! }, { n: 1, etag: etags[0]! }]))
    expect([order.status, tag(order.body, 'Code')]).toEqual([400, 'InvalidPartOrder'])
    const small = await complete(completeBody(etags.map((etag, i) => ({ n: i + 1, etag }))))
    expect([small.status, tag(small.body, 'Code'), tag(small.body, 'PartNumber')]).toEqual([400, 'EntityTooSmall', '2'])
    const malformed = await complete('<CompleteMultipartUpload><Part>')
    expect(tag(malformed.body, 'Code')).toBe('MalformedXML')
    // the composite checksum of parts 1 and 3 only (part 2 left out): CRC32 of the parts' CRC32s, -2
    const ok = await complete(completeBody([{ n: 1, etag: etags[0]! }, { n: 3, etag: etags[2]! }]))
    expect(ok.status, ok.body).toBe(200)
    expect(tag(ok.body, 'ChecksumType')).toBe('COMPOSITE')
    expect(tag(ok.body, 'ChecksumCRC32')).toMatch(/^[A-Za-z0-9+/]{6}==-2$/)
  })

  it('verifies CRC32C and SHA256 parts too, and a part checksum of another algorithm than the upload is refused', async () => {
    const e = await start()
    const p = randomBytes(4096)
    const id = await createUpload(e, 'c', { 'x-amz-checksum-algorithm': 'CRC32C', 'x-amz-checksum-type': 'FULL_OBJECT' })
    const good = await s3(e, 'PUT', `/images/c?partNumber=1&uploadId=${encodeURIComponent(id)}`, { body: p, headers: { 'x-amz-checksum-crc32c': b64crc32c(p) } })
    expect(good.status, good.body).toBe(200)
    expect(good.headers['x-amz-checksum-crc32c']).toBe(b64crc32c(p))
    const bad = await s3(e, 'PUT', `/images/c?partNumber=2&uploadId=${encodeURIComponent(id)}`, { body: p, headers: { 'x-amz-checksum-crc32c': b64crc32(p) } })
    expect(tag(bad.body, 'Code')).toBe('BadDigest')
    const mismatch = await s3(e, 'PUT', `/images/c?partNumber=2&uploadId=${encodeURIComponent(id)}`, { body: p, headers: { 'x-amz-checksum-crc32': b64crc32(p) } })
    expect([mismatch.status, tag(mismatch.body, 'Code')]).toEqual([400, 'InvalidRequest'])
    const done = await s3(e, 'POST', `/images/c?uploadId=${encodeURIComponent(id)}`, {
      body: completeBody([{ n: 1, etag: good.headers['etag'] as string }]),
      headers: { 'x-amz-checksum-crc32c': b64crc32c(p), 'x-amz-checksum-type': 'FULL_OBJECT' },
    })
    expect(tag(done.body, 'ChecksumCRC32C')).toBe(b64crc32c(p))

    const sid = await createUpload(e, 's', { 'x-amz-checksum-algorithm': 'SHA256' })
    const sp = await s3(e, 'PUT', `/images/s?partNumber=1&uploadId=${encodeURIComponent(sid)}`, { body: p, headers: { 'x-amz-checksum-sha256': b64sha256(p) } })
    expect(sp.status, sp.body).toBe(200)
    const sbad = await s3(e, 'PUT', `/images/s?partNumber=2&uploadId=${encodeURIComponent(sid)}`, {
      body: p,
      headers: { 'x-amz-checksum-sha256': b64sha256(Buffer.concat([p, p])) },
    })
    expect([sbad.status, tag(sbad.body, 'Code'), tag(sbad.body, 'Message')]).toEqual([
      400,
      'BadDigest',
      'The SHA256 you specified did not match the calculated checksum.',
    ])
    const sdone = await s3(e, 'POST', `/images/s?uploadId=${encodeURIComponent(sid)}`, { body: completeBody([{ n: 1, etag: sp.headers['etag'] as string }]) })
    // composite: SHA-256 of the parts' raw SHA-256s, then -N
    expect(tag(sdone.body, 'ChecksumSHA256')).toBe(`${createHash('sha256').update(createHash('sha256').update(p).digest()).digest('base64')}-1`)
    const fullSha = await s3(e, 'POST', '/images/x?uploads', { headers: { 'x-amz-checksum-algorithm': 'SHA256', 'x-amz-checksum-type': 'FULL_OBJECT' } })
    expect(tag(fullSha.body, 'Code')).toBe('InvalidRequest')
  })

  it('lists uploads in progress and aborts one, after which its parts are gone', async () => {
    const e = await start()
    const a = await createUpload(e, 'a.vmdk')
    const b = await createUpload(e, 'b.vmdk')
    await s3(e, 'PUT', `/images/a.vmdk?partNumber=1&uploadId=${encodeURIComponent(a)}`, { body: randomBytes(10) })
    const listed = await s3(e, 'GET', '/images?uploads')
    expect(listed.status).toBe(200)
    expect([...listed.body.matchAll(/<UploadId>([^<]+)<\/UploadId>/g)].map((m) => m[1])).toEqual([a, b])
    const prefixed = await s3(e, 'GET', '/images?uploads&prefix=b')
    expect([...prefixed.body.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1])).toEqual(['b.vmdk'])
    const paged = await s3(e, 'GET', '/images?uploads&max-uploads=1')
    expect(tag(paged.body, 'IsTruncated')).toBe('true')
    expect(tag(paged.body, 'NextKeyMarker')).toBe('a.vmdk')

    const aborted = await s3(e, 'DELETE', `/images/a.vmdk?uploadId=${encodeURIComponent(a)}`)
    expect(aborted.status).toBe(204)
    const gone = await s3(e, 'GET', `/images/a.vmdk?uploadId=${encodeURIComponent(a)}`)
    expect([gone.status, tag(gone.body, 'Code')]).toEqual([404, 'NoSuchUpload'])
    const late = await s3(e, 'PUT', `/images/a.vmdk?partNumber=2&uploadId=${encodeURIComponent(a)}`, { body: randomBytes(10) })
    expect(tag(late.body, 'Code')).toBe('NoSuchUpload')
    expect(e.multipartUploads().map((u) => u.key)).toEqual(['b.vmdk'])
  })
})

describe('objects', () => {
  it('PutObject verifies a claimed checksum, HeadObject reports size, encryption and checksum, DeleteObject removes it', async () => {
    const e = await start()
    const body = Buffer.from('a small disk')
    const put = await s3(e, 'PUT', '/images/small.raw', {
      body,
      headers: { 'x-amz-checksum-crc32': b64crc32(body), 'x-amz-server-side-encryption': 'aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id': 'arn:aws:kms:us-east-1:123456789012:key/k' },
    })
    expect(put.status, put.body).toBe(200)
    const head = await s3(e, 'HEAD', '/images/small.raw', { headers: { 'x-amz-checksum-mode': 'ENABLED' } })
    expect(head.headers['content-length']).toBe(String(body.length))
    expect(head.headers['x-amz-server-side-encryption']).toBe('aws:kms')
    expect(head.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe('arn:aws:kms:us-east-1:123456789012:key/k')
    expect(head.headers['x-amz-checksum-crc32']).toBe(b64crc32(body))
    const bad = await s3(e, 'PUT', '/images/other.raw', { body, headers: { 'x-amz-checksum-crc32': b64crc32(Buffer.from('x')) } })
    expect(tag(bad.body, 'Code')).toBe('BadDigest')
    expect(e.s3Object('images', 'other.raw')).toBeUndefined()
    const del = await s3(e, 'DELETE', '/images/small.raw')
    expect(del.status).toBe(204)
    const missing = await s3(e, 'HEAD', '/images/small.raw')
    // a HEAD error has no body: the status says it all
    expect([missing.status, missing.body]).toEqual([404, ''])
    const getMissing = await s3(e, 'GET', '/images/small.raw')
    expect([getMissing.status, tag(getMissing.body, 'Code')]).toEqual([404, 'NoSuchKey'])
  })

  it('keeps the bytes of objects only up to maxStoredObjectBytes, and sizes and checksums always', async () => {
    const e = await start({ maxStoredObjectBytes: 1000 })
    const big = randomBytes(256 * 1024)
    const put = await s3(e, 'PUT', '/images/big.raw', { body: big, unsignedPayload: true })
    expect(put.status, put.body).toBe(200)
    const o = e.s3Object('images', 'big.raw')!
    expect(o.size).toBe(big.length)
    expect(o.body).toBeUndefined()
    expect(o.checksum?.value).toBe(b64crc32(big))
    const get = await s3(e, 'GET', '/images/big.raw')
    expect([get.status, tag(get.body, 'Code')]).toEqual([501, 'NotImplemented'])
  })

  it('reads an aws-chunked body with its CRC32 as a trailer, and refuses a trailer that does not match', async () => {
    const e = await start()
    const payload = randomBytes(5000)
    const chunked = (value: string) =>
      Buffer.concat([
        Buffer.from(`${(3000).toString(16)}\r\n`),
        payload.subarray(0, 3000),
        Buffer.from(`\r\n${(2000).toString(16)}\r\n`),
        payload.subarray(3000),
        Buffer.from(`\r\n0\r\nx-amz-checksum-crc32:${value}\r\n\r\n`),
      ])
    const headers = {
      'Content-Encoding': 'aws-chunked',
      'X-Amz-Content-Sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'X-Amz-Decoded-Content-Length': String(payload.length),
      'X-Amz-Trailer': 'x-amz-checksum-crc32',
    }
    const good = await s3(e, 'PUT', '/images/chunked.raw', { body: chunked(b64crc32(payload)), headers })
    expect(good.status, good.body).toBe(200)
    expect(e.s3Object('images', 'chunked.raw')?.body).toEqual(new Uint8Array(payload))
    const bad = await s3(e, 'PUT', '/images/chunked2.raw', { body: chunked(b64crc32(Buffer.from('no'))), headers })
    expect(tag(bad.body, 'Code')).toBe('BadDigest')
  })
})

describe('buckets', () => {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/vmimport' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::eu-images/*' }] }

  it('answers GetBucketLocation, GetBucketPolicy and GetBucketLifecycleConfiguration from the options', async () => {
    const e = await start({
      regions: ['us-east-1', 'eu-west-1'],
      buckets: [
        { name: 'eu-images', region: 'eu-west-1', policy, lifecycleRules: [{ id: 'abort', abortIncompleteMultipartUploadDays: 7 }] },
        { name: 'plain' },
      ],
    })
    // the location is readable from any region, as on AWS (it is how a client finds the bucket's region)
    const loc = await s3(e, 'GET', '/eu-images?location', { region: 'us-east-1' })
    expect(loc.status).toBe(200)
    expect(loc.body).toContain('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>')
    const usEast = await s3(e, 'GET', '/plain?location')
    expect(usEast.body).toMatch(/<LocationConstraint xmlns="[^"]+"><\/LocationConstraint>/)
    const pol = await s3(e, 'GET', '/eu-images?policy', { region: 'eu-west-1' })
    expect(JSON.parse(pol.body)).toEqual(policy)
    const lc = await s3(e, 'GET', '/eu-images?lifecycle', { region: 'eu-west-1' })
    expect(lc.status).toBe(200)
    expect(lc.body).toContain('<AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload>')
    const noPol = await s3(e, 'GET', '/plain?policy')
    expect([noPol.status, tag(noPol.body, 'Code')]).toEqual([404, 'NoSuchBucketPolicy'])
    const noLc = await s3(e, 'GET', '/plain?lifecycle')
    expect([noLc.status, tag(noLc.body, 'Code')]).toEqual([404, 'NoSuchLifecycleConfiguration'])
    // a request for the bucket signed for another region than its own is refused, naming the right one
    const wrong = await s3(e, 'HEAD', '/eu-images/x', { region: 'us-east-1' })
    expect(wrong.status).toBe(400)
    expect(wrong.headers['x-amz-bucket-region']).toBe('eu-west-1')
    const wrongGet = await s3(e, 'GET', '/eu-images/x', { region: 'us-east-1' })
    expect([tag(wrongGet.body, 'Code'), tag(wrongGet.body, 'Region')]).toEqual(['AuthorizationHeaderMalformed', 'eu-west-1'])
  })

  it('creates buckets in the region signed for, and stores policy and lifecycle put by a client', async () => {
    const e = await start({ buckets: [] })
    const made = await s3(e, 'PUT', '/new-bucket', {
      region: 'eu-central-1',
      body: '<CreateBucketConfiguration><LocationConstraint>eu-central-1</LocationConstraint></CreateBucketConfiguration>',
    })
    expect(made.status, made.body).toBe(200)
    expect(tag((await s3(e, 'GET', '/new-bucket?location', { region: 'eu-central-1' })).body, 'LocationConstraint')).toBeUndefined()
    expect((await s3(e, 'GET', '/new-bucket?location')).body).toContain('>eu-central-1</LocationConstraint>')
    const again = await s3(e, 'PUT', '/new-bucket', { region: 'eu-central-1', body: '<CreateBucketConfiguration><LocationConstraint>eu-central-1</LocationConstraint></CreateBucketConfiguration>' })
    expect([again.status, tag(again.body, 'Code')]).toEqual([409, 'BucketAlreadyOwnedByYou'])
    const mismatch = await s3(e, 'PUT', '/other-bucket', { region: 'us-east-1', body: '<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>' })
    expect(tag(mismatch.body, 'Code')).toBe('IllegalLocationConstraintException')
    const badName = await s3(e, 'PUT', '/Bad_Name')
    expect(tag(badName.body, 'Code')).toBe('InvalidBucketName')
    const lifecycle = '<LifecycleConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ID>r</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>'
    const putLc = await s3(e, 'PUT', '/new-bucket?lifecycle', { region: 'eu-central-1', body: lifecycle })
    expect(putLc.status, putLc.body).toBe(200)
    expect((await s3(e, 'GET', '/new-bucket?lifecycle', { region: 'eu-central-1' })).body).toContain('<DaysAfterInitiation>3</DaysAfterInitiation>')
    const putPol = await s3(e, 'PUT', '/new-bucket?policy', { region: 'eu-central-1', body: JSON.stringify(policy) })
    expect(putPol.status).toBe(204)
    const badPol = await s3(e, 'PUT', '/new-bucket?policy', { region: 'eu-central-1', body: 'not json' })
    expect(tag(badPol.body, 'Code')).toBe('MalformedPolicy')
  })
})

describe('the envelope and the signature', () => {
  it("answers in S3's <Error> envelope: unknown bucket, bad signature, unknown key, denied action, unsigned", async () => {
    const e = await start({ deny: ['s3:GetBucketPolicy'] })
    const nb = await s3(e, 'GET', '/nope/key')
    expect([nb.status, tag(nb.body, 'Code'), tag(nb.body, 'BucketName')]).toEqual([404, 'NoSuchBucket', 'nope'])
    expect(tag(nb.body, 'RequestId')).toBe(nb.headers['x-amz-request-id'])
    const sig = await s3(e, 'GET', '/images?location', { credentials: { accessKeyId: e.credentials.accessKeyId, secretAccessKey: 'wrong' } })
    expect([sig.status, tag(sig.body, 'Code')]).toEqual([403, 'SignatureDoesNotMatch'])
    const key = await s3(e, 'GET', '/images?location', { credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } })
    expect([key.status, tag(key.body, 'Code')]).toEqual([403, 'InvalidAccessKeyId'])
    const denied = await s3(e, 'GET', '/images?policy')
    expect([denied.status, tag(denied.body, 'Code'), tag(denied.body, 'Message')]).toEqual([403, 'AccessDenied', 'Access Denied'])
    // an unsigned PUT names no service, but only S3 takes a PUT: S3 refuses it, in its words
    const unsigned = await fetch(`${e.endpoint}/images/x`, { method: 'PUT', body: 'x' })
    expect([unsigned.status, tag(await unsigned.text(), 'Code')]).toEqual([403, 'AccessDenied'])
    expect(e.requests.filter((r) => r.service === 's3').map((r) => r.action)).toEqual([
      'GetObject',
      'GetBucketLocation',
      'GetBucketLocation',
      'GetBucketPolicy',
      'PutObject',
    ])
  })

  it('never throws on nonsense: a bad part number, an unknown subresource, a broken chunk encoding', async () => {
    const e = await start()
    const id = await createUpload(e, 'k')
    const part0 = await s3(e, 'PUT', `/images/k?partNumber=0&uploadId=${encodeURIComponent(id)}`, { body: 'x' })
    expect([part0.status, tag(part0.body, 'Code')]).toEqual([400, 'InvalidArgument'])
    const part10001 = await s3(e, 'PUT', `/images/k?partNumber=10001&uploadId=${encodeURIComponent(id)}`, { body: 'x' })
    expect(tag(part10001.body, 'Code')).toBe('InvalidArgument')
    const unknown = await s3(e, 'GET', '/images?acl')
    expect([unknown.status, tag(unknown.body, 'Code')]).toEqual([501, 'NotImplemented'])
    const broken = await s3(e, 'PUT', '/images/broken', {
      body: Buffer.from('zz\r\nabc\r\n0\r\n\r\n'),
      headers: { 'Content-Encoding': 'aws-chunked', 'X-Amz-Content-Sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'X-Amz-Decoded-Content-Length': '3' },
    })
    expect([broken.status, tag(broken.body, 'Code')]).toEqual([400, 'InvalidRequest'])
    expect(e.requests.every((r) => r.status !== 500)).toBe(true)
  })
})
