/**
 * Load: 1,000 concurrent `importImage` calls and 200 concurrent waiters against the emulator with about 20% of
 * requests failing (resets, throttling, 5xx). Every call ends (a Right or a typed Left), tasks = successful calls,
 * the retry quota stops a retry storm, every socket is released after `close()`, and the heap returns to baseline.
 *
 * The client reaches the emulator through a counting TCP proxy: the proxy's accepted sockets are the server side of
 * every connection the client opens, so "released" is counted where it matters, at the server.
 */
import { describe, expect, it, type TestContext } from 'vitest'
import { createClient } from '../../src/Client.js'
import { startEmulator } from '../../src/emulator.js'
import { attemptsOf, delay, eventually, isTypedEither, outcomeOf, recordCase, settle } from './helpers/cases.js'
import { importImageOk, startScriptedServer } from '../helpers/scripted-server.js'
import { getGc, settledHeap, startTcpProxy } from './helpers/net.js'
import { CREDENTIALS, EMPTY_ENVIRONMENT } from './helpers/secrets.js'
import { watchFile } from './helpers/sweep.js'

const watch = watchFile('load.test.ts', 'load')
const sink = watch.sink

const IMPORTS = 1_000
const WAITERS = 200
/** Heap growth allowed after everything is closed and collected. */
const HEAP_SLACK_MB = 8

const disk = (i: number) => ({ DiskContainers: [{ Format: 'VMDK' as const, UserBucket: { S3Bucket: 'images', S3Key: `load/disk-${i}.vmdk` } }] })

const count = <A>(xs: ReadonlyArray<A>, key: (a: A) => string): Record<string, number> => {
  const out: Record<string, number> = {}
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1
  return out
}

const leftKey = (r: unknown): string => {
  const e = r as { _tag: string; left?: { _tag: string; code?: string; reason?: string } }
  return e._tag === 'Right' ? 'Right' : `${e.left!._tag}:${e.left!.code ?? e.left!.reason ?? ''}`
}

