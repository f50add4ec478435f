// The snapshot path driven by AWS's own client: if @aws-sdk/client-ec2 can serialize every call of it to the
// emulator and parse what comes back, the emulator speaks EC2 for the snapshot path, not only this package's dialect.
import {
  CopyImageCommand,
  CreateTagsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImageAttributeCommand,
  DescribeImagesCommand,
  DescribeImportSnapshotTasksCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ImportSnapshotCommand,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
  RegisterImageCommand,
  type ImportSnapshotTask,
} from '@aws-sdk/client-ec2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator } from '../../src/emulator.js'

let emulator: Emulator
const clients: Array<EC2Client> = []
const ec2 = (region: string): EC2Client => {
  const c = new EC2Client({ endpoint: emulator.endpoint, region, credentials: emulator.credentials, maxAttempts: 1 })
  clients.push(c)
  return c
}

beforeEach(async () => {
  // a sped-up clock: the SDK's calls see real (if fast) time pass, as against EC2
  emulator = await startEmulator({
    clock: { speed: 2000 },
    regions: ['us-east-1', 'eu-west-1'],
    imagePendingMs: 200_000,
  })
})

afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy()
  await emulator.close()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Poll until `done` holds, as a tool without a waiter does. */
const poll = async <A>(read: () => Promise<A>, done: (a: A) => boolean, seen: Array<A> = []): Promise<A> => {
  for (let i = 0; i < 200; i++) {
    const a = await read()
    seen.push(a)
    if (done(a)) return a
    await sleep(25)
  }
  throw new Error('timed out polling')
}

