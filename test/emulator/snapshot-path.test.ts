// The emulator's snapshot path, driven by the package's own engine (serializer, signer, decoder) over HTTP: the
// lifecycle of snapshot import tasks, snapshots and images, the errors, filters, permissions, tags, many regions,
// CopyImage and eventual consistency.
import * as fc from 'fast-check'
import { Agent, request } from 'undici'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { decodeResponse, serializeRequest, type Operation } from '../../src/internal/protocol/Operation.js'
import { signRequest } from '../../src/internal/http/Signer.js'
import {
  CopyImage,
  CreateTags,
  DeleteSnapshot,
  DeregisterImage,
  DescribeImageAttribute,
  DescribeImages,
  DescribeImportImageTasks,
  DescribeImportSnapshotTasks,
  DescribeSnapshots,
  ImportImage,
  ImportSnapshot,
  ModifyImageAttribute,
  ModifySnapshotAttribute,
  RegisterImage,
} from '../../src/operations/Ec2.js'
import type { RegisterImageRequest } from '../../src/shapes/RegisterImage.js'
import { DEFAULT_PHASES, startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator.js'

// -------------------------------------------------------------------------------------------------
// a raw client: our serializer and signer, undici, our decoder
// -------------------------------------------------------------------------------------------------

const agent = new Agent({ keepAliveTimeout: 1000 })
afterAll(() => agent.close())

interface Raw {
  readonly status: number
  readonly headers: Record<string, string | Array<string> | undefined>
  readonly body: string
}

const sendForm = async (emulator: Emulator, body: string, region = emulator.region): Promise<Raw> => {
  const url = new URL(emulator.endpoint)
  const signed = signRequest(
    {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    },
    emulator.credentials,
    { region, service: 'ec2', now: new Date(emulator.clock.now()) },
  )
  const res = await request(`${emulator.endpoint}${signed.path}`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body as string,
    dispatcher: agent,
  })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

let tokens = 0
type Called<O> =
  | { _tag: 'Right'; right: O; raw: Raw }
  | { _tag: 'Left'; code: string; message: string; status: number; raw: Raw }

const call = async <I, O>(emulator: Emulator, op: Operation<I, O>, input: I, region?: string): Promise<Called<O>> => {
  const raw = await sendForm(emulator, serializeRequest(op, input, () => `token-${++tokens}`), region)
  const decoded = decodeResponse(op, { statusCode: raw.status, headers: raw.headers, body: raw.body }, 1)
  if (decoded._tag === 'Right') return { _tag: 'Right', right: decoded.right.value, raw }
  const e = decoded.left
  return {
    _tag: 'Left',
    code: e._tag === 'ServiceError' ? e.code : `DecodeError: ${e.message}`,
    message: e._tag === 'ServiceError' ? e.serviceMessage : e.body,
    status: e.statusCode,
    raw,
  }
}

const ok = async <I, O>(emulator: Emulator, op: Operation<I, O>, input: I, region?: string): Promise<O> => {
  const r = await call(emulator, op, input, region)
  if (r._tag === 'Left') throw new Error(`${op.name} failed: ${r.status} ${r.code}: ${r.message}`)
  return r.right
}

const err = async <I, O>(emulator: Emulator, op: Operation<I, O>, input: I, region?: string) => {
  const r = await call(emulator, op, input, region)
  if (r._tag === 'Right') throw new Error(`${op.name} succeeded, expected an error`)
  return r
}

const emulators: Array<Emulator> = []
const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const e = await startEmulator({ clock: 'manual', ...options })
  emulators.push(e)
  return e
}
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

const P = DEFAULT_PHASES
const IMPORT_MS = P.pending + P.converting
const IMAGE_MS = 60_000 // the default imagePendingMs
const DISK = { Format: 'vmdk' as const, UserBucket: { S3Bucket: 'images', S3Key: 'disk.raw' } }

/** Import a snapshot and wait for it on the manual clock: its id. */
const importedSnapshot = async (emulator: Emulator, region?: string, key = 'disk.vmdk'): Promise<string> => {
  const started = await ok(emulator, ImportSnapshot, { DiskContainer: { ...DISK, UserBucket: { S3Bucket: 'images', S3Key: key } } }, region)
  emulator.clock.advance(IMPORT_MS)
  const done = await ok(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: [started.ImportTaskId] }, region)
  const id = done.ImportSnapshotTasks?.[0]?.SnapshotTaskDetail?.SnapshotId
  if (id === undefined) throw new Error('no snapshot')
  return id
}

const registration = (name: string, snapshotId: string, extra: Partial<RegisterImageRequest> = {}): RegisterImageRequest => ({
  Name: name,
  Architecture: 'arm64',
  BootMode: 'uefi',
  ImdsSupport: 'v2.0',
  EnaSupport: true,
  VirtualizationType: 'hvm',
  RootDeviceName: '/dev/xvda',
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeType: 'gp3', Throughput: 250, DeleteOnTermination: true } }],
  ...extra,
} as RegisterImageRequest)

/** A registered and available image: its id and its snapshot's. */
const availableImage = async (emulator: Emulator, name: string, region?: string): Promise<{ imageId: string; snapshotId: string }> => {
  const snapshotId = await importedSnapshot(emulator, region)
  const { ImageId } = await ok(emulator, RegisterImage, registration(name, snapshotId), region)
  emulator.clock.advance(IMAGE_MS)
  return { imageId: ImageId!, snapshotId }
}

// -------------------------------------------------------------------------------------------------
// snapshot import tasks
// -------------------------------------------------------------------------------------------------

