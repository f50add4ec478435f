// `npm run bench:upload`: uploadDiskImage against @aws-sdk/lib-storage's Upload and a raw undici PUT loop (the floor:
// the same parts, no checksum, no signature), in one run, each upload in a fresh process, against the same loopback S3
// endpoint (bench/lib/upload-server.mjs: verifies every part's checksum, discards the bytes), the same file, part size
// and concurrency. Medians of BENCH_ROUNDS rounds (default 3), the clients' order rotated each round.
//
// Memory growth is measured alike for the three (bench/lib/upload-client.mjs): peak RSS, sampled every 10 ms and
// topped up by the kernel's own high-water mark (maxRSS), above the RSS once the modules are loaded. Part of what
// ours and the floor show is not the upload's: undici compiles its HTTP parser (llhttp, WebAssembly) on the first
// request, in V8's worker threads, which lib-storage (node:http, whose llhttp is native) never does. That cost is
// measured on its own, the same way, and printed under the table. So memory is measured twice, each in fresh
// processes: for the first upload in the process (that cost included), and after each client has first uploaded a
// one-byte file the same way and settled (what every later upload of a long-lived process grows by).
//
// Environment: BENCH_UPLOAD_MIB (file size, default 1024; 512 when the disk has less than 3 GiB free),
// BENCH_PART_MIB (default 8), BENCH_CONCURRENCY (default 4), BENCH_ROUNDS (default 3).
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readSync, rmSync, statfsSync, writeFileSync, writeSync } from 'node:fs'
import { randomFillSync } from 'node:crypto'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { crc32 } from 'node:zlib'
import { build } from 'esbuild'
import { median } from './lib/common.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const MiB = 1024 * 1024
const env = (name, fallback) => (process.env[name] ? Number(process.env[name]) : fallback)
const free = (() => {
  try {
    const s = statfsSync(join(root, 'temp'))
    return s.bavail * s.bsize
  } catch {
    return Infinity
  }
})()
const sizeMiB = env('BENCH_UPLOAD_MIB', free < 3 * 1024 * MiB ? 512 : 1024)
const partSize = env('BENCH_PART_MIB', 8) * MiB
const concurrency = env('BENCH_CONCURRENCY', 4)
const rounds = env('BENCH_ROUNDS', 3)
const log = (s) => process.stderr.write(`${s}\n`)

