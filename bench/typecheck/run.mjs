// What it costs a consumer's compiler to use this package, against AWS SDK v3's EC2 client: `tsc
// --extendedDiagnostics --noEmit` over ours.ts (each operation of this client, against the built package in dist/),
// sdk.ts (the same program against @aws-sdk/client-ec2) and bare.ts (nothing imported: the standard library and
// @types/node alone), each in a fresh process, several times. Instantiations are exact and the same on every run;
// times are medians. The targets (issue 11): our instantiations at most the SDK file's, and our time above the bare
// run at most half the SDK file's.
//
//   node bench/typecheck/run.mjs [--runs N] [--lib-check] [--json]
//
// The compiler options are a consumer's usual ones (strict, Node module resolution) with `skipLibCheck` on, as
// `tsc --init` writes it: the declarations of a dependency are read as far as the program uses them, not checked
// whole. `--lib-check` checks them too, for a consumer who turns it off.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')

const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const option = (name, fallback) => {
  const i = args.indexOf(name)
  return i === -1 ? fallback : args[i + 1]
}
const runs = Number(option('--runs', '5'))
const libCheck = flag('--lib-check')

if (!existsSync(join(root, 'dist/index.d.ts'))) {
  console.error('bench/typecheck: dist/index.d.ts is missing; run `npm run build` first (or `npm run bench:types`).')
  process.exit(1)
}

const compilerOptions = [
  '--noEmit',
  '--extendedDiagnostics',
  '--strict',
  '--target', 'es2022',
  '--module', 'nodenext',
  '--moduleResolution', 'nodenext',
  '--types', 'node',
  ...(libCheck ? [] : ['--skipLibCheck']),
]

// `tsc` exits non-zero on a type error; a benchmark of a program that does not compile would measure nothing.
const measure = (file) => {
  let out
  try {
    out = execFileSync(process.execPath, [tsc, ...compilerOptions, join(here, file)], { cwd: root, encoding: 'utf8' })
  } catch (e) {
    throw new Error(`bench/typecheck: ${file} does not type-check:\n${e.stdout ?? ''}${e.stderr ?? ''}`)
  }
  const field = (name) => {
    const m = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(out)
    if (m === null) throw new Error(`bench/typecheck: no "${name}" in tsc's diagnostics for ${file}`)
    return Number(m[1])
  }
  return {
    files: field('Files'),
    types: field('Types'),
    instantiations: field('Instantiations'),
    checkTime: field('Check time'),
    totalTime: field('Total time'),
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

const programs = [
  ['bare', 'bare.ts'],
  ['ours', 'ours.ts'],
  ['sdk', 'sdk.ts'],
]
const samples = Object.fromEntries(programs.map(([name]) => [name, []]))
// Interleaved, so a slow spell of a shared machine falls on every program alike.
for (let i = 0; i < runs; i++) {
  for (const [name, file] of programs) samples[name].push(measure(file))
}
const summary = Object.fromEntries(
  programs.map(([name]) => {
    const s = samples[name]
    return [
      name,
      {
        files: s[0].files,
        types: s[0].types,
        instantiations: s[0].instantiations,
        checkTime: median(s.map((x) => x.checkTime)),
        totalTime: median(s.map((x) => x.totalTime)),
      },
    ]
  }),
)

const { bare, ours, sdk } = summary
const ratio = (a, b) => (b === 0 ? NaN : a / b)
const ratios = {
  instantiations: ratio(ours.instantiations, sdk.instantiations),
  checkTime: ratio(ours.checkTime, sdk.checkTime),
  totalAboveBare: ratio(ours.totalTime - bare.totalTime, sdk.totalTime - bare.totalTime),
}
const targets = {
  instantiations: ours.instantiations <= sdk.instantiations,
  totalAboveBare: ratios.totalAboveBare <= 0.5,
}

if (flag('--json')) {
  console.log(JSON.stringify({ runs, skipLibCheck: !libCheck, summary, ratios, targets }, null, 2))
} else {
  const fmt = (n, digits = 2) => n.toFixed(digits)
  console.log(
    `tsc ${relative(root, tsc)} ${compilerOptions.join(' ')} <file>` + `\n${runs} run(s) each, medians of the times\n`,
  )
  console.log('program  files    types  instantiations  check s  total s  total - bare s')
  for (const [name] of programs) {
    const r = summary[name]
    console.log(
      `${name.padEnd(7)} ${String(r.files).padStart(6)} ${String(r.types).padStart(8)} ${String(r.instantiations).padStart(15)}` +
        ` ${fmt(r.checkTime).padStart(8)} ${fmt(r.totalTime).padStart(8)} ${fmt(r.totalTime - bare.totalTime).padStart(15)}`,
    )
  }
  console.log(
    `\nours/sdk: instantiations ${fmt(ratios.instantiations)}x (target <= 1: ${targets.instantiations ? 'met' : 'NOT met'}),` +
      ` check time ${fmt(ratios.checkTime)}x, total above bare ${fmt(ratios.totalAboveBare)}x` +
      ` (target <= 0.5: ${targets.totalAboveBare ? 'met' : 'NOT met'})`,
  )
}
