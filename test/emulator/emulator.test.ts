import { createServer } from 'node:net'
import aws4 from 'aws4'
import * as fc from 'fast-check'
import { Agent, request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ImportImageTask } from '../../src/shapes/DescribeImportImageTasks.js'
import { ImportImageRequest } from '../../src/shapes/ImportImage.js'
import { decodeResponse, serializeRequest, type Operation } from '../../src/internal/protocol/Operation.js'
import { CancelImportTask, DescribeImportImageTasks, ImportImage } from '../../src/operations/Ec2.js'
import { asWire } from '../../src/internal/schema/Schema.js'
import { signRequest, type SigningCredentials } from '../../src/internal/http/Signer.js'
import { parseXml, readXml } from '../../src/internal/protocol/XmlReader.js'
import { readQuery, parseForm } from '../../src/emulator/QueryReader.js'
import { writeResult } from '../../src/emulator/XmlWriter.js'
import { seededRandom } from '../../src/emulator/Faults.js'
import {
  DEFAULT_EMULATOR_CREDENTIALS,
  DEFAULT_PHASES,
  startEmulator,
  type Emulator,
  type EmulatorOptions,
} from '../../src/emulator.js'

// -------------------------------------------------------------------------------------------------
// a raw client: our serializer and signer, undici, our decoder — nothing of the client's pipeline beyond them
// -------------------------------------------------------------------------------------------------

const agent = new Agent({ keepAliveTimeout: 1000 })
afterAll(() => agent.close())

const FORM = 'application/x-www-form-urlencoded; charset=utf-8'

interface Raw {
  readonly status: number
  readonly headers: Record<string, string | Array<string> | undefined>
  readonly body: string
}

interface SendOptions {
  readonly credentials?: SigningCredentials
  readonly region?: string
  readonly now?: Date
  readonly headers?: Record<string, string>
  /** Change the request after signing (to break the signature). */
  readonly tamper?: (body: string) => string
  readonly method?: 'POST' | 'GET'
}

const sendForm = async (emulator: Emulator, body: string, options: SendOptions = {}): Promise<Raw> => {
  const url = new URL(emulator.endpoint)
  const method = options.method ?? 'POST'
  const signed = signRequest(
    {
      method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: method === 'GET' ? `/?${body}` : '/',
      headers: method === 'GET' ? { ...options.headers } : { 'Content-Type': FORM, ...options.headers },
      body: method === 'GET' ? '' : body,
    },
    options.credentials ?? emulator.credentials,
    { region: options.region ?? emulator.region, service: 'ec2', now: options.now ?? new Date(emulator.clock.now()) },
  )
  const res = await request(`${emulator.endpoint}${signed.path}`, {
    method,
    headers: signed.headers,
    body: method === 'GET' ? null : (options.tamper ?? ((b: string) => b))(signed.body as string),
    dispatcher: agent,
  })
  return { status: res.statusCode, headers: res.headers, body: await res.body.text() }
}

let tokens = 0
const call = async <I, O>(
  emulator: Emulator,
  op: Operation<I, O>,
  input: I,
  options: SendOptions = {},
): Promise<{ _tag: 'Right'; right: O; raw: Raw } | { _tag: 'Left'; code: string; message: string; status: number; raw: Raw }> => {
  const raw = await sendForm(emulator, serializeRequest(op, input, () => `token-${++tokens}`), options)
  const decoded = decodeResponse(op, { statusCode: raw.status, headers: raw.headers, body: raw.body }, 1)
  if (decoded._tag === 'Right') return { _tag: 'Right', right: decoded.right.value, raw }
  const e = decoded.left
  return {
    _tag: 'Left',
    code: e._tag === 'ServiceError' ? e.code : `DecodeError: ${e.message}`,
    message: e._tag === 'ServiceError' ? e.serviceMessage : e.body,
    status: e.statusCode,
    raw,
  }
}

const ok = async <I, O>(emulator: Emulator, op: Operation<I, O>, input: I, options?: SendOptions): Promise<O> => {
  const r = await call(emulator, op, input, options)
  if (r._tag === 'Left') throw new Error(`${op.name} failed: ${r.status} ${r.code}: ${r.message}`)
  return r.right
}

const err = async <I, O>(
  emulator: Emulator,
  op: Operation<I, O>,
  input: I,
  options?: SendOptions,
): Promise<{ code: string; message: string; status: number; raw: Raw }> => {
  const r = await call(emulator, op, input, options)
  if (r._tag === 'Right') throw new Error(`${op.name} succeeded, expected an error`)
  return r
}

// An error envelope from a raw form body (for requests our own serializer would refuse to write).
const rawError = async (emulator: Emulator, body: string, options?: SendOptions) => {
  const raw = await sendForm(emulator, body, options)
  const doc = parseXml(raw.body)
  if (doc._tag !== 'Right') throw new Error(`not XML: ${raw.body}`)
  const code = /<Code>([^<]*)<\/Code>/.exec(raw.body)?.[1]
  const message = /<Message>([^<]*)<\/Message>/.exec(raw.body)?.[1]
  return { status: raw.status, code, message, raw }
}

const describeOne = async (emulator: Emulator, id: string): Promise<ImportImageTask> => {
  const r = await ok(emulator, DescribeImportImageTasks, { ImportTaskIds: [id] })
  const task = r.ImportImageTasks?.[0]
  if (task === undefined) throw new Error(`no task ${id}`)
  return task
}

const emulators: Array<Emulator> = []
const start = async (options: EmulatorOptions = {}): Promise<Emulator> => {
  const e = await startEmulator({ clock: 'manual', ...options })
  emulators.push(e)
  return e
}
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()))
})

const DISK = { Format: 'VMDK' as const, UserBucket: { S3Bucket: 'images', S3Key: 'web.vmdk' } }
const P = DEFAULT_PHASES

// -------------------------------------------------------------------------------------------------
// lifecycle
// -------------------------------------------------------------------------------------------------

