// The main job, end to end against the embedded local endpoint (no AWS account needed), starting from a disk image
// file on this machine: detect its format (RAW, GPT with an EFI system partition: UEFI boot), make the vmimport role,
// check everything VM Import needs (preflight), upload it to S3 with checksums, ImportSnapshot, RegisterImage (arm64,
// UEFI, IMDSv2, gp3), tag the AMIs and their snapshots, copy to a second region, share with another account — one
// call. Run with `npm run example` (it builds first). Against AWS, drop the emulator and pass your region.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { importDiskImage } from 'ec2-import-image'
import { startEmulator } from 'ec2-import-image/emulator'
import { writeSmallUefiDisk } from './disk-image.mjs'

const dir = mkdtempSync(join(tmpdir(), 'ec2-import-image-example-'))
const file = join(dir, 'web-1.4.raw')
writeSmallUefiDisk(file)

// Two regions on one endpoint, an S3 bucket to upload to; import work runs 1,000× faster than real time.
const emulator = await startEmulator({
  region: 'eu-west-1',
  regions: ['eu-west-1', 'us-east-1'],
  clock: { speed: 1_000 },
  buckets: [{ name: 'images', region: 'eu-west-1', lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadDays: 1 }] }],
})
const started = Date.now()
try {
  const result = await importDiskImage({
    config: { region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials },
    source: { file, bucket: 'images' },
    ensureRole: true,
    name: 'web 1.4',
    description: 'web server 1.4',
    architecture: 'arm64',
    imdsSupport: 'v2.0',
    tags: { app: 'web', version: '1.4' },
    copyTo: ['us-east-1'],
    shareWith: { accounts: ['210987654321'] },
    minDelayMs: 250,
    maxDelayMs: 1000,
    onProgress: (e) =>
      console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${e.region.padEnd(10)} ${e.phase.padEnd(9)} ${e.percent === undefined ? '    ' : `${String(Math.round(e.percent)).padStart(3)}%`} ${e.message}`),
  })()
  if (result._tag === 'Left') throw new Error(result.left.message)
  console.log(`\n${result.right.name} (${result.right.method} path, from ${result.right.importTaskId}):`)
  for (const [region, image] of Object.entries(result.right.images)) {
    console.log(`  ${region.padEnd(10)} ${image.imageId}  snapshots ${image.snapshotIds.join(', ')}`)
  }
} catch (e) {
  console.error(`example failed: ${e instanceof Error ? e.message : String(e)}`)
  process.exitCode = 1
} finally {
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
