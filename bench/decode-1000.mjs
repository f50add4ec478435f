// Decoding a DescribeImportImageTasks response of 1,000 tasks (2 snapshot details and 3 tags each, ~2.2 MB of XML)
// through the client's public API, against the loopback server: one call = send a tiny request, receive the body,
// parse, decode into the result. Per-call CPU and wall, median over the measured calls (after warm-up).
// `node bench/decode-1000.mjs <ours|sdk|undici>`; for `undici` there is no decoder: it is the transfer-only floor.
import { QUICK, fail, intEnv, loadClient, measure, median, report, serverUrl } from './lib/common.mjs'

try {
  const name = process.argv[2]
  const tasks = intEnv('BENCH_DESCRIBE_TASKS', 1000)
  const warmup = intEnv('BENCH_DECODE_WARMUP', QUICK ? 3 : 5)
  const calls = intEnv('BENCH_DECODE_CALLS', QUICK ? 7 : 15)
  const mod = await loadClient(name)
  const client = await mod.create(serverUrl())
  const n = await client.describe()
  if (name !== 'undici' && n !== tasks) throw new Error(`${name}: decoded ${n} tasks, expected ${tasks}`)
  for (let i = 0; i < warmup; i++) await client.describe()
  const samples = []
  for (let i = 0; i < calls; i++) samples.push(await measure(client.describe, 1, 1))
  await client.close()
  report({
    client: name,
    tasks,
    cpuMs: median(samples.map((s) => s.cpuUs)) / 1000,
    wallMs: median(samples.map((s) => s.wallUs)) / 1000,
    samples: samples.map((s) => ({ cpuMs: s.cpuUs / 1000, wallMs: s.wallUs / 1000 })),
  })
} catch (e) {
  fail(e)
}
