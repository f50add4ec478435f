#!/usr/bin/env node
// The benchmark orchestrator. `npm run bench` builds dist/ and runs this; `node bench/run.mjs [options] [lib]`.
//
//   lib                   the library under test (default dist/index.js); e.g. bench/.build/ec2-import-image.mjs
//   --lib <path>          the same, as an option
//   --quick               fewer and shorter runs (also BENCH_QUICK=1); the whole run stays under 2 minutes
//   --only <a,b,...>      scenarios: throughput, cold, decode, bundle, memory, tricks (default: all)
//   --out <file>          where to write the JSON (default bench/results/latest.json)
//   --compare <file>      a previous JSON (another commit's run): prints this project's numbers before and after
//   --memory-ours-only    run the memory scenario for this project only (it runs for all three by default)
//
// It starts the loopback server in its own process, runs every client scenario in a fresh `node` process against
// it, prints a table of medians and ratios (ours/SDK, ours/raw undici) with the targets, and writes JSON. See
// bench/README.md.
import { spawn, fork } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { execFileSync } from 'node:child_process'
import aws4 from 'aws4'
import { median } from './lib/common.mjs'
import { CREDENTIALS, DESCRIBE_FORM, IMPORT_IMAGE_FORM, REGION, importImageInput, signable } from './lib/fixtures.mjs'
import { TRICKS, buildVariants } from './lib/tricks.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const CLIENTS = ['ours', 'sdk', 'undici']
// Throughput also runs a reference that is no target: raw undici signing each request with aws4 (what signing alone
// adds to the floor).
const THROUGHPUT_CLIENTS = [...CLIENTS, 'undici-signed']
const SCENARIOS = ['throughput', 'cold', 'decode', 'bundle', 'memory', 'tricks']

// -------------------------------------------------------------------------------------------------
// options
// -------------------------------------------------------------------------------------------------

const argv = process.argv.slice(2)
const opts = { lib: undefined, quick: process.env.BENCH_QUICK === '1', only: SCENARIOS, out: join(here, 'results', 'latest.json'), compare: undefined, memoryOursOnly: false }
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]
  if (a === '--quick') opts.quick = true
  else if (a === '--lib') opts.lib = argv[++i]
  else if (a === '--only') opts.only = argv[++i].split(',')
  else if (a === '--out') opts.out = resolve(argv[++i])
  else if (a === '--compare') opts.compare = resolve(argv[++i])
  else if (a === '--memory-ours-only') opts.memoryOursOnly = true
  else if (a === '--help' || a === '-h') {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'))
    process.exit(0)
  } else if (!a.startsWith('--') && opts.lib === undefined) opts.lib = a
  else {
    console.error(`unknown argument ${a} (try --help)`)
    process.exit(2)
  }
}
for (const s of opts.only) if (!SCENARIOS.includes(s)) (console.error(`unknown scenario ${s}`), process.exit(2))
const libPath = resolve(root, opts.lib ?? 'dist/index.js')
if (!existsSync(libPath)) {
  console.error(
    `${relative(root, libPath)} does not exist. Run \`npm run bench\` (which builds dist/ first), or bundle src/ yourself:\n` +
      '  npx esbuild src/index.ts --bundle --platform=node --format=esm --outfile=bench/.build/ec2-import-image.mjs \\\n' +
      '    --external:undici --external:aws4 --external:fast-xml-parser --external:fp-ts --external:io-ts\n' +
      '  node bench/run.mjs bench/.build/ec2-import-image.mjs',
  )
  process.exit(2)
}
// The CommonJS build next to it (dist/index.cjs for dist/index.js), for the CommonJS cold start.
const libCjsPath = [libPath.replace(/\.m?js$/, '.cjs')].find((p) => p !== libPath && existsSync(p))
const QUICK = opts.quick
const PLAN = {
  throughputProcesses: QUICK ? 1 : 3,
  throughputRounds: QUICK ? 3 : 5,
  tricksProcesses: QUICK ? 1 : 3,
  tricksDecodeCalls: QUICK ? 3 : 5,
  coldRuns: QUICK ? 5 : 11,
  decodeProcesses: QUICK ? 1 : 2,
  memoryN: QUICK ? 20_000 : 100_000,
}