describe('an import on a manual clock', () => {
  it('starts active/pending and moves through every phase to completed with an AMI', async () => {
    const emulator = await start()
    const started = await ok(emulator, ImportImage, {
      DiskContainers: [DISK, { Format: 'vmdk', UserBucket: { S3Bucket: 'images', S3Key: 'data.vmdk' }, Description: 'data' }],
      Description: 'web server',
      BootMode: 'uefi',
      Platform: 'Linux',
      LicenseType: 'BYOL',
      Architecture: 'x86_64',
      Encrypted: true,
      KmsKeyId: 'alias/images',
      LicenseSpecifications: [{ LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-1' }],
      TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'Env', Value: 'prod' }] }],
    })
    expect(started.ImportTaskId).toMatch(/^import-ami-[0-9a-f]{17}$/)
    expect(started).toMatchObject({
      Status: 'active',
      StatusMessage: 'pending',
      Progress: '2',
      Description: 'web server',
      Platform: 'Linux',
      LicenseType: 'BYOL',
      Architecture: 'x86_64',
      Encrypted: true,
      KmsKeyId: 'alias/images',
      Tags: [{ Key: 'Env', Value: 'prod' }],
      LicenseSpecifications: [
        { LicenseConfigurationArn: 'arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-1' },
      ],
    })
    expect(started).not.toHaveProperty('ImageId')
    expect(started).not.toHaveProperty('BootMode') // ImportImageResult has no BootMode; the task does
    expect(started.SnapshotDetails).toHaveLength(2)
    expect(started.SnapshotDetails?.[0]).toMatchObject({ Status: 'active', Format: 'VMDK', UserBucket: DISK.UserBucket })

    const id = started.ImportTaskId!
    const seen: Array<{ message: string | undefined; progress: number }> = []
    const phases: ReadonlyArray<readonly [string, number]> = [
      ['pending', P.pending],
      ['converting', P.converting],
      ['updating', P.updating],
      ['booting', P.booting],
      ['preparing ami', P.preparingAmi],
    ]
    for (const [name, duration] of phases) {
      // the middle of the phase, then its end
      emulator.clock.advance(duration / 2)
      const mid = await describeOne(emulator, id)
      expect(mid.Status).toBe('active')
      expect(mid.StatusMessage).toBe(name)
      expect(mid.BootMode).toBe('uefi')
      seen.push({ message: mid.StatusMessage, progress: Number(mid.Progress) })
      if (name === 'converting') {
        expect(mid.SnapshotDetails?.[0]).toMatchObject({ Status: 'active', Progress: '50' })
        expect(mid.SnapshotDetails?.[0]?.DiskImageSize).toBeGreaterThan(0)
      }
      if (name === 'updating') {
        expect(mid.SnapshotDetails?.map((d) => d.Status)).toStrictEqual(['completed', 'completed'])
        expect(mid.SnapshotDetails?.[0]).not.toHaveProperty('Progress')
        expect(mid.SnapshotDetails?.[0]?.DeviceName).toBe('/dev/sda1')
      }
      emulator.clock.advance(duration / 2)
    }
    const progress = seen.map((s) => s.progress)
    expect(progress).toStrictEqual([...progress].sort((a, b) => a - b))
    expect(new Set(progress).size).toBe(progress.length)

    const done = await describeOne(emulator, id)
    expect(done.Status).toBe('completed')
    expect(done.ImageId).toMatch(/^ami-[0-9a-f]{17}$/)
    expect(done).not.toHaveProperty('Progress')
    expect(done).not.toHaveProperty('StatusMessage')
    expect(done.SnapshotDetails?.map((d) => d.SnapshotId)).toStrictEqual([
      expect.stringMatching(/^snap-[0-9a-f]{17}$/),
      expect.stringMatching(/^snap-[0-9a-f]{17}$/),
    ])
    expect(done).toMatchObject({ BootMode: 'uefi', Platform: 'Linux', LicenseType: 'BYOL', Architecture: 'x86_64' })
    expect(emulator.tasks()).toStrictEqual([done])
  })

  it('fills in what the service detects when the request left it out', async () => {
    const emulator = await start()
    const { ImportTaskId } = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    emulator.clock.advance(P.pending + P.converting)
    const task = await describeOne(emulator, ImportTaskId!)
    expect(task).toMatchObject({ Platform: 'Linux', Architecture: 'x86_64', LicenseType: 'BYOL', BootMode: 'legacy-bios', Tags: [] })
  })

  it('fails a disk that carries the failure marker: deleting, then deleted with a ClientError', async () => {
    const emulator = await start()
    const { ImportTaskId } = await ok(emulator, ImportImage, {
      DiskContainers: [{ Format: 'RAW', UserBucket: { S3Bucket: 'images', S3Key: 'will-fail.raw' } }],
    })
    emulator.clock.advance(P.pending + P.converting / 2)
    expect((await describeOne(emulator, ImportTaskId!)).Status).toBe('active')
    emulator.clock.advance(P.converting / 2)
    const deleting = await describeOne(emulator, ImportTaskId!)
    expect(deleting).toMatchObject({ Status: 'deleting', StatusMessage: 'ClientError: Unknown OS / Missing OS files.' })
    emulator.clock.advance(P.deleting)
    const deleted = await describeOne(emulator, ImportTaskId!)
    expect(deleted).toMatchObject({ Status: 'deleted', StatusMessage: 'ClientError: Unknown OS / Missing OS files.' })
    expect(deleted).not.toHaveProperty('Progress')
    expect(deleted).not.toHaveProperty('ImageId')
  })

  it('takes a custom failure marker and message, also in a Url', async () => {
    const emulator = await start({ failureMarker: 'broken', failureMessage: 'ClientError: Unsupported kernel version 4.15.0-1021-aws' })
    const { ImportTaskId } = await ok(emulator, ImportImage, {
      DiskContainers: [{ Format: 'VHD', Url: 'https://example.com/broken.vhd?X-Amz-Signature=abc' }],
    })
    emulator.clock.advance(P.pending + P.converting + P.deleting)
    expect(await describeOne(emulator, ImportTaskId!)).toMatchObject({
      Status: 'deleted',
      StatusMessage: 'ClientError: Unsupported kernel version 4.15.0-1021-aws',
    })
    // The presigned URL's signature stays out of the request log.
    expect(emulator.requests[0]?.params['DiskContainer.1.Url']).toBe('https://example.com/broken.vhd?[redacted]')
  })

  it('cancels an active task: deleting, then deleted "User canceled"; a finished task cannot be cancelled', async () => {
    const emulator = await start()
    const { ImportTaskId } = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    emulator.clock.advance(P.pending + 1000)
    const cancelled = await ok(emulator, CancelImportTask, { ImportTaskId: ImportTaskId! })
    expect(cancelled).toStrictEqual({ ImportTaskId, PreviousState: 'active', State: 'deleting' })
    expect(await describeOne(emulator, ImportTaskId!)).toMatchObject({ Status: 'deleting', StatusMessage: 'User canceled' })
    const again = await err(emulator, CancelImportTask, { ImportTaskId: ImportTaskId! })
    expect(again).toMatchObject({ status: 400, code: 'InvalidParameterValue' })
    expect(again.message).toContain("'deleting'")
    emulator.clock.advance(P.deleting)
    expect(await describeOne(emulator, ImportTaskId!)).toMatchObject({ Status: 'deleted', StatusMessage: 'User canceled' })
    // Even long after the cancel, the task never completes.
    emulator.clock.advance(60 * 60_000)
    expect((await describeOne(emulator, ImportTaskId!)).Status).toBe('deleted')

    const other = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    emulator.clock.advance(60 * 60_000)
    const late = await err(emulator, CancelImportTask, { ImportTaskId: other.ImportTaskId! })
    expect(late).toMatchObject({ status: 400, code: 'InvalidParameterValue' })
    expect(late.message).toContain("'completed'")
  })

  it('keeps a CancelReason as the status message', async () => {
    const emulator = await start()
    const { ImportTaskId } = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    await ok(emulator, CancelImportTask, { ImportTaskId: ImportTaskId!, CancelReason: 'wrong image' })
    emulator.clock.advance(P.deleting)
    expect(await describeOne(emulator, ImportTaskId!)).toMatchObject({ Status: 'deleted', StatusMessage: 'wrong image' })
  })

  it('answers InvalidConversionTaskId.Malformed for an unknown or malformed task id', async () => {
    const emulator = await start()
    const unknown = await err(emulator, DescribeImportImageTasks, { ImportTaskIds: ['import-ami-0123456789abcdef0'] })
    expect(unknown).toMatchObject({ status: 400, code: 'InvalidConversionTaskId.Malformed' })
    const malformed = await err(emulator, CancelImportTask, { ImportTaskId: 'nope' })
    expect(malformed).toMatchObject({ status: 400, code: 'InvalidConversionTaskId.Malformed' })
    expect(malformed.message).toContain('import-ami-')
    expect(await rawError(emulator, 'Action=CancelImportTask&Version=2016-11-15')).toMatchObject({
      status: 400,
      code: 'MissingParameter',
    })
  })

  it('forgets a finished task 7 days (emulator clock) after it ended, but keeps an active one', async () => {
    const emulator = await start({ phases: { converting: 8 * 24 * 60 * 60_000 } })
    const quick = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    await ok(emulator, CancelImportTask, { ImportTaskId: quick.ImportTaskId! })
    const slow = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    emulator.clock.advance(P.deleting + 7 * 24 * 60 * 60_000)
    expect(emulator.tasks().map((t) => t.ImportTaskId)).toStrictEqual([quick.ImportTaskId, slow.ImportTaskId])
    emulator.clock.advance(1)
    expect(emulator.tasks().map((t) => t.ImportTaskId)).toStrictEqual([slow.ImportTaskId])
    expect(await err(emulator, DescribeImportImageTasks, { ImportTaskIds: [quick.ImportTaskId!] })).toMatchObject({
      code: 'InvalidConversionTaskId.Malformed',
    })
  })

  it('with a sped-up clock, runs the import faster than the clock, which keeps real time', async () => {
    const emulator = await start({ clock: { speed: 1_000_000 } })
    const before = Date.now()
    const { ImportTaskId } = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    await new Promise((r) => setTimeout(r, 5))
    expect((await describeOne(emulator, ImportTaskId!)).Status).toBe('completed')
    expect(Math.abs(emulator.clock.now() - Date.now())).toBeLessThan(1000 + (Date.now() - before))
  })
})

