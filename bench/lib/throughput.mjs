// CPU and wall per ImportImage request, sequential and at concurrency 16, in this (fresh) process.
import { QUICK, fail, intEnv, measure, median, report, serverUrl } from './common.mjs'

export const EXPECTED_TASK_ID = 'import-ami-0123456789abcdef0'

export const runThroughput = async (name, create) => {
  try {
    // The same warm-up in a quick run: with 500 requests the JIT had not settled, and quick runs leaned one way in each
    // mode (4 runs: ours over raw undici 1.04–1.20× sequential, 1.75–1.87× at concurrency 16; 1.63–1.76× and
    // 1.44–1.74× with 1,500, as a full run warms up).
    const warmup = intEnv('BENCH_WARMUP', 1500)
    const rounds = intEnv('BENCH_ROUNDS', QUICK ? 3 : 5)
    const seqN = intEnv('BENCH_SEQ_N', QUICK ? 400 : 1000)
    const concN = intEnv('BENCH_CONC_N', QUICK ? 800 : 2000)
    const concurrency = intEnv('BENCH_CONCURRENCY', 16)
    // Decode calls per stepped round (DescribeImportImageTasks of 1,000 tasks, one at a time): the tricks scenario's.
    const decodeN = intEnv('BENCH_STEP_DECODE', 0)
    const client = await create(serverUrl())
    const id = await client.importImage()
    if (id !== EXPECTED_TASK_ID) throw new Error(`${name}: unexpected ImportTaskId ${id}`)
    await measure(client.importImage, warmup, 1)
    await measure(client.importImage, warmup, concurrency)
    if (decodeN > 0) for (let i = 0; i < 3; i++) await client.describe()
    const seq = []
    const conc = []
    if (process.send !== undefined && process.env.BENCH_STEPPED === '1') {
      // Stepped by run.mjs: every client's process is started at once, and each runs one round when asked, taking
      // turns with the others, so a slow moment of the machine falls on all the clients alike, not on whichever
      // process happened to run then. The process stays idle (no CPU) while the others run.
      await new Promise((resolve) => {
        process.on('message', (m) => {
          if (m.done === true) return resolve()
          void (async () => {
            const s = await measure(client.importImage, seqN, 1)
            const c = await measure(client.importImage, concN, concurrency)
            seq.push(s)
            conc.push(c)
            const decode = []
            for (let i = 0; i < decodeN; i++) {
              const d = await measure(client.describe, 1, 1)
              decode.push({ wallMs: d.wallUs / 1000, cpuMs: d.cpuUs / 1000 })
            }
            process.send({ round: m.round, seq: s, conc: c, decode: decodeN > 0 ? decode : undefined })
          })()
        })
        process.send({ ready: true })
      })
      // (the channel would keep this process alive after its report)
      process.disconnect()
    } else {
      // Interleaved, so a noisy neighbour hurts both modes alike.
      for (let r = 0; r < rounds; r++) {
        seq.push(await measure(client.importImage, seqN, 1))
        conc.push(await measure(client.importImage, concN, concurrency))
      }
    }
    await client.close()
    report({
      client: name,
      concurrency,
      seq: { cpuUs: median(seq.map((s) => s.cpuUs)), wallUs: median(seq.map((s) => s.wallUs)), rounds: seq },
      conc: { cpuUs: median(conc.map((s) => s.cpuUs)), wallUs: median(conc.map((s) => s.wallUs)), rounds: conc },
    })
  } catch (e) {
    fail(e)
  }
}