// -------------------------------------------------------------------------------------------------
// processes
// -------------------------------------------------------------------------------------------------

// Every child gets the same clean environment: no AWS settings or proxies from the developer's shell (the only
// traffic is loopback), no shared config files, the SDK's Node-version warning off.
const childEnv = (extra = {}) => {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(AWS_|HTTPS?_PROXY$|NO_PROXY$)/i.test(k)) continue
    if (k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  return {
    ...env,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_CONFIG_FILE: join(here, '.no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(here, '.no-such-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    BENCH_LIB: pathToFileURL(libPath).href,
    BENCH_QUICK: QUICK ? '1' : '0',
    ...extra,
  }
}

// A scenario process's one `BENCH_RESULT {json}` line, read from its stdout; undefined when it printed none.
const resultOf = (out) => {
  const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '))
  return line === undefined ? undefined : JSON.parse(line.slice('BENCH_RESULT '.length))
}

const runNode = (script, args, { env, nodeArgs = [], timeoutMs = 600_000 } = {}) =>
  new Promise((resolveRun, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, [...nodeArgs, join(here, script), ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (err += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const processMs = performance.now() - t0
      const result = resultOf(out)
      if (code !== 0 || result === undefined) {
        reject(new Error(`${script} ${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${err || out}`))
        return
      }
      resolveRun({ ...result, processMs })
    })
  })

// The order the processes take their turns in, in round `r`: a permutation drawn from a fixed seed, so that over the
// rounds each process runs first, last and after each of the others alike (a plain rotation kept every process right
// after the same one, and in the tricks scenario the build that followed the slowest one measured 10% cheaper).
// Processes that share a `group` take their turns one right after the other (the group's place and the order inside
// it drawn alike): the machine's speed drifts by up to 2× over seconds, and the two clients whose ratio is judged
// against a limit near their own measure closest together in time that way.
const turnOrder = (procs, r) => {
  let seed = (r + 1) * 0x9e3779b1
  const next = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32)
  const shuffle = (xs) => {
    const order = [...xs]
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    return order
  }
  const groups = []
  for (const p of procs) {
    const g = p.group === undefined ? undefined : groups.find((q) => q[0].group === p.group)
    if (g === undefined) groups.push([p])
    else g.push(p)
  }
  return shuffle(groups).flatMap(shuffle)
}

