/**
 * `importDiskImage` against the emulator serving three regions on one endpoint: the snapshot path end to end with
 * tags, two copies and sharing; the image path with its rename; `auto` falling back; re-runs that resume without a
 * second task or AMI; a name taken by another source; a failed import; cleanup; abort; faults at every phase that
 * change nothing in the outcome; `@aws-sdk/client-ec2` seeing the result.
 */
import { DescribeImageAttributeCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2'
import { afterEach, describe, expect, it } from 'vitest'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/emulator.js'
import { importDiskImage, WORKFLOW_TAGS, type ImportDiskImageOptions, type ImportDiskImageProgress } from '../src/ImportDiskImage.js'

const HOME = 'eu-west-1'
const REGIONS = [HOME, 'us-east-1', 'us-west-2']

let emulators: Array<Emulator> = []
afterEach(async () => {
  await Promise.all(emulators.map((e) => e.close()))
  emulators = []
})

const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  // Import work 2,000× faster than real time: a default snapshot import (about 2.5 emulated minutes) takes ~75 ms.
  const em = await startEmulator({ region: HOME, regions: REGIONS, clock: { speed: 2_000 }, imagePendingMs: 20_000, ...options })
  emulators.push(em)
  return em
}

const optionsFor = (em: Emulator, extra: Partial<ImportDiskImageOptions> = {}): ImportDiskImageOptions => ({
  config: { region: HOME, endpoint: em.endpoint, credentials: em.credentials, retry: { baseDelayMs: 1, maxDelayMs: 20 } },
  source: { bucket: 'images', key: 'web-1.4.raw' },
  name: 'web 1.4',
  minDelayMs: 20,
  maxDelayMs: 50,
  ...extra,
})

const tagsOf = (tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined) =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value]))