// -------------------------------------------------------------------------------------------------
// DryRun and permissions
// -------------------------------------------------------------------------------------------------

describe('DryRun and permissions', () => {
  it('answers 412 DryRunOperation when allowed, and starts nothing', async () => {
    const emulator = await start()
    for (const [op, input] of [
      [ImportImage, { DiskContainers: [DISK], DryRun: true }],
      [DescribeImportImageTasks, { DryRun: true }],
      [CancelImportTask, { ImportTaskId: 'import-ami-0123456789abcdef0', DryRun: true }],
    ] as const) {
      const e = await err(emulator, op as Operation<unknown, unknown>, input)
      expect(e).toMatchObject({
        status: 412,
        code: 'DryRunOperation',
        message: 'Request would have succeeded, but DryRun flag is set.',
      })
    }
    expect(emulator.tasks()).toHaveLength(0)
  })

  it('answers 403 UnauthorizedOperation with an encoded message when the action is not allowed', async () => {
    const emulator = await start({ permissions: ['DescribeImportImageTasks'] })
    const dry = await err(emulator, ImportImage, { DiskContainers: [DISK], DryRun: true })
    expect(dry).toMatchObject({ status: 403, code: 'UnauthorizedOperation' })
    expect(dry.message).toMatch(/^You are not authorized to perform this operation\. Encoded authorization failure message: [\w-]{40,}$/)
    expect(await err(emulator, ImportImage, { DiskContainers: [DISK] })).toMatchObject({ status: 403, code: 'UnauthorizedOperation' })
    expect(await err(emulator, DescribeImportImageTasks, { DryRun: true })).toMatchObject({ status: 412, code: 'DryRunOperation' })
    expect(emulator.tasks()).toHaveLength(0)
  })
})

// -------------------------------------------------------------------------------------------------
// validation
// -------------------------------------------------------------------------------------------------