// Processes of `lib/throughput.mjs` (a client script each: `{ name, script, env, group? }`), all started at once and
// stepped through `rounds` rounds: in each round every process in turn (in the order `turnOrder` draws for the round)
// measures its sequential and concurrent calls, and its decode calls when its env sets BENCH_STEP_DECODE, while the
// others wait idle. The throughput scenario runs one per client, the tricks scenario one per build of ours. Returns
// each process's report and, per round, what each measured in it.
const runStepped = (members, rounds, offset, { timeoutMs = 600_000 } = {}) =>
  new Promise((resolveRun, reject) => {
    const procs = members.map(({ name, script, env, group }) => {
      const child = spawn(process.execPath, [join(here, script)], {
        cwd: root,
        env: { ...env, BENCH_STEPPED: '1' },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      })
      // What the process said and nobody has read yet, and who waits for the next thing it says.
      const p = { name, script, group, child, out: '', err: '', inbox: [], waiting: undefined }
      const hear = (m) => {
        if (p.waiting === undefined) return void p.inbox.push(m)
        const w = p.waiting
        p.waiting = undefined
        w(m)
      }
      child.stdout.setEncoding('utf8').on('data', (d) => (p.out += d))
      child.stderr.setEncoding('utf8').on('data', (d) => (p.err += d))
      child.on('message', hear)
      child.on('close', (code, signal) => hear({ exited: signal ?? `exit ${code}` }))
      return p
    })
    const next = (p) => (p.inbox.length > 0 ? Promise.resolve(p.inbox.shift()) : new Promise((r) => (p.waiting = r)))
    const timer = setTimeout(() => {
      for (const p of procs) p.child.kill('SIGKILL')
    }, timeoutMs)
    const fail = (p, m) => {
      for (const q of procs) q.child.kill('SIGKILL')
      reject(new Error(`${p.script} (${p.name}) failed (${m.exited ?? 'unexpected message'}):\n${p.err || p.out}`))
    }
    ;(async () => {
      for (const p of procs) {
        const m = await next(p)
        if (m.ready !== true) return fail(p, m)
      }
      const perRound = []
      for (let r = 0; r < rounds; r++) {
        const round = {}
        for (const p of turnOrder(procs, r + offset * rounds)) {
          const reply = next(p)
          p.child.send({ round: r })
          const m = await reply
          if (m.seq === undefined) return fail(p, m)
          // (`decode` only from the tricks scenario's processes; an absent one is left out of the JSON)
          round[p.name] = { seq: m.seq, conc: m.conc, decode: m.decode }
        }
        perRound.push(round)
      }
      const results = {}
      for (const p of procs) {
        const exited = next(p)
        p.child.send({ done: true })
        const m = await exited
        const result = resultOf(p.out)
        if (m.exited !== 'exit 0' || result === undefined) return fail(p, m)
        results[p.name] = result
      }
      clearTimeout(timer)
      resolveRun({ results, rounds: perRound })
    })().catch(reject)
  })

const startServer = () =>
  new Promise((resolveStart, reject) => {
    const child = fork(join(here, 'server.mjs'), [], { env: childEnv(), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    child.once('message', (m) => (m.ready ? resolveStart({ child, ...m.ready }) : reject(new Error('server did not start'))))
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)))
  })

const log = (msg) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`)
const started = performance.now()

// -------------------------------------------------------------------------------------------------
// scenarios
// -------------------------------------------------------------------------------------------------

const raw = {}
const scenarioSeconds = {}
const timed = async (name, f) => {
  const t0 = performance.now()
  raw[name] = await f()
  scenarioSeconds[name] = (performance.now() - t0) / 1000
}

const server = await startServer()
// The floor's headers, signed once here: the floor process loads undici and nothing else.
const presign = (body) => aws4.sign(signable(`127.0.0.1:${server.port}`, body), { ...CREDENTIALS }).headers
const env = childEnv({
  BENCH_URL: `http://127.0.0.1:${server.port}`,
  BENCH_PRESIGNED: JSON.stringify({ import: presign(IMPORT_IMAGE_FORM), describe: presign(DESCRIBE_FORM) }),
  BENCH_INPUT: JSON.stringify({ input: importImageInput(), region: REGION, credentials: CREDENTIALS, form: IMPORT_IMAGE_FORM }),
  ...(libCjsPath === undefined ? {} : { BENCH_LIB_CJS: libCjsPath }),
})
log(`server on 127.0.0.1:${server.port}; library ${relative(root, libPath)}; ${QUICK ? 'quick' : 'full'} run`)