describe('ImportSnapshot and DescribeImportSnapshotTasks', () => {
  it('moves a task active/pending → active/converting → completed with a SnapshotId, and the snapshot appears then', async () => {
    const emulator = await start()
    const started = await ok(emulator, ImportSnapshot, {
      Description: 'root disk',
      DiskContainer: { ...DISK, Description: 'disk 1' },
      TagSpecifications: [{ ResourceType: 'import-snapshot-task', Tags: [{ Key: 'build', Value: '42' }] }],
    })
    expect(started.ImportTaskId).toMatch(/^import-snap-[0-9a-f]{17}$/)
    expect(started).toMatchObject({
      Description: 'root disk',
      Tags: [{ Key: 'build', Value: '42' }],
      SnapshotTaskDetail: {
        Status: 'active',
        StatusMessage: 'pending',
        Progress: '0',
        Format: 'VMDK',
        Description: 'disk 1',
        UserBucket: { S3Bucket: 'images', S3Key: 'disk.raw' },
      },
    })
    expect(started.SnapshotTaskDetail).not.toHaveProperty('SnapshotId')
    const id = started.ImportTaskId

    emulator.clock.advance(P.pending + P.converting / 2)
    const converting = (await ok(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: [id] })).ImportSnapshotTasks![0]!
    expect(converting.SnapshotTaskDetail).toMatchObject({ Status: 'active', StatusMessage: 'converting' })
    expect(Number(converting.SnapshotTaskDetail?.Progress)).toBeGreaterThan(10)
    expect(Number(converting.SnapshotTaskDetail?.Progress)).toBeLessThan(100)
    expect(converting.SnapshotTaskDetail?.DiskImageSize).toBeGreaterThan(0)
    expect(emulator.snapshots()).toHaveLength(0)

    emulator.clock.advance(P.converting / 2)
    const done = (await ok(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: [id] })).ImportSnapshotTasks![0]!
    expect(done.SnapshotTaskDetail).toMatchObject({ Status: 'completed', Format: 'VMDK' })
    expect(done.SnapshotTaskDetail).not.toHaveProperty('Progress')
    const snapshotId = done.SnapshotTaskDetail?.SnapshotId
    expect(snapshotId).toMatch(/^snap-[0-9a-f]{17}$/)

    const snaps = await ok(emulator, DescribeSnapshots, { SnapshotIds: [snapshotId!] })
    expect(snaps.Snapshots).toHaveLength(1)
    expect(snaps.Snapshots![0]).toMatchObject({
      SnapshotId: snapshotId,
      State: 'completed',
      Progress: '100%',
      VolumeId: 'vol-ffffffff',
      OwnerId: emulator.accountId,
      Description: `Created by AWS-VMImport service for ${id}`,
      Encrypted: false,
    })
    // the snapshot's size in GiB holds the disk image
    expect(snaps.Snapshots![0]!.VolumeSize! * 1024 ** 3).toBeGreaterThanOrEqual(done.SnapshotTaskDetail!.DiskImageSize!)
  })

  it('a source containing the failure marker ends deleting → deleted with a message, and makes no snapshot', async () => {
    const emulator = await start({ snapshotFailureMessage: 'ClientError: Footers not identical' })
    const started = await ok(emulator, ImportSnapshot, { DiskContainer: { Format: 'VHD', Url: 'https://example.com/fail.vhd' } })
    emulator.clock.advance(IMPORT_MS)
    const deleting = (await ok(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: [started.ImportTaskId] })).ImportSnapshotTasks![0]!
    expect(deleting.SnapshotTaskDetail).toMatchObject({ Status: 'deleting', StatusMessage: 'ClientError: Footers not identical' })
    emulator.clock.advance(P.deleting)
    const deleted = (await ok(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: [started.ImportTaskId] })).ImportSnapshotTasks![0]!
    expect(deleted.SnapshotTaskDetail).toMatchObject({ Status: 'deleted', StatusMessage: 'ClientError: Footers not identical' })
    expect(deleted.SnapshotTaskDetail).not.toHaveProperty('SnapshotId')
    expect((await ok(emulator, DescribeSnapshots, {})).Snapshots).toStrictEqual([])
  })

  it('a repeated ClientToken answers the same task; the same token with other parameters is refused', async () => {
    const emulator = await start()
    const a = await ok(emulator, ImportSnapshot, { DiskContainer: DISK, ClientToken: 'tok-1' })
    const b = await ok(emulator, ImportSnapshot, { DiskContainer: DISK, ClientToken: 'tok-1' })
    expect(b.ImportTaskId).toBe(a.ImportTaskId)
    const c = await err(emulator, ImportSnapshot, { DiskContainer: DISK, ClientToken: 'tok-1', Description: 'other' })
    expect(c).toMatchObject({ status: 400, code: 'IdempotentParameterMismatch' })
    expect(emulator.snapshotTasks()).toHaveLength(1)
  })

  it('refuses an unknown task id, filters by task-state and tags, and pages', async () => {
    const emulator = await start()
    const unknown = await err(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: ['import-snap-0123456789abcdef0'] })
    expect(unknown).toMatchObject({ status: 400, code: 'InvalidConversionTaskId.Malformed' })
    const malformed = await err(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: ['import-ami-0123456789abcdef0'] })
    expect(malformed.message).toContain('expecting "import-snap-...')

    const first = await ok(emulator, ImportSnapshot, {
      DiskContainer: DISK,
      TagSpecifications: [{ ResourceType: 'import-snapshot-task', Tags: [{ Key: 'team', Value: 'os' }] }],
    })
    emulator.clock.advance(IMPORT_MS)
    const second = await ok(emulator, ImportSnapshot, { DiskContainer: DISK })
    const ids = async (filters: Array<{ Name: string; Values: Array<string> }>) =>
      ((await ok(emulator, DescribeImportSnapshotTasks, { Filters: filters })).ImportSnapshotTasks ?? []).map((t) => t.ImportTaskId)
    expect(await ids([{ Name: 'task-state', Values: ['completed'] }])).toStrictEqual([first.ImportTaskId])
    expect(await ids([{ Name: 'task-state', Values: ['act*'] }])).toStrictEqual([second.ImportTaskId])
    expect(await ids([{ Name: 'tag:team', Values: ['os'] }])).toStrictEqual([first.ImportTaskId])
    expect(await ids([{ Name: 'tag-key', Values: ['nope'] }])).toStrictEqual([])
    const badFilter = await err(emulator, DescribeImportSnapshotTasks, { Filters: [{ Name: 'color', Values: ['x'] }] })
    expect(badFilter).toMatchObject({ code: 'InvalidParameterValue' })

    const page1 = await ok(emulator, DescribeImportSnapshotTasks, { MaxResults: 1 })
    expect(page1.ImportSnapshotTasks?.map((t) => t.ImportTaskId)).toStrictEqual([first.ImportTaskId])
    const page2 = await ok(emulator, DescribeImportSnapshotTasks, { MaxResults: 1, NextToken: page1.NextToken! })
    expect(page2.ImportSnapshotTasks?.map((t) => t.ImportTaskId)).toStrictEqual([second.ImportTaskId])
    expect(page2.NextToken).toBeUndefined()
  })

  it('refuses a request that breaks the declared rules before a task exists', async () => {
    const emulator = await start()
    const raw = await sendForm(
      emulator,
      'Action=ImportSnapshot&Version=2016-11-15&DiskContainer.Format=VMDK&DiskContainer.Url=https%3A%2F%2Fa%2Fb&DiskContainer.UserBucket.S3Bucket=b',
    )
    expect(raw.status).toBe(400)
    expect(raw.body).toMatch(/<Code>Invalid/)
    expect(emulator.snapshotTasks()).toHaveLength(0)
  })
})

