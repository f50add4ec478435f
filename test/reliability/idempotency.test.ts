/**
 * No duplicate imports. Under every retryable fault the emulator records exactly one task per successful call,
 * every attempt of a call carries the call's one `ClientToken`, and a response lost *after* the service acted (the
 * case a `ClientToken` exists for) still yields the one task. A waiter that loses its connection keeps polling and
 * reports the single task.
 */
import { describe, expect, it } from 'vitest'
import { createClient, type Ec2ImportClient } from '../../src/Client.js'
import type { ClientConfig } from '../../src/ClientConfig.js'
import { seededRandom } from '../../src/emulator/Faults.js'
import { startEmulator, type Emulator, type EmulatorFaults } from '../../src/emulator.js'
import type { ImportProgress } from '../../src/Waiter.js'
import { attemptsOf, isTypedEither, outcomeOf, recordCase, settle } from './helpers/cases.js'
import { startTcpProxy } from './helpers/net.js'
import { CREDENTIALS, EMPTY_ENVIRONMENT } from './helpers/secrets.js'
import { watchFile } from './helpers/sweep.js'

const watch = watchFile('idempotency.test.ts', 'idempotency')
const sink = watch.sink

const CALLS = 40

/** A client whose idempotency tokens are `tok-<prefix>-<n>` in call order, so a test can map calls to tokens. */
const tokenClient = (endpoint: string, prefix: string, extra: Partial<ClientConfig> = {}): { client: Ec2ImportClient; tokens: Array<string> } => {
  const tokens: Array<string> = []
  const client = createClient(
    {
      region: 'us-east-1',
      endpoint,
      credentials: CREDENTIALS,
      logger: sink.logger,
      maxAttempts: 8,
      retry: { baseDelayMs: 5, maxDelayMs: 30 },
      requestTimeoutMs: 2_000,
      ...extra,
    },
    {
      environment: EMPTY_ENVIRONMENT,
      uuid: () => {
        const t = `tok-${prefix}-${tokens.length}`
        tokens.push(t)
        return t
      },
    },
  )
  return { client, tokens }
}

const disk = (i: number) => ({ DiskContainers: [{ Format: 'VMDK' as const, UserBucket: { S3Bucket: 'images', S3Key: `disk-${i}.vmdk` } }] })

interface Tally {
  readonly rights: number
  readonly lefts: number
  readonly tasks: number
  readonly faults: number
  readonly requests: number
  readonly maxAttempts: number
}

/**
 * Run `CALLS` concurrent imports, then check, per call: its attempts all carried its token (the emulator saw the
 * token exactly as often as the call says it tried, when every attempt reached it), at most one task has its token,
 * and a successful call's `ImportTaskId` is that task.
 */
const runImports = async (em: Emulator, endpoint: string, prefix: string, everyAttemptLogged: boolean): Promise<Tally> => {
  const { client, tokens } = tokenClient(endpoint, prefix)
  const results = await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      const s = await settle(() => client.importImage(disk(i))(), 30_000)
      return s
    }),
  )
  await client.close()
  expect(tokens).toHaveLength(CALLS)
  const log = em.requests
  const tasks = em.tasks()
  const taskIds = new Set(tasks.map((t) => t.ImportTaskId))
  let rights = 0
  let maxAttempts = 0
  const rightIds = new Set<string>()
  results.forEach((s, i) => {
    expect(s._tag).toBe('Value')
    if (s._tag !== 'Value') return
    const r = s.value
    sink.either(r)
    expect(isTypedEither(r), outcomeOf(r)).toBe(true)
    const token = tokens[i]!
    const mine = log.filter((q) => q.params['ClientToken'] === token)
    const attempts = attemptsOf(r) ?? 0
    maxAttempts = Math.max(maxAttempts, attempts)
    if (everyAttemptLogged) expect(mine.length, `call ${i}`).toBe(attempts)
    else expect(mine.length, `call ${i}`).toBeLessThanOrEqual(attempts)
    // Served answers for this token all name one task (or none was made).
    const served = new Set(mine.filter((q) => q.status === 200).map((q) => q.requestId))
    if (r._tag === 'Right') {
      rights++
      expect(served.size).toBeGreaterThan(0)
      expect(taskIds.has(r.right.ImportTaskId)).toBe(true)
      expect(rightIds.has(r.right.ImportTaskId!)).toBe(false)
      rightIds.add(r.right.ImportTaskId!)
    }
  })
  // One task per token that was ever served, and no task without a served token.
  const tokensServed = new Set(log.filter((q) => q.status === 200).map((q) => q.params['ClientToken']))
  expect(tasks.length).toBe(tokensServed.size)
  // Every request of the run carried one of the run's tokens: no attempt made up a new one.
  expect(log.every((q) => tokens.includes(q.params['ClientToken']!))).toBe(true)
  return {
    rights,
    lefts: CALLS - rights,
    tasks: tasks.length,
    faults: log.filter((q) => q.fault !== undefined).length,
    requests: log.length,
    maxAttempts,
  }
}