describe('request validation, answered EC2-style', () => {
  const V = 'Version=2016-11-15'
  const disk = 'DiskContainer.1.Format=VMDK&DiskContainer.1.UserBucket.S3Bucket=b&DiskContainer.1.UserBucket.S3Key=k.vmdk'
  interface Case {
    readonly name: string
    readonly status: number
    readonly code: string
    readonly body: string
    readonly mention?: string
  }
  const cases: ReadonlyArray<Case> = [
    { name: 'no disk container', status: 400, code: 'MissingParameter', body: `Action=ImportImage&${V}`, mention: 'DiskContainer' },
    { name: 'a format VM Import does not read', status: 400, code: 'InvalidParameterValue', body: `Action=ImportImage&${V}&DiskContainer.1.Format=qcow2&DiskContainer.1.Url=s3://b/k`, mention: 'DiskContainer.1.Format' },
    { name: 'KmsKeyId without Encrypted', status: 400, code: 'InvalidParameterDependency', body: `Action=ImportImage&${V}&${disk}&KmsKeyId=alias/x`, mention: 'KmsKeyId' },
    { name: 'KmsKeyId with Encrypted=false', status: 400, code: 'InvalidParameterDependency', body: `Action=ImportImage&${V}&${disk}&KmsKeyId=alias/x&Encrypted=false`, mention: 'Encrypted' },
    { name: 'LicenseType with UsageOperation', status: 400, code: 'InvalidParameterCombination', body: `Action=ImportImage&${V}&${disk}&LicenseType=AWS&UsageOperation=RunInstances:0002`, mention: 'UsageOperation' },
    { name: 'two sources for one disk', status: 400, code: 'InvalidParameterCombination', body: `Action=ImportImage&${V}&${disk}&DiskContainer.1.Url=s3://b/k`, mention: 'DiskContainer.1' },
    { name: 'a disk with no source', status: 400, code: 'MissingParameter', body: `Action=ImportImage&${V}&DiskContainer.1.Format=VMDK`, mention: 'DiskContainer.1' },
    { name: 'uefi-preferred', status: 400, code: 'InvalidParameterValue', body: `Action=ImportImage&${V}&${disk}&BootMode=uefi-preferred`, mention: 'uefi-preferred' },
    { name: 'arm64', status: 400, code: 'InvalidParameterValue', body: `Action=ImportImage&${V}&${disk}&Architecture=arm64`, mention: 'Architecture' },
    { name: 'a tag key starting with aws:', status: 400, code: 'InvalidParameterValue', body: `Action=ImportImage&${V}&${disk}&TagSpecification.1.ResourceType=import-image-task&TagSpecification.1.Tag.1.Key=aws:x&TagSpecification.1.Tag.1.Value=v`, mention: "aws:" },
    { name: 'a ClientToken over 64 characters', status: 400, code: 'InvalidParameterValue', body: `Action=ImportImage&${V}&${disk}&ClientToken=${'x'.repeat(65)}`, mention: 'ClientToken' },
    { name: 'a DryRun that is not a boolean', status: 400, code: 'InvalidParameterValue', body: `Action=DescribeImportImageTasks&${V}&DryRun=maybe`, mention: 'DryRun' },
    { name: 'a MaxResults that is not an integer', status: 400, code: 'InvalidParameterValue', body: `Action=DescribeImportImageTasks&${V}&MaxResults=ten`, mention: 'MaxResults' },
    { name: 'a MaxResults of 0', status: 400, code: 'InvalidParameterValue', body: `Action=DescribeImportImageTasks&${V}&MaxResults=0`, mention: 'MaxResults' },
    { name: 'an unknown filter', status: 400, code: 'InvalidParameterValue', body: `Action=DescribeImportImageTasks&${V}&Filters.1.Name=image-id&Filters.1.Value.1=ami-1`, mention: 'image-id' },
    { name: 'an unknown action', status: 400, code: 'InvalidAction', body: `Action=RunInstances&${V}`, mention: 'RunInstances' },
    { name: 'no action', status: 400, code: 'MissingAction', body: V },
    { name: 'no version', status: 400, code: 'MissingParameter', body: 'Action=DescribeImportImageTasks', mention: 'Version' },
    { name: 'an unknown parameter', status: 400, code: 'UnknownParameter', body: `Action=DescribeImportImageTasks&${V}&MaxResult=5`, mention: 'MaxResult' },
    { name: 'an unknown nested parameter', status: 400, code: 'UnknownParameter', body: `Action=ImportImage&${V}&${disk}&DiskContainer.1.UserBucket.S3Region=x`, mention: 'DiskContainer.1.UserBucket.S3Region' },
    { name: 'a list without an index', status: 400, code: 'UnknownParameter', body: `Action=DescribeImportImageTasks&${V}&ImportTaskId=import-ami-0123456789abcdef0`, mention: 'ImportTaskId' },
    { name: 'a bad percent escape', status: 404, code: 'MalformedQueryString', body: `Action=DescribeImportImageTasks&${V}&NextToken=%zz` },
    { name: 'an invalid NextToken', status: 400, code: 'InvalidPaginationToken', body: `Action=DescribeImportImageTasks&${V}&NextToken=bogus` },
  ]
  it.each(cases)('$name → $status $code', async ({ status, code, body, mention }) => {
    const emulator = await start()
    const e = await rawError(emulator, body)
    expect({ status: e.status, code: e.code }).toStrictEqual({ status, code })
    if (mention !== undefined) expect(e.message).toContain(mention)
    expect(emulator.tasks()).toHaveLength(0)
    expect(emulator.requests.at(-1)).toMatchObject({ status, errorCode: code })
  })

  it('answers any signed form body with a result or an EC2 error envelope, never a 500 or a dropped connection', async () => {
    const emulator = await start({ clock: { speed: 1000 } })
    const key = fc.oneof(
      fc.constantFrom(
        'DiskContainer.1.Format',
        'DiskContainer.1.Url',
        'DiskContainer.1.UserBucket.S3Key',
        'DiskContainer.0.Url',
        'DiskContainer',
        'DiskContainer.1',
        'DiskContainer.1.UserBucket',
        'ClientData.UploadStart',
        'ClientData.UploadSize',
        'MaxResults',
        'NextToken',
        'Filters.1.Name',
        'Filters.1.Value.1',
        'ImportTaskId',
        'ImportTaskId.1',
        'DryRun',
        'Encrypted',
        'KmsKeyId',
        'TagSpecification.1.Tag.1.Key',
        'CancelReason',
      ),
      fc.string({ maxLength: 12 }),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('ImportImage', 'DescribeImportImageTasks', 'CancelImportTask'),
        fc.array(fc.tuple(key, fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('true', 'VMDK', '5', 's3://b/k'))), {
          maxLength: 6,
        }),
        async (action, params) => {
          const body = [['Action', action], ['Version', '2016-11-15'], ...params]
            .map(([k, v]) => `${encodeURIComponent(k!)}=${encodeURIComponent(v!)}`)
            .join('&')
          const raw = await sendForm(emulator, body)
          expect(raw.status).not.toBe(500)
          expect(raw.body).toMatch(
            raw.status === 200
              ? new RegExp(`^<\\?xml[^>]*\\?>\\n<${action}Response xmlns=`)
              : /^<\?xml[^>]*\?>\n<Response><Errors><Error><Code>[A-Za-z.]+<\/Code>/,
          )
        },
      ),
      { numRuns: 150 },
    )
  })

  it('reads a GET request with the parameters in the query string', async () => {
    const emulator = await start()
    const raw = await sendForm(emulator, 'Action=DescribeImportImageTasks&Version=2016-11-15&MaxResults=5', { method: 'GET' })
    expect(raw.status).toBe(200)
    expect(raw.body).toContain('<importImageTaskSet/>')
  })
})

