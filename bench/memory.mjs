// Memory after many requests: `node --expose-gc bench/memory.mjs <ours|sdk|undici>`. BENCH_MEMORY_N ImportImage
// requests (100,000; 20,000 with BENCH_QUICK=1) at concurrency 16, with a checkpoint every tenth of them: two full
// GCs, then RSS and heap. The first two tenths are warm-up (JIT, inline caches, pools and the young generation
// settle); flat memory means the heap does not grow from the warm-up checkpoint to the last one.
import { QUICK, fail, intEnv, loadClient, measure, report, serverUrl } from './lib/common.mjs'

const gc = globalThis.gc
if (typeof gc !== 'function') fail(new Error('run with --expose-gc'))

const snapshot = (requests) => {
  gc()
  gc()
  const m = process.memoryUsage()
  return { requests, rssMB: m.rss / 2 ** 20, heapUsedMB: m.heapUsed / 2 ** 20, heapTotalMB: m.heapTotal / 2 ** 20, externalMB: m.external / 2 ** 20 }
}

// Least-squares slope, in bytes per 1,000 requests.
const slope = (points, key) => {
  const n = points.length
  const mx = points.reduce((s, p) => s + p.requests, 0) / n
  const my = points.reduce((s, p) => s + p[key], 0) / n
  let num = 0
  let den = 0
  for (const p of points) {
    num += (p.requests - mx) * (p[key] - my)
    den += (p.requests - mx) ** 2
  }
  return den === 0 ? 0 : ((num / den) * 2 ** 20 * 1000)
}

try {
  const name = process.argv[2]
  const total = intEnv('BENCH_MEMORY_N', QUICK ? 20_000 : 100_000)
  const concurrency = intEnv('BENCH_CONCURRENCY', 16)
  const step = Math.max(1, Math.floor(total / 10))
  const mod = await loadClient(name)
  const client = await mod.create(serverUrl())
  const start = snapshot(0)
  let done = 0
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const points = []
  while (done < total) {
    const n = Math.min(step, total - done)
    await measure(client.importImage, n, concurrency)
    done += n
    points.push(snapshot(done))
  }
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(c0)
  await client.close()
  const warmIndex = Math.min(1, points.length - 1)
  const warm = points[warmIndex]
  const after = points.slice(warmIndex)
  const last = points[points.length - 1]
  report({
    client: name,
    requests: total,
    concurrency,
    seconds,
    cpuUsPerRequest: (cpu.user + cpu.system) / total,
    start,
    warm,
    final: last,
    heapGrowthMB: last.heapUsedMB - warm.heapUsedMB,
    rssGrowthMB: last.rssMB - warm.rssMB,
    heapSlopeBytesPer1k: after.length > 1 ? slope(after, 'heapUsedMB') : 0,
    checkpoints: points,
  })
} catch (e) {
  fail(e)
}
