/**
 * One complete example per operation. `npm run typecheck` compiles this file and `test/examples.test.ts` runs it
 * against the emulator, so what the README shows is known to work.
 */
import { createClient, isDryRunOperation, type Ec2ImportClient, type ImportImageTask } from 'ec2-import-image'

/** ImportImage: start an import from S3, tagged, with UEFI boot. */
export const startImport = async (ec2: Ec2ImportClient): Promise<string> => {
  const started = await ec2.importImage({
    DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' }, Description: 'root disk' }],
    BootMode: 'uefi',
    Platform: 'Linux',
    LicenseType: 'BYOL',
    Encrypted: true,
    KmsKeyId: 'alias/images',
    TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'team', Value: 'platform' }] }],
  })()
  if (started._tag === 'Left') {
    // every Left has a _tag; EC2's own errors carry its code and request id
    const e = started.left
    throw new Error(e._tag === 'ServiceError' ? `${e.code} (${e.requestId})` : e.message)
  }
  return started.right.ImportTaskId ?? ''
}

/** DescribeImportImageTasks: one page by id, and every active task through the paginator. */
export const describeTasks = async (ec2: Ec2ImportClient, importTaskId: string): Promise<ReadonlyArray<ImportImageTask>> => {
  const page = await ec2.describeImportImageTasks({ ImportTaskIds: [importTaskId] })()
  if (page._tag === 'Left') throw new Error(page.left.message)
  const active: Array<ImportImageTask> = []
  for await (const task of ec2.listImportImageTasks({ Filters: [{ Name: 'task-state', Values: ['active'] }] })) {
    if (task._tag === 'Left') throw new Error(task.left.message)
    active.push(task.right)
  }
  return [...(page.right.ImportImageTasks ?? []), ...active]
}

/** CancelImportTask: a dry run first (is it allowed?), then the cancel itself. */
export const cancelTask = async (ec2: Ec2ImportClient, importTaskId: string): Promise<string | undefined> => {
  const allowed = await ec2.dryRun.cancelImportTask({ ImportTaskId: importTaskId })()
  if (allowed._tag === 'Left' || !allowed.right.allowed) return undefined
  const cancelled = await ec2.cancelImportTask({ ImportTaskId: importTaskId, CancelReason: 'superseded' })()
  if (cancelled._tag === 'Left') return isDryRunOperation(cancelled.left) ? 'dry run' : cancelled.left.message
  return cancelled.right.State // 'deleting'
}

/** The waiter: progress, a deadline, cancel on abort. */
export const waitForImage = async (ec2: Ec2ImportClient, importTaskId: string, signal?: AbortSignal): Promise<string> => {
  const done = await ec2.waitForImportImageTask(importTaskId, {
    onProgress: (p) => console.log(`${p.progress ?? 100}% ${p.statusMessage ?? p.status}`),
    timeoutMs: 2 * 60 * 60 * 1000,
    cancelOnAbort: true,
    ...(signal === undefined ? {} : { signal }),
  })()
  if (done._tag === 'Left') {
    const e = done.left
    throw new Error(e._tag === 'WaitError' && e.failure !== undefined ? `${e.failure.reason}: ${e.failure.hint}` : e.message)
  }
  return done.right.ImageId ?? ''
}

/** A client for real EC2: region, credentials and endpoint from the usual AWS chain. */
export const forRegion = (region: string): Ec2ImportClient => createClient({ region, maxAttempts: 5 })
