// Cold start in ESM: this fresh process `import`s one client's library, builds a client and completes one
// ImportImage. `node bench/cold-start.mjs <ours|sdk|undici>`; run.mjs runs it beside cold-start.cjs (the CommonJS
// twin, the same steps with `require`).
//
// Times are from `performance.now()`, whose origin is this process's start, so `toFirstResponseMs` includes Node's
// own bootstrap (the same for every client); `libraryMs` is only what the client adds: import + build + request.
// The script imports nothing but the library under test (the request input comes from the environment, BENCH_INPUT,
// written by run.mjs from bench/lib/fixtures.mjs), so no harness module is counted against any client. `undici`:
// `import('undici')` and one request whose headers were signed in advance (BENCH_PRESIGNED), nothing else.

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
    const { createClient } = await import(process.env.BENCH_LIB)
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
    const { EC2Client, ImportImageCommand } = await import('@aws-sdk/client-ec2')
    t1 = performance.now()
    const client = new EC2Client({ region: env.region, endpoint: url, credentials: { ...env.credentials } })
    t2 = performance.now()
    importImage = async () => (await client.send(new ImportImageCommand(input))).ImportTaskId
    close = async () => client.destroy()
  } else if (name === 'undici') {
    const { Agent, request } = await import('undici')
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
      module: 'esm',
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
await run().catch(fail)
