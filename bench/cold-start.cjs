// Cold start in CommonJS: this fresh process `require`s one client's library, builds a client and completes one
// ImportImage. `node bench/cold-start.cjs <ours|sdk|undici>`; run.mjs runs it beside cold-start.mjs (the ESM one).
//
// Nothing but CommonJS is loaded: the request input comes from the environment (BENCH_INPUT, written by run.mjs from
// bench/lib/fixtures.mjs), so the process never starts Node's ESM loader on its own account. `undici` is the floor:
// `require('undici')` and one request whose headers were signed in advance (BENCH_PRESIGNED), nothing else.
'use strict'
const { performance } = require('node:perf_hooks')

const mainStart = performance.now()
const fail = (e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
  process.exit(1)
}

const run = async () => {
  const name = process.argv[2]
  const url = process.env.BENCH_URL
  const env = JSON.parse(process.env.BENCH_INPUT)
  const input = { ...env.input, ClientData: { ...env.input.ClientData } }
  for (const k of ['UploadStart', 'UploadEnd']) input.ClientData[k] = new Date(input.ClientData[k])
  const t0 = performance.now()
  let importImage
  let close
  let t1
  let t2
  if (name === 'ours') {
    const { createClient } = require(process.env.BENCH_LIB_CJS)
    t1 = performance.now()
    const client = createClient({ region: env.region, endpoint: url, credentials: { ...env.credentials } })
    t2 = performance.now()
    importImage = async () => {
      const r = await client.importImage(input)()
      if (r._tag !== 'Right') throw new Error(`ImportImage failed: ${JSON.stringify(r.left)}`)
      return r.right.ImportTaskId
    }
    close = () => client.close()
  } else if (name === 'sdk') {
    const { EC2Client, ImportImageCommand } = require('@aws-sdk/client-ec2')
    t1 = performance.now()
    const client = new EC2Client({ region: env.region, endpoint: url, credentials: { ...env.credentials } })
    t2 = performance.now()
    importImage = async () => (await client.send(new ImportImageCommand(input))).ImportTaskId
    close = async () => client.destroy()
  } else if (name === 'undici') {
    const { Agent, request } = require('undici')
    t1 = performance.now()
    const signed = JSON.parse(process.env.BENCH_PRESIGNED)
    const dispatcher = new Agent({ keepAliveTimeout: 4_000, keepAliveMaxTimeout: 60_000 })
    t2 = performance.now()
    importImage = async () => {
      const res = await request(`${new URL(url).origin}/`, { dispatcher, method: 'POST', headers: signed.import, body: env.form })
      const text = await res.body.text()
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`)
      return text.length > 0 ? 'import-ami-0123456789abcdef0' : undefined
    }
    close = () => dispatcher.close()
  } else throw new Error(`unknown client ${name}`)
  const id = await importImage()
  const t3 = performance.now()
  if (typeof id !== 'string' || id === '') throw new Error(`${name}: no ImportTaskId`)
  const cpu = process.cpuUsage()
  process.stdout.write(
    `BENCH_RESULT ${JSON.stringify({
      client: name,
      module: 'cjs',
      bootMs: mainStart,
      importMs: t1 - t0,
      createMs: t2 - t1,
      firstRequestMs: t3 - t2,
      libraryMs: t3 - t0,
      toFirstResponseMs: t3,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssMB: process.memoryUsage.rss() / 2 ** 20,
    })}\n`,
  )
  await close()
}
run().catch(fail)
