// The speed tricks, each measured with and without in one process: `node bench/tricks.mjs` (run.mjs's `tricks`
// scenario, which builds the variants first and passes them in BENCH_VARIANTS). Every variant is a separate build of
// the library (its own module state, its own caches, its own client and connection pool) against the same loopback
// server; they take turns round by round, in a rotating order, so a noisy moment hits all of them alike.
//
// Per round and variant: CPU per ImportImage sequentially and at concurrency 16 (as client-ours.mjs), and CPU and
// wall per DescribeImportImageTasks of 1,000 tasks (as decode-1000.mjs).
import { pathToFileURL } from 'node:url'
import { QUICK, fail, intEnv, measure, median, report, serverUrl } from './lib/common.mjs'
import { create } from './client-ours.mjs'

try {
  const variants = JSON.parse(process.env.BENCH_VARIANTS ?? '[]')
  if (variants.length === 0) throw new Error('BENCH_VARIANTS is not set (run through bench/run.mjs --only tricks)')
  const rounds = intEnv('BENCH_ROUNDS', QUICK ? 3 : 5)
  const seqN = intEnv('BENCH_SEQ_N', QUICK ? 400 : 1000)
  const concN = intEnv('BENCH_CONC_N', QUICK ? 800 : 2000)
  const decodeN = intEnv('BENCH_DECODE_CALLS', QUICK ? 3 : 5)
  const url = serverUrl()
  const clients = []
  for (const v of variants) clients.push(await create(url, await import(pathToFileURL(v.file).href)))
  for (const c of clients) {
    // (the same warm-up as a full run: see lib/throughput.mjs)
    await measure(c.importImage, 1500, 1)
    await measure(c.importImage, 1500, 16)
    for (let i = 0; i < 3; i++) await c.describe()
  }
  const out = variants.map(() => ({ seq: [], conc: [], decodeWall: [], decodeCpu: [] }))
  for (let r = 0; r < rounds; r++) {
    const order = variants.map((_, i) => (i + r) % variants.length)
    for (const i of order) {
      out[i].seq.push((await measure(clients[i].importImage, seqN, 1)).cpuUs)
      out[i].conc.push((await measure(clients[i].importImage, concN, 16)).cpuUs)
      for (let k = 0; k < decodeN; k++) {
        const d = await measure(clients[i].describe, 1, 1)
        out[i].decodeWall.push(d.wallUs / 1000)
        out[i].decodeCpu.push(d.cpuUs / 1000)
      }
    }
  }
  for (const c of clients) await c.close()
  report({
    variants: variants.map((v, i) => ({
      name: v.name,
      seqCpuUs: median(out[i].seq),
      concCpuUs: median(out[i].conc),
      decodeWallMs: median(out[i].decodeWall),
      decodeCpuMs: median(out[i].decodeCpu),
      rounds: out[i],
    })),
  })
} catch (e) {
  fail(e)
}