// -------------------------------------------------------------------------------------------------
// images
// -------------------------------------------------------------------------------------------------

describe('RegisterImage and DescribeImages', () => {
  it('registers an arm64 UEFI image with IMDSv2 and gp3 from an imported snapshot: pending, then available', async () => {
    const emulator = await start()
    const snapshotId = await importedSnapshot(emulator)
    const { ImageId } = await ok(
      emulator,
      RegisterImage,
      registration('web (2026.1) [arm64]', snapshotId, {
        Description: 'web server',
        TpmSupport: 'v2.0',
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'Name', Value: 'web' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'Name', Value: 'web-root' }] },
        ],
      }),
    )
    expect(ImageId).toMatch(/^ami-[0-9a-f]{17}$/)
    const pending = (await ok(emulator, DescribeImages, { ImageIds: [ImageId!] })).Images![0]!
    expect(pending).toMatchObject({
      ImageId,
      Name: 'web (2026.1) [arm64]',
      Description: 'web server',
      State: 'pending',
      Architecture: 'arm64',
      BootMode: 'uefi',
      ImdsSupport: 'v2.0',
      TpmSupport: 'v2.0',
      EnaSupport: true,
      RootDeviceName: '/dev/xvda',
      RootDeviceType: 'ebs',
      VirtualizationType: 'hvm',
      OwnerId: emulator.accountId,
      Public: false,
      Tags: [{ Key: 'Name', Value: 'web' }],
    })
    const size = emulator.snapshots()[0]!.VolumeSize
    expect(pending.BlockDeviceMappings).toStrictEqual([
      {
        DeviceName: '/dev/xvda',
        Ebs: { DeleteOnTermination: true, SnapshotId: snapshotId, VolumeSize: size, VolumeType: 'gp3', Throughput: 250, Encrypted: false },
      },
    ])
    expect(emulator.snapshots()[0]!.Tags).toStrictEqual([{ Key: 'Name', Value: 'web-root' }])

    emulator.clock.advance(IMAGE_MS - 1)
    expect((await ok(emulator, DescribeImages, { ImageIds: [ImageId!] })).Images![0]!.State).toBe('pending')
    emulator.clock.advance(1)
    const available = (await ok(emulator, DescribeImages, { ImageIds: [ImageId!] })).Images![0]!
    expect(available.State).toBe('available')
    expect(available).not.toHaveProperty('StateReason')
  })

  it('checks the snapshot (exists, completed, big enough) and that the name is unique in the region', async () => {
    const emulator = await start({ regions: ['us-east-1', 'eu-west-1'] })
    const missing = await err(emulator, RegisterImage, registration('one', 'snap-0123456789abcdef0'))
    expect(missing).toMatchObject({ status: 400, code: 'InvalidSnapshot.NotFound' })

    // a snapshot whose import is still running does not exist yet
    const running = await ok(emulator, ImportSnapshot, { DiskContainer: DISK })
    const future = `snap-${'0'.repeat(17)}`
    expect((await err(emulator, RegisterImage, registration('one', future))).code).toBe('InvalidSnapshot.NotFound')
    expect(running.SnapshotTaskDetail?.SnapshotId).toBeUndefined()

    const snapshotId = await importedSnapshot(emulator)
    const small = await err(
      emulator,
      RegisterImage,
      registration('one', snapshotId, {
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeSize: 0 } }],
      }),
    )
    expect(small).toMatchObject({ code: 'InvalidBlockDeviceMapping' })
    expect(small.message).toContain('is smaller than snapshot')

    const first = await ok(emulator, RegisterImage, registration('one', snapshotId))
    const dup = await err(emulator, RegisterImage, registration('one', snapshotId))
    expect(dup).toMatchObject({ status: 400, code: 'InvalidAMIName.Duplicate', message: `AMI name one is already in use by AMI ${first.ImageId}` })

    // per region: the same name in another region is free (with a snapshot of that region)
    const other = await importedSnapshot(emulator, 'eu-west-1')
    await ok(emulator, RegisterImage, registration('one', other), 'eu-west-1')
    // and a snapshot of one region does not exist in another
    expect((await err(emulator, RegisterImage, registration('two', snapshotId), 'eu-west-1')).code).toBe('InvalidSnapshot.NotFound')

    // a snapshot still being copied is not completed
    emulator.clock.advance(IMAGE_MS)
    const copy = await ok(emulator, CopyImage, { Name: 'copy', SourceImageId: first.ImageId!, SourceRegion: 'us-east-1' }, 'eu-west-1')
    const copied = (await ok(emulator, DescribeImages, { ImageIds: [copy.ImageId!] }, 'eu-west-1')).Images![0]!
    const copiedSnap = copied.BlockDeviceMappings![0]!.Ebs!.SnapshotId!
    const incomplete = await err(emulator, RegisterImage, registration('three', copiedSnap), 'eu-west-1')
    expect(incomplete).toMatchObject({ code: 'IncorrectState' })
  })

  it('refuses a root device without a snapshot, and honours DryRun', async () => {
    const emulator = await start()
    const snapshotId = await importedSnapshot(emulator)
    const noRoot = await err(
      emulator,
      RegisterImage,
      registration('x-image', snapshotId, { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', VirtualName: 'ephemeral0' }] }),
    )
    expect(noRoot).toMatchObject({ code: 'InvalidBlockDeviceMapping' })
    const dry = await err(emulator, RegisterImage, registration('x-image', snapshotId, { DryRun: true }))
    expect(dry).toMatchObject({ status: 412, code: 'DryRunOperation' })
    expect(emulator.images()).toHaveLength(0)
  })

  it('filters by name, image-id, state, tag:<key>, tag-key and Owners; an unknown ImageIds entry fails the call', async () => {
    const emulator = await start()
    const a = await availableImage(emulator, 'web-2026.1')
    const snapshotId = await importedSnapshot(emulator)
    const b = await ok(
      emulator,
      RegisterImage,
      registration('db-2026.1', snapshotId, { TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'role', Value: 'db' }] }] }),
    )
    const names = async (input: Parameters<typeof DescribeImages.input.encode>[0]) =>
      ((await ok(emulator, DescribeImages, input)).Images ?? []).map((i) => i.Name)
    expect(await names({})).toStrictEqual(['web-2026.1', 'db-2026.1'])
    expect(await names({ Filters: [{ Name: 'name', Values: ['web-*'] }] })).toStrictEqual(['web-2026.1'])
    expect(await names({ Filters: [{ Name: 'image-id', Values: [b.ImageId!] }] })).toStrictEqual(['db-2026.1'])
    expect(await names({ Filters: [{ Name: 'state', Values: ['pending'] }] })).toStrictEqual(['db-2026.1'])
    expect(await names({ Filters: [{ Name: 'state', Values: ['available'] }] })).toStrictEqual(['web-2026.1'])
    expect(await names({ Filters: [{ Name: 'tag:role', Values: ['db'] }] })).toStrictEqual(['db-2026.1'])
    expect(await names({ Filters: [{ Name: 'tag:role', Values: ['web'] }] })).toStrictEqual([])
    expect(await names({ Filters: [{ Name: 'tag-key', Values: ['ro?e'] }] })).toStrictEqual(['db-2026.1'])
    // filters are ANDed
    expect(await names({ Filters: [{ Name: 'tag-key', Values: ['role'] }, { Name: 'state', Values: ['available'] }] })).toStrictEqual([])
    expect(await names({ Owners: ['self'] })).toStrictEqual(['web-2026.1', 'db-2026.1'])
    expect(await names({ Owners: [emulator.accountId] })).toHaveLength(2)
    expect(await names({ Owners: ['amazon'] })).toStrictEqual([])

    const unknown = await err(emulator, DescribeImages, { ImageIds: [a.imageId, 'ami-0123456789abcdef0'] })
    expect(unknown).toMatchObject({ status: 400, code: 'InvalidAMIID.NotFound', message: "The image id '[ami-0123456789abcdef0]' does not exist" })
    expect((await err(emulator, DescribeImages, { ImageIds: ['web'] })).code).toBe('InvalidAMIID.Malformed')
    expect((await err(emulator, DescribeImages, { Filters: [{ Name: 'colour', Values: ['x'] }] })).code).toBe('InvalidParameterValue')
    expect((await err(emulator, DescribeImages, { Owners: ['nobody'] })).code).toBe('InvalidUserID.Malformed')
  })

  it('pages DescribeImages with MaxResults and NextToken', async () => {
    const emulator = await start()
    const snapshotId = await importedSnapshot(emulator)
    const ids: Array<string> = []
    for (let i = 0; i < 7; i++) ids.push((await ok(emulator, RegisterImage, registration(`image-${i}`, snapshotId))).ImageId!)
    const page1 = await ok(emulator, DescribeImages, { MaxResults: 5 })
    expect(page1.Images?.map((i) => i.ImageId)).toStrictEqual(ids.slice(0, 5))
    const page2 = await ok(emulator, DescribeImages, { MaxResults: 5, NextToken: page1.NextToken! })
    expect(page2.Images?.map((i) => i.ImageId)).toStrictEqual(ids.slice(5))
    expect(page2.NextToken).toBeUndefined()
    expect((await err(emulator, DescribeImages, { MaxResults: 5, NextToken: 'garbage' })).code).toBe('InvalidPaginationToken')
    expect((await err(emulator, DescribeImages, { MaxResults: 5, ImageIds: [ids[0]!] })).code).toBe('InvalidParameterCombination')
  })
})