describe('importDiskImage, the snapshot path', () => {
  it('imports, registers an arm64 UEFI AMI with IMDSv2 and gp3, tags it and its snapshots, copies to two regions, shares', async () => {
    const em = await start()
    const events: Array<ImportDiskImageProgress> = []
    const r = await importDiskImage(
      optionsFor(em, {
        architecture: 'arm64',
        bootMode: 'uefi',
        imdsSupport: 'v2.0',
        tags: { app: 'web', build: '1.4' },
        copyTo: ['us-east-1', 'us-west-2'],
        shareWith: { accounts: ['210987654321'], shareSnapshots: true },
        onProgress: (e) => events.push(e),
      }),
    )()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(r.right.method).toBe('snapshot')
    expect(r.right.importTaskId).toMatch(/^import-snap-/)
    expect(Object.keys(r.right.images).sort()).toEqual([...REGIONS].sort())

    for (const region of REGIONS) {
      const image = em.images(region).find((i) => i.ImageId === r.right.images[region]!.imageId)!
      expect(image.Name).toBe('web 1.4')
      expect(image.State).toBe('available')
      expect(tagsOf(image.Tags)).toMatchObject({ app: 'web', build: '1.4', [WORKFLOW_TAGS.name]: 'web 1.4' })
      const snapshots = r.right.images[region]!.snapshotIds
      expect(snapshots.length).toBe(1)
      const snapshot = em.snapshots(region).find((s) => s.SnapshotId === snapshots[0])!
      expect(tagsOf(snapshot.Tags)).toMatchObject({ app: 'web', build: '1.4' })
    }
    const home = em.images(HOME).find((i) => i.ImageId === r.right.images[HOME]!.imageId)!
    expect(home).toMatchObject({ Architecture: 'arm64', BootMode: 'uefi', ImdsSupport: 'v2.0', VirtualizationType: 'hvm', EnaSupport: true, RootDeviceName: '/dev/xvda' })
    expect(home.BlockDeviceMappings?.[0]?.Ebs?.VolumeType).toBe('gp3')
    expect(em.snapshotTasks(HOME)).toHaveLength(1)
    expect(tagsOf(em.snapshotTasks(HOME)[0]!.Tags)).toMatchObject({ app: 'web' })

    // A client nobody here wrote sees the AMIs and the permissions, in every region.
    for (const region of REGIONS) {
      const sdk = new EC2Client({ region, endpoint: em.endpoint, credentials: em.credentials })
      const seen = await sdk.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'name', Values: ['web 1.4'] }] }))
      expect(seen.Images?.map((i) => i.ImageId)).toEqual([r.right.images[region]!.imageId])
      const perms = await sdk.send(new DescribeImageAttributeCommand({ ImageId: r.right.images[region]!.imageId, Attribute: 'launchPermission' }))
      expect(perms.LaunchPermissions?.map((p) => p.UserId)).toEqual(['210987654321'])
      sdk.destroy()
    }
    // The snapshots are shared too: one create-volume permission per region's snapshot, for the account.
    const snapshotShares = em.requests.filter((q) => q.action === 'ModifySnapshotAttribute' && q.status === 200)
    expect(snapshotShares.map((q) => q.params['SnapshotId']).sort()).toEqual(REGIONS.map((g) => r.right.images[g]!.snapshotIds[0]).sort())
    expect(snapshotShares.every((q) => q.params['CreateVolumePermission.Add.1.UserId'] === '210987654321')).toBe(true)
    const phases = new Set(events.map((e) => e.phase))
    for (const phase of ['import', 'register', 'available', 'tag', 'copy', 'share'] as const) expect(phases.has(phase)).toBe(true)
    expect(events.some((e) => e.phase === 'copy' && e.region === 'us-west-2')).toBe(true)
  })

  it('run again, it finds what it made: no second task, AMI or copy', async () => {
    const em = await start()
    const options = optionsFor(em, { copyTo: ['us-east-1'], tags: { app: 'web' } })
    const first = await importDiskImage(options)()
    const second = await importDiskImage(options)()
    if (first._tag === 'Left' || second._tag === 'Left') throw new Error('a run failed')
    expect(second.right.images).toEqual(first.right.images)
    expect(em.snapshotTasks(HOME)).toHaveLength(1)
    expect(em.images(HOME)).toHaveLength(1)
    expect(em.images('us-east-1')).toHaveLength(1)
    expect(em.requests.filter((q) => q.action === 'RegisterImage')).toHaveLength(1)
    expect(em.requests.filter((q) => q.action === 'CopyImage')).toHaveLength(1)
  })

  it('resumes a run killed while the import ran: the same task is found by its token and waited on', async () => {
    const em = await start({ clock: { speed: 200 } })
    const controller = new AbortController()
    const options = optionsFor(em)
    const killed = importDiskImage({ ...options, signal: controller.signal, onProgress: (e) => e.phase === 'import' && controller.abort() })()
    const k = await killed
    expect(k._tag).toBe('Left')
    // The abort cancels the active task (cancelOnAbort): a re-run then sees it dead and starts attempt 2.
    const resumed = await importDiskImage(options)()
    if (resumed._tag === 'Left') throw new Error(resumed.left.message)
    expect(em.images(HOME)).toHaveLength(1)
    const tasks = em.snapshotTasks(HOME)
    expect(tasks.filter((t) => t.SnapshotTaskDetail?.Status === 'completed')).toHaveLength(1)
  })

  it('refuses a name that another source\'s AMI holds, saying so', async () => {
    const em = await start()
    const a = await importDiskImage(optionsFor(em))()
    expect(a._tag).toBe('Right')
    const b = await importDiskImage(optionsFor(em, { source: { bucket: 'images', key: 'other.raw' } }))()
    expect(b._tag).toBe('Left')
    if (b._tag === 'Left') {
      expect(b.left.phase).toBe('register')
      expect(b.left.message).toContain('already exists')
    }
    expect(em.images(HOME)).toHaveLength(1)
  })

  it('a failed import is a Left with the classified reason and the task named; a re-run starts a new attempt', async () => {
    const em = await start()
    const r = await importDiskImage(optionsFor(em, { source: { bucket: 'images', key: 'fail.vmdk' } }))()
    expect(r._tag).toBe('Left')
    if (r._tag !== 'Left') return
    expect(r.left.phase).toBe('import')
    expect(r.left.failure?.reason).toBe('disk-validation')
    expect(r.left.created.importTaskIds).toHaveLength(1)
    const again = await importDiskImage(optionsFor(em, { source: { bucket: 'images', key: 'fail.vmdk' } }))()
    if (again._tag !== 'Left') throw new Error('the second run should fail too')
    // It found the dead task by its token, then started attempt 2 under a new token.
    expect(again.left.created.importTaskIds[0]).toBe(r.left.created.importTaskIds[0])
    expect(again.left.created.importTaskIds).toHaveLength(2)
    expect(em.snapshotTasks(HOME)).toHaveLength(2)
  })

  it('checks the options before anything is made', async () => {
    const em = await start()
    const cases: Array<[Partial<ImportDiskImageOptions>, RegExp]> = [
      [{ source: { bucket: 'b', key: 'disk.vhdx' } }, /VHD, VMDK and RAW only/],
      [{ method: 'image', architecture: 'arm64' }, /i386 and x86_64 only/],
      [{ name: 'x' }, /name must be/],
      [{ copyTo: ['not a region'] }, /not a region name/],
      [{ copyTo: ['cn-north-1'] }, /not copied across partitions/],
      [{ encrypted: true, shareWith: { accounts: ['210987654321'] } }, /AWS-managed key/],
      [{ shareWith: { accounts: ['12'] } }, /12-digit/],
      [{ source: { bucket: 'b', key: 'disk' } }, /no known extension/],
    ]
    for (const [extra, message] of cases) {
      const r = await importDiskImage(optionsFor(em, extra))()
      expect(r._tag === 'Left' && r.left.phase).toBe('validate')
      expect(r._tag === 'Left' && r.left.message).toMatch(message)
    }
    expect(em.requests).toHaveLength(0)
  })

  it('one copy region failing keeps the others\' results and names them; cleanupOnFailure removes what it made', async () => {
    const em = await start({ regions: [HOME, 'us-east-1'] })
    const r = await importDiskImage(optionsFor(em, { copyTo: ['us-east-1', 'us-west-2'], cleanupOnFailure: true }))()
    expect(r._tag).toBe('Left')
    if (r._tag !== 'Left') return
    expect(r.left.phase).toBe('copy')
    expect(r.left.region).toBe('us-west-2')
    expect(Object.keys(r.left.available).sort()).toEqual([HOME, 'us-east-1'])
    expect(r.left.cleanup?.removed.length).toBeGreaterThan(0)
    expect(em.images(HOME)).toHaveLength(0)
    expect(em.images('us-east-1')).toHaveLength(0)
  })
})

