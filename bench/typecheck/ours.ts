// A consumer of this package: one call of each operation, with a request carrying the members a real import
// uses, and a read of each result. bench/typecheck/run.mjs type-checks it against the built package; sdk.ts is the
// same program written against @aws-sdk/client-ec2.
import { createClient } from 'ec2-import-image'

export const main = async (): Promise<void> => {
  const ec2 = createClient({ region: 'eu-west-1' })

  const started = await ec2.importImage({
    DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' }, Description: 'root' }],
    BootMode: 'uefi',
    Platform: 'Linux',
    LicenseType: 'BYOL',
    Encrypted: true,
    KmsKeyId: 'alias/images',
    ClientData: { UploadStart: new Date(), Comment: 'nightly' },
    TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'team', Value: 'platform' }] }],
  })()
  if (started._tag === 'Left') return
  const id: string = started.right.ImportTaskId

  const page = await ec2.describeImportImageTasks({ ImportTaskIds: [id], Filters: [{ Name: 'task-state', Values: ['active'] }] })()
  if (page._tag === 'Right') {
    for (const task of page.right.ImportImageTasks ?? []) {
      const disks = (task.SnapshotDetails ?? []).map((d) => `${d.DeviceName ?? ''} ${d.UserBucket?.S3Key ?? ''}`)
      console.log(task.Status, task.Progress, disks)
    }
  }

  const cancelled = await ec2.cancelImportTask({ ImportTaskId: id, CancelReason: 'superseded' })()
  if (cancelled._tag === 'Right') console.log(cancelled.right.State)
  await ec2.close()
}