// -------------------------------------------------------------------------------------------------
// deregistering and deleting
// -------------------------------------------------------------------------------------------------

describe('DeregisterImage and DeleteSnapshot', () => {
  it('a snapshot in use cannot be deleted; DeregisterImage without the flag keeps it, then it can be', async () => {
    const emulator = await start()
    const { imageId, snapshotId } = await availableImage(emulator, 'keep')
    const inUse = await err(emulator, DeleteSnapshot, { SnapshotId: snapshotId })
    expect(inUse).toMatchObject({ code: 'InvalidSnapshot.InUse', message: `The snapshot ${snapshotId} is currently in use by ${imageId}` })
    const out = await ok(emulator, DeregisterImage, { ImageId: imageId })
    expect(out).toStrictEqual({ Return: true })
    expect((await err(emulator, DescribeImages, { ImageIds: [imageId] })).code).toBe('InvalidAMIID.NotFound')
    expect(emulator.snapshots().map((s) => s.SnapshotId)).toStrictEqual([snapshotId])
    await ok(emulator, DeleteSnapshot, { SnapshotId: snapshotId })
    expect(emulator.snapshots()).toStrictEqual([])
    expect((await err(emulator, DeleteSnapshot, { SnapshotId: snapshotId })).code).toBe('InvalidSnapshot.NotFound')
    expect((await err(emulator, DeregisterImage, { ImageId: imageId })).code).toBe('InvalidAMIID.NotFound')
  })

  it('DeleteAssociatedSnapshots deletes the snapshots no other image uses, and says so for each', async () => {
    const emulator = await start()
    const { imageId, snapshotId } = await availableImage(emulator, 'first')
    const second = await ok(emulator, RegisterImage, registration('second', snapshotId))
    const kept = await ok(emulator, DeregisterImage, { ImageId: imageId, DeleteAssociatedSnapshots: true })
    expect(kept).toStrictEqual({ Return: true, DeleteSnapshotResults: [{ SnapshotId: snapshotId, ReturnCode: 'skipped' }] })
    expect(emulator.snapshots()).toHaveLength(1)
    const deleted = await ok(emulator, DeregisterImage, { ImageId: second.ImageId!, DeleteAssociatedSnapshots: true })
    expect(deleted).toStrictEqual({ Return: true, DeleteSnapshotResults: [{ SnapshotId: snapshotId, ReturnCode: 'success' }] })
    expect(emulator.snapshots()).toStrictEqual([])
  })
})