describe('importDiskImage killed at each phase, then run again', () => {
  // The run is aborted the first time it reports the phase (as a Ctrl-C or a lost process would stop it there, with
  // the import task left running: cancelOnAbort false), then the same call is made again: it must finish with one
  // import task, one AMI per region and the same names, whatever it had done.
  for (const phase of ['import', 'register', 'available', 'tag', 'copy', 'share'] as const) {
    it(`stopped at ${phase}: the re-run finishes without a second task or AMI`, async () => {
      const em = await start({ clock: { speed: 500 } })
      const options = optionsFor(em, { copyTo: ['us-east-1'], tags: { app: 'web' }, shareWith: { accounts: ['210987654321'] }, cancelOnAbort: false })
      const stop = new AbortController()
      const killed = await importDiskImage({ ...options, signal: stop.signal, onProgress: (e) => e.phase === phase && stop.abort() })()
      expect(killed._tag).toBe('Left')
      if (killed._tag === 'Left') expect(killed.left.aborted).toBe(true)
      const again = await importDiskImage(options)()
      if (again._tag === 'Left') throw new Error(again.left.message)
      expect(em.snapshotTasks(HOME)).toHaveLength(1)
      expect(em.images(HOME).filter((i) => i.State !== 'deregistered')).toHaveLength(1)
      expect(em.images('us-east-1').filter((i) => i.State !== 'deregistered')).toHaveLength(1)
      expect(Object.keys(again.right.images).sort()).toEqual([HOME, 'us-east-1'].sort())
    })
  }
})