const FAULTS: ReadonlyArray<readonly [string, EmulatorFaults]> = [
  ['resets before the response (resetRate 0.5)', { resetRate: 0.5, seed: 11 }],
  ['RequestLimitExceeded (throttleRate 0.5)', { throttleRate: 0.5, seed: 12 }],
  ['500 InternalError / 503 Unavailable (serverErrorRate 0.5)', { serverErrorRate: 0.5, seed: 13 }],
  ['all three at once (0.2 each)', { resetRate: 0.2, throttleRate: 0.2, serverErrorRate: 0.2, seed: 14 }],
]

describe('one task per call under every retryable fault', () => {
  it.for(FAULTS)('%s', async ([name, faults], ctx) => {
    const em = await startEmulator({ clock: 'manual', credentials: CREDENTIALS, maxActiveTasks: 10_000, faults })
    const started = performance.now()
    const t = await runImports(em, em.endpoint, String(faults.seed), true)
    await em.close()
    recordCase(ctx, {
      area: 'idempotency',
      name: `${CALLS} concurrent imports, emulator ${name}`,
      expected: 'tasks = Rights, 1 ClientToken per call, attempts = requests seen',
      actual: `${t.rights} Right, ${t.lefts} Left, ${t.tasks} tasks; ${t.faults} faults in ${t.requests} requests`,
      attempts: `max ${t.maxAttempts}`,
      ms: performance.now() - started,
    })
    expect(t.tasks).toBe(t.rights)
    expect(t.faults).toBeGreaterThan(CALLS / 4)
    expect(t.rights).toBeGreaterThan(CALLS / 2)
  })

  it('responses lost after the service acted (proxy resets 40% of responses)', async (ctx) => {
    const em = await startEmulator({ clock: 'manual', credentials: CREDENTIALS, maxActiveTasks: 10_000 })
    const random = seededRandom(21)
    const proxy = await startTcpProxy(em.endpoint, { dropResponse: () => random() < 0.4 })
    const started = performance.now()
    // The emulator logs every request (the proxy, not the emulator, loses the answers).
    const t = await runImports(em, proxy.endpoint, 'lost', true)
    const dropped = proxy.dropped()
    await proxy.close()
    await em.close()
    recordCase(ctx, {
      area: 'idempotency',
      name: `${CALLS} concurrent imports, 40% of answers lost after EC2 acted`,
      expected: 'one task per call that reached EC2; each Right names its task; no second task on retry',
      actual: `${t.rights} Right, ${t.lefts} Left, ${t.tasks} tasks; ${dropped} answers lost in ${t.requests} requests`,
      attempts: `max ${t.maxAttempts}`,
      ms: performance.now() - started,
    })
    expect(dropped).toBeGreaterThan(CALLS / 5)
    // runImports checked one task per token served. A Left here (every answer of a call lost, ~1 in 6,000 per
    // call) leaves its one task behind, which the caller could only find again by the ClientToken.
    expect(t.tasks).toBeGreaterThanOrEqual(t.rights)
    expect(t.tasks).toBeLessThanOrEqual(CALLS)
    expect(t.rights).toBeGreaterThan(CALLS - 3)
  })
})