// ---- build our module and the server's checksums from src/ ------------------------------------------------------
const out = join(root, 'bench/.build')
mkdirSync(out, { recursive: true })
const bundle = (entry, outfile) =>
  build({ entryPoints: [join(root, entry)], outfile: join(out, outfile), bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' })
await bundle('src/UploadDiskImage.ts', 'upload.mjs')
await bundle('src/internal/upload/Checksums.ts', 'upload-checksums.mjs')

// ---- the file: random bytes (nothing compresses or dedupes), a RAW disk's MBR signature ---------------------------
mkdirSync(join(root, 'temp'), { recursive: true })
const file = join(root, 'temp/bench-upload.raw')
{
  log(`writing a ${sizeMiB} MiB file`)
  const fd = openSync(file, 'w')
  const chunk = Buffer.alloc(8 * MiB)
  for (let i = 0; i < sizeMiB / 8; i++) {
    randomFillSync(chunk)
    if (i === 0) {
      chunk[510] = 0x55
      chunk[511] = 0xaa
    }
    writeSync(fd, chunk)
  }
  closeSync(fd)
}

// The cost of our second read of each range: one pass of read + CRC32 over the file, from the page cache.
const hashPass = () => {
  const fd = openSync(file, 'r')
  const buf = Buffer.allocUnsafe(MiB)
  let c = 0
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  for (let pos = 0; ; ) {
    const n = readSync(fd, buf, 0, buf.length, pos)
    if (n === 0) break
    c = crc32(buf.subarray(0, n), c)
    pos += n
  }
  const cpu = process.cpuUsage(c0)
  closeSync(fd)
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs: performance.now() - t0, crc: c }
}
hashPass() // warms the page cache for every client alike
const pass = hashPass()

// ---- the server -------------------------------------------------------------------------------------------------
const server = spawn(process.execPath, [join(root, 'bench/lib/upload-server.mjs')], {
  env: { ...process.env, BENCH_CHECKSUMS: pathToFileURL(join(out, 'upload-checksums.mjs')).href },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const url = await new Promise((resolveUrl, reject) => {
  server.stdout.once('data', (d) => resolveUrl(JSON.parse(String(d)).url))
  server.once('exit', (code) => reject(new Error(`the server exited with ${code}`)))
})

const client = (which, warm) =>
  new Promise((resolveRun, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', join(root, 'bench/lib/upload-client.mjs'), which], {
      cwd: root,
      env: {
        ...process.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        BENCH_URL: url,
        BENCH_FILE: file,
        BENCH_PART: String(partSize),
        BENCH_CONCURRENCY: String(concurrency),
        BENCH_LIB: pathToFileURL(join(out, 'upload.mjs')).href,
        BENCH_WARM: warm ? '1' : '0',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let text = ''
    p.stdout.on('data', (d) => (text += d))
    p.on('exit', (code) => {
      const line = text.split('\n').find((l) => l.startsWith('BENCH_RESULT '))
      if (code !== 0 || line === undefined) reject(new Error(`${which} failed (exit ${code}): ${text}`))
      else resolveRun(JSON.parse(line.slice('BENCH_RESULT '.length)))
    })
  })

// undici's first request alone, measured as the clients measure: what a process pays once, whatever it sends.
const undiciFirstRequest = () =>
  new Promise((resolveRun, reject) => {
    const script = `
      const { Agent, request } = await import('undici')
      globalThis.gc?.()
      const baseline = process.memoryUsage().rss
      let peak = baseline
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
      const dispatcher = new Agent({ connections: 1 })
      await (await request(process.env.BENCH_URL + '/__stats', { dispatcher })).body.dump()
      // The parser's optimized compile runs on V8's worker threads after the request.
      await new Promise((r) => setTimeout(r, 1000))
      clearInterval(sampler)
      peak = Math.max(peak, process.resourceUsage().maxRSS * 1024)
      await dispatcher.close()
      process.stdout.write(JSON.stringify({ growth: peak - baseline }))`
    const p = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: root, env: { ...process.env, BENCH_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] })
    let text = ''
    p.stdout.on('data', (d) => (text += d))
    p.on('exit', (code) => (code === 0 ? resolveRun(JSON.parse(text).growth) : reject(new Error(`the undici probe failed (exit ${code}): ${text}`))))
  })

const CLIENTS = ['sdk', 'ours', 'undici']
const results = Object.fromEntries(CLIENTS.map((c) => [c, []]))
const warmResults = Object.fromEntries(CLIENTS.map((c) => [c, []]))
try {
  for (let r = 0; r < rounds; r++) {
    for (const warm of [false, true]) {
      for (let i = 0; i < CLIENTS.length; i++) {
        const which = CLIENTS[(i + r) % CLIENTS.length]
        const res = await client(which, warm)
        ;(warm ? warmResults : results)[which].push(res)
        log(`round ${r + 1}${warm ? ' (after a first small upload)' : ''} ${which}: ${((res.size / res.wallMs) * 1000 / 1e6).toFixed(0)} MB/s, ${(res.cpuMs / 1000).toFixed(2)} CPU-s, +${(res.growth / 1e6).toFixed(1)} MB`)
      }
    }
  }
  const firstRequest = []
  for (let r = 0; r < rounds; r++) firstRequest.push(await undiciFirstRequest())
  const firstRequestMB = median(firstRequest) / 1e6
  const stats = await (await fetch(`${url}/__stats`)).json()
  const GiB = 1024 * MiB
  const summary = Object.fromEntries(
    CLIENTS.map((c) => {
      const xs = results[c]
      return [
        c,
        {
          mbPerS: median(xs.map((x) => (x.size / x.wallMs) * 1000 / 1e6)),
          cpuSPerGiB: median(xs.map((x) => (x.cpuMs / 1000) * (GiB / x.size))),
          growthMB: median(xs.map((x) => x.growth / 1e6)),
          warmGrowthMB: median(warmResults[c].map((x) => x.growth / 1e6)),
        },
      ]
    }),
  )
  const { ours, sdk, undici } = summary
  const f = (x, d = 2) => x.toFixed(d)
  const rows = [
    ['throughput MB/s', f(ours.mbPerS, 0), f(sdk.mbPerS, 0), f(undici.mbPerS, 0), f(ours.mbPerS / sdk.mbPerS), f(ours.mbPerS / undici.mbPerS), '≥ 1.0× SDK, ≥ 0.80× floor'],
    ['CPU s/GiB', f(ours.cpuSPerGiB), f(sdk.cpuSPerGiB), f(undici.cpuSPerGiB), f(ours.cpuSPerGiB / sdk.cpuSPerGiB), f(ours.cpuSPerGiB / undici.cpuSPerGiB), '≤ 0.5× SDK'],
    ['memory growth MB, the first upload in the process', f(ours.growthMB, 1), f(sdk.growthMB, 1), f(undici.growthMB, 1), f(ours.growthMB / sdk.growthMB), f(ours.growthMB / undici.growthMB), '≤ 0.5× SDK'],
    ['memory growth MB, after a first small upload', f(ours.warmGrowthMB, 1), f(sdk.warmGrowthMB, 1), f(undici.warmGrowthMB, 1), f(ours.warmGrowthMB / sdk.warmGrowthMB), f(ours.warmGrowthMB / undici.warmGrowthMB), '≤ 0.5× SDK'],
  ]
  const passes = [
    ['throughput ≥ 1.0× lib-storage', ours.mbPerS / sdk.mbPerS >= 1],
    ['CPU/GiB ≤ 1/2 of lib-storage', ours.cpuSPerGiB / sdk.cpuSPerGiB <= 0.5],
    ['memory growth ≤ 1/2 of lib-storage, the first upload in the process', ours.growthMB / sdk.growthMB <= 0.5],
    ['memory growth ≤ 1/2 of lib-storage, after a first small upload', ours.warmGrowthMB / sdk.warmGrowthMB <= 0.5],
    ['throughput ≥ 80% of the undici floor', ours.mbPerS / undici.mbPerS >= 0.8],
  ]
  const table = [
    `${sizeMiB} MiB, ${partSize / MiB} MiB parts, ${concurrency} at once, loopback; medians of ${rounds} rounds; Node ${process.version}`,
    '',
    '| metric | ours | lib-storage | undici floor | ours/SDK | ours/floor | target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
    ...passes.map(([name, ok]) => `${ok ? 'PASS' : 'MISS'}  ${name}`),
    '',
    `our second read of every range (read + CRC32 from the page cache): ${f((pass.cpuMs / 1000) * (GiB / (sizeMiB * MiB)))} CPU-s/GiB, ${f((sizeMiB * MiB) / pass.wallMs / 1e3, 0)} MB/s`,
    `undici's first request alone (its llhttp parser compiled; ours and the floor pay it, lib-storage does not): +${f(firstRequestMB, 1)} MB peak RSS`,
    `server: ${stats.parts} requests, ${stats.verified} checksums verified, ${(stats.bytes / GiB).toFixed(2)} GiB received`,
  ]
  process.stdout.write(`${table.join('\n')}\n`)
  writeFileSync(join(root, 'temp/bench-upload.json'), JSON.stringify({ sizeMiB, partSize, concurrency, rounds, summary, results, warmResults, pass, firstRequestMB, stats }, null, 2))
} finally {
  server.kill()
  rmSync(file, { force: true })
}