try {
  if (opts.only.includes('throughput')) {
    await timed('throughput', async () => {
      const runs = Object.fromEntries(THROUGHPUT_CLIENTS.map((c) => [c, []]))
      // The rounds of the clients side by side: round r of each, run within the same few seconds.
      const rounds = []
      for (let p = 0; p < PLAN.throughputProcesses; p++) {
        log(`throughput: ${THROUGHPUT_CLIENTS.join(', ')} in one process each, ${PLAN.throughputRounds} rounds taking turns (${p + 1}/${PLAN.throughputProcesses})`)
        // (ours and raw undici take their turns back to back: their ratio is the one near its limit)
        const set = await runStepped(
          THROUGHPUT_CLIENTS.map((c) => ({ name: c, script: `client-${c}.mjs`, env, group: c === 'ours' || c === 'undici' ? 'ours-undici' : undefined })),
          PLAN.throughputRounds,
          p,
        )
        for (const c of THROUGHPUT_CLIENTS) runs[c].push(set.results[c])
        rounds.push(...set.rounds)
      }
      return { ...runs, rounds }
    })
  }

  if (opts.only.includes('cold')) {
    await timed('cold', async () => {
      log(`cold start x${PLAN.coldRuns} per client and module system`)
      const runs = Object.fromEntries(CLIENTS.flatMap((c) => [[c, []], [`${c}-cjs`, []]]))
      // Each iteration starts every client once in each module system, in an order drawn as the throughput turns are
      // (a fixed order had ours' ESM start always first and the floor always last); ours in both module systems and
      // the floor (raw undici, CommonJS) start back to back, since ours is judged against the floor near its limit.
      const jobs = [
        { key: 'ours', script: 'cold-start.mjs', client: 'ours', group: 'ours-floor' },
        ...(libCjsPath === undefined ? [] : [{ key: 'ours-cjs', script: 'cold-start.cjs', client: 'ours', group: 'ours-floor' }]),
        { key: 'undici-cjs', script: 'cold-start.cjs', client: 'undici', group: 'ours-floor' },
        { key: 'undici', script: 'cold-start.mjs', client: 'undici' },
        { key: 'sdk', script: 'cold-start.mjs', client: 'sdk' },
        { key: 'sdk-cjs', script: 'cold-start.cjs', client: 'sdk' },
      ]
      for (let i = 0; i < PLAN.coldRuns; i++) {
        for (const j of turnOrder(jobs, 1_000 + i)) runs[j.key].push(await runNode(j.script, [j.client], { env }))
      }
      return runs
    })
  }

  if (opts.only.includes('decode')) {
    await timed('decode', async () => {
      const runs = Object.fromEntries(CLIENTS.map((c) => [c, []]))
      for (let p = 0; p < PLAN.decodeProcesses; p++) {
        for (const c of CLIENTS) {
          log(`decode 1,000 tasks ${c} (process ${p + 1}/${PLAN.decodeProcesses})`)
          runs[c].push(await runNode('decode-1000.mjs', [c], { env }))
        }
      }
      return runs
    })
  }

  if (opts.only.includes('bundle')) {
    await timed('bundle', async () => {
      log('bundle size (esbuild)')
      return runNode('bundle-size.mjs', [], { env })
    })
  }

  if (opts.only.includes('memory')) {
    await timed('memory', async () => {
      const out = {}
      for (const c of opts.memoryOursOnly ? ['ours'] : CLIENTS) {
        log(`memory ${c}: ${PLAN.memoryN.toLocaleString('en-US')} requests at concurrency 16`)
        out[c] = await runNode('memory.mjs', [c], { env: { ...env, BENCH_MEMORY_N: String(PLAN.memoryN) }, nodeArgs: ['--expose-gc'] })
      }
      return out
    })
  }
  if (opts.only.includes('tricks') && TRICKS.length > 0) {
    await timed('tricks', async () => {
      log(`speed tricks: building ${TRICKS.length + 1} variants from src/`)
      const variants = await buildVariants()
      // Each build in a process of its own, stepped round by round as the throughput clients are: a trick is measured
      // the way the targets it serves are.
      const members = variants.map((v) => ({
        name: v.name,
        script: 'client-ours.mjs',
        env: { ...env, BENCH_LIB: pathToFileURL(v.file).href, BENCH_STEP_DECODE: String(PLAN.tricksDecodeCalls) },
      }))
      const rounds = []
      for (let p = 0; p < PLAN.tricksProcesses; p++) {
        log(`speed tricks: ${variants.length} builds in one process each, ${PLAN.throughputRounds} rounds taking turns (${p + 1}/${PLAN.tricksProcesses})`)
        rounds.push(...(await runStepped(members, PLAN.throughputRounds, p)).rounds)
      }
      return { variants, rounds }
    })
  }
} finally {
  server.child.removeAllListeners('exit')
  server.child.kill()
}