// -------------------------------------------------------------------------------------------------
// tags
// -------------------------------------------------------------------------------------------------

describe('CreateTags', () => {
  it('tags images, snapshots and both kinds of import task; a key already there gets the new value', async () => {
    const emulator = await start()
    const { imageId, snapshotId } = await availableImage(emulator, 'tagged')
    const snapTask = emulator.snapshotTasks()[0]!.ImportTaskId
    const amiTask = (await ok(emulator, ImportImage, { DiskContainers: [DISK] })).ImportTaskId!
    await ok(emulator, CreateTags, { Resources: [imageId, snapshotId, snapTask, amiTask], Tags: [{ Key: 'env', Value: 'dev' }] })
    await ok(emulator, CreateTags, { Resources: [imageId], Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'os' }] })
    expect(emulator.images()[0]!.Tags).toStrictEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'os' },
    ])
    expect(emulator.snapshots()[0]!.Tags).toStrictEqual([{ Key: 'env', Value: 'dev' }])
    expect(emulator.snapshotTasks()[0]!.Tags).toStrictEqual([{ Key: 'env', Value: 'dev' }])
    const described = await ok(emulator, DescribeImportImageTasks, { Filters: [{ Name: 'tag:env', Values: ['dev'] }] })
    expect(described.ImportImageTasks?.map((t) => t.ImportTaskId)).toStrictEqual([amiTask])
    const bySnapshotTag = await ok(emulator, DescribeSnapshots, { Filters: [{ Name: 'tag:env', Values: ['dev'] }] })
    expect(bySnapshotTag.Snapshots?.map((s) => s.SnapshotId)).toStrictEqual([snapshotId])
  })

  it('tags all the resources or none: an unknown or foreign id fails the whole call', async () => {
    const emulator = await start()
    const { imageId } = await availableImage(emulator, 'atomic')
    const missing = await err(emulator, CreateTags, { Resources: [imageId, 'ami-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] })
    expect(missing).toMatchObject({ code: 'InvalidAMIID.NotFound' })
    const foreign = await err(emulator, CreateTags, { Resources: [imageId, 'vpc-12345678'], Tags: [{ Key: 'k', Value: 'v' }] })
    expect(foreign).toMatchObject({ code: 'InvalidID', message: "The ID 'vpc-12345678' is not valid" })
    expect(emulator.images()[0]!.Tags).toStrictEqual([])
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }))
    await ok(emulator, CreateTags, { Resources: [imageId], Tags: many })
    expect((await err(emulator, CreateTags, { Resources: [imageId], Tags: [{ Key: 'one-more', Value: 'v' }] })).code).toBe('TagLimitExceeded')
    await ok(emulator, CreateTags, { Resources: [imageId], Tags: [{ Key: 'k0', Value: 'replaced' }] })
  })
})

// -------------------------------------------------------------------------------------------------
// permissions
// -------------------------------------------------------------------------------------------------