describe('importDiskImage, the image path', () => {
  it('imports with ImportImage, names the AMI through CopyImage, deregisters the import-ami original and its snapshots', async () => {
    const em = await start()
    const r = await importDiskImage(optionsFor(em, { method: 'image', source: { bucket: 'images', key: 'win.vmdk' }, licenseType: 'BYOL', tags: { os: 'windows' } }))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(r.right.method).toBe('image')
    const images = em.images(HOME)
    expect(images).toHaveLength(1)
    expect(images[0]!.Name).toBe('web 1.4')
    expect(images[0]!.ImageId).not.toMatch(/^import-ami-/)
    expect(tagsOf(images[0]!.Tags)).toMatchObject({ os: 'windows' })
    // The original's snapshots went with it: only the copy's are left.
    expect(em.snapshots(HOME).map((s) => s.SnapshotId).sort()).toEqual([...r.right.images[HOME]!.snapshotIds].sort())
  })

  it('auto falls back to the snapshot path when ImportImage does not recognise the OS, and says so', async () => {
    const em = await start({ failureMarker: 'unknown-os', snapshotFailureMarker: '' })
    const events: Array<ImportDiskImageProgress> = []
    const r = await importDiskImage(optionsFor(em, { method: 'auto', source: { bucket: 'images', key: 'unknown-os.vmdk' }, onProgress: (e) => events.push(e) }))()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(r.right.method).toBe('snapshot')
    expect(events.some((e) => /trying the snapshot path/.test(e.message))).toBe(true)
    expect(em.images(HOME).filter((i) => i.Name === 'web 1.4')).toHaveLength(1)
  })
})

describe('importDiskImage when the account has too many active import tasks', () => {
  it('waits and starts the import again within timeoutMs, saying so', async () => {
    const em = await start({ maxActiveTasks: 1, clock: { speed: 500 } })
    // Another import holds the one slot for about 0.3 s of wall time.
    const other = await importDiskImage(optionsFor(em, { name: 'other image', source: { bucket: 'images', key: 'other.raw' } }))
    const running = other()
    await new Promise((r) => setTimeout(r, 50))
    const events: Array<ImportDiskImageProgress> = []
    const sleeps: Array<number> = []
    const r = await importDiskImage(optionsFor(em, { onProgress: (e) => events.push(e) }), {
      // The one-minute wait between tries, shortened; the waiters' polls keep their own short delays.
      sleep: async (ms, signal) => {
        sleeps.push(ms)
        await new Promise((resolve) => setTimeout(resolve, Math.min(ms, 200)))
        void signal
      },
    })()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(events.some((e) => /too many active import tasks/.test(e.message))).toBe(true)
    expect(sleeps).toContain(60_000)
    expect((await running)._tag).toBe('Right')
    expect(em.snapshotTasks(HOME)).toHaveLength(2)
  })
})

describe('importDiskImage under faults', () => {
  it('throttling, resets and 5xx at every phase change nothing in the outcome', async () => {
    const em = await start({ faults: { seed: 7, throttleRate: 0.1, serverErrorRate: 0.05, resetRate: 0.03 } })
    const r = await importDiskImage({
      ...optionsFor(em, { copyTo: ['us-east-1'], tags: { app: 'web' } }),
      config: { region: HOME, endpoint: em.endpoint, credentials: em.credentials, maxAttempts: 8, retry: { baseDelayMs: 1, maxDelayMs: 10 } },
    })()
    if (r._tag === 'Left') throw new Error(r.left.message)
    expect(em.images(HOME)).toHaveLength(1)
    expect(em.images('us-east-1')).toHaveLength(1)
    expect(em.snapshotTasks(HOME)).toHaveLength(1)
    expect(em.requests.some((q) => q.fault !== undefined)).toBe(true)
  })
})