// -------------------------------------------------------------------------------------------------
// summary
// -------------------------------------------------------------------------------------------------

const pooled = (runs, f) => median(runs.flatMap(f))
const summary = {}
if (raw.throughput) {
  for (const c of THROUGHPUT_CLIENTS) {
    const r = raw.throughput[c]
    summary[c] = {
      ...(summary[c] ?? {}),
      seqCpuUs: pooled(r, (x) => x.seq.rounds.map((s) => s.cpuUs)),
      seqWallUs: pooled(r, (x) => x.seq.rounds.map((s) => s.wallUs)),
      seqSysUs: pooled(r, (x) => x.seq.rounds.map((s) => s.systemUs)),
      concSysUs: pooled(r, (x) => x.conc.rounds.map((s) => s.systemUs)),
      concCpuUs: pooled(r, (x) => x.conc.rounds.map((s) => s.cpuUs)),
      concWallUs: pooled(r, (x) => x.conc.rounds.map((s) => s.wallUs)),
    }
  }
}
if (raw.cold) {
  for (const c of CLIENTS) {
    for (const [suffix, r] of [['', raw.cold[c]], ['Cjs', raw.cold[`${c}-cjs`]]]) {
      if (r === undefined || r.length === 0) continue
      summary[c] = {
        ...(summary[c] ?? {}),
        [`coldMs${suffix}`]: median(r.map((x) => x.toFirstResponseMs)),
        [`coldLibraryMs${suffix}`]: median(r.map((x) => x.libraryMs)),
        [`coldImportMs${suffix}`]: median(r.map((x) => x.importMs)),
        [`coldCpuMs${suffix}`]: median(r.map((x) => x.cpuMs)),
        [`coldProcessMs${suffix}`]: median(r.map((x) => x.processMs)),
      }
    }
  }
}
if (raw.decode) {
  for (const c of CLIENTS) {
    const r = raw.decode[c]
    summary[c] = {
      ...(summary[c] ?? {}),
      decodeWallMs: pooled(r, (x) => x.samples.map((s) => s.wallMs)),
      decodeCpuMs: pooled(r, (x) => x.samples.map((s) => s.cpuMs)),
    }
  }
}
if (raw.bundle) {
  for (const c of CLIENTS) {
    const b = raw.bundle.results[c]
    summary[c] = { ...(summary[c] ?? {}), bundleBytes: c === 'sdk' ? b.tried.find((t) => t.mainFields === 'default').bytes : b.bytes }
  }
  summary.sdk.bundleBytesBest = raw.bundle.results.sdk.bytes
}
if (raw.memory) {
  for (const [c, m] of Object.entries(raw.memory)) {
    summary[c] = {
      ...(summary[c] ?? {}),
      memHeapGrowthMB: m.heapGrowthMB,
      memRssGrowthMB: m.rssGrowthMB,
      memHeapFinalMB: m.final.heapUsedMB,
      memRssFinalMB: m.final.rssMB,
      memHeapSlopeBytesPer1k: m.heapSlopeBytesPer1k,
    }
  }
}

const ratio = (a, b) => (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? undefined : a / b)
const ours = summary.ours ?? {}
const sdk = summary.sdk ?? {}
const und = summary.undici ?? {}