describe('launch and create-volume permissions', () => {
  it('ModifyImageAttribute adds and removes launch permissions; DescribeImageAttribute and DescribeImages show them', async () => {
    const emulator = await start()
    const { imageId } = await availableImage(emulator, 'shared')
    await ok(emulator, ModifyImageAttribute, {
      ImageId: imageId,
      LaunchPermission: { Add: [{ UserId: '111122223333' }, { Group: 'all' }] },
    })
    const perms = await ok(emulator, DescribeImageAttribute, { ImageId: imageId, Attribute: 'launchPermission' })
    expect(perms).toStrictEqual({ ImageId: imageId, LaunchPermissions: [{ UserId: '111122223333' }, { Group: 'all' }] })
    expect(emulator.images()[0]!.Public).toBe(true)
    expect((await ok(emulator, DescribeImages, { ExecutableUsers: ['all'] })).Images).toHaveLength(1)

    await ok(emulator, ModifyImageAttribute, { ImageId: imageId, Attribute: 'launchPermission', OperationType: 'remove', UserGroups: ['all'] })
    await ok(emulator, ModifyImageAttribute, { ImageId: imageId, Attribute: 'launchPermission', OperationType: 'add', UserIds: ['444455556666'] })
    const after = await ok(emulator, DescribeImageAttribute, { ImageId: imageId, Attribute: 'launchPermission' })
    expect(after.LaunchPermissions).toStrictEqual([{ UserId: '111122223333' }, { UserId: '444455556666' }])
    expect(emulator.images()[0]!.Public).toBe(false)
    expect((await ok(emulator, DescribeImages, { ExecutableUsers: ['all'] })).Images).toStrictEqual([])
    expect((await ok(emulator, DescribeImages, { ExecutableUsers: ['444455556666'] })).Images).toHaveLength(1)
    expect((await ok(emulator, DescribeImages, { ExecutableUsers: ['999999999999'] })).Images).toStrictEqual([])
  })

  it('describes and modifies the description and IMDSv2; refuses what it cannot do', async () => {
    const emulator = await start()
    const { imageId } = await availableImage(emulator, 'attrs')
    expect(await ok(emulator, DescribeImageAttribute, { ImageId: imageId, Attribute: 'bootMode' })).toStrictEqual({
      ImageId: imageId,
      BootMode: { Value: 'uefi' },
    })
    expect(await ok(emulator, DescribeImageAttribute, { ImageId: imageId, Attribute: 'description' })).toStrictEqual({
      ImageId: imageId,
      Description: {},
    })
    await ok(emulator, ModifyImageAttribute, { ImageId: imageId, Description: { Value: 'now described' } })
    expect((await ok(emulator, DescribeImageAttribute, { ImageId: imageId, Attribute: 'description' })).Description).toStrictEqual({
      Value: 'now described',
    })
    const bdm = await ok(emulator, DescribeImageAttribute, { ImageId: imageId, Attribute: 'blockDeviceMapping' })
    expect(bdm.BlockDeviceMappings?.[0]?.Ebs?.VolumeType).toBe('gp3')

    expect((await err(emulator, ModifyImageAttribute, { ImageId: imageId })).code).toBe('InvalidParameterCombination')
    expect((await err(emulator, ModifyImageAttribute, { ImageId: imageId, UserIds: ['111122223333'] })).code).toBe('MissingParameter')
    expect((await err(emulator, ModifyImageAttribute, { ImageId: 'ami-0123456789abcdef0', Description: { Value: 'x' } })).code).toBe(
      'InvalidAMIID.NotFound',
    )
    expect((await err(emulator, DescribeImageAttribute, { ImageId: 'ami-0123456789abcdef0', Attribute: 'description' })).code).toBe(
      'InvalidAMIID.NotFound',
    )
  })

  it('ModifySnapshotAttribute grants create-volume permission; DescribeSnapshots RestorableBy shows it', async () => {
    const emulator = await start()
    const snapshotId = await importedSnapshot(emulator)
    const restorable = async (by: string) =>
      ((await ok(emulator, DescribeSnapshots, { RestorableByUserIds: [by] })).Snapshots ?? []).map((s) => s.SnapshotId)
    expect(await restorable('111122223333')).toStrictEqual([])
    expect(await restorable('self')).toStrictEqual([snapshotId])
    await ok(emulator, ModifySnapshotAttribute, { SnapshotId: snapshotId, CreateVolumePermission: { Add: [{ UserId: '111122223333' }] } })
    expect(await restorable('111122223333')).toStrictEqual([snapshotId])
    expect(await restorable('all')).toStrictEqual([])
    await ok(emulator, ModifySnapshotAttribute, {
      SnapshotId: snapshotId,
      Attribute: 'createVolumePermission',
      OperationType: 'add',
      GroupNames: ['all'],
    })
    expect(await restorable('all')).toStrictEqual([snapshotId])
    await ok(emulator, ModifySnapshotAttribute, {
      SnapshotId: snapshotId,
      CreateVolumePermission: { Remove: [{ UserId: '111122223333' }, { Group: 'all' }] },
    })
    expect(await restorable('111122223333')).toStrictEqual([])
    expect((await err(emulator, ModifySnapshotAttribute, { SnapshotId: snapshotId, Attribute: 'productCodes' })).code).toBe(
      'InvalidParameterValue',
    )
    expect(
      (await err(emulator, ModifySnapshotAttribute, { SnapshotId: 'snap-0123456789abcdef0', CreateVolumePermission: { Add: [{ Group: 'all' }] } }))
        .code,
    ).toBe('InvalidSnapshot.NotFound')
  })

  it('an action left out of permissions answers 403 UnauthorizedOperation', async () => {
    const emulator = await start({ permissions: ['ImportSnapshot', 'DescribeImportSnapshotTasks'] })
    const denied = await err(emulator, RegisterImage, registration('denied', 'snap-0123456789abcdef0'))
    expect(denied).toMatchObject({ status: 403, code: 'UnauthorizedOperation' })
    await ok(emulator, ImportSnapshot, { DiskContainer: DISK })
  })
})

// -------------------------------------------------------------------------------------------------
// regions and CopyImage
// -------------------------------------------------------------------------------------------------

describe('many regions on one endpoint', () => {
  it('keeps each region apart, by the region of the credential scope', async () => {
    const emulator = await start({ regions: ['us-east-1', 'eu-west-1'] })
    expect(emulator.region).toBe('us-east-1')
    const east = await ok(emulator, ImportSnapshot, { DiskContainer: DISK })
    const west = await ok(emulator, ImportSnapshot, { DiskContainer: DISK }, 'eu-west-1')
    expect(emulator.snapshotTasks().map((t) => t.ImportTaskId)).toStrictEqual([east.ImportTaskId])
    expect(emulator.snapshotTasks('eu-west-1').map((t) => t.ImportTaskId)).toStrictEqual([west.ImportTaskId])
    expect((await err(emulator, DescribeImportSnapshotTasks, { ImportTaskIds: [east.ImportTaskId] }, 'eu-west-1')).code).toBe(
      'InvalidConversionTaskId.Malformed',
    )
    // ImportImage tasks are per region too
    await ok(emulator, ImportImage, { DiskContainers: [DISK] }, 'eu-west-1')
    expect(emulator.tasks()).toHaveLength(0)
    expect(emulator.tasks('eu-west-1')).toHaveLength(1)

    const refused = await call(emulator, DescribeImages, {}, 'ap-south-1')
    expect(refused).toMatchObject({ _tag: 'Left', status: 403, code: 'SignatureDoesNotMatch' })
  })

  it("regions: 'any' serves every region name and still refuses what is not one", async () => {
    const emulator = await start({ regions: 'any' })
    await ok(emulator, DescribeImages, {}, 'ap-southeast-5')
    await ok(emulator, DescribeImages, {}, 'us-gov-west-1')
    expect(await call(emulator, DescribeImages, {}, 'not_a_region')).toMatchObject({ code: 'SignatureDoesNotMatch' })
  })

  it('refuses settings that cannot work', async () => {
    await expect(startEmulator({ regions: [] })).rejects.toThrow(/regions/)
    await expect(startEmulator({ regions: ['Mars'] })).rejects.toThrow(/region name/)
    await expect(startEmulator({ region: 'us-west-2', regions: ['us-east-1'] })).rejects.toThrow(/not one of regions/)
    await expect(startEmulator({ accountId: '12' })).rejects.toThrow(/accountId/)
    await expect(startEmulator({ imagePendingMs: -1 })).rejects.toThrow(/imagePendingMs/)
    await expect(startEmulator({ eventualConsistencyMs: Number.NaN })).rejects.toThrow(/eventualConsistencyMs/)
  })
})

