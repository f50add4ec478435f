/**
 * The snapshot path, call by call: import a RAW disk as a snapshot, register it as an arm64 UEFI AMI that requires
 * IMDSv2 and boots from gp3, and tag the AMI and its snapshot. `npm run typecheck` compiles this file and
 * `test/examples.test.ts` runs it against the emulator. `importDiskImage` does all of this (and more) in one call.
 */
import type { Ec2ImportClient } from 'ec2-import-image'

const fail = (what: string, e: { readonly message: string }): never => {
  throw new Error(`${what}: ${e.message}`)
}

/** ImportSnapshot → wait → RegisterImage → wait → CreateTags; the AMI's id and its snapshot's. */
export const importAsSnapshotAndRegister = async (
  ec2: Ec2ImportClient,
  timing: { readonly minDelayMs?: number; readonly maxDelayMs?: number } = {},
): Promise<{ readonly imageId: string; readonly snapshotId: string }> => {
  const started = await ec2.importSnapshot({
    DiskContainer: { Format: 'RAW', UserBucket: { S3Bucket: 'images', S3Key: 'web-1.4.raw' } },
    Description: 'web 1.4 root disk',
    TagSpecifications: [{ ResourceType: 'import-snapshot-task', Tags: [{ Key: 'app', Value: 'web' }] }],
  })()
  if (started._tag === 'Left') return fail('ImportSnapshot', started.left)

  // Fails fast when the task ends deleting/deleted, with the reason classified (AWS's own waiter waits it out).
  const imported = await ec2.waitForImportSnapshotTask(started.right.ImportTaskId ?? '', timing)()
  if (imported._tag === 'Left') return fail('importing the snapshot', imported.left)
  const snapshotId = imported.right.SnapshotTaskDetail.SnapshotId // typed present once completed

  const registered = await ec2.registerImage({
    Name: 'web 1.4 arm64',
    Architecture: 'arm64',
    BootMode: 'uefi',
    ImdsSupport: 'v2.0',
    EnaSupport: true,
    VirtualizationType: 'hvm',
    RootDeviceName: '/dev/xvda',
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: snapshotId, VolumeType: 'gp3', DeleteOnTermination: true } }],
  })()
  if (registered._tag === 'Left') return fail('RegisterImage', registered.left)
  const imageId = registered.right.ImageId ?? ''

  const available = await ec2.waitForImageAvailable(imageId, timing)()
  if (available._tag === 'Left') return fail('waiting for the AMI', available.left)

  const tagged = await ec2.createTags({ Resources: [imageId, snapshotId], Tags: [{ Key: 'app', Value: 'web' }, { Key: 'version', Value: '1.4' }] })()
  if (tagged._tag === 'Left') return fail('CreateTags', tagged.left)
  return { imageId, snapshotId }
}