const ROWS = [
  ['CPU µs / ImportImage, sequential', 'seqCpuUs', 0],
  ['  of which kernel (system) µs', 'seqSysUs', 0],
  ['wall µs / ImportImage, sequential', 'seqWallUs', 0],
  ['CPU µs / ImportImage, concurrency 16', 'concCpuUs', 0],
  ['  of which kernel (system) µs', 'concSysUs', 0],
  ['wall µs / ImportImage, concurrency 16', 'concWallUs', 0],
  ['cold start ms, ESM (process start → 1st response)', 'coldMs', 1],
  ['  import + build + 1st request ms', 'coldLibraryMs', 1],
  ['  of which import ms', 'coldImportMs', 1],
  ['  CPU ms (whole process)', 'coldCpuMs', 1],
  ['cold start ms, CommonJS (process start → 1st response)', 'coldMsCjs', 1],
  ['  require + build + 1st request ms', 'coldLibraryMsCjs', 1],
  ['  of which require ms', 'coldImportMsCjs', 1],
  ['  CPU ms (whole process)', 'coldCpuMsCjs', 1],
  ['decode 1,000 tasks, wall ms / call', 'decodeWallMs', 1],
  ['decode 1,000 tasks, CPU ms / call', 'decodeCpuMs', 1],
  ['bundle bytes (esbuild --minify, node defaults)', 'bundleBytes', 0],
  ['memory: heap growth after warm-up, MB', 'memHeapGrowthMB', 2],
  ['memory: heap used at the end, MB', 'memHeapFinalMB', 1],
  ['memory: RSS growth after warm-up, MB', 'memRssGrowthMB', 1],
  ['memory: RSS at the end, MB', 'memRssFinalMB', 1],
]

const fmt = (v, digits) =>
  v === undefined || Number.isNaN(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const fmtRatio = (r) => (r === undefined ? '–' : `${r.toFixed(2)}×`)

const table = []
for (const [label, key, digits] of ROWS) {
  if (ours[key] === undefined && sdk[key] === undefined) continue
  const isMem = key.startsWith('mem')
  table.push([
    label,
    fmt(ours[key], digits),
    fmt(sdk[key], digits),
    fmt(und[key], digits),
    isMem ? '' : fmtRatio(ratio(ours[key], sdk[key])),
    isMem || key.startsWith('bundle') || key.startsWith('decode') ? '' : fmtRatio(ratio(ours[key], und[key])),
  ])
}
if (sdk.bundleBytesBest !== undefined) {
  table.push(['  SDK bundled from its ES build (mainFields module,main)', '', fmt(sdk.bundleBytesBest, 0), '', fmtRatio(ratio(ours.bundleBytes, sdk.bundleBytesBest)), ''])
}

const head = ['metric (medians)', 'ours', 'AWS SDK v3', 'raw undici', 'ours/SDK', 'ours/undici']
const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)))
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
const out = [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...table.map(line)]

// The throughput ratios round by round: each round of ours against the same round of the other client, run within
// the same few seconds, so most of the machine's slow moments cancel out of each ratio. A cross-check of the ratio of
// medians the targets use; when the two disagree, the run was noisy.
if (raw.throughput?.rounds !== undefined) {
  const byRound = (other, mode) => raw.throughput.rounds.map((r) => r.ours[mode].cpuUs / r[other][mode].cpuUs)
  summary.roundRatios = {}
  out.push('', 'CPU ratios round by round (ours over the other client in the same round): median [lowest–highest]')
  for (const [other, label] of [['undici', 'raw undici'], ['sdk', 'AWS SDK v3']]) {
    for (const mode of ['seq', 'conc']) {
      const xs = byRound(other, mode)
      const sorted = [...xs].sort((a, b) => a - b)
      summary.roundRatios[`${mode}Over${other === 'sdk' ? 'Sdk' : 'Undici'}`] = { median: median(xs), rounds: xs }
      out.push(`  ${mode === 'seq' ? 'sequential    ' : 'concurrency 16'}  over ${label.padEnd(10)}  ${median(xs).toFixed(2)}× [${sorted[0].toFixed(2)}–${sorted[sorted.length - 1].toFixed(2)}] (${xs.length} rounds)`)
    }
  }
}