describe('CopyImage', () => {
  it('copies an available image from SourceRegion: new image and snapshot ids, pending → available, CopyImageTags', async () => {
    const emulator = await start({ regions: ['us-east-1', 'eu-west-1'] })
    const { imageId, snapshotId } = await availableImage(emulator, 'golden')
    await ok(emulator, CreateTags, { Resources: [imageId], Tags: [{ Key: 'os', Value: 'linux' }, { Key: 'env', Value: 'dev' }] })
    const copy = await ok(
      emulator,
      CopyImage,
      {
        Name: 'golden',
        SourceImageId: imageId,
        SourceRegion: 'us-east-1',
        CopyImageTags: true,
        ClientToken: 'copy-1',
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'env', Value: 'prod' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'copied', Value: 'yes' }] },
        ],
      },
      'eu-west-1',
    )
    expect(copy.ImageId).toMatch(/^ami-[0-9a-f]{17}$/)
    expect(copy.ImageId).not.toBe(imageId)
    // the copy exists in the destination only
    expect((await err(emulator, DescribeImages, { ImageIds: [copy.ImageId!] })).code).toBe('InvalidAMIID.NotFound')
    const pending = (await ok(emulator, DescribeImages, { ImageIds: [copy.ImageId!] }, 'eu-west-1')).Images![0]!
    expect(pending).toMatchObject({
      Name: 'golden',
      State: 'pending',
      Architecture: 'arm64',
      BootMode: 'uefi',
      ImdsSupport: 'v2.0',
      SourceImageId: imageId,
      SourceImageRegion: 'us-east-1',
      Tags: [
        { Key: 'os', Value: 'linux' },
        { Key: 'env', Value: 'prod' },
      ],
    })
    const newSnap = pending.BlockDeviceMappings![0]!.Ebs!.SnapshotId!
    expect(newSnap).toMatch(/^snap-[0-9a-f]{17}$/)
    expect(newSnap).not.toBe(snapshotId)
    expect(emulator.snapshots('eu-west-1')).toMatchObject([{ SnapshotId: newSnap, State: 'pending', Tags: [{ Key: 'copied', Value: 'yes' }] }])
    expect(emulator.snapshots('eu-west-1')[0]!.Description).toContain(`from SourceAmi ${imageId} for SourceSnapshot ${snapshotId}`)

    // the same token answers the same copy, whatever the clock
    const again = await ok(
      emulator,
      CopyImage,
      {
        Name: 'golden',
        SourceImageId: imageId,
        SourceRegion: 'us-east-1',
        CopyImageTags: true,
        ClientToken: 'copy-1',
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'env', Value: 'prod' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'copied', Value: 'yes' }] },
        ],
      },
      'eu-west-1',
    )
    expect(again.ImageId).toBe(copy.ImageId)

    emulator.clock.advance(IMAGE_MS)
    expect(emulator.images('eu-west-1')[0]!.State).toBe('available')
    expect(emulator.snapshots('eu-west-1')[0]!).toMatchObject({ State: 'completed', Progress: '100%' })
    expect(emulator.images('us-east-1')).toHaveLength(1)
  })

  it('without CopyImageTags the copy has no tags; the name must be free in the destination', async () => {
    const emulator = await start({ regions: ['us-east-1', 'eu-west-1'] })
    const { imageId } = await availableImage(emulator, 'plain')
    await ok(emulator, CreateTags, { Resources: [imageId], Tags: [{ Key: 'os', Value: 'linux' }] })
    const copy = await ok(emulator, CopyImage, { Name: 'plain', SourceImageId: imageId, SourceRegion: 'us-east-1' }, 'eu-west-1')
    expect(emulator.images('eu-west-1')[0]!.Tags).toStrictEqual([])
    const dup = await err(emulator, CopyImage, { Name: 'plain', SourceImageId: imageId, SourceRegion: 'us-east-1' }, 'eu-west-1')
    expect(dup).toMatchObject({ code: 'InvalidAMIName.Duplicate', message: `AMI name plain is already in use by AMI ${copy.ImageId}` })
    // copying within one region works too
    await ok(emulator, CopyImage, { Name: 'plain-copy', SourceImageId: imageId, SourceRegion: 'us-east-1' })
  })

  it('refuses a pending, unknown or foreign-region source, and a region the endpoint does not serve', async () => {
    const emulator = await start({ regions: ['us-east-1', 'eu-west-1'] })
    const snapshotId = await importedSnapshot(emulator)
    const pending = await ok(emulator, RegisterImage, registration('young', snapshotId))
    const notYet = await err(emulator, CopyImage, { Name: 'copy-c', SourceImageId: pending.ImageId!, SourceRegion: 'us-east-1' }, 'eu-west-1')
    expect(notYet).toMatchObject({ code: 'IncorrectState' })
    const unknown = await err(emulator, CopyImage, { Name: 'copy-c', SourceImageId: 'ami-0123456789abcdef0', SourceRegion: 'us-east-1' }, 'eu-west-1')
    expect(unknown).toMatchObject({ code: 'InvalidAMIID.NotFound' })
    emulator.clock.advance(IMAGE_MS)
    // the image is in us-east-1, not in eu-west-1
    const wrongRegion = await err(emulator, CopyImage, { Name: 'copy-c', SourceImageId: pending.ImageId!, SourceRegion: 'eu-west-1' }, 'eu-west-1')
    expect(wrongRegion).toMatchObject({ code: 'InvalidAMIID.NotFound' })
    const unserved = await err(emulator, CopyImage, { Name: 'copy-c', SourceImageId: pending.ImageId!, SourceRegion: 'ap-south-1' }, 'eu-west-1')
    expect(unserved).toMatchObject({ code: 'InvalidParameterValue' })
    expect(emulator.images('eu-west-1')).toStrictEqual([])
  })
})

