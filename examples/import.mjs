// The main job, end to end against the embedded local endpoint (no AWS account needed): one call takes a disk image
// in S3 to a named, tagged AMI in two regions, shared with another account — ImportSnapshot, wait, RegisterImage
// (arm64, UEFI, IMDSv2, gp3), tags on the AMIs and their snapshots, CopyImage to a second region, launch
// permissions. Run with `npm run example` (it builds first). Against AWS, drop the emulator and pass your region.
import { importDiskImage } from 'ec2-import-image'
import { startEmulator } from 'ec2-import-image/emulator'

// Two regions on one endpoint; import work runs 1,000× faster than real time.
const emulator = await startEmulator({ region: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'], clock: { speed: 1_000 } })
const started = Date.now()
try {
  const result = await importDiskImage({
    config: { region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials },
    source: { bucket: 'images', key: 'web-1.4.raw' },
    name: 'web 1.4',
    description: 'web server 1.4',
    architecture: 'arm64',
    bootMode: 'uefi',
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
}
