/**
 * `importDiskImage` from a file on this machine, against the emulator in strict mode (the role and the object checked
 * as VM Import checks them): detect → role → preflight → upload → import; a preflight `fail` stops before anything is
 * uploaded; a file VM Import cannot take stops at detection; the same file again changes nothing; the uploaded object
 * deleted once the import completed, when asked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/emulator.js'
import { importDiskImage, type ImportDiskImageOptions, type ImportDiskImageProgress } from '../src/ImportDiskImage.js'
// @ts-expect-error -- a plain ES module of the examples, without declarations
import { writeSmallUefiDisk } from '../examples/disk-image.mjs'

const HOME = 'eu-west-1'
let dir: string
let file: string
let emulators: Array<Emulator> = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'import-file-'))
  file = join(dir, 'web-1.4.raw')
  ;(writeSmallUefiDisk as (path: string) => number)(file)
})
afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  emulators = []
  rmSync(dir, { recursive: true, force: true })
})

const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const em = await startEmulator({
    region: HOME,
    regions: [HOME],
    strict: true,
    clock: { speed: 2_000 },
    imagePendingMs: 20_000,
    buckets: [{ name: 'images', region: HOME, lifecycleRules: [{ abortIncompleteMultipartUploadDays: 1 }] }],
    ...options,
  })
  emulators.push(em)
  return em
}

const optionsFor = (em: Emulator, extra: Partial<ImportDiskImageOptions> = {}): ImportDiskImageOptions => ({
  config: { region: HOME, endpoint: em.endpoint, credentials: em.credentials, retry: { baseDelayMs: 1, maxDelayMs: 20 } },
  source: { file, bucket: 'images' },
  name: 'web 1.4',
  architecture: 'arm64',
  minDelayMs: 20,
  maxDelayMs: 50,
  ...extra,
})

describe('importDiskImage from a file', () => {
  it('detects UEFI, makes the role, passes the preflight, uploads with a checksum and imports, in strict mode', async () => {
    const em = await start()
    const events: Array<ImportDiskImageProgress> = []
    const r = await importDiskImage(optionsFor(em, { ensureRole: true, onProgress: (e) => events.push(e) }))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    const phases = events.map((e) => e.phase)
    // in this order: nothing is uploaded before the preflight, nothing imported before the upload
    const first = (p: string) => phases.indexOf(p as ImportDiskImageProgress['phase'])
    expect(first('detect')).toBeLessThan(first('role'))
    expect(first('role')).toBeLessThan(first('preflight'))
    expect(first('preflight')).toBeLessThan(first('upload'))
    expect(first('upload')).toBeLessThan(first('import'))
    expect(em.role('vmimport')).toBeDefined()
    expect(em.s3Object('images', 'web-1.4.raw')?.size).toBe(8 * 1024 * 1024)
    const image = em.images(HOME)[0]!
    expect(image).toMatchObject({ Name: 'web 1.4', BootMode: 'uefi', Architecture: 'arm64', State: 'available' })
  })

  it('run again with the same file, nothing is uploaded or imported a second time', async () => {
    const em = await start()
    const first = await importDiskImage(optionsFor(em, { ensureRole: true }))()
    expect(first._tag).toBe('Right')
    const s3Writes = () => em.requests.filter((q) => q.service === 's3' && ['PutObject', 'CreateMultipartUpload', 'UploadPart'].includes(q.action ?? '')).length
    const writesBefore = s3Writes()
    expect(writesBefore).toBeGreaterThan(0)
    const second = await importDiskImage(optionsFor(em, { ensureRole: true }))()
    if (first._tag === 'Left' || second._tag === 'Left') throw new Error('a run failed')
    expect(second.right.images).toEqual(first.right.images)
    expect(em.snapshotTasks(HOME)).toHaveLength(1)
    // The object already has the file's size and checksum: the second run only looked (HeadObject).
    expect(s3Writes()).toBe(writesBefore)
    expect(em.requests.filter((q) => q.action === 'CreateRole')).toHaveLength(1)
  })

  it('a file without an extension takes the format detection found', async () => {
    const em = await start()
    const plain = join(dir, 'disk')
    ;(writeSmallUefiDisk as (path: string) => number)(plain)
    const r = await importDiskImage(optionsFor(em, { ensureRole: true, source: { file: plain, bucket: 'images' } }))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(em.snapshotTasks(HOME)[0]?.SnapshotTaskDetail?.Format).toBe('RAW')
    expect(em.s3Object('images', 'disk')).toBeDefined()
  })

  it('a preflight fail (no vmimport role, and not asked to make one) stops before the upload', async () => {
    const em = await start()
    const r = await importDiskImage(optionsFor(em))()
    expect(r._tag).toBe('Left')
    if (r._tag !== 'Left') return
    expect(r.left.phase).toBe('preflight')
    expect(r.left.message).toMatch(/role/)
    expect(em.s3Object('images', 'web-1.4.raw')).toBeUndefined()
    expect(em.snapshotTasks(HOME)).toHaveLength(0)
  })

  it('a file VM Import cannot take (qcow2) stops at detection, saying how to convert; nothing is sent', async () => {
    const em = await start()
    const qcow = join(dir, 'disk.qcow2')
    const header = Buffer.alloc(4096)
    header.write('QFI\xfb', 0, 'latin1')
    header.writeUInt32BE(3, 4)
    writeFileSync(qcow, header)
    const r = await importDiskImage(optionsFor(em, { source: { file: qcow, bucket: 'images' } }))()
    expect(r._tag === 'Left' && r.left.phase).toBe('detect')
    expect(r._tag === 'Left' && r.left.message).toMatch(/qemu-img convert/)
    expect(em.requests).toHaveLength(0)
  })

  it('deleteSourceAfterImport deletes the uploaded object once the import completed', async () => {
    const em = await start()
    const events: Array<ImportDiskImageProgress> = []
    const r = await importDiskImage(optionsFor(em, { ensureRole: true, deleteSourceAfterImport: true, onProgress: (e) => events.push(e) }))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(em.s3Object('images', 'web-1.4.raw')).toBeUndefined()
    const deletedAt = events.findIndex((e) => /deleted s3:\/\/images\/web-1\.4\.raw/.test(e.message))
    const completedAt = events.findIndex((e) => e.phase === 'import' && /completed/.test(e.message))
    expect(deletedAt).toBeGreaterThan(completedAt)
    expect(completedAt).toBeGreaterThanOrEqual(0)
  })
})
