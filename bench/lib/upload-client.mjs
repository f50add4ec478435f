// One upload in a fresh process, for `npm run bench:upload`: `node upload-client.mjs ours|sdk|undici`. Measures wall
// time, CPU (user + system, every thread) and memory growth (peak RSS above the RSS once the modules are loaded), and
// prints one BENCH_RESULT line. Environment: BENCH_URL, BENCH_FILE, BENCH_PART, BENCH_CONCURRENCY, BENCH_LIB, and
// BENCH_WARM=1 for the second measurement: before the baseline, each client first uploads a one-byte file the same way
// (so what every process pays once on its first request, such as undici compiling its llhttp parser, is paid before
// the baseline, and the growth is the upload's own).
import { createReadStream, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { report } from './common.mjs'

const which = process.argv[2]
const url = process.env.BENCH_URL
const file = process.env.BENCH_FILE
const partSize = Number(process.env.BENCH_PART)
const concurrency = Number(process.env.BENCH_CONCURRENCY)
const size = statSync(file).size
const credentials = { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' }

// Load everything first: the baseline is the process with its modules loaded, before the upload.
let run
if (which === 'ours') {
  const { uploadDiskImage } = await import(process.env.BENCH_LIB)
  run = async (file = process.env.BENCH_FILE, key = 'disk.raw') => {
    const r = await uploadDiskImage({
      config: { endpoint: url, region: 'us-east-1', credentials },
      file,
      bucket: 'bench',
      key,
      partSizeBytes: partSize,
      concurrency,
    })()
    if (r._tag === 'Left') throw new Error(`${r.left.reason}: ${r.left.message}`)
  }
} else if (which === 'sdk') {
  const { S3Client } = await import('@aws-sdk/client-s3')
  const { Upload } = await import('@aws-sdk/lib-storage')
  run = async (file = process.env.BENCH_FILE, key = 'disk.raw') => {
    const client = new S3Client({ endpoint: url, region: 'us-east-1', credentials, forcePathStyle: true })
    // lib-storage's default checksum (CRC32 since the SDK's flexible checksums), on every part.
    await new Upload({ client, params: { Bucket: 'bench', Key: key, Body: createReadStream(file) }, partSize, queueSize: concurrency }).done()
    client.destroy()
  }
} else if (which === 'undici') {
  const { Agent, request } = await import('undici')
  run = async (file = process.env.BENCH_FILE) => {
    const size = statSync(file).size
    const dispatcher = new Agent({ connections: concurrency })
    const parts = Math.max(1, Math.ceil(size / partSize))
    let next = 1
    const worker = async () => {
      for (let n = next++; n <= parts; n = next++) {
        const start = (n - 1) * partSize
        const end = Math.min(size, start + partSize)
        const r = await request(`${url}/bench/disk.raw?partNumber=${n}&uploadId=floor`, {
          method: 'PUT',
          dispatcher,
          headers: { 'content-length': String(end - start) },
          body: createReadStream(file, { start, end: end - 1, highWaterMark: 1024 * 1024 }),
        })
        await r.body.dump()
        if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}`)
      }
    }
    await Promise.all(Array.from({ length: concurrency }, worker))
    await dispatcher.close()
  }
} else {
  throw new Error(`unknown client ${which}`)
}

if (process.env.BENCH_WARM === '1') {
  const small = join(tmpdir(), `bench-upload-warm-${process.pid}.raw`)
  const mbr = Buffer.alloc(512)
  mbr[510] = 0x55
  mbr[511] = 0xaa
  writeFileSync(small, mbr)
  await run(small, 'warm.raw')
  // undici's parser gets its optimized compile on V8's worker threads after the first request.
  await new Promise((r) => setTimeout(r, 1500))
}
globalThis.gc?.()
const baseline = process.memoryUsage().rss
// The kernel's high-water mark counts only if it rose during the upload (a warm-up's peak is not the upload's).
const maxRssBefore = process.resourceUsage().maxRSS * 1024
let peak = baseline
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
const c0 = process.cpuUsage()
const t0 = performance.now()
await run()
const wallMs = performance.now() - t0
const cpu = process.cpuUsage(c0)
clearInterval(sampler)
// maxRSS covers the moments between samples too.
const maxRssAfter = process.resourceUsage().maxRSS * 1024
if (maxRssAfter > maxRssBefore) peak = Math.max(peak, maxRssAfter)
report({ which, size, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, baselineRss: baseline, peakRss: peak, growth: peak - baseline })
