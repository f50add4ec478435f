// Where a request's CPU goes, in one process against one loopback server (so the machine's noise hits all three
// alike): raw undici `request()` + `body.text()` with a pre-signed request (the floor of `npm run bench`), this
// project's transport stage alone (`send` from src/internal/http/Transport.ts, the same pre-signed request), and the whole client
// (validate, serialize, sign, send, parse, decode). The difference between the last two is what the stages cost.
//
//   node bench/transport-floor.mjs                 # sequential, then 16 concurrent
//   BENCH_ROUNDS=9 BENCH_N=4000 node bench/transport-floor.mjs
//
// The transport stage is internal, so src/ is bundled with esbuild into bench/.build/ first.
import { spawn } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { Agent, request } from 'undici'
import aws4 from 'aws4'
import { intEnv, median } from './lib/common.mjs'
import { CREDENTIALS, IMPORT_IMAGE_FORM, REGION, importImageInput, signable } from './lib/fixtures.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '.build', 'transport-floor-lib.mjs')
mkdirSync(dirname(out), { recursive: true })
await build({
  stdin: {
    contents: `export { send, createDispatcher } from './src/internal/http/Transport.ts'\nexport { createClient } from './src/Client.ts'\n`,
    resolveDir: join(here, '..'),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  packages: 'external',
  logLevel: 'warning',
})
const lib = await import(out)

// the same server as `npm run bench`, in its own process
const server = spawn(process.execPath, [join(here, 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] })
const port = await new Promise((resolve, reject) => {
  server.stdout.once('data', (d) => resolve(JSON.parse(String(d)).port))
  server.once('error', reject)
})
const url = `http://127.0.0.1:${port}`

const headers = aws4.sign(signable(`127.0.0.1:${port}`, IMPORT_IMAGE_FORM), { ...CREDENTIALS }).headers
const rawAgent = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 })
const ourAgent = lib.createDispatcher({ connectTimeoutMs: 10_000, proxy: { httpProxy: '', httpsProxy: '', noProxy: '' } })
const client = lib.createClient({ region: REGION, endpoint: url, credentials: { ...CREDENTIALS } })
const input = importImageInput()

const variants = {
  'raw undici (request + text)': async () => {
    const r = await request(`${url}/`, { dispatcher: rawAgent, method: 'POST', headers, body: IMPORT_IMAGE_FORM })
    await r.body.text()
  },
  'our transport stage (send)': async () => {
    const r = await lib.send(
      { origin: url, path: '/', method: 'POST', headers, body: IMPORT_IMAGE_FORM },
      { dispatcher: ourAgent, requestTimeoutMs: 30_000, maxResponseBytes: 10_000_000 },
    )
    if ('_tag' in r) throw new Error(r.message)
  },
  'our whole client (importImage)': async () => {
    const r = await client.importImage(input)()
    if (r._tag !== 'Right') throw new Error(JSON.stringify(r.left))
  },
}

const N = intEnv('BENCH_N', 2_000)
const ROUNDS = intEnv('BENCH_ROUNDS', 7)
const run = async (f, n, concurrency) => {
  let i = 0
  await Promise.all(Array.from({ length: concurrency }, async () => { while (i++ < n) await f() }))
}
try {
  for (const concurrency of [1, 16]) {
    for (const f of Object.values(variants)) await run(f, 1_500, concurrency)
    const cpu = Object.fromEntries(Object.keys(variants).map((k) => [k, []]))
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, f] of Object.entries(variants)) {
        const t0 = process.cpuUsage()
        await run(f, N, concurrency)
        const d = process.cpuUsage(t0)
        cpu[name].push((d.user + d.system) / N)
      }
    }
    const floor = median(cpu['raw undici (request + text)'])
    console.log(`concurrency ${concurrency}: CPU µs per request, median of ${ROUNDS} rounds of ${N}`)
    for (const [name, xs] of Object.entries(cpu)) {
      console.log(`  ${name.padEnd(32)} ${median(xs).toFixed(0).padStart(5)} µs  ${(median(xs) / floor).toFixed(2)}× the floor`)
    }
  }
} finally {
  await Promise.all([client.close(), rawAgent.close(), ourAgent.close()])
  server.kill()
}