// -------------------------------------------------------------------------------------------------
// idempotency and limits
// -------------------------------------------------------------------------------------------------

describe('ClientToken idempotency', () => {
  it('returns the same task for the same token and parameters, and starts one task', async () => {
    const emulator = await start()
    const input = { DiskContainers: [DISK], ClientToken: 'build-42', Description: 'web' }
    const first = await ok(emulator, ImportImage, input)
    emulator.clock.advance(P.pending + 1)
    const second = await ok(emulator, ImportImage, input)
    expect(second.ImportTaskId).toBe(first.ImportTaskId)
    expect(second.StatusMessage).toBe('converting') // the task as it is now, not a new one
    expect(emulator.tasks()).toHaveLength(1)
  })

  it('answers IdempotentParameterMismatch for the same token with other parameters', async () => {
    const emulator = await start()
    await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'build-42' })
    const e = await err(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'build-42', Description: 'other' })
    expect(e).toMatchObject({ status: 400, code: 'IdempotentParameterMismatch' })
    expect(emulator.tasks()).toHaveLength(1)
  })

  it('counts a DryRun flag as no difference', async () => {
    const emulator = await start()
    const first = await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 't' })
    const second = await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 't', DryRun: false })
    expect(second.ImportTaskId).toBe(first.ImportTaskId)
  })
})

describe('ResourceLimitExceeded', () => {
  it('refuses a task beyond maxActiveTasks until one finishes, but still honours a retried token', async () => {
    const emulator = await start({ maxActiveTasks: 2 })
    const a = await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'a' })
    await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'b' })
    const e = await err(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'c' })
    expect(e).toMatchObject({ status: 400, code: 'ResourceLimitExceeded' })
    expect(e.message).toContain('2')
    expect((await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'a' })).ImportTaskId).toBe(a.ImportTaskId)
    await ok(emulator, CancelImportTask, { ImportTaskId: a.ImportTaskId! })
    await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'c' })
    expect(emulator.tasks()).toHaveLength(3)
  })
})

// -------------------------------------------------------------------------------------------------
// SigV4
// -------------------------------------------------------------------------------------------------

