import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createClient, type Runtime } from '../src/Client.js'
import { classifyImportFailure } from '../src/ImportTaskFailure.js'
import type { ImportProgress } from '../src/Waiter.js'
import { ec2Error, NS, startScriptedServer, type ScriptedServer } from './helpers/scripted-server.js'

let server: ScriptedServer
let now: number
let sleeps: Array<number>

const runtime = (): Partial<Runtime> => ({
  now: () => now,
  random: () => 0,
  sleep: async (ms) => {
    sleeps.push(ms)
    now += ms
  },
  environment: { env: {}, homedir: '/nonexistent-home' } as never,
})
const client = () =>
  createClient(
    { region: 'us-east-1', endpoint: server.endpoint, credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' }, maxAttempts: 1 },
    runtime(),
  )

const task = (id: string, status: string, message?: string, progress?: string, extra = '') =>
  `<item><importTaskId>${id}</importTaskId><status>${status}</status>${message === undefined ? '' : `<statusMessage>${message}</statusMessage>`}${progress === undefined ? '' : `<progress>${progress}</progress>`}${extra}</item>`
const page = (...items: Array<string>) =>
  `<DescribeImportImageTasksResponse xmlns="${NS}"><requestId>r</requestId><importImageTaskSet>${items.join('')}</importImageTaskSet></DescribeImportImageTasksResponse>`

beforeEach(async () => {
  server = await startScriptedServer()
  now = Date.UTC(2026, 10, 27, 12, 0, 0)
  sleeps = []
})
afterEach(async () => {
  await server.close()
})

describe('waitForImportImageTask', () => {
  it('reports progress per task and per disk and succeeds on completed with the ImageId', async () => {
    const disk = (status: string, p: string) =>
      `<snapshotDetailSet><item><deviceName>/dev/sda1</deviceName><status>${status}</status><progress>${p}</progress></item></snapshotDetailSet>`
    server.script(
      { status: 200, body: page(task('import-ami-1', 'active', 'pending', '2', disk('active', '0'))) },
      { status: 200, body: page(task('import-ami-1', 'active', 'converting', '28', disk('active', '40'))) },
      { status: 200, body: page(task('import-ami-1', 'active', 'booting', '75', disk('completed', '100'))) },
      { status: 200, body: page(task('import-ami-1', 'completed', undefined, undefined, '<imageId>ami-0123456789abcdef0</imageId>')) },
    )
    const c = client()
    const seen: Array<ImportProgress> = []
    const r = await c.waitForImportImageTask('import-ami-1', { onProgress: (p) => seen.push(p) })()
    await c.close()
    expect(r._tag === 'Right' && r.right.ImageId).toBe('ami-0123456789abcdef0')
    expect(seen.map((p) => [p.statusMessage, p.progress])).toEqual([
      ['pending', 2],
      ['converting', 28],
      ['booting', 75],
      [undefined, undefined],
    ])
    expect(seen[2]!.disks).toEqual([{ deviceName: '/dev/sda1', status: 'completed', statusMessage: undefined, progress: 100 }])
    // default backoff starts at 15 s and doubles (random() = 0 picks the floor of each jitter window)
    expect(sleeps).toEqual([15_000, 15_000, 15_000])
    expect(server.requests.map((q) => q.params.get('ImportTaskId.1'))).toEqual(Array(4).fill('import-ami-1'))
  })

  it('fails fast on deleted, with the StatusMessage classified', async () => {
    server.script({ status: 200, body: page(task('import-ami-2', 'deleted', 'ClientError: Unsupported kernel version 4.15.0-1021-aws')) })
    const c = client()
    const r = await c.waitForImportImageTask('import-ami-2')()
    await c.close()
    if (r._tag !== 'Left' || r.left._tag !== 'WaitError') throw new Error(JSON.stringify(r))
    expect(r.left.reason).toBe('task-failed')
    expect(r.left.failure?.reason).toBe('unsupported-kernel')
    expect(r.left.message).toContain('Unsupported kernel version 4.15.0-1021-aws')
    expect(server.requests).toHaveLength(1)
  })

  it('treats a task that is not there as not found, not a hang', async () => {
    server.script({ status: 200, body: page() })
    const c = client()
    const r = await c.waitForImportImageTask('import-ami-old')()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'WaitError' && r.left.reason).toBe('task-not-found')
  })

  it('treats an unknown-id error from EC2 as not found', async () => {
    server.script({ status: 400, body: ec2Error('InvalidConversionTaskId.Malformed', "The given conversion task ID 'x' is malformed") })
    const c = client()
    const r = await c.waitForImportImageTask('x')()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'WaitError' && r.left.reason).toBe('task-not-found')
  })

  it('keeps polling through a dropped connection and throttling', async () => {
    server.script(
      { reset: true },
      { status: 503, body: ec2Error('RequestLimitExceeded', 'Request limit exceeded.') },
      { status: 200, body: page(task('import-ami-3', 'completed', undefined, undefined, '<imageId>ami-3</imageId>')) },
    )
    const c = client()
    const r = await c.waitForImportImageTask('import-ami-3', { minDelayMs: 1000, maxDelayMs: 1000 })()
    await c.close()
    expect(r._tag === 'Right' && r.right.ImageId).toBe('ami-3')
  })

  it('gives up at the deadline and, when asked, cancels the task with a reason', async () => {
    server.script({
      custom: (req, res) => {
        const action = new URLSearchParams(server.requests.at(-1)!.body).get('Action')
        res.writeHead(200, { 'content-type': 'text/xml' })
        res.end(
          action === 'CancelImportTask'
            ? `<CancelImportTaskResponse xmlns="${NS}"><requestId>c</requestId><importTaskId>import-ami-4</importTaskId><previousState>active</previousState><state>deleting</state></CancelImportTaskResponse>`
            : page(task('import-ami-4', 'active', 'converting', '10')),
        )
        void req
      },
    })
    const c = client()
    const r = await c.waitForImportImageTask('import-ami-4', { timeoutMs: 60_000, minDelayMs: 20_000, maxDelayMs: 20_000, cancelOnAbort: true })()
    await c.close()
    if (r._tag !== 'Left' || r.left._tag !== 'WaitError') throw new Error(JSON.stringify(r))
    expect(r.left.reason).toBe('timeout')
    expect(r.left.cancelled).toBe(true)
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000)
    const cancel = server.requests.find((q) => q.params.get('Action') === 'CancelImportTask')!
    expect(cancel.params.get('ImportTaskId')).toBe('import-ami-4')
    expect(cancel.params.get('CancelReason')).toBe('Cancelled: the waiter timed out')
  })

  it('stops on abort without cancelling unless asked', async () => {
    server.script({ status: 200, body: page(task('import-ami-5', 'active', 'updating', '50')) })
    const c = client()
    const ac = new AbortController()
    const r = await c.waitForImportImageTask('import-ami-5', {
      signal: ac.signal,
      onProgress: () => ac.abort(),
    })()
    await c.close()
    expect(r._tag === 'Left' && r.left._tag === 'WaitError' && [r.left.reason, r.left.cancelled]).toEqual(['aborted', false])
    expect(server.requests.every((q) => q.params.get('Action') === 'DescribeImportImageTasks')).toBe(true)
  })

  it('batches the polls of concurrent waiters into one DescribeImportImageTasks call', async () => {
    server.script({
      status: 200,
      body: page(
        task('import-ami-a', 'completed', undefined, undefined, '<imageId>ami-a</imageId>'),
        task('import-ami-b', 'completed', undefined, undefined, '<imageId>ami-b</imageId>'),
        task('import-ami-c', 'completed', undefined, undefined, '<imageId>ami-c</imageId>'),
      ),
    })
    const c = client()
    const results = await Promise.all(['import-ami-a', 'import-ami-b', 'import-ami-c'].map((id) => c.waitForImportImageTask(id)()))
    await c.close()
    expect(results.map((r) => r._tag === 'Right' && r.right.ImageId)).toEqual(['ami-a', 'ami-b', 'ami-c'])
    expect(server.requests).toHaveLength(1)
    const p = server.requests[0]!.params
    expect([p.get('ImportTaskId.1'), p.get('ImportTaskId.2'), p.get('ImportTaskId.3')]).toEqual(['import-ami-a', 'import-ami-b', 'import-ami-c'])
  })
})

describe('classifyImportFailure', () => {
  it.each([
    ['ClientError: Unsupported kernel version 4.15.0-1021-aws', 'unsupported-kernel'],
    ['ClientError: Unknown OS / Missing OS files.', 'unknown-os'],
    ['ClientError: Disk validation failed [We do not have access to the given resource. Reason 403 Forbidden]', 'disk-access-denied'],
    ['Disk validation failed [Unsupported OVA format]', 'disk-validation'],
    ['ClientError: No valid partitions. Not a valid volume.', 'no-valid-partitions'],
    ['ClientError: BLSC-style GRUB found, but unable to detect default kernel', 'bootloader'],
    ['FirstBootFailure: This import request failed because the instance failed to boot and establish network connectivity.', 'first-boot-failure'],
    ['ServerError: The service role vmimport provided does not exist or does not have sufficient permissions', 'service-role'],
    ['User canceled', 'cancelled'],
    ['Something new', 'unknown'],
  ])('%s → %s', (message, reason) => {
    const f = classifyImportFailure(message)
    expect(f.reason).toBe(reason)
    expect(f.statusMessage).toBe(message)
    expect(f.hint.length).toBeGreaterThan(10)
  })
})
