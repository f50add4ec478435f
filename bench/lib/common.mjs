// Helpers shared by the scenario processes: options from the environment, timing, and the one-line JSON report.
import { performance } from 'node:perf_hooks'

export const QUICK = process.env.BENCH_QUICK === '1'

/** The library under test (ours): an absolute path or file URL, from `run.mjs`. */
export const libUrl = () => {
  const lib = process.env.BENCH_LIB
  if (lib === undefined || lib === '') throw new Error('BENCH_LIB is not set (run through bench/run.mjs)')
  return lib.startsWith('file:') ? lib : new URL(`file://${lib}`).href
}

export const serverUrl = () => {
  const url = process.env.BENCH_URL
  if (url === undefined || url === '') throw new Error('BENCH_URL is not set (run through bench/run.mjs)')
  return url
}

export const intEnv = (name, fallback) => {
  const v = process.env[name]
  return v === undefined || v === '' ? fallback : Number.parseInt(v, 10)
}

export const median = (xs) => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2
}

const cpuTotal = (u) => u.user + u.system

/**
 * Run `fn` `n` times, `concurrency` at a time, and return CPU µs (user + system, every thread of this process) and
 * wall µs per call.
 */
export const measure = async (fn, n, concurrency = 1) => {
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  if (concurrency <= 1) {
    for (let i = 0; i < n; i++) await fn()
  } else {
    let next = 0
    const worker = async () => {
      while (next < n) {
        next++
        await fn()
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
  }
  const wall = performance.now() - t0
  const used = process.cpuUsage(c0)
  return { cpuUs: cpuTotal(used) / n, wallUs: (wall * 1000) / n, userUs: used.user / n, systemUs: used.system / n }
}

/** The one line `run.mjs` reads from a scenario's stdout. */
export const report = (result) => {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`)
}

/** The client module of a scenario: `ours`, `sdk` or `undici`. */
export const loadClient = async (name) => {
  if (!['ours', 'sdk', 'undici'].includes(name)) throw new Error(`unknown client ${name}`)
  return import(`../client-${name}.mjs`)
}

export const fail = (e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
}