describe('SigV4 verification', () => {
  const body = 'Action=DescribeImportImageTasks&Version=2016-11-15'

  it('answers 401 AuthFailure for an access key it does not know', async () => {
    const emulator = await start()
    const e = await rawError(emulator, body, { credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } })
    expect(e).toMatchObject({ status: 401, code: 'AuthFailure' })
  })

  it('answers 403 SignatureDoesNotMatch for a wrong secret, a changed body or another region', async () => {
    const emulator = await start()
    const wrongSecret = await rawError(emulator, body, {
      credentials: { ...emulator.credentials, secretAccessKey: 'not-the-secret' },
    })
    expect(wrongSecret).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' })
    const tampered = await rawError(emulator, body, { tamper: (b) => `${b}&MaxResults=5` })
    expect(tampered).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' })
    const otherRegion = await rawError(emulator, body, { region: 'eu-west-1' })
    expect(otherRegion).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' })
    expect(otherRegion.message).toContain('eu-west-1')
  })

  it('answers 400 RequestExpired for a date more than 15 minutes off the emulator clock, and sends its clock in Date', async () => {
    const emulator = await start()
    const stale = await rawError(emulator, body, { now: new Date(emulator.clock.now() - 16 * 60_000) })
    expect(stale).toMatchObject({ status: 400, code: 'RequestExpired' })
    const future = await rawError(emulator, body, { now: new Date(emulator.clock.now() + 16 * 60_000) })
    expect(future).toMatchObject({ status: 400, code: 'RequestExpired' })
    const fine = await sendForm(emulator, body, { now: new Date(emulator.clock.now() - 14 * 60_000) })
    expect(fine.status).toBe(200)
    const fineAhead = await sendForm(emulator, body, { now: new Date(emulator.clock.now() + 14 * 60_000) })
    expect(fineAhead.status).toBe(200)

    // The clock the check uses is the emulator's: move it a day on, and a request signed with the host's time is
    // stale; its Date header says so.
    emulator.clock.advance(24 * 60 * 60_000)
    const host = await rawError(emulator, body, { now: new Date() })
    expect(host).toMatchObject({ status: 400, code: 'RequestExpired' })
    const date = Date.parse(String(host.raw.headers['date']))
    expect(Math.abs(date - emulator.clock.now())).toBeLessThan(2000)
    expect(date - Date.now()).toBeGreaterThan(23 * 60 * 60_000)
  })

  it('answers 403 MissingAuthenticationToken without an Authorization header, 400 IncompleteSignature for a broken one', async () => {
    const emulator = await start()
    const none = await request(emulator.endpoint, { method: 'POST', headers: { 'content-type': FORM }, body, dispatcher: agent })
    expect(none.statusCode).toBe(403)
    expect(await none.body.text()).toContain('<Code>MissingAuthenticationToken</Code>')
    const broken = await request(emulator.endpoint, {
      method: 'POST',
      headers: { 'content-type': FORM, authorization: 'AWS4-HMAC-SHA256 Credential=AKIA/x', 'x-amz-date': '20260101T000000Z' },
      body,
      dispatcher: agent,
    })
    expect(broken.statusCode).toBe(400)
    expect(await broken.body.text()).toContain('<Code>IncompleteSignature</Code>')
  })

  it('requires the session token of temporary credentials', async () => {
    const temp = { accessKeyId: 'ASIAEMULATOR', secretAccessKey: 'temp-secret', sessionToken: 'the-token' }
    const emulator = await start({ credentials: [DEFAULT_EMULATOR_CREDENTIALS, temp] })
    expect(emulator.credentials).toStrictEqual(DEFAULT_EMULATOR_CREDENTIALS)
    expect((await sendForm(emulator, body, { credentials: temp })).status).toBe(200)
    const { sessionToken: _t, ...noToken } = temp
    expect(await rawError(emulator, body, { credentials: noToken })).toMatchObject({ status: 401, code: 'AuthFailure' })
    expect(await rawError(emulator, body, { credentials: { ...temp, sessionToken: 'stolen' } })).toMatchObject({
      status: 401,
      code: 'AuthFailure',
    })
  })

  it('verifies over exactly the signed headers, whoever signed them (aws4 directly, extra signed headers)', async () => {
    const emulator = await start()
    const url = new URL(emulator.endpoint)
    const opts = aws4.sign(
      {
        host: url.host,
        method: 'POST',
        path: '/',
        service: 'ec2',
        region: emulator.region,
        headers: { 'Content-Type': FORM, 'amz-sdk-invocation-id': 'abc', 'X-Custom': '  two   spaces ' },
        body,
      },
      emulator.credentials,
    )
    // aws4 signs with the host's clock; the manual clock started from it, so they agree.
    const headers = opts.headers as Record<string, string>
    const res = await request(emulator.endpoint, { method: 'POST', headers, body, dispatcher: agent })
    expect(res.statusCode).toBe(200)
    await res.body.text()
    // An unsigned extra header does not matter; a changed signed one does.
    const changed = await request(emulator.endpoint, {
      method: 'POST',
      headers: { ...headers, 'amz-sdk-invocation-id': 'def', 'x-unsigned': '1' },
      body,
      dispatcher: agent,
    })
    expect(changed.statusCode).toBe(403)
    expect(await changed.body.text()).toContain('<Code>SignatureDoesNotMatch</Code>')
  })
})

// -------------------------------------------------------------------------------------------------
// describe: paging and filters
// -------------------------------------------------------------------------------------------------

describe('DescribeImportImageTasks paging and filters', () => {
  it('pages with MaxResults and NextToken, every task once, oldest first', async () => {
    const emulator = await start()
    const ids: Array<string> = []
    for (let i = 0; i < 5; i++) ids.push((await ok(emulator, ImportImage, { DiskContainers: [DISK] })).ImportTaskId!)
    const seen: Array<string> = []
    let token: string | undefined
    let pages = 0
    do {
      const page = await ok(emulator, DescribeImportImageTasks, token === undefined ? { MaxResults: 2 } : { MaxResults: 2, NextToken: token })
      pages++
      expect(page.ImportImageTasks!.length).toBeLessThanOrEqual(2)
      seen.push(...page.ImportImageTasks!.map((t) => t.ImportTaskId!))
      token = page.NextToken
      // a task started between pages shows up at the end, not twice
      if (pages === 1) ids.push((await ok(emulator, ImportImage, { DiskContainers: [DISK] })).ImportTaskId!)
    } while (token !== undefined)
    expect(pages).toBe(3)
    expect(seen).toStrictEqual(ids)
    const all = await ok(emulator, DescribeImportImageTasks, {})
    expect(all.ImportImageTasks).toHaveLength(6)
    expect(all).not.toHaveProperty('NextToken')
  })

  it('refuses a NextToken from another query', async () => {
    const emulator = await start()
    for (let i = 0; i < 3; i++) await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    const page = await ok(emulator, DescribeImportImageTasks, { MaxResults: 1 })
    const e = await err(emulator, DescribeImportImageTasks, {
      MaxResults: 1,
      NextToken: page.NextToken!,
      Filters: [{ Name: 'task-state', Values: ['active'] }],
    })
    expect(e).toMatchObject({ status: 400, code: 'InvalidPaginationToken' })
  })

  it('filters by task-state, tag:Key (with wildcards) and tag-key', async () => {
    const emulator = await start()
    const tagged = (tags: Array<{ Key: string; Value: string }>) =>
      ok(emulator, ImportImage, { DiskContainers: [DISK], TagSpecifications: [{ ResourceType: 'import-image-task', Tags: tags }] })
    const prod = await tagged([{ Key: 'Env', Value: 'prod' }, { Key: 'Team', Value: 'web' }])
    const staging = await tagged([{ Key: 'Env', Value: 'staging' }])
    const plain = await ok(emulator, ImportImage, { DiskContainers: [DISK] })
    await ok(emulator, CancelImportTask, { ImportTaskId: plain.ImportTaskId! })
    const ids = async (filters: Array<{ Name: string; Values: Array<string> }>) =>
      (await ok(emulator, DescribeImportImageTasks, { Filters: filters })).ImportImageTasks!.map((t) => t.ImportTaskId)

    expect(await ids([{ Name: 'task-state', Values: ['active'] }])).toStrictEqual([prod.ImportTaskId, staging.ImportTaskId])
    expect(await ids([{ Name: 'task-state', Values: ['deleting', 'deleted'] }])).toStrictEqual([plain.ImportTaskId])
    expect(await ids([{ Name: 'tag:Env', Values: ['prod'] }])).toStrictEqual([prod.ImportTaskId])
    expect(await ids([{ Name: 'tag:Env', Values: ['sta*'] }])).toStrictEqual([staging.ImportTaskId])
    expect(await ids([{ Name: 'tag-key', Values: ['Team'] }])).toStrictEqual([prod.ImportTaskId])
    expect(
      await ids([
        { Name: 'tag-key', Values: ['Env'] },
        { Name: 'tag:Env', Values: ['staging', 'dev'] },
      ]),
    ).toStrictEqual([staging.ImportTaskId])
    // by id and filter together
    const both = await ok(emulator, DescribeImportImageTasks, {
      ImportTaskIds: [prod.ImportTaskId!, plain.ImportTaskId!],
      Filters: [{ Name: 'task-state', Values: ['active'] }],
    })
    expect(both.ImportImageTasks!.map((t) => t.ImportTaskId)).toStrictEqual([prod.ImportTaskId])
  })
})