describe('the AMI of an ImportImage task', () => {
  it('appears with its snapshots once the task completes, and can be copied and deregistered like any other', async () => {
    const emulator = await start({ regions: ['us-east-1', 'eu-west-1'] })
    const task = await ok(emulator, ImportImage, { DiskContainers: [DISK], BootMode: 'uefi', Platform: 'Windows', Description: 'win' })
    expect(emulator.images()).toStrictEqual([])
    emulator.clock.advance(P.pending + P.converting + P.updating + P.booting + P.preparingAmi)
    const done = (await ok(emulator, DescribeImportImageTasks, { ImportTaskIds: [task.ImportTaskId!] })).ImportImageTasks![0]!
    expect(done.Status).toBe('completed')
    const image = (await ok(emulator, DescribeImages, { ImageIds: [done.ImageId!] })).Images![0]!
    expect(image).toMatchObject({
      ImageId: done.ImageId,
      Name: task.ImportTaskId,
      Description: 'win',
      State: 'available',
      BootMode: 'uefi',
      Platform: 'Windows',
      PlatformDetails: 'Windows',
      BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: done.SnapshotDetails![0]!.SnapshotId } }],
    })
    const snaps = await ok(emulator, DescribeSnapshots, { SnapshotIds: [done.SnapshotDetails![0]!.SnapshotId!] })
    expect(snaps.Snapshots![0]!.Description).toBe(`Created by AWS-VMImport service for ${task.ImportTaskId}`)
    const copy = await ok(emulator, CopyImage, { Name: 'win-copy', SourceImageId: done.ImageId!, SourceRegion: 'us-east-1' }, 'eu-west-1')
    expect(copy.ImageId).toMatch(/^ami-/)
    await ok(emulator, DeregisterImage, { ImageId: done.ImageId!, DeleteAssociatedSnapshots: true })
    expect(emulator.images()).toStrictEqual([])
    expect(emulator.snapshots()).toStrictEqual([])
  })
})

// -------------------------------------------------------------------------------------------------
// eventual consistency
// -------------------------------------------------------------------------------------------------

describe('eventual consistency', () => {
  it('a new image answers InvalidAMIID.NotFound and is left out of listings for eventualConsistencyMs', async () => {
    const emulator = await start({ eventualConsistencyMs: 5_000 })
    const snapshotId = await importedSnapshot(emulator)
    const { ImageId } = await ok(emulator, RegisterImage, registration('fresh', snapshotId))
    expect((await err(emulator, DescribeImages, { ImageIds: [ImageId!] })).code).toBe('InvalidAMIID.NotFound')
    expect((await ok(emulator, DescribeImages, { Filters: [{ Name: 'image-id', Values: [ImageId!] }] })).Images).toStrictEqual([])
    expect((await err(emulator, CreateTags, { Resources: [ImageId!], Tags: [{ Key: 'k', Value: 'v' }] })).code).toBe('InvalidAMIID.NotFound')
    // the name is taken at once, though
    expect((await err(emulator, RegisterImage, registration('fresh', snapshotId))).code).toBe('InvalidAMIName.Duplicate')
    emulator.clock.advance(4_999)
    expect((await err(emulator, DescribeImages, { ImageIds: [ImageId!] })).code).toBe('InvalidAMIID.NotFound')
    emulator.clock.advance(1)
    expect((await ok(emulator, DescribeImages, { ImageIds: [ImageId!] })).Images?.[0]?.ImageId).toBe(ImageId)
  })

  it('is off by default', async () => {
    const emulator = await start()
    const snapshotId = await importedSnapshot(emulator)
    const { ImageId } = await ok(emulator, RegisterImage, registration('at-once', snapshotId))
    expect((await ok(emulator, DescribeImages, { ImageIds: [ImageId!] })).Images).toHaveLength(1)
  })
})

// -------------------------------------------------------------------------------------------------
// robustness
// -------------------------------------------------------------------------------------------------

describe('robustness', () => {
  it('answers any signed form body for the snapshot path with a result or an EC2 error envelope, never a 500', async () => {
    const emulator = await start({ clock: { speed: 1000 }, regions: ['us-east-1', 'eu-west-1'] })
    const key = fc.oneof(
      fc.constantFrom(
        'DiskContainer.Format',
        'DiskContainer.Url',
        'DiskContainer.UserBucket.S3Key',
        'Name',
        'name',
        'ImageId',
        'ImageId.1',
        'SnapshotId',
        'SnapshotId.1',
        'SourceImageId',
        'SourceRegion',
        'BlockDeviceMapping.1.DeviceName',
        'BlockDeviceMapping.1.Ebs.SnapshotId',
        'BlockDeviceMapping.1.Ebs.VolumeSize',
        'rootDeviceName',
        'ResourceId.1',
        'Tag.1.Key',
        'Tag.1.Value',
        'Filter.1.Name',
        'Filter.1.Value.1',
        'Owner.1',
        'ExecutableBy.1',
        'RestorableBy.1',
        'LaunchPermission.Add.1.UserId',
        'LaunchPermission.Add.1.Group',
        'CreateVolumePermission.Remove.1.Group',
        'UserId.1',
        'UserGroup.1',
        'OperationType',
        'Attribute',
        'Value',
        'DeleteAssociatedSnapshots',
        'MaxResults',
        'NextToken',
        'CopyImageTags',
      ),
      fc.string({ maxLength: 12 }),
    )
    const value = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.constantFrom('true', 'VMDK', '5', 'all', 'self', 'add', 'launchPermission', 'us-east-1', 'ami-0123456789abcdef0', '/dev/xvda', '111122223333'),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          'ImportSnapshot',
          'DescribeImportSnapshotTasks',
          'RegisterImage',
          'DescribeImages',
          'DeregisterImage',
          'CreateTags',
          'CopyImage',
          'ModifyImageAttribute',
          'DescribeImageAttribute',
          'ModifySnapshotAttribute',
          'DeleteSnapshot',
          'DescribeSnapshots',
        ),
        fc.array(fc.tuple(key, value), { maxLength: 6 }),
        async (action, params) => {
          const body = [['Action', action], ['Version', '2016-11-15'], ...params]
            .map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`)
            .join('&')
          const raw = await sendForm(emulator, body)
          expect(raw.status).not.toBe(500)
          expect(raw.body).toMatch(
            raw.status === 200
              ? new RegExp(`^<\\?xml[^>]*\\?>\\n<${action}Response xmlns=`)
              : /^<\?xml[^>]*\?>\n<Response><Errors><Error><Code>[A-Za-z.]+<\/Code>/,
          )
        },
      ),
      { numRuns: 300 },
    )
  })
})
