// ours.ts written against AWS SDK v3's EC2 client: the same calls, the same members, the same reads.
import {
  CancelImportTaskCommand,
  DescribeImportImageTasksCommand,
  EC2Client,
  ImportImageCommand,
} from '@aws-sdk/client-ec2'

export const main = async (): Promise<void> => {
  const ec2 = new EC2Client({ region: 'eu-west-1' })

  const started = await ec2.send(
    new ImportImageCommand({
      DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' }, Description: 'root' }],
      BootMode: 'uefi',
      Platform: 'Linux',
      LicenseType: 'BYOL',
      Encrypted: true,
      KmsKeyId: 'alias/images',
      ClientData: { UploadStart: new Date(), Comment: 'nightly' },
      TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'team', Value: 'platform' }] }],
    }),
  )
  const id = started.ImportTaskId
  if (id === undefined) return

  const page = await ec2.send(
    new DescribeImportImageTasksCommand({ ImportTaskIds: [id], Filters: [{ Name: 'task-state', Values: ['active'] }] }),
  )
  for (const task of page.ImportImageTasks ?? []) {
    const disks = (task.SnapshotDetails ?? []).map((d) => `${d.DeviceName ?? ''} ${d.UserBucket?.S3Key ?? ''}`)
    console.log(task.Status, task.Progress, disks)
  }

  const cancelled = await ec2.send(new CancelImportTaskCommand({ ImportTaskId: id, CancelReason: 'superseded' }))
  console.log(cancelled.State)
  ec2.destroy()
}