describe('@aws-sdk/client-ec2 runs the snapshot path against the emulator', () => {
  it('ImportSnapshot → poll → RegisterImage → DescribeImages → CreateTags → CopyImage → share → DescribeImageAttribute', async () => {
    const east = ec2('us-east-1')
    const west = ec2('eu-west-1')

    const started = await east.send(
      new ImportSnapshotCommand({
        Description: 'nightly',
        DiskContainer: { Format: 'vmdk', UserBucket: { S3Bucket: 'images', S3Key: 'nightly.vmdk' } },
        TagSpecifications: [{ ResourceType: 'import-snapshot-task', Tags: [{ Key: 'build', Value: '7' }] }],
      }),
    )
    expect(started.$metadata.httpStatusCode).toBe(200)
    expect(started).toMatchObject({ Description: 'nightly', SnapshotTaskDetail: { Status: 'active' }, Tags: [{ Key: 'build', Value: '7' }] })

    const states: Array<ImportSnapshotTask> = []
    const done = await poll(
      async () => (await east.send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [started.ImportTaskId!] }))).ImportSnapshotTasks![0]!,
      (t) => t.SnapshotTaskDetail?.Status !== 'active',
      states,
    )
    expect(done.SnapshotTaskDetail?.Status).toBe('completed')
    const snapshotId = done.SnapshotTaskDetail!.SnapshotId!
    expect(snapshotId).toMatch(/^snap-/)
    // every state seen on the way is one EC2 shows
    for (const t of states) expect(['active', 'completed']).toContain(t.SnapshotTaskDetail?.Status)

    const snap = (await east.send(new DescribeSnapshotsCommand({ SnapshotIds: [snapshotId] }))).Snapshots![0]!
    expect(snap).toMatchObject({ SnapshotId: snapshotId, State: 'completed', VolumeId: 'vol-ffffffff', OwnerId: emulator.accountId })
    expect(snap.StartTime).toBeInstanceOf(Date)

    const registered = await east.send(
      new RegisterImageCommand({
        Name: 'nightly-arm64',
        Architecture: 'arm64',
        BootMode: 'uefi',
        ImdsSupport: 'v2.0',
        EnaSupport: true,
        VirtualizationType: 'hvm',
        RootDeviceName: '/dev/xvda',
        BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeType: 'gp3', DeleteOnTermination: true } }],
        TagSpecifications: [
          { ResourceType: 'image', Tags: [{ Key: 'channel', Value: 'nightly' }] },
          { ResourceType: 'snapshot', Tags: [{ Key: 'channel', Value: 'nightly' }] },
        ],
      }),
    )
    const imageId = registered.ImageId!
    const available = await poll(
      async () => (await east.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!,
      (i) => i.State === 'available',
    )
    expect(available).toMatchObject({
      Name: 'nightly-arm64',
      Architecture: 'arm64',
      BootMode: 'uefi',
      ImdsSupport: 'v2.0',
      EnaSupport: true,
      RootDeviceType: 'ebs',
      Public: false,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeType: 'gp3' } }],
      Tags: [{ Key: 'channel', Value: 'nightly' }],
    })
    const byFilter = await east.send(
      new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:channel', Values: ['nightly'] }, { Name: 'name', Values: ['nightly-*'] }] }),
    )
    expect(byFilter.Images?.map((i) => i.ImageId)).toStrictEqual([imageId])

    await east.send(new CreateTagsCommand({ Resources: [imageId, snapshotId], Tags: [{ Key: 'release', Value: '2026.12' }] }))
    const tagged = (await east.send(new DescribeImagesCommand({ ImageIds: [imageId] }))).Images![0]!
    expect(tagged.Tags).toStrictEqual([
      { Key: 'channel', Value: 'nightly' },
      { Key: 'release', Value: '2026.12' },
    ])

    const copied = await west.send(
      new CopyImageCommand({ Name: 'nightly-arm64', SourceImageId: imageId, SourceRegion: 'us-east-1', CopyImageTags: true }),
    )
    expect(copied.ImageId).toMatch(/^ami-/)
    const copy = await poll(
      async () => (await west.send(new DescribeImagesCommand({ ImageIds: [copied.ImageId!] }))).Images![0]!,
      (i) => i.State === 'available',
    )
    expect(copy).toMatchObject({ SourceImageId: imageId, SourceImageRegion: 'us-east-1', Tags: tagged.Tags })
    expect(copy.BlockDeviceMappings![0]!.Ebs!.SnapshotId).not.toBe(snapshotId)

    await west.send(
      new ModifyImageAttributeCommand({ ImageId: copied.ImageId!, LaunchPermission: { Add: [{ UserId: '210987654321' }] } }),
    )
    const perms = await west.send(new DescribeImageAttributeCommand({ ImageId: copied.ImageId!, Attribute: 'launchPermission' }))
    expect(perms.ImageId).toBe(copied.ImageId)
    expect(perms.LaunchPermissions).toStrictEqual([{ UserId: '210987654321' }])

    const copySnap = copy.BlockDeviceMappings![0]!.Ebs!.SnapshotId!
    await west.send(
      new ModifySnapshotAttributeCommand({ SnapshotId: copySnap, CreateVolumePermission: { Add: [{ UserId: '210987654321' }] } }),
    )
    const restorable = await west.send(new DescribeSnapshotsCommand({ RestorableByUserIds: ['210987654321'] }))
    expect(restorable.Snapshots?.map((s) => s.SnapshotId)).toStrictEqual([copySnap])
  })

  it('maps the emulator errors to the SDK exceptions real EC2 gives, and cleans up', async () => {
    const east = ec2('us-east-1')
    await expect(east.send(new DescribeImagesCommand({ ImageIds: ['ami-0123456789abcdef0'] }))).rejects.toMatchObject({
      name: 'InvalidAMIID.NotFound',
      $metadata: { httpStatusCode: 400 },
    })
    await expect(
      east.send(
        new RegisterImageCommand({
          Name: 'nothing',
          RootDeviceName: '/dev/xvda',
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-0123456789abcdef0' } }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidSnapshot.NotFound' })
    await expect(east.send(new RegisterImageCommand({ Name: 'dry-run', DryRun: true }))).rejects.toMatchObject({
      name: 'DryRunOperation',
    })

    const started = await east.send(
      new ImportSnapshotCommand({ DiskContainer: { Format: 'RAW', Url: 'https://example.com/disk.raw' } }),
    )
    const done = await poll(
      async () => (await east.send(new DescribeImportSnapshotTasksCommand({ ImportTaskIds: [started.ImportTaskId!] }))).ImportSnapshotTasks![0]!,
      (t) => t.SnapshotTaskDetail?.Status === 'completed',
    )
    const snapshotId = done.SnapshotTaskDetail!.SnapshotId!
    const { ImageId } = await east.send(
      new RegisterImageCommand({
        Name: 'short-lived',
        RootDeviceName: '/dev/sda1',
        BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: snapshotId } }],
      }),
    )
    await expect(east.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }))).rejects.toMatchObject({ name: 'InvalidSnapshot.InUse' })
    const gone = await east.send(new DeregisterImageCommand({ ImageId: ImageId!, DeleteAssociatedSnapshots: true }))
    expect(gone.Return).toBe(true)
    expect(gone.DeleteSnapshotResults).toStrictEqual([{ SnapshotId: snapshotId, ReturnCode: 'success' }])
    expect((await east.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toStrictEqual([])
  })
})
