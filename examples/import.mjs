// An end-to-end import against the embedded local EC2 endpoint: dry run, import, wait with progress, the new AMI id.
// Run with `npm run example` (it builds first). Against real EC2, drop the emulator and pass your region.
import { createClient } from 'ec2-import-image'
import { startEmulator } from 'ec2-import-image/emulator'

const emulator = await startEmulator()
const ec2 = createClient({ endpoint: emulator.endpoint, region: emulator.region, credentials: emulator.credentials })

const request = {
  DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'images', S3Key: 'web-server.vmdk' } }],
  BootMode: 'uefi',
  Platform: 'Linux',
  LicenseType: 'BYOL',
  Description: 'web server image',
  TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'team', Value: 'platform' }] }],
}

try {
  const dry = await ec2.dryRun.importImage(request)()
  if (dry._tag === 'Left') throw new Error(dry.left.message)
  console.log(`dry run: ${dry.right.allowed ? 'allowed' : `not allowed (${dry.right.message})`}`)

  const started = await ec2.importImage(request)()
  if (started._tag === 'Left') throw new Error(started.left.message)
  const taskId = started.right.ImportTaskId
  console.log(`started ${taskId}: ${started.right.Status} ${started.right.StatusMessage} (request ${started.right.$metadata.requestId})`)

  const done = await ec2.waitForImportImageTask(taskId, {
    minDelayMs: 250,
    maxDelayMs: 1000,
    onProgress: (p) =>
      console.log(`  ${String(p.progress ?? 100).padStart(3)}%  ${p.statusMessage ?? p.status}  (${(p.elapsedMs / 1000).toFixed(1)} s)`),
  })()
  if (done._tag === 'Left') throw new Error(done.left.message)
  console.log(`completed: ${done.right.ImageId}`)
} catch (e) {
  console.error(`example failed: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 1
} finally {
  await ec2.close()
  await emulator.close()
}