/** The load run, in a function of its own: once it returns, nothing it made is reachable, and the heap can tell. */
const runLoad = async (ctx: TestContext | undefined, IMPORTS: number, WAITERS: number): Promise<void> => {
  const note = (row: Parameters<typeof recordCase>[1]): void => {
    if (ctx !== undefined) recordCase(ctx, row)
  }
  // 1 - (0.93 × 0.93 × 0.93) ≈ 19.6% of requests fail, before the emulator acts on them. The clock is manual: no
  // import makes progress until the waiters run, so every waiter polls through several phases (and faults).
  const em = await startEmulator({
    clock: 'manual',
    phases: { pending: 2_000, converting: 8_000, updating: 4_000, booting: 4_000, preparingAmi: 2_000 },
    credentials: CREDENTIALS,
    maxActiveTasks: 1_000_000,
    faults: { resetRate: 0.07, throttleRate: 0.07, serverErrorRate: 0.07, seed: 2026 },
  })
  const proxy = await startTcpProxy(em.endpoint)
  const tokens: Array<string> = []
  const client = createClient(
    {
      region: em.region,
      endpoint: proxy.endpoint,
      credentials: CREDENTIALS,
      logger: sink.logger,
      maxAttempts: 3,
      retry: { baseDelayMs: 20, maxDelayMs: 200 },
      requestTimeoutMs: 20_000,
    },
    {
      environment: EMPTY_ENVIRONMENT,
      uuid: () => {
        const t = `load-${tokens.length}`
        tokens.push(t)
        return t
      },
    },
  )

  // --- 1,000 concurrent imports ----------------------------------------------------------------------------
  const t0 = performance.now()
  const settled = await Promise.all(Array.from({ length: IMPORTS }, (_, i) => settle(() => client.importImage(disk(i))(), 60_000)))
  const importMs = performance.now() - t0
  const results = settled.map((s) => (s._tag === 'Value' ? s.value : undefined))
  for (const r of results) sink.either(r)
  const rights = results.flatMap((r) => (r?._tag === 'Right' ? [r.right] : []))
  const importLog = em.requests.filter((q) => q.action === 'ImportImage')
  const tasks = em.tasks()
  const faults = importLog.filter((q) => q.fault !== undefined).length
  const attemptsHist = count(results, (r) => String(r?._tag === 'Right' ? r.right.$metadata.attempts : (r?.left as { attempts?: number } | undefined)?.attempts))
  note({
    area: 'load',
    name: `${IMPORTS} concurrent importImage, ~20% of requests failing`,
    expected: 'all end (Right | typed Left); tasks = Rights; ≤ 3 attempts',
    actual: `${rights.length} Right, ${IMPORTS - rights.length} Left ${JSON.stringify(count(results.filter((r) => r?._tag === 'Left'), leftKey))}; ${tasks.length} tasks; ${faults} faults in ${importLog.length} requests`,
    attempts: Object.entries(attemptsHist).map(([k, v]) => `${k}:${v}`).join(' '),
    ms: importMs,
  })
  expect(settled.every((s) => s._tag === 'Value')).toBe(true)
  expect(results.every(isTypedEither)).toBe(true)
  expect(tasks.length).toBe(rights.length)
  expect(new Set(tasks.map((t) => t.ImportTaskId))).toEqual(new Set(rights.map((r) => r.ImportTaskId)))
  expect(new Set(rights.map((r) => r.ImportTaskId)).size).toBe(rights.length)
  // One token per call, and the emulator saw each token exactly as often as its call says it tried.
  expect(tokens).toHaveLength(IMPORTS)
  const perToken = count(importLog, (q) => q.params['ClientToken'] ?? '')
  results.forEach((r, i) => {
    const attempts = r?._tag === 'Right' ? r.right.$metadata.attempts : (r?.left as { attempts: number }).attempts
    expect(attempts).toBeLessThanOrEqual(3)
    expect(perToken[tokens[i]!] ?? 0).toBe(attempts)
  })
  if (ctx !== undefined) {
    expect(faults / importLog.length).toBeGreaterThan(0.12)
    expect(faults / importLog.length).toBeLessThan(0.28)
  }

  // --- 200 concurrent waiters ------------------------------------------------------------------------------
  const ids = rights.slice(0, WAITERS).map((r) => r.ImportTaskId!)
  expect(ids).toHaveLength(WAITERS)
  const before = em.requests.length
  // Import work moves 400 ms per 20 ms of real time: the 20 s import takes about 1 s, in at most 500 ticks.
  let ticks = 0
  const ticker = setInterval(() => {
    if (++ticks > 500) clearInterval(ticker)
    else em.clock.advance(400)
  }, 20)
  const t1 = performance.now()
  const waits = await Promise.all(
    ids.map((id) => settle(() => client.waitForImportImageTask(id, { minDelayMs: 25, maxDelayMs: 150, timeoutMs: 30_000 })(), 40_000)),
  )
  clearInterval(ticker)
  const waitMs = performance.now() - t1
  const waited = waits.map((s) => (s._tag === 'Value' ? s.value : undefined))
  for (const r of waited) sink.either(r)
  const polls = em.requests.slice(before)
  const completed = waited.filter((r) => r?._tag === 'Right' && r.right.Status === 'completed' && /^ami-/.test(r.right.ImageId ?? ''))
  note({
    area: 'load',
    name: `${WAITERS} concurrent waiters, same faults, tasks still running`,
    expected: `${WAITERS} Right completed with ImageId`,
    actual: `${completed.length} completed, ${WAITERS - completed.length} other ${JSON.stringify(count(waited.filter((r) => r?._tag !== 'Right'), leftKey))}; ${polls.length} Describe requests (${polls.filter((q) => q.fault !== undefined).length} faulted)`,
    attempts: `${(polls.length / WAITERS).toFixed(2)} requests per waiter`,
    ms: waitMs,
  })
  expect(waits.every((s) => s._tag === 'Value')).toBe(true)
  expect(completed).toHaveLength(WAITERS)
  if (ctx !== undefined) expect(polls.filter((q) => q.fault !== undefined).length).toBeGreaterThan(0)
  expect(em.tasks()).toHaveLength(rights.length)

  // --- sockets released ------------------------------------------------------------------------------------
  const peak = proxy.peak()
  const openBeforeClose = proxy.open()
  const t2 = performance.now()
  await client.close()
  const released = await eventually(() => proxy.open() === 0, 3_000)
  note({
    area: 'load',
    name: 'server-side sockets after client.close() (counting proxy)',
    expected: 'all released: 0 open',
    actual: `${proxy.open()} open (was ${openBeforeClose}; peak ${peak}; ${proxy.accepted()} accepted in all)`,
    ms: performance.now() - t2,
  })
  expect(released).toBe(true)
  const after = await client.importImage(disk(0))()
  expect(after._tag === 'Left' && after.left._tag).toBe('ConfigError')
  expect(proxy.open()).toBe(0)
  await proxy.close()
  await em.close()
}

