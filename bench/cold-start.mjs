// Cold start: this fresh process imports one client's library, builds a client and completes one ImportImage.
// `node bench/cold-start.mjs <ours|sdk|undici>`; run.mjs runs it several times per client and takes medians.
//
// Times are from `performance.now()`, whose origin is this process's start, so `toFirstResponseMs` includes Node's
// own bootstrap (the same for every client); `libraryMs` is only what the client adds: import + build + request.
import { performance } from 'node:perf_hooks'
import { fail, loadClient, report, serverUrl } from './lib/common.mjs'

const mainStart = performance.now()
try {
  const name = process.argv[2]
  const mod = await loadClient(name)
  const url = serverUrl()
  const t0 = performance.now()
  const lib = await mod.load()
  const t1 = performance.now()
  const client = await mod.create(url, lib)
  const t2 = performance.now()
  const id = await client.importImage()
  const t3 = performance.now()
  if (typeof id !== 'string' || id === '') throw new Error(`${name}: no ImportTaskId`)
  const cpu = process.cpuUsage()
  report({
    client: name,
    bootMs: mainStart,
    importMs: t1 - t0,
    createMs: t2 - t1,
    firstRequestMs: t3 - t2,
    libraryMs: t3 - t0,
    toFirstResponseMs: t3,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssMB: process.memoryUsage.rss() / 2 ** 20,
  })
  await client.close()
} catch (e) {
  fail(e)
}
