// The emulator driven by AWS's own client: if @aws-sdk/client-ec2 can sign for it, serialize to it and parse what it
// answers, the emulator speaks EC2, not only this package's dialect of it.
import {
  CancelImportTaskCommand,
  DescribeImportImageTasksCommand,
  EC2Client,
  ImportImageCommand,
  paginateDescribeImportImageTasks,
  type ImportImageTask,
} from '@aws-sdk/client-ec2'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_PHASES, startEmulator, type Emulator } from '../../src/emulator.js'

let emulator: Emulator
let ec2: EC2Client

beforeEach(async () => {
  emulator = await startEmulator({ clock: 'manual' })
  ec2 = new EC2Client({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
    maxAttempts: 1,
  })
})

afterEach(async () => {
  ec2.destroy()
  await emulator.close()
})

const TOTAL =
  DEFAULT_PHASES.pending + DEFAULT_PHASES.converting + DEFAULT_PHASES.updating + DEFAULT_PHASES.booting + DEFAULT_PHASES.preparingAmi

const describeTask = async (id: string): Promise<ImportImageTask> => {
  const out = await ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: [id] }))
  const task = out.ImportImageTasks?.[0]
  if (task === undefined) throw new Error(`no task ${id}`)
  return task
}

// One request, sent twice below: the second send must find the same task by its ClientToken.
const BUILD_REQUEST = {
  DiskContainers: [{ Format: 'vmdk', UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' }, Description: 'root' }],
  BootMode: 'uefi' as const,
  Platform: 'Linux',
  LicenseType: 'BYOL',
  ClientToken: 'sdk-build-1',
  ClientData: { UploadStart: new Date('2026-01-01T00:00:00Z'), UploadSize: 2.5 },
  TagSpecifications: [{ ResourceType: 'import-image-task' as const, Tags: [{ Key: 'Env', Value: 'prod' }] }],
}

describe('@aws-sdk/client-ec2 against the emulator', () => {
  it('imports an image and sees it progress to completed', async () => {
    const started = await ec2.send(
      new ImportImageCommand(BUILD_REQUEST),
    )
    expect(started.$metadata.httpStatusCode).toBe(200)
    expect(started.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(started).toMatchObject({ Status: 'active', StatusMessage: 'pending', Progress: '2', Tags: [{ Key: 'Env', Value: 'prod' }] })
    const id = started.ImportTaskId!
    expect(id).toMatch(/^import-ami-[0-9a-f]{17}$/)
    // The SDK signed headers of its own; the emulator checked them.
    const logged = emulator.requests[0]!
    expect(logged.headers['amz-sdk-invocation-id']).toBeDefined()
    expect(logged.params).toMatchObject({
      'DiskContainer.1.UserBucket.S3Key': 'web.vmdk',
      'TagSpecification.1.Tag.1.Key': 'Env',
      'ClientData.UploadStart': '2026-01-01T00:00:00Z',
    })

    emulator.clock.advance(DEFAULT_PHASES.pending + DEFAULT_PHASES.converting / 2)
    const converting = await describeTask(id)
    expect(converting).toMatchObject({ Status: 'active', StatusMessage: 'converting', BootMode: 'uefi' })
    expect(Number(converting.Progress)).toBeGreaterThan(2)
    expect(converting.SnapshotDetails?.[0]).toMatchObject({
      Status: 'active',
      Format: 'vmdk',
      Description: 'root',
      UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' },
    })
    expect(converting.SnapshotDetails?.[0]?.DiskImageSize).toBeGreaterThan(0)

    emulator.clock.advance(TOTAL)
    const done = await describeTask(id)
    expect(done).toMatchObject({ Status: 'completed', Platform: 'Linux', LicenseType: 'BYOL', BootMode: 'uefi' })
    expect(done.ImageId).toMatch(/^ami-[0-9a-f]{17}$/)
    expect(done.Progress).toBeUndefined()
    expect(done.SnapshotDetails?.[0]).toMatchObject({ Status: 'completed', SnapshotId: expect.stringMatching(/^snap-/) })

    // A retry with the same token is the same task.
    const again = await ec2.send(
      new ImportImageCommand(BUILD_REQUEST),
    )
    expect(again.ImportTaskId).toBe(id)
    expect(emulator.tasks()).toHaveLength(1)
  })

  it('cancels an import task', async () => {
    const { ImportTaskId } = await ec2.send(
      new ImportImageCommand({ DiskContainers: [{ Format: 'RAW', Url: 's3://images/disk.raw' }] }),
    )
    const cancelled = await ec2.send(new CancelImportTaskCommand({ ImportTaskId, CancelReason: 'changed my mind' }))
    expect(cancelled).toMatchObject({ ImportTaskId, PreviousState: 'active', State: 'deleting' })
    emulator.clock.advance(DEFAULT_PHASES.deleting)
    expect(await describeTask(ImportTaskId!)).toMatchObject({ Status: 'deleted', StatusMessage: 'changed my mind' })
  })

  it('pages through tasks with the SDK paginator', async () => {
    const ids: Array<string> = []
    for (let i = 0; i < 5; i++) {
      const r = await ec2.send(new ImportImageCommand({ DiskContainers: [{ Format: 'VHD', Url: `s3://images/${i}.vhd` }] }))
      ids.push(r.ImportTaskId!)
    }
    const seen: Array<string> = []
    let pages = 0
    for await (const page of paginateDescribeImportImageTasks({ client: ec2, pageSize: 2 }, {})) {
      pages++
      seen.push(...(page.ImportImageTasks ?? []).map((t) => t.ImportTaskId!))
    }
    expect(pages).toBe(3)
    expect(seen).toStrictEqual(ids)
  })

  it("gets the SDK's DryRunOperation error (412) for a DryRun that would succeed", async () => {
    const e = await ec2
      .send(new ImportImageCommand({ DryRun: true, DiskContainers: [{ Format: 'OVA', Url: 's3://images/vm.ova' }] }))
      .then(
        () => undefined,
        (error: unknown) => error,
      )
    expect(e).toMatchObject({
      name: 'DryRunOperation',
      message: 'Request would have succeeded, but DryRun flag is set.',
      $metadata: { httpStatusCode: 412 },
    })
    expect(emulator.tasks()).toHaveLength(0)
  })

  it("gets the SDK's typed errors for a refused request and a bad signature", async () => {
    const unknown = await ec2.send(new DescribeImportImageTasksCommand({ ImportTaskIds: ['import-ami-0123456789abcdef0'] })).catch((error: unknown) => error)
    expect(unknown).toMatchObject({ name: 'InvalidConversionTaskId.Malformed', $metadata: { httpStatusCode: 400 } })

    const bad = new EC2Client({
      endpoint: emulator.endpoint,
      region: emulator.region,
      credentials: { ...emulator.credentials, secretAccessKey: 'wrong' },
      maxAttempts: 1,
    })
    try {
      const e = await bad.send(new DescribeImportImageTasksCommand({})).catch((error: unknown) => error)
      expect(e).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } })
    } finally {
      bad.destroy()
    }
  })
})