// The reference beside the floor: what signing each request (with aws4) costs raw undici, and ours against that.
const signed = summary['undici-signed']
if (signed !== undefined) {
  out.push('', 'reference, no target: raw undici signing each request with aws4 (no validation, serialization or XML)')
  for (const [mode, label] of [['seq', 'sequential    '], ['conc', 'concurrency 16']]) {
    const cpu = signed[`${mode}CpuUs`]
    out.push(
      `  CPU µs / ImportImage, ${label}  ${fmt(cpu, 0)}  (raw undici × ${fmtRatio(ratio(cpu, und[`${mode}CpuUs`]))}; ours over it ${fmtRatio(ratio(ours[`${mode}CpuUs`], cpu))})`,
    )
  }
}

// Targets, as ratios measured in this run.
const targets = []
const target = (name, value, limit, detail) => {
  if (value === undefined) return
  targets.push({ name, value, limit, met: value <= limit, detail })
}
target('CPU/request sequential ≤ 1/3 of the SDK', ratio(ours.seqCpuUs, sdk.seqCpuUs), 1 / 3)
target('CPU/request sequential ≤ 1.5 × raw undici', ratio(ours.seqCpuUs, und.seqCpuUs), 1.5)
target('CPU/request at concurrency 16 ≤ 1/3 of the SDK', ratio(ours.concCpuUs, sdk.concCpuUs), 1 / 3)
target('CPU/request at concurrency 16 ≤ 1.5 × raw undici', ratio(ours.concCpuUs, und.concCpuUs), 1.5)
target('cold start, ESM ≤ 0.75 × the SDK (its ESM)', ratio(ours.coldMs, sdk.coldMs), 0.75)
target('cold start, CommonJS ≤ 0.75 × the SDK (its CommonJS)', ratio(ours.coldMsCjs, sdk.coldMsCjs), 0.75)
target('cold start, ESM ≤ 1.15 × the floor (require undici, one pre-signed request)', ratio(ours.coldMs, und.coldMsCjs), 1.15)
target('cold start, CommonJS ≤ 1.15 × the floor', ratio(ours.coldMsCjs, und.coldMsCjs), 1.15)
target('decode of 1,000 tasks ≤ 1/2 of the SDK (wall)', ratio(ours.decodeWallMs, sdk.decodeWallMs), 0.5)
target('bundle ≤ 1/2 of the SDK (same esbuild options)', ratio(ours.bundleBytes, sdk.bundleBytes), 0.5)
if (ours.memHeapGrowthMB !== undefined) {
  targets.push({ name: `flat memory: heap growth after warm-up ≤ 1 MB (${PLAN.memoryN.toLocaleString('en-US')} requests)`, value: ours.memHeapGrowthMB, limit: 1, met: ours.memHeapGrowthMB <= 1, unit: 'MB' })
}
out.push('', 'targets')
for (const t of targets) {
  const v = t.unit === 'MB' ? `${t.value.toFixed(2)} MB` : `${t.value.toFixed(2)}× (limit ${t.limit.toFixed(2)}×)`
  out.push(`  ${t.met ? 'MET    ' : 'NOT MET'}  ${t.name}: ${v}`)
}

