// Minified bundle bytes (esbuild, platform node, ESM, everything bundled but Node's built-ins) of a program that
// imports a client and sends one ImportImage. `node bench/bundle-size.mjs [ours|sdk|undici ...]`.
// The AWS SDK is bundled twice, with esbuild's Node default (`main`, its CommonJS build) and preferring `module`
// (its ES build, which tree-shakes better); the smaller one counts. The bundles are written to bench/.build/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { fail, libUrl, report } from './lib/common.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const outDir = join(here, '.build')

const INPUT = `{
  DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'bench-images', S3Key: 'web.vmdk' } }],
  BootMode: 'uefi', Platform: 'Linux', LicenseType: 'BYOL',
}`

const bundlerBuild = (lib) => {
  const b = lib.replace(/\.js$/, '.bundler.js')
  return b !== lib && existsSync(b) ? b : lib
}

const programs = {
  // The build a bundler resolves: the package's `module` condition (dist/index.bundler.js), beside the library given.
  ours: () => `
import { createClient } from ${JSON.stringify(bundlerBuild(fileURLToPath(libUrl())))}
const client = createClient({ region: 'us-east-1', endpoint: process.env.BENCH_URL })
const r = await client.importImage(${INPUT})()
console.log(r._tag === 'Right' ? r.right.ImportTaskId : r.left.message)
await client.close()
`,
  sdk: () => `
import { EC2Client, ImportImageCommand } from '@aws-sdk/client-ec2'
const client = new EC2Client({ region: 'us-east-1', endpoint: process.env.BENCH_URL })
const r = await client.send(new ImportImageCommand(${INPUT}))
console.log(r.ImportTaskId)
client.destroy()
`,
  undici: () => `
import { request } from 'undici'
import aws4 from 'aws4'
const body = 'Action=ImportImage&Version=2016-11-15&DiskContainer.1.Format=VMDK'
const u = new URL(process.env.BENCH_URL)
const signed = aws4.sign({ method: 'POST', host: u.host, path: '/', service: 'ec2', region: 'us-east-1', body,
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } })
const res = await request(u.origin + '/', { method: 'POST', headers: signed.headers, body })
console.log(await res.body.text())
`,
}

// Lets a bundled CommonJS dependency `require` Node's built-ins from ESM output.
const banner = "import{createRequire as __bench_cr}from'node:module';const require=__bench_cr(import.meta.url);"

const packageOf = (path) => {
  const i = path.lastIndexOf('node_modules/')
  if (i === -1) return path.startsWith('<stdin>') || path.startsWith('bench-') ? '(program)' : '(this project)'
  const rest = path.slice(i + 'node_modules/'.length).split('/')
  return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
}

const bundle = async (esbuild, name, mainFields) => {
  const result = await esbuild.build({
    stdin: { contents: programs[name](), resolveDir: root, sourcefile: `bench-${name}.mjs`, loader: 'js' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    legalComments: 'none',
    banner: { js: banner },
    ...(mainFields === undefined ? {} : { mainFields }),
  })
  const file = result.outputFiles[0]
  const byPackage = {}
  for (const out of Object.values(result.metafile.outputs)) {
    for (const [path, info] of Object.entries(out.inputs)) {
      const p = packageOf(path)
      byPackage[p] = (byPackage[p] ?? 0) + info.bytesInOutput
    }
  }
  const top = Object.entries(byPackage)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([pkg, bytes]) => ({ pkg, bytes }))
  return { bytes: file.contents.byteLength, gzipBytes: gzipSync(file.contents, { level: 9 }).byteLength, contents: file.contents, top }
}

try {
  const esbuild = await import('esbuild')
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['ours', 'sdk', 'undici']
  mkdirSync(outDir, { recursive: true })
  const results = {}
  for (const name of names) {
    const variants = name === 'sdk' ? [['main'], undefined, ['module', 'main']] : [undefined]
    let best
    const tried = []
    for (const v of variants.slice(name === 'sdk' ? 1 : 0)) {
      const b = await bundle(esbuild, name, v)
      tried.push({ mainFields: v ?? 'default', bytes: b.bytes })
      if (best === undefined || b.bytes < best.bytes) best = { ...b, mainFields: v ?? 'default' }
    }
    const outfile = join(outDir, `bundle-${name}.mjs`)
    writeFileSync(outfile, best.contents)
    results[name] = { bytes: best.bytes, gzipBytes: best.gzipBytes, mainFields: best.mainFields, tried, top: best.top, outfile }
  }
  report({ esbuild: esbuild.version, results })
} catch (e) {
  fail(e)
}
