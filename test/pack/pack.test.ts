/**
 * The published package, as a consumer gets it: `npm pack`, install the tarball in a fresh project, and there
 * `require()` it from CommonJS, `import` it from ESM, type-check against it under `node16` and `bundler` module
 * resolution, and send a request to the emulator from each. `@arethetypeswrong/cli` checks the tarball's exports.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(__dirname, '../..')
const run = (cmd: string, args: Array<string>, cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } })

let dir: string
let tarball: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ec2-import-image-pack-'))
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', dir], root)) as Array<{ filename: string; files: Array<{ path: string }> }>
  tarball = join(dir, packed[0]!.filename)
  const app = join(dir, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }))
  // Everything the tarball needs is in npm's cache after `npm ci` here: prefer it to the network.
  run('npm', ['install', '--prefer-offline', '--no-package-lock', tarball, 'fp-ts@2.16.11', 'io-ts@2.2.22', `typescript@${require(join(root, 'node_modules/typescript/package.json')).version}`, '@types/node@20'], app)
})

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
})

// The body of an async function: start the emulator, send one ImportImage to it, print the task id.
const IMPORT_AGAINST_EMULATOR = `  const emu = await startEmulator({ clock: 'manual' })
  const ec2 = createClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials })
  const r = await ec2.importImage({ DiskContainers: [{ Format: 'VMDK', UserBucket: { S3Bucket: 'b', S3Key: 'k.vmdk' } }] })()
  await ec2.close(); await emu.close()
  console.log(r._tag === 'Right' ? r.right.ImportTaskId : 'LEFT ' + JSON.stringify(r.left))`

describe('the packed tarball', () => {
  it('holds only what a consumer needs', () => {
    const files = readdirSync(join(dir, 'app/node_modules/ec2-import-image')).sort()
    expect(files).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'dist', 'package.json'])
    const dist = readdirSync(join(dir, 'app/node_modules/ec2-import-image/dist'))
    expect(dist).toEqual(expect.arrayContaining(['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'emulator.js', 'emulator.cjs', 'emulator.d.ts', 'emulator.d.cts', 'cli.js']))
    expect(dist.some((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.d.cts'))).toBe(false)
  })

  it('declares its shapes by name, with no schema internal in the declarations', () => {
    // Each nested shape is referred to by its name (`DiskContainers: ImageDiskContainer[]`), not expanded where it is
    // used; what the combinators compute (`StructOf`, `MemberSpec`) never reaches a consumer's compiler.
    const dist = join(dir, 'app/node_modules/ec2-import-image/dist')
    const declarations = readdirSync(dist)
      .filter((f) => f.endsWith('.d.ts') || f.endsWith('.d.cts'))
      .map((f) => readFileSync(join(dist, f), 'utf8'))
      .join('\n')
    expect(declarations).toMatch(/DiskContainers: ImageDiskContainer\[\];/)
    expect(declarations).toMatch(/ImportImageTasks\?: ImportImageTask\[\];/)
    for (const internal of ['StructOf<', 'StructOutputOf<', 'MemberSpec<', 'ScalarType<', 'ListType<']) {
      expect(declarations).not.toContain(internal)
    }
  })

  it('works from CommonJS: require() both entry points and import against the emulator', () => {
    const script = join(dir, 'app/consumer.cjs')
    writeFileSync(
      script,
      `const { createClient } = require('ec2-import-image')
const { startEmulator } = require('ec2-import-image/emulator')
;(async () => {
${IMPORT_AGAINST_EMULATOR}
})()`,
    )
    expect(run('node', [script], join(dir, 'app')).trim()).toMatch(/^import-ami-[0-9a-f]{17}$/)
  })

  it('works from ESM: import both entry points and import against the emulator', () => {
    const script = join(dir, 'app/consumer.mjs')
    writeFileSync(
      script,
      `import { createClient } from 'ec2-import-image'
import { startEmulator } from 'ec2-import-image/emulator'
const emu = await startEmulator({ clock: 'manual' })
const ec2 = createClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials })
const r = await ec2.describeImportImageTasks({})()
await ec2.close(); await emu.close()
console.log(r._tag === 'Right' ? 'tasks ' + r.right.ImportImageTasks.length : 'LEFT ' + JSON.stringify(r.left))`,
    )
    expect(run('node', [script], join(dir, 'app')).trim()).toBe('tasks 0')
  })

  it('loads its CommonJS dependencies with require from ESM too (the cold-start fix, tsup.config.ts)', () => {
    // fast-xml-parser has both builds: `import` would load its ESM files, `require` its one CommonJS file.
    const script = join(dir, 'app/loaded.mjs')
    writeFileSync(
      script,
      `import { createRequire } from 'node:module'
await import('ec2-import-image')
const cache = Object.keys(createRequire(import.meta.url).cache)
console.log(JSON.stringify(['io-ts/lib/index.js', 'fp-ts/lib/Either.js', 'aws4/aws4.js', 'fast-xml-parser/lib/fxp.cjs', 'undici/lib/dispatcher/agent.js'].filter((f) => !cache.some((p) => p.endsWith(f)))))`,
    )
    expect(JSON.parse(run('node', [script], join(dir, 'app')))).toEqual([])
    const esm = readFileSync(join(dir, 'app/node_modules/ec2-import-image/dist/index.js'), 'utf8')
    expect(esm).not.toMatch(/^import .* from '(io-ts|fp-ts|aws4|undici|fast-xml-parser)/m)
  })

  it('bundles with esbuild (the `module` condition: plain imports) into a program that runs with no node_modules', () => {
    const app = join(dir, 'app')
    writeFileSync(
      join(app, 'bundled.mjs'),
      `import { createClient } from 'ec2-import-image'
import { startEmulator } from 'ec2-import-image/emulator'
;(async () => {
${IMPORT_AGAINST_EMULATOR}
})()`,
    )
    const standalone = join(dir, 'standalone')
    mkdirSync(standalone)
    const out = join(standalone, 'bundled.cjs')
    run(join(root, 'node_modules/.bin/esbuild'), ['bundled.mjs', '--bundle', '--platform=node', '--format=cjs', `--outfile=${out}`, '--log-level=error'], app)
    expect(readFileSync(out, 'utf8')).not.toMatch(/require\("(io-ts|fp-ts|aws4|undici|fast-xml-parser)/)
    expect(run('node', [out], standalone).trim()).toMatch(/^import-ami-[0-9a-f]{17}$/)
  })

  it.each(['node16', 'bundler'])('type-checks a consumer under moduleResolution %s', (resolution) => {
    const app = join(dir, 'app')
    const source = `import { createClient, ImportImageRequest, type Ec2ImportError } from 'ec2-import-image'
import { startEmulator } from 'ec2-import-image/emulator'
export const main = async (): Promise<string> => {
  const emu = await startEmulator()
  const ec2 = createClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials })
  const request: ImportImageRequest = { DiskContainers: [{ Format: 'VMDK', Url: 's3://b/k' }] }
  const r = await ec2.importImage(request)()
  const describe = (e: Ec2ImportError): string => e._tag
  await ec2.close(); await emu.close()
  return r._tag === 'Right' ? r.right.$metadata.requestId ?? '' : describe(r.left)
}
`
    writeFileSync(join(app, `consumer-${resolution}.mts`), source)
    writeFileSync(
      join(app, `tsconfig.${resolution}.json`),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: resolution === 'node16' ? 'node16' : 'esnext',
          moduleResolution: resolution,
          types: ['node'],
          skipLibCheck: false,
        },
        files: [`consumer-${resolution}.mts`],
      }),
    )
    expect(() => run('npx', ['tsc', '-p', `tsconfig.${resolution}.json`], app)).not.toThrow()
  })

  it('is reported clean by @arethetypeswrong/cli', () => {
    // node16 profile: ESM and CJS under node16 and bundler resolution. node10 (no `exports` support) cannot see
    // the `emulator` subpath at all, which attw reports and this profile ignores by design.
    const out = run(join(root, 'node_modules/.bin/attw'), [tarball, '--format', 'json', '--profile', 'node16'], root)
    const report = JSON.parse(out) as { analysis: { problems: Array<{ kind: string; resolutionKind?: string }> } }
    expect(report.analysis.problems.filter((p) => p.resolutionKind !== 'node10')).toEqual([])
  })
})