// -------------------------------------------------------------------------------------------------
// wire format
// -------------------------------------------------------------------------------------------------

describe('the wire format', () => {
  it("writes EC2's XML: namespace, requestId, item lists, Content-Type, and the error envelope", async () => {
    const emulator = await start()
    const r = await call(emulator, ImportImage, {
      DiskContainers: [DISK],
      TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'a&b', Value: '<x>' }] }],
    })
    expect(r._tag).toBe('Right')
    const { headers, body } = r.raw
    expect(headers['content-type']).toBe('text/xml;charset=UTF-8')
    expect(body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<ImportImageResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId>/)
    expect(body).toContain('<snapshotDetailSet><item>')
    expect(body).toContain('<tagSet><item><key>a&amp;b</key><value>&lt;x&gt;</value></item></tagSet>')
    expect(headers['x-amzn-requestid']).toBe(/<requestId>([^<]+)</.exec(body)?.[1])

    const e = await rawError(emulator, 'Action=Nope&Version=2016-11-15')
    expect(e.raw.body).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Response><Errors><Error><Code>InvalidAction<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
    )
    expect(e.raw.headers['content-type']).toBe('text/xml;charset=UTF-8')
  })

  it('reads back every member the serializer writes (QueryReader inverts QuerySerializer)', () => {
    const full: ImportImageRequest = {
      Architecture: 'i386',
      ClientData: { Comment: 'c', UploadEnd: new Date('2026-01-02T03:04:05.678Z'), UploadSize: 1.5, UploadStart: new Date('2026-01-02T03:00:00Z') },
      ClientToken: 'tok',
      Description: 'd é 🚀 & = + %',
      DiskContainers: [
        { Description: 'x', DeviceName: '/dev/sda1', Format: 'ova', UserBucket: { S3Bucket: 'b', S3Key: 'k k' } },
        { SnapshotId: 'snap-1' },
        { Url: 'https://h/p?q=1&r=2' },
      ],
      DryRun: false,
      Encrypted: true,
      Hypervisor: 'xen',
      KmsKeyId: 'arn:aws:kms:us-east-1:1:key/k',
      LicenseType: 'AWS',
      Platform: 'Windows',
      RoleName: 'vmimport',
      LicenseSpecifications: [{ LicenseConfigurationArn: 'arn:1' }, { LicenseConfigurationArn: 'arn:2' }],
      TagSpecifications: [{ ResourceType: 'import-image-task', Tags: [{ Key: 'k', Value: '' }, { Key: 'j', Value: 'v' }] }],
      BootMode: 'uefi',
    }
    const body = serializeRequest(ImportImage, full, () => 'unused')
    const form = parseForm(body)
    if (form._tag === 'Left') throw new Error(form.left.message)
    const read = readQuery(asWire(ImportImage.input), form.right.filter(([k]) => k !== 'Action' && k !== 'Version'))
    expect(read).toStrictEqual({ _tag: 'Right', right: full })
  })

  it('round-trips random describe queries through the serializer and the reader', () => {
    const filter = fc.record({ Name: fc.string(), Values: fc.array(fc.string(), { minLength: 1, maxLength: 3 }) })
    fc.assert(
      fc.property(
        fc.record(
          {
            DryRun: fc.boolean(),
            Filters: fc.array(filter, { minLength: 1, maxLength: 3 }),
            ImportTaskIds: fc.array(fc.string(), { minLength: 1, maxLength: 3 }),
            MaxResults: fc.integer({ min: -5, max: 1000 }),
            NextToken: fc.string(),
          },
          { requiredKeys: [] },
        ),
        (input) => {
          const form = parseForm(serializeRequest(DescribeImportImageTasks, input, () => 'unused'))
          if (form._tag === 'Left') throw new Error(form.left.message)
          const read = readQuery(asWire(DescribeImportImageTasks.input), form.right.slice(2))
          expect(read).toStrictEqual({ _tag: 'Right', right: JSON.parse(JSON.stringify(input)) })
        },
      ),
      { numRuns: 200 },
    )
  })

  it('writes what XmlReader reads back (XmlWriter inverts XmlReader)', () => {
    const value = {
      ImportImageTasks: [
        {
          ImportTaskId: 'import-ami-0123456789abcdef0',
          Encrypted: false,
          SnapshotDetails: [{ DiskImageSize: 1073741824, Status: 'completed', UserBucket: { S3Bucket: 'b', S3Key: 'k' } }],
          Tags: [],
          StatusMessage: 'line\r\nbreak \u0001',
          BootMode: 'uefi',
        },
      ],
      NextToken: 'n',
    }
    const body = writeResult('DescribeImportImageTasks', asWire(DescribeImportImageTasks.output), value, 'rid')
    const doc = parseXml(body)
    if (doc._tag !== 'Right') throw new Error('not XML')
    const root = doc.right['DescribeImportImageTasksResponse']!
    expect(readXml(asWire(DescribeImportImageTasks.output), root)).toStrictEqual({
      _tag: 'Right',
      right: { ...value, ImportImageTasks: [{ ...value.ImportImageTasks[0], StatusMessage: 'line\r\nbreak \uFFFD' }] },
    })
  })
})

// -------------------------------------------------------------------------------------------------
// request log
// -------------------------------------------------------------------------------------------------