// The speed tricks: each variant against the build with every trick, in the same processes. A trick moves a target's
// ratio by as much as it moves our number (the SDK's and undici's numbers are the same either way); the projected
// ratio is this run's ratio scaled by that factor.
if (raw.tricks) {
  const { variants, rounds } = raw.tricks
  const stats = Object.fromEntries(
    variants.map((v) => [
      v.name,
      {
        seqCpuUs: median(rounds.map((r) => r[v.name].seq.cpuUs)),
        concCpuUs: median(rounds.map((r) => r[v.name].conc.cpuUs)),
        decodeWallMs: median(rounds.flatMap((r) => r[v.name].decode.map((d) => d.wallMs))),
        bytes: v.bytes,
      },
    ]),
  )
  const base = stats.with
  const measures = [
    ['seqCpuUs', 'CPU/request sequential', [ratio(ours.seqCpuUs, sdk.seqCpuUs), 1 / 3], [ratio(ours.seqCpuUs, und.seqCpuUs), 1.5]],
    ['concCpuUs', 'CPU/request concurrency 16', [ratio(ours.concCpuUs, sdk.concCpuUs), 1 / 3], [ratio(ours.concCpuUs, und.concCpuUs), 1.5]],
    ['decodeWallMs', 'decode 1,000 tasks wall', [ratio(ours.decodeWallMs, sdk.decodeWallMs), 0.5]],
  ]
  summary.tricks = {}
  out.push('', 'speed tricks: ours with every trick → without this one (one process per build, taking turns round by round; + = slower without)')
  const tw = Math.max(...TRICKS.map((t) => t.label.length))
  out.push(`  ${'trick'.padEnd(tw)}  ${measures.map(([, l]) => l.padStart(28)).join('')}  ${'bundle bytes'.padStart(14)}  verdict`)
  for (const t of TRICKS) {
    const w = stats[`without-${t.name}`]
    const cells = []
    let moves = false
    let breaks = false
    const detail = {}
    for (const [key, , ...limits] of measures) {
      const f = w[key] / base[key]
      detail[key] = { with: base[key], without: w[key], factor: f }
      if (f >= 1.1) moves = true
      for (const [r, limit] of limits) if (r !== undefined && r <= limit && r * f > limit) breaks = true
      cells.push(`${fmt(base[key], 1)} → ${fmt(w[key], 1)} (${f >= 1 ? '+' : ''}${((f - 1) * 100).toFixed(0)}%)`.padStart(28))
    }
    const verdict = moves || breaks ? `keep (${[moves && 'moves a ratio ≥ 10%', breaks && 'removing it breaks a target'].filter(Boolean).join(', ')})` : 'delete (moves no ratio by 10%, breaks no target)'
    summary.tricks[t.name] = { ...detail, bytesWith: base.bytes, bytesWithout: w.bytes, keep: moves || breaks, moves, breaks }
    out.push(`  ${t.label.padEnd(tw)}  ${cells.join('')}  ${`${w.bytes - base.bytes >= 0 ? '+' : ''}${w.bytes - base.bytes}`.padStart(14)}  ${verdict}`)
  }
}

// Before/after, for a JSON written by another commit's run.
if (opts.compare !== undefined) {
  const prev = JSON.parse(readFileSync(opts.compare, 'utf8'))
  out.push('', `ours, compared with ${relative(process.cwd(), opts.compare)} (${prev.meta?.commit ?? 'unknown commit'})`)
  for (const [label, key, digits] of ROWS) {
    const a = prev.summary?.ours?.[key]
    const b = ours[key]
    if (a === undefined || b === undefined) continue
    const pct = a === 0 ? '' : ` (${b >= a ? '+' : ''}${(((b - a) / Math.abs(a)) * 100).toFixed(1)}%)`
    out.push(`  ${label.padEnd(widths[0])}  ${fmt(a, digits).padStart(10)} → ${fmt(b, digits).padStart(10)}${pct}`)
  }
}

const git = (args) => {
  try {
    return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return undefined
  }
}
const totalSeconds = (performance.now() - started) / 1000
const result = {
  meta: {
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']),
    dirty: (git(['status', '--porcelain', '--', 'src']) ?? '') !== '',
    library: relative(root, libPath),
    quick: QUICK,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    loadavgAtEnd: loadavg(),
    plan: PLAN,
    server: { describeBytes: server.describeBytes, importBytes: server.importBytes },
    seconds: { total: totalSeconds, ...scenarioSeconds },
  },
  summary,
  targets,
  raw,
}
mkdirSync(dirname(opts.out), { recursive: true })
writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`)
console.log(out.join('\n'))
console.log(`\n${QUICK ? 'quick' : 'full'} run in ${totalSeconds.toFixed(0)} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} CPUs; JSON: ${relative(process.cwd(), opts.out)}`)