describe('load against the emulator with ~20% injected failures', () => {
  it(`${IMPORTS} concurrent imports, then ${WAITERS} concurrent waiters; sockets released; heap back to baseline`, async (ctx) => {
    const { gc, how } = getGc()
    // A small run first, so code compiled and modules initialised on first use are in the baseline.
    await runLoad(undefined, 100, 20)
    const baseline = await settledHeap(gc)
    await runLoad(ctx, IMPORTS, WAITERS)
    await delay(50)
    const end = await settledHeap(gc)
    const growMb = (end - baseline) / 1024 / 1024
    recordCase(ctx, {
      area: 'load',
      name: `heap after close() + gc vs before the load (${how})`,
      expected: `< baseline + ${HEAP_SLACK_MB} MB`,
      actual: `${(baseline / 1048576).toFixed(1)} MB → ${(end / 1048576).toFixed(1)} MB (${growMb >= 0 ? '+' : ''}${growMb.toFixed(1)} MB)`,
      ms: 0,
    })
    expect(growMb).toBeLessThan(HEAP_SLACK_MB)
  }, 90_000)

  it('the retry quota stops a retry storm: 1,000 calls × maxAttempts 5 against 100% 5xx', async (ctx) => {
    const em = await startEmulator({ clock: 'manual', credentials: CREDENTIALS, faults: { serverErrorRate: 1, seed: 7 } })
    const client = createClient(
      { region: em.region, endpoint: em.endpoint, credentials: CREDENTIALS, maxAttempts: 5, retry: { baseDelayMs: 1, maxDelayMs: 5 } },
      { environment: EMPTY_ENVIRONMENT },
    )
    const t0 = performance.now()
    const settled = await Promise.all(Array.from({ length: IMPORTS }, (_, i) => settle(() => client.importImage(disk(i))(), 60_000)))
    await client.close()
    const results = settled.map((s) => (s._tag === 'Value' ? s.value : undefined))
    for (const r of results) sink.either(r)
    const requests = em.requests.length
    const tasks = em.tasks().length
    await em.close()
    // 500 tokens at 5 a retry, no success to refill them: exactly 100 retries, not 4,000.
    recordCase(ctx, {
      area: 'load',
      name: 'retry storm: 1,000 calls, maxAttempts 5, every request 5xx',
      expected: '1,100 requests (100 retries: quota 500 / 5), not 5,000; all Left',
      actual: `${requests} requests; ${results.filter((r) => r?._tag === 'Left').length} Left; ${tasks} tasks`,
      attempts: JSON.stringify(count(results, (r) => String(attemptsOf(r)))),
      ms: performance.now() - t0,
    })
    expect(settled.every((s) => s._tag === 'Value')).toBe(true)
    expect(results.every((r) => r?._tag === 'Left' && r.left._tag === 'ServiceError')).toBe(true)
    expect(requests).toBe(IMPORTS + 100)
    expect(tasks).toBe(0)
    expect(outcomeOf(results[0])).toMatch(/^Left ServiceError/)
  }, 60_000)
})

describe('close()', () => {
  it('is safe to call again: a second and a concurrent close() resolve, nothing rejects', async (ctx) => {
    const server = await startScriptedServer()
    server.script({ status: 200, body: importImageOk() })
    const client = createClient({ region: 'us-east-1', endpoint: server.endpoint, credentials: CREDENTIALS, logger: sink.logger }, { environment: EMPTY_ENVIRONMENT })
    const first = await client.importImage(disk(0))()
    sink.either(first)
    const concurrent = await Promise.allSettled([client.close(), client.close()])
    const again = await Promise.allSettled([client.close()])
    await eventually(() => server.openSockets() === 0, 2_000)
    const open = server.openSockets()
    await server.close()
    const all = [...concurrent, ...again]
    const rejected = all.filter((x) => x.status === 'rejected').map((x) => String((x as PromiseRejectedResult).reason))
    recordCase(ctx, {
      area: 'load',
      name: 'close() twice at once, then once more',
      expected: '3 × resolved; 0 sockets open',
      actual: `${all.length - rejected.length} resolved, ${rejected.length} rejected${rejected.length > 0 ? ` (${rejected[0]})` : ''}; ${open} open`,
      ms: 0,
    })
    expect(first._tag).toBe('Right')
    expect(rejected).toEqual([])
  })
})

watch.sweep()