describe('the request log', () => {
  it('records action, params, headers without secrets, status, error code and time, and calls onRequest', async () => {
    const hooked: Array<string> = []
    const emulator = await start({ onRequest: (r) => hooked.push(`${r.action}:${r.status}`) })
    await ok(emulator, ImportImage, { DiskContainers: [DISK], ClientToken: 'tok' })
    await err(emulator, CancelImportTask, { ImportTaskId: 'bad' })
    const [first, second] = emulator.requests
    expect(first).toMatchObject({
      action: 'ImportImage',
      status: 200,
      params: { Action: 'ImportImage', Version: '2016-11-15', 'DiskContainer.1.Format': 'VMDK', ClientToken: 'tok' },
      timestamp: expect.any(Number),
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    })
    expect(first).not.toHaveProperty('errorCode')
    expect(first?.headers['authorization']).toBe('[redacted]')
    expect(first?.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/)
    expect(JSON.stringify(emulator.requests)).not.toContain(emulator.credentials.secretAccessKey)
    expect(second).toMatchObject({ action: 'CancelImportTask', status: 400, errorCode: 'InvalidConversionTaskId.Malformed' })
    expect(hooked).toStrictEqual(['ImportImage:200', 'CancelImportTask:400'])
  })

  it('survives an onRequest hook that throws', async () => {
    const emulator = await start({
      onRequest: () => {
        throw new Error('hook')
      },
    })
    expect((await ok(emulator, DescribeImportImageTasks, {})).ImportImageTasks).toStrictEqual([])
    expect((await ok(emulator, DescribeImportImageTasks, {})).ImportImageTasks).toStrictEqual([])
  })
})

// -------------------------------------------------------------------------------------------------
// faults
// -------------------------------------------------------------------------------------------------

describe('fault injection', () => {
  const body = 'Action=DescribeImportImageTasks&Version=2016-11-15'

  it('throttles with 503 RequestLimitExceeded', async () => {
    const emulator = await start({ faults: { throttleRate: 1, seed: 1 } })
    const e = await rawError(emulator, body)
    expect(e).toMatchObject({ status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.' })
    expect(emulator.requests[0]).toMatchObject({ status: 503, errorCode: 'RequestLimitExceeded', fault: 'throttle' })
  })

  it('fails with 500 InternalError or 503 Unavailable, and starts no task', async () => {
    const emulator = await start({ faults: { serverErrorRate: 1, seed: 7 } })
    const seen = new Set<string>()
    for (let i = 0; i < 12; i++) {
      const e = await err(emulator, ImportImage, { DiskContainers: [DISK] })
      seen.add(`${e.status} ${e.code}`)
    }
    expect(seen).toStrictEqual(new Set(['500 InternalError', '503 Unavailable']))
    expect(emulator.tasks()).toHaveLength(0)
  })

  it('resets the connection before responding, and starts no task', async () => {
    const emulator = await start({ faults: { resetRate: 1 } })
    await expect(sendForm(emulator, serializeRequest(ImportImage, { DiskContainers: [DISK] }, () => 't'))).rejects.toMatchObject({
      code: expect.stringMatching(/^(UND_ERR_SOCKET|ECONNRESET)$/),
    })
    expect(emulator.tasks()).toHaveLength(0)
    expect(emulator.requests[0]).toMatchObject({ action: 'ImportImage', status: 0, fault: 'reset' })
  })

  it('adds latency', async () => {
    const emulator = await start({ faults: { latencyMs: 60 } })
    const t0 = performance.now()
    expect((await sendForm(emulator, body)).status).toBe(200)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55)
  })

  it('draws the same faults for the same seed and request order', async () => {
    const faults = { throttleRate: 0.3, serverErrorRate: 0.3, seed: 42 }
    const run = async () => {
      const emulator = await start({ faults })
      const out: Array<string> = []
      for (let i = 0; i < 20; i++) out.push(`${(await sendForm(emulator, body)).status}`)
      return out
    }
    const a = await run()
    const b = await run()
    expect(a).toStrictEqual(b)
    expect(new Set(a).size).toBeGreaterThan(1)
    expect(seededRandom(42)()).toBe(seededRandom(42)())
  })
})

// -------------------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------------------

describe('options', () => {
  it('refuses settings that cannot work, before listening', async () => {
    await expect(startEmulator({ clock: { speed: -1 } })).rejects.toThrow(RangeError)
    await expect(startEmulator({ phases: { converting: Number.NaN } })).rejects.toThrow(/phases\.converting/)
    await expect(startEmulator({ maxActiveTasks: 1.5 })).rejects.toThrow(/maxActiveTasks/)
    await expect(startEmulator({ faults: { throttleRate: 2 } })).rejects.toThrow(/throttleRate/)
    await expect(startEmulator({ credentials: [] })).rejects.toThrow(/credentials/)
  })

  it('serves another region and refuses a backwards clock', async () => {
    const emulator = await start({ region: 'eu-west-1' })
    expect(emulator.region).toBe('eu-west-1')
    expect((await ok(emulator, DescribeImportImageTasks, {})).ImportImageTasks).toStrictEqual([])
    expect(() => emulator.clock.advance(-1)).toThrow(RangeError)
  })
})

// -------------------------------------------------------------------------------------------------
// close
// -------------------------------------------------------------------------------------------------

describe('close()', () => {
  let port = 0
  beforeAll(async () => {
    // a port that was free a moment ago
    const probe = createServer()
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r))
    port = (probe.address() as { port: number }).port
    await new Promise<void>((r) => probe.close(() => r()))
  })

  it('frees the port, even with a keep-alive connection and a request held by latency', async () => {
    const emulator = await startEmulator({ port, clock: 'manual', faults: { latencyMs: 60_000 } })
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${port}`)
    const pending = sendForm(emulator, 'Action=DescribeImportImageTasks&Version=2016-11-15').catch((e: unknown) => e)
    await new Promise((r) => setTimeout(r, 20))
    const t0 = performance.now()
    await emulator.close()
    await emulator.close() // idempotent
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(await pending).toBeInstanceOf(Error)
    const again = await startEmulator({ port })
    expect(again.port).toBe(port)
    await again.close()
  })
})