describe('a waiter that loses its connection', () => {
  const waitCase = async (
    name: string,
    faults: EmulatorFaults | undefined,
    path: (em: Emulator) => Promise<{ endpoint: string; lost: () => number; close: () => Promise<void> }>,
    ctx: Parameters<typeof recordCase>[0],
  ) => {
    // Import work moves 1 s per poll the emulator answers (or resets): the 10 s import takes ten polls however
    // fast or slow the machine is, so the seeded losses below fall on the same polls on every run.
    let self: Emulator | undefined
    const em = await startEmulator({
      clock: 'manual',
      phases: { pending: 1_000, converting: 3_000, updating: 2_000, booting: 2_000, preparingAmi: 2_000 },
      credentials: CREDENTIALS,
      onRequest: (q) => {
        if (q.action === 'DescribeImportImageTasks') self?.clock.advance(1_000)
      },
      ...(faults === undefined ? {} : { faults }),
    })
    self = em
    const importer = tokenClient(em.endpoint, 'w', { maxAttempts: 10 }).client
    const started = await importer.importImage(disk(0))()
    await importer.close()
    if (started._tag !== 'Right') throw new Error(outcomeOf(started))
    const id = started.right.ImportTaskId!
    const via = await path(em)
    // One attempt per poll: the waiter itself sees every lost connection and must poll on through it.
    const waiter = tokenClient(via.endpoint, 'w2', { maxAttempts: 1 }).client
    const seen: Array<ImportProgress> = []
    const t0 = performance.now()
    const s = await settle(
      () => waiter.waitForImportImageTask(id, { minDelayMs: 20, maxDelayMs: 60, timeoutMs: 20_000, onProgress: (p) => seen.push(p) })(),
      25_000,
    )
    await waiter.close()
    const lost = via.lost()
    await via.close()
    const tasks = em.tasks()
    const polls = em.requests.filter((q) => q.action === 'DescribeImportImageTasks').length
    await em.close()
    const r = s._tag === 'Value' ? s.value : undefined
    sink.either(r)
    recordCase(ctx, {
      area: 'idempotency',
      name,
      expected: 'Right completed with ImageId; 1 task; progress only for it',
      actual: `${outcomeOf(r)} ${r?._tag === 'Right' ? r.right.ImageId ?? '' : ''}; ${tasks.length} task(s); ${lost} of ${polls} polls lost`,
      attempts: `${seen.length} progress reports`,
      ms: performance.now() - t0,
    })
    expect(s._tag).toBe('Value')
    expect(r?._tag).toBe('Right')
    if (r?._tag === 'Right') {
      expect(r.right.ImportTaskId).toBe(id)
      expect(r.right.Status).toBe('completed')
      expect(r.right.ImageId).toMatch(/^ami-/)
    }
    expect(tasks).toHaveLength(1)
    expect(new Set(seen.map((p) => p.importTaskId))).toEqual(new Set([id]))
    expect(lost).toBeGreaterThan(0)
  }

  it('through a proxy that resets 40% of its answers', async (ctx) => {
    const random = seededRandom(31)
    await waitCase(
      'waiter, 40% of poll answers lost (proxy reset after EC2 answered)',
      undefined,
      async (em) => {
        const proxy = await startTcpProxy(em.endpoint, { dropResponse: () => random() < 0.4 })
        return { endpoint: proxy.endpoint, lost: proxy.dropped, close: proxy.close }
      },
      ctx,
    )
  })

  it('against the emulator resetting 40% of the connections', async (ctx) => {
    let emulator: Emulator | undefined
    await waitCase(
      'waiter, emulator resetRate 0.4',
      { resetRate: 0.4, seed: 41 },
      async (em) => {
        emulator = em
        return {
          endpoint: em.endpoint,
          lost: () => emulator!.requests.filter((q) => q.action === 'DescribeImportImageTasks' && q.fault === 'reset').length,
          close: async () => undefined,
        }
      },
      ctx,
    )
  })
})

watch.sweep()
