import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createClient, type Ec2ImportClient } from '../src/index.js'
import { startEmulator, type Emulator } from '../src/emulator.js'
import { cancelTask, describeTasks, startImport, waitForImage } from '../examples/operations.js'
import { importAsSnapshotAndRegister } from '../examples/snapshot-path.js'

let emu: Emulator
let ec2: Ec2ImportClient

beforeAll(async () => {
  emu = await startEmulator({ clock: 'manual' })
  ec2 = createClient(
    { endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials },
    {
      environment: { env: {}, homedir: '/nonexistent-home' },
      sleep: async (ms) => emu.clock.advance(ms),
    },
  )
})
afterAll(async () => {
  await ec2.close()
  await emu.close()
})

it('the README examples run: import, describe, wait, cancel', async () => {
  const first = await startImport(ec2)
  expect(first).toMatch(/^import-ami-[0-9a-f]{17}$/)
  const seen = await describeTasks(ec2, first)
  expect(seen.map((t) => t.ImportTaskId)).toEqual([first, first])
  expect(await waitForImage(ec2, first)).toMatch(/^ami-[0-9a-f]{17}$/)
  const second = await startImport(ec2) // the same request, a new ClientToken: a second task
  expect(second).not.toBe(first)
  expect(await cancelTask(ec2, second)).toBe('deleting')
})

it('the snapshot-path example: an arm64 UEFI AMI with IMDSv2 and gp3, tagged with its snapshot', async () => {
  const em = await startEmulator({ clock: { speed: 2_000 }, imagePendingMs: 20_000 })
  const client = createClient({ endpoint: em.endpoint, region: em.region, credentials: em.credentials }, { environment: { env: {}, homedir: '/nonexistent-home' } })
  try {
    const { imageId, snapshotId } = await importAsSnapshotAndRegister(client, { minDelayMs: 20, maxDelayMs: 50 })
    const image = em.images().find((i) => i.ImageId === imageId)!
    expect(image).toMatchObject({ Name: 'web 1.4 arm64', Architecture: 'arm64', BootMode: 'uefi', ImdsSupport: 'v2.0', State: 'available' })
    expect(image.BlockDeviceMappings?.[0]?.Ebs).toMatchObject({ SnapshotId: snapshotId, VolumeType: 'gp3' })
    expect(image.Tags).toContainEqual({ Key: 'version', Value: '1.4' })
    expect(em.snapshots().find((s) => s.SnapshotId === snapshotId)?.Tags).toContainEqual({ Key: 'app', Value: 'web' })
  } finally {
    await client.close()
    await em.close()
  }
})

// examples/import.mjs imports the built package by name: the build is what `npm run example` runs first (and `npm test`).
it.skipIf(!existsSync(new URL('../dist/index.js', import.meta.url)))('npm run example (examples/import.mjs) imports, copies and shares against the emulator and prints the AMI ids', async () => {
  const script = new URL('../examples/import.mjs', import.meta.url).pathname
  const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 60_000 })
  expect(stdout).toMatch(/eu-west-1 +ami-[0-9a-f]{17}/)
  expect(stdout).toMatch(/us-east-1 +ami-[0-9a-f]{17}/)
}, 60_000)
