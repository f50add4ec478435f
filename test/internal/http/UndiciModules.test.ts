import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { build } from 'esbuild'
import * as undici from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent, EnvHttpProxyAgent, getGlobalDispatcher } from '../../../src/internal/http/UndiciModules.js'

// The transport loads undici's dispatchers from undici's own files, which are not its public API. These tests fail
// when a version that package.json allows moves or changes them, rather than a user's program.

const ROOT = join(import.meta.dirname, '../../..')

describe("undici's modules, loaded one by one", () => {
  it('are the very classes and global dispatcher that the installed undici exports', () => {
    expect(Agent).toBe(undici.Agent)
    expect(EnvHttpProxyAgent).toBe(undici.EnvHttpProxyAgent)
    expect(getGlobalDispatcher).toBe(undici.getGlobalDispatcher)
  })
})

// The same check, and one request through the transport, against the lowest and the highest undici 7 the range in
// package.json allows. Those versions are installed beside the repository (no network in a test run):
//
//   npm install --prefix temp/undici-range/<version> --no-save undici@<version>
//
// The lowest is the range's own lower bound; the highest is the highest 7.x installed there (the newest 7.x on the
// registry when they were installed). A version that is not installed is reported as skipped, with this command.
const range = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['undici']!
const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1]
const RANGE_DIR = join(ROOT, 'temp', 'undici-range')
const semverKey = (v: string): number => v.split('.').reduce((n, p) => n * 1000 + Number(p), 0)
const installed = existsSync(RANGE_DIR)
  ? readdirSync(RANGE_DIR).filter((v) => /^7\.\d+\.\d+$/.test(v) && existsSync(join(RANGE_DIR, v, 'node_modules', 'undici', 'package.json')))
  : []
const highest = installed.sort((a, b) => semverKey(a) - semverKey(b)).at(-1)

describe(`undici across the range in package.json (${range})`, () => {
  let server: Server
  let origin: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume()
      req.on('end', () => res.setHeader('x-amzn-requestid', 'r-range').end(req.url === '/big' ? 'x'.repeat(5_000) : '<ok/>'))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  it('is a caret range over undici 7', () => {
    expect(lowest, `undici's range is ${range}`).toMatch(/^7\./)
  })

  const versions = [...new Set([lowest, highest].filter((v): v is string => v !== undefined))]
  for (const version of versions) {
    const dir = join(RANGE_DIR, version)
    const present = existsSync(join(dir, 'node_modules', 'undici', 'package.json'))
    it.skipIf(!present)(
      `undici ${version}${version === lowest ? ' (the lowest allowed)' : ' (the highest installed)'}: the same classes, and a request through the transport${present ? '' : ` — not installed: npm install --prefix temp/undici-range/${version} --no-save undici@${version}`}`,
      async () => {
        // The transport and this module, bundled with undici left out, so that node resolves undici from `dir`.
        const entry = join(dir, 'entry.ts')
        writeFileSync(
          entry,
          `export * from ${JSON.stringify(join(ROOT, 'src/internal/http/UndiciModules.ts'))}\n` +
            `export { createDispatcher, globalDispatcher, send } from ${JSON.stringify(join(ROOT, 'src/internal/http/Transport.ts'))}\n`,
        )
        await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'transport.mjs'), packages: 'external', absWorkingDir: dir, logLevel: 'silent' })
        writeFileSync(
          join(dir, 'check.mjs'),
          `import { createRequire } from 'node:module'
import * as undici from 'undici'
import * as m from './transport.mjs'
const version = createRequire(import.meta.url)('undici/package.json').version
const direct = m.createDispatcher({ connectTimeoutMs: 1000, proxy: { httpProxy: '', httpsProxy: '', noProxy: '' } })
const proxied = m.createDispatcher({ connectTimeoutMs: 1000, proxy: { httpProxy: 'http://127.0.0.1:9', httpsProxy: 'http://127.0.0.1:9', noProxy: '' } })
const opts = { dispatcher: direct, requestTimeoutMs: 2000, maxResponseBytes: 1000 }
const ok = await m.send({ origin: ${JSON.stringify('ORIGIN')}, path: '/', method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Action=X' }, opts)
const big = await m.send({ origin: ${JSON.stringify('ORIGIN')}, path: '/big', method: 'POST', headers: {}, body: '' }, opts)
console.log(JSON.stringify({
  version,
  agent: m.Agent === undici.Agent,
  envHttpProxyAgent: m.EnvHttpProxyAgent === undici.EnvHttpProxyAgent,
  getGlobalDispatcher: m.getGlobalDispatcher === undici.getGlobalDispatcher,
  global: m.globalDispatcher() === undici.getGlobalDispatcher(),
  direct: direct instanceof undici.Agent,
  proxied: proxied instanceof undici.EnvHttpProxyAgent,
  ok: [ok.statusCode, ok.headers?.['x-amzn-requestid'], ok.body],
  big: big.reason,
}))
await Promise.all([direct.close(), proxied.close()])
`.replaceAll('"ORIGIN"', JSON.stringify(origin)),
        )
        const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'check.mjs')], { cwd: dir, timeout: 30_000 })
        expect(JSON.parse(stdout)).toEqual({
          version,
          agent: true,
          envHttpProxyAgent: true,
          getGlobalDispatcher: true,
          global: true,
          direct: true,
          proxied: true,
          ok: [200, 'r-range', '<ok/>'],
          big: 'body-too-large',
        })
      },
    )
  }
})
